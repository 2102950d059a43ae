package store

import (
	"context"

	"github.com/khidi/khidi/internal/program"
)

// organizations maps program.Organization onto its table.
var organizations = &table[program.Organization]{
	name: "organizations",
	kind: "organization",
	columns: []string{"id", "name", "sector", "region", "city", "lat", "lon", "country", "timezone",
		"themes", "languages", "experienced", "intern_capacity", "visitor_capacity",
		"availability", "blackout_dates", "email"},
	id: func(o *program.Organization) string { return string(o.ID) },
	args: func(o *program.Organization) []any {
		return []any{string(o.ID), o.Name, string(o.Sector), o.Region, o.City, o.Lat, o.Lon, o.Country, o.TimeZone,
			asJSON(&o.Themes), asJSON(&o.Languages), o.Experienced, o.InternCapacity, o.VisitorCapacity,
			asJSON(&o.Availability), asJSON(&o.Blackouts), o.Email}
	},
	scan: func(o *program.Organization) []any {
		return []any{&o.ID, &o.Name, &o.Sector, &o.Region, &o.City, &o.Lat, &o.Lon, &o.Country, &o.TimeZone,
			asJSON(&o.Themes), asJSON(&o.Languages), &o.Experienced, &o.InternCapacity, &o.VisitorCapacity,
			asJSON(&o.Availability), asJSON(&o.Blackouts), &o.Email}
	},
}

// Organization returns the organisation with the given id, or an error
// matching program.ErrNotFound.
func (db *DB) Organization(ctx context.Context, id program.OrgID) (program.Organization, error) {
	return organizations.get(ctx, db.db, string(id))
}

// Organizations returns every organisation, ordered by id.
func (db *DB) Organizations(ctx context.Context) ([]program.Organization, error) {
	return organizations.list(ctx, db.db)
}
