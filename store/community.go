package store

import (
	"context"

	"github.com/khidi/khidi/internal/program"
)

// communities maps program.Community onto its table.
var communities = &table[program.Community]{
	name:    "communities",
	kind:    "community",
	columns: []string{"id", "name", "region", "lat", "lon", "needs", "visits_per_year"},
	id:      func(c *program.Community) string { return string(c.ID) },
	args: func(c *program.Community) []any {
		return []any{string(c.ID), c.Name, c.Region, c.Lat, c.Lon, asJSON(&c.Needs), c.VisitsPerYear}
	},
	scan: func(c *program.Community) []any {
		return []any{&c.ID, &c.Name, &c.Region, &c.Lat, &c.Lon, asJSON(&c.Needs), &c.VisitsPerYear}
	},
}

// Community returns the community with the given id, or an error matching
// program.ErrNotFound.
func (db *DB) Community(ctx context.Context, id program.CommunityID) (program.Community, error) {
	return communities.get(ctx, db.db, string(id))
}

// Communities returns every community, ordered by id.
func (db *DB) Communities(ctx context.Context) ([]program.Community, error) {
	return communities.list(ctx, db.db)
}
