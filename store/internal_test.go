package store

import (
	"context"
	"slices"
	"strings"
	"testing"
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
