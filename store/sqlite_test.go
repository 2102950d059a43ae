package store_test

import (
	"path/filepath"
	"testing"

	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

// openSQLite opens a new SQLite database in t's temporary folder.
func openSQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "khidi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, openSQLite)
}

// TestSQLiteReopen opens one file twice: the second Open finds the schema
// current and leaves the data alone.
func TestSQLiteReopen(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "khidi.db")
	for i := range 2 {
		db, err := store.Open(t.Context(), dsn)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		if v, err := db.SchemaVersion(t.Context()); err != nil || v != store.LatestVersion() {
			t.Errorf("open #%d: SchemaVersion = %d, %v; want %d", i+1, v, err, store.LatestVersion())
		}
		db.Close()
	}
}
