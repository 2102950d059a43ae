package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// Filter narrows a candidate query. Empty fields do not narrow it.
type Filter struct {
	// Themes keeps records sharing at least one of these theme slugs
	// (an organisation's or participant's themes, a community's needs).
	Themes []string
	// Regions keeps records in one of these regions.
	Regions []string
}

// where returns the SQL conditions and arguments for f over a table whose
// themes are in column themes, each condition preceded by " AND ".
func (f Filter) where(d dialect, themes string) (string, []any) {
	var (
		sql  strings.Builder
		args []any
	)
	if len(f.Themes) > 0 {
		fmt.Fprintf(&sql, " AND EXISTS (SELECT 1 FROM "+d.jsonEach+" WHERE e.value IN (%s))", themes, placeholders(len(f.Themes)))
		for _, t := range f.Themes {
			args = append(args, t)
		}
	}
	if len(f.Regions) > 0 {
		fmt.Fprintf(&sql, " AND region IN (%s)", placeholders(len(f.Regions)))
		for _, r := range f.Regions {
			args = append(args, r)
		}
	}
	return sql.String(), args
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// HostCandidates returns the organisations that can host in a round of the
// given kind (a positive intern capacity for internships, a positive visitor
// capacity otherwise) and pass f, ordered by id. Community visits have no
// host organisations; use CommunityCandidates.
func (db *DB) HostCandidates(ctx context.Context, kind program.RoundKind, f Filter) ([]program.Organization, error) {
	op := fmt.Sprintf("store: %s host candidates", kind)
	var cond string
	switch kind {
	case program.RoundInternship:
		cond = "intern_capacity > 0"
	case program.RoundPeerExchange, program.RoundInternationalExchange, program.RoundStudyCircle:
		cond = "visitor_capacity > 0"
	default:
		return nil, fmt.Errorf("%s: round kind %q has no host organisations: %w", op, kind, program.ErrInvalid)
	}
	more, args := f.where(db.dialect, "themes")
	orgs, err := organizations.query(ctx, db.db, "WHERE "+cond+more+" ORDER BY id", args...)
	return orgs, wrap(err, op, "")
}

// ParticipantCandidates returns the participants with one of the given
// roles (any role when none is given) who pass f, ordered by id.
func (db *DB) ParticipantCandidates(ctx context.Context, roles []program.Role, f Filter) ([]program.Participant, error) {
	more, args := f.where(db.dialect, "themes")
	if len(roles) > 0 {
		more += " AND role IN (" + placeholders(len(roles)) + ")"
		for _, r := range roles {
			args = append(args, string(r))
		}
	}
	ps, err := participants.query(ctx, db.db, "WHERE 1 = 1"+more+" ORDER BY id", args...)
	return ps, wrap(err, "store: participant candidates", "")
}

// CommunityCandidates returns the communities that want visits and pass f
// (Themes matched against their needs), ordered by id.
func (db *DB) CommunityCandidates(ctx context.Context, f Filter) ([]program.Community, error) {
	more, args := f.where(db.dialect, "needs")
	cs, err := communities.query(ctx, db.db, "WHERE visits_per_year > 0"+more+" ORDER BY id", args...)
	return cs, wrap(err, "store: community candidates", "")
}
