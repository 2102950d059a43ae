package store

import (
	"context"

	"github.com/khidi/khidi/internal/program"
)

// participants maps program.Participant onto its table. An empty
// OrganizationID is stored as NULL, so the foreign key accepts it.
var participants = &table[program.Participant]{
	name: "participants",
	kind: "participant",
	columns: []string{"id", "name", "email", "role", "organization_id", "region", "city", "lat", "lon",
		"themes", "languages", "experience_years", "available_from", "available_to", "preferences"},
	id: func(p *program.Participant) string { return string(p.ID) },
	args: func(p *program.Participant) []any {
		return []any{string(p.ID), p.Name, p.Email, string(p.Role), asNullText(&p.OrganizationID), p.Region, p.City, p.Lat, p.Lon,
			asJSON(&p.Themes), asJSON(&p.Languages), p.ExperienceYears, p.AvailableFrom, p.AvailableTo, asJSON(&p.Preferences)}
	},
	scan: func(p *program.Participant) []any {
		return []any{&p.ID, &p.Name, &p.Email, &p.Role, asNullText(&p.OrganizationID), &p.Region, &p.City, &p.Lat, &p.Lon,
			asJSON(&p.Themes), asJSON(&p.Languages), &p.ExperienceYears, &p.AvailableFrom, &p.AvailableTo, asJSON(&p.Preferences)}
	},
}

// Participant returns the participant with the given id, or an error
// matching program.ErrNotFound.
func (db *DB) Participant(ctx context.Context, id program.ParticipantID) (program.Participant, error) {
	return participants.get(ctx, db.db, string(id))
}

// Participants returns every participant, ordered by id.
func (db *DB) Participants(ctx context.Context) ([]program.Participant, error) {
	return participants.list(ctx, db.db)
}

// ParticipantsByID returns the participants with the given ids, ordered by
// id; ids not stored are left out. A page showing many people asks once.
func (db *DB) ParticipantsByID(ctx context.Context, ids []program.ParticipantID) ([]program.Participant, error) {
	var out []program.Participant
	for start := 0; start < len(ids); start += db.dialect.maxParams / 2 {
		chunk := ids[start:min(start+db.dialect.maxParams/2, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = string(id)
		}
		ps, err := participants.query(ctx, db.db, "WHERE id IN ("+placeholders(len(chunk))+") ORDER BY id", args...)
		if err != nil {
			return nil, wrap(err, "store: participants", string(chunk[0]))
		}
		out = append(out, ps...)
	}
	return out, nil
}
