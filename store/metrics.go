package store

import (
	"context"

	"github.com/khidi/khidi/internal/program"
)

// OfferCounts returns how many matches are in each status, over every
// round, in one grouped query: what the service's metrics show as offers
// by state. Statuses no match is in are absent from the map.
func (db *DB) OfferCounts(ctx context.Context) (map[program.OfferStatus]int, error) {
	type row struct {
		status program.OfferStatus
		n      int
	}
	rows, err := queryRows(ctx, db.db, "SELECT status, count(*) FROM matches GROUP BY status", nil,
		func(r *row) []any { return []any{&r.status, &r.n} })
	if err != nil {
		return nil, wrap(err, "store: count offers by status", "")
	}
	counts := make(map[program.OfferStatus]int, len(rows))
	for _, r := range rows {
		counts[r.status] = r.n
	}
	return counts, nil
}
