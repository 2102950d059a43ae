package store_test

import (
	"os"
	"testing"

	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, storetest.Migrate))
}

// openPostgres opens a fresh PostgreSQL database, a copy of the migrated
// template. Opening it migrates again, which must find nothing to do.
func openPostgres(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	storetest.Run(t, openPostgres)
}
