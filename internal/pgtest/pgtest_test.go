package pgtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	_ "github.com/lib/pq"

	"github.com/khidi/khidi/internal/pgtest"
)

// prepared counts the runs of the template hook.
var prepared atomic.Int32

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, func(ctx context.Context, dsn string) error {
		prepared.Add(1)
		db, err := sql.Open("postgres", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, `CREATE TABLE migrated (id int PRIMARY KEY, note text NOT NULL);
			INSERT INTO migrated VALUES (1, 'from the template')`)
		return err
	}))
}

// open connects to a fresh database and closes the connection when t ends.
func open(t *testing.T) (*sql.DB, string) {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

// TestIsolation runs parallel tests that each make a table of their own and
// checks that none sees another's, while all see the template's schema.
func TestIsolation(t *testing.T) {
	names := make(chan string, 4)
	t.Run("group", func(t *testing.T) {
		for i := range cap(names) {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				db, _ := open(t)
				ctx := t.Context()

				var name string
				if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
					t.Fatal(err)
				}
				names <- name

				var note string
				if err := db.QueryRowContext(ctx, "SELECT note FROM migrated WHERE id = 1").Scan(&note); err != nil {
					t.Fatalf("template schema missing: %v", err)
				}
				if note != "from the template" {
					t.Errorf("template row = %q", note)
				}

				own := fmt.Sprintf("own_%d", i)
				if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (v int); INSERT INTO %[1]s VALUES (%d)", own, i)); err != nil {
					t.Fatal(err)
				}
				if _, err := db.ExecContext(ctx, "INSERT INTO migrated VALUES ($1, 'mine')", 100+i); err != nil {
					t.Fatal(err)
				}
				var tables []string
				rows, err := db.QueryContext(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						t.Fatal(err)
					}
					tables = append(tables, s)
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				if want := []string{"migrated", own}; fmt.Sprint(tables) != fmt.Sprint(want) {
					t.Errorf("tables = %v, want %v", tables, want)
				}
				var n int
				if err := db.QueryRowContext(ctx, "SELECT count(*) FROM migrated").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 2 {
					t.Errorf("migrated holds %d rows, want the template's and this test's", n)
				}
			})
		}
	})
	close(names)
	seen := map[string]bool{}
	for name := range names {
		if seen[name] {
			t.Errorf("database %s given to two tests", name)
		}
		seen[name] = true
	}
	if got := prepared.Load(); got != 1 {
		t.Errorf("template hook ran %d times, want once", got)
	}
}

// TestDropped checks that a test's database is gone once the test ends, even
// with a connection left open.
func TestDropped(t *testing.T) {
	var dsn string
	t.Run("use", func(t *testing.T) {
		db, d := open(t)
		dsn = d
		if err := db.PingContext(t.Context()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { // runs before open's Close: the drop must force it
			if err := db.PingContext(context.Background()); err != nil {
				t.Error(err)
			}
		})
	})
	if t.Skipped() || dsn == "" {
		return
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PingContext(t.Context()); err == nil {
		t.Errorf("database of a finished test still accepts connections")
	}
}
