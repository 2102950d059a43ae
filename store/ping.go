package store

import (
	"context"
	"fmt"
)

// Ping checks that the database answers, connecting if the pool holds no
// open connection. The service's readiness probe calls it, so a replica
// that has lost its database is taken out of rotation instead of failing
// every request; ctx bounds the wait.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", db.dialect.name, err)
	}
	return nil
}
