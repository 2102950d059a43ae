// Package ingest stores what internal/importer read, all or nothing, for
// `khidi import` and the manager API's POST /api/import: it checks the
// records' references against the organisations already stored, and only
// when no file had a problem writes every record in one transaction. The
// importer stays pure (it touches no database); this package is the step
// that does, so that the command line and the service cannot drift apart
// in what they accept.
package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/khidi/khidi/internal/importer"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// Store is what storing imported records needs of the database; *store.DB
// has it.
type Store interface {
	Organizations(ctx context.Context) ([]program.Organization, error)
	Upsert(ctx context.Context, r store.Records) error
}

// Save checks the references of the records read into set against the
// organisations st holds and, unless dryRun, writes the records to st in
// one transaction. problems are those found while reading the files.
//
// When problems, or the references, hold anything, Save writes nothing and
// returns every problem as one program.ErrorList, sorted by file and line.
// A write the database refuses (a clash between records) is returned
// wrapped, matching program.ErrInvalid or program.ErrConflict, and then,
// too, nothing is written. Save returns the records checked, which on
// success are the records written (or, on a dry run, that would be).
func Save(ctx context.Context, st Store, set *importer.Set, problems program.ErrorList, dryRun bool) (store.Records, error) {
	stored, err := st.Organizations(ctx)
	if err != nil {
		return store.Records{}, fmt.Errorf("ingest: load the stored organisations: %w", err)
	}
	known := make(map[program.OrgID]bool, len(stored))
	for _, o := range stored {
		known[o.ID] = true
	}
	all := append(program.ErrorList(nil), problems...)
	if err := set.CheckReferences(func(id program.OrgID) bool { return known[id] }); err != nil {
		var l program.ErrorList
		if !errors.As(err, &l) {
			return store.Records{}, fmt.Errorf("ingest: check references: %w", err)
		}
		all = append(all, l...)
	}
	if len(all) > 0 {
		all.Sort()
		return store.Records{}, all.Err()
	}
	recs := store.Records{Organizations: set.Organizations, Participants: set.Participants, Communities: set.Communities}
	if dryRun {
		return recs, nil
	}
	if err := st.Upsert(ctx, recs); err != nil {
		return store.Records{}, fmt.Errorf("ingest: %w", err)
	}
	return recs, nil
}
