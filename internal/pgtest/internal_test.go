package pgtest

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBinaries(t *testing.T) {
	root := t.TempDir()
	t.Setenv("PATH", t.TempDir())
	old := installRoot
	installRoot = root
	t.Cleanup(func() { installRoot = old })

	if _, err := findBinaries(); !errors.Is(err, errNoPostgres) {
		t.Fatalf("no binaries: err = %v, want errNoPostgres", err)
	}
	// 16 lacks postgres, so 15 wins over 9.6.
	for v, names := range map[string][]string{"9.6": {"initdb", "postgres"}, "15": {"initdb", "postgres"}, "16": {"initdb"}} {
		dir := filepath.Join(root, v, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(dir, n), nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := findBinaries()
	if want := filepath.Join(root, "15", "bin"); err != nil || got != want {
		t.Errorf("findBinaries() = %q, %v; want %q", got, err, want)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"postgres://u:p@h:5433/postgres?sslmode=disable", "postgres://u:p@h:5433/khidi_t1?sslmode=disable"},
		{"postgresql://u@/x?host=/run/pg", "postgresql://u@/khidi_t1?host=/run/pg"},
		{"host=/run/pg dbname=postgres", "host=/run/pg dbname=postgres dbname='khidi_t1'"},
	} {
		if got := withDatabase(c.dsn, "khidi_t1"); got != c.want {
			t.Errorf("withDatabase(%q) = %q, want %q", c.dsn, got, c.want)
		}
	}
}

// TestStartCluster starts a cluster as a program would, outside Main, and
// checks that its database answers and that stop removes the folder.
func TestStartCluster(t *testing.T) {
	dsn, stop, err := StartCluster(t.Context(), "khidi_program")
	if errors.Is(err, errNoPostgres) && os.Getenv("CI") == "" {
		t.Skipf("pgtest: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	err = db.QueryRowContext(t.Context(), "SELECT current_database()").Scan(&name)
	db.Close()
	if err != nil || name != "khidi_program" {
		t.Errorf("SELECT current_database() = %q, %v; want khidi_program", name, err)
	}
	// The DSN names the cluster's folder, where its socket is.
	dir := strings.TrimSuffix(strings.TrimPrefix(strings.Fields(dsn)[0], "host='"), "'")
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cluster folder %s after stop: %v, want it removed", dir, err)
	}
}
