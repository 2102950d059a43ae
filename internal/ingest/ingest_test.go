package ingest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/importer"
	"github.com/khidi/khidi/internal/ingest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// fakeStore is an ingest.Store made of functions.
type fakeStore struct {
	OrganizationsFunc func(ctx context.Context) ([]program.Organization, error)
	UpsertFunc        func(ctx context.Context, r store.Records) error
}

func (f *fakeStore) Organizations(ctx context.Context) ([]program.Organization, error) {
	return f.OrganizationsFunc(ctx)
}
func (f *fakeStore) Upsert(ctx context.Context, r store.Records) error { return f.UpsertFunc(ctx, r) }

const participantsCSV = "id,name,email,role,organization_id,region,city,lat,lon,themes,languages,experience_years,available_from,available_to,preferences\n" +
	"p-1,Nino,nino@example.ge,activist,o-stored,Imereti,Kutaisi,42.2,42.6,environment,ka,1,,,\n" +
	"p-2,Giorgi,giorgi@example.ge,activist,o-ghost,Imereti,Kutaisi,42.2,42.6,environment,ka,1,,,\n"

// newStore returns a store holding organisation o-stored that counts the
// upserts it is asked for.
func newStore(upserts *int) *fakeStore {
	return &fakeStore{
		OrganizationsFunc: func(context.Context) ([]program.Organization, error) {
			return []program.Organization{{ID: "o-stored"}}, nil
		},
		UpsertFunc: func(context.Context, store.Records) error { *upserts++; return nil },
	}
}

func TestSave(t *testing.T) {
	readProblem := &program.InputError{File: "a.csv", Line: 9, Field: "email", Msg: "read problem"}
	tests := []struct {
		name        string
		body        string
		problems    program.ErrorList
		dryRun      bool
		wantLines   []int // the lines of the problems reported, in order
		wantUpserts int
	}{
		{"stored reference passes", participantsCSV[:strings.Index(participantsCSV, "p-2")], nil, false, nil, 1},
		{"dry run writes nothing", participantsCSV[:strings.Index(participantsCSV, "p-2")], nil, true, nil, 0},
		{"unknown reference", participantsCSV, nil, false, []int{3}, 0},
		{"read problems and references together, sorted", participantsCSV, program.ErrorList{readProblem}, false, []int{3, 9}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var set importer.Set
			if err := set.Read("a.csv", strings.NewReader(tt.body), ""); err != nil {
				t.Fatal(err)
			}
			upserts := 0
			recs, err := ingest.Save(t.Context(), newStore(&upserts), &set, tt.problems, tt.dryRun)
			if upserts != tt.wantUpserts {
				t.Errorf("Save made %d upserts, want %d", upserts, tt.wantUpserts)
			}
			if tt.wantLines == nil {
				if err != nil || len(recs.Participants) != 1 {
					t.Fatalf("Save = %d participants, %v; want 1 and no error", len(recs.Participants), err)
				}
				return
			}
			var l program.ErrorList
			if !errors.As(err, &l) || !errors.Is(err, program.ErrInvalid) {
				t.Fatalf("Save = %v, want a program.ErrorList", err)
			}
			var lines []int
			for _, e := range l {
				lines = append(lines, e.Line)
			}
			if !slices.Equal(lines, tt.wantLines) {
				t.Errorf("Save reported lines %v, want %v", lines, tt.wantLines)
			}
		})
	}
}

func TestSaveStoreFailure(t *testing.T) {
	down := errors.New("database down")
	st := &fakeStore{
		OrganizationsFunc: func(context.Context) ([]program.Organization, error) { return nil, down },
		UpsertFunc:        func(context.Context, store.Records) error { t.Error("Upsert called after a failure"); return nil },
	}
	var set importer.Set
	if _, err := ingest.Save(t.Context(), st, &set, nil, false); !errors.Is(err, down) {
		t.Errorf("Save = %v, want the store's error wrapped", err)
	}
}
