package store

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/pgtest"
)

// TestMigrationFoldersMatch checks that both engines have the same migration
// versions, so a database is at the same schema on either.
func TestMigrationFoldersMatch(t *testing.T) {
	pg, err := migrationVersions(postgresDialect)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := migrationVersions(sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) == 0 || !slices.Equal(pg, lite) {
		t.Fatalf("migration versions differ: postgres %v, sqlite %v", pg, lite)
	}
	if LatestVersion() != pg[len(pg)-1] {
		t.Fatalf("LatestVersion = %d, want %d", LatestVersion(), pg[len(pg)-1])
	}
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://u:secret@h/db", "khidi.db", "sqlite:", "sqlite:x.db?mode=ro"} {
		_, err := Open(context.Background(), dsn)
		if err == nil {
			t.Errorf("Open(%q) succeeded, want an error", dsn)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error repeats the password: %v", dsn, err)
		}
		if !strings.Contains(err.Error(), "sqlite:") {
			t.Errorf("Open(%q) error %q does not name the accepted forms", dsn, err)
		}
	}
}

// TestMigrationsRoundTrip runs every migration down to an empty schema and
// up again on each engine, so that a Down script that does not run is
// found before an operator needs it.
func TestMigrationsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{"sqlite:" + filepath.Join(t.TempDir(), "khidi.db"), pgtest.NewDatabase(t)} {
		ctx := t.Context()
		db, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.provider()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 0); err != nil {
			t.Errorf("%s: down to an empty schema: %v", db.dialect.name, err)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Errorf("%s: up again: %v", db.dialect.name, err)
		}
		if v, err := p.GetDBVersion(ctx); err != nil || v != LatestVersion() {
			t.Errorf("%s: at version %d (%v) after the round trip, want %d", db.dialect.name, v, err, LatestVersion())
		}
		db.Close()
	}
}
