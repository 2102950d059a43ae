package rounds_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

// TestExplainAndRerun explains a stored round, runs it again with an
// exclusion, and checks that a changed programme or a published round is
// refused.
func TestExplainAndRerun(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, engine.DSN(t))
			p := storetest.Seed(t, db, demodata.Config{Seed: 6})
			ctx := t.Context()
			res, err := rounds.Run(ctx, db, rounds.Request{Kind: program.RoundCommunityVisit, Seed: 6}, time.Now)
			if err != nil {
				t.Fatal(err)
			}
			round, err := db.Round(ctx, res.Round.ID)
			if err != nil {
				t.Fatal(err)
			}

			// The stored round explains itself: the same proposal again.
			prop, err := rounds.Explain(ctx, db, round)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := db.RoundMatches(ctx, round.ID)
			if err != nil {
				t.Fatal(err)
			}
			pairs := func(ms []program.Match) []string {
				var out []string
				for _, m := range ms {
					out = append(out, string(m.ParticipantID)+string(m.VisitorID)+">"+m.Place())
				}
				slices.Sort(out)
				return out
			}
			if got, want := pairs(prop.Matches), pairs(stored); !slices.Equal(got, want) || len(prop.Explanations) != res.Proposal.Summary.Eligible {
				t.Fatalf("Explain proposes %d pairs (%d explained), the store holds %d (%d eligible); want the same pairs",
					len(got), len(prop.Explanations), len(want), res.Proposal.Summary.Eligible)
			}

			// Run again without one of its pairs: stored with the exclusion.
			first := res.Proposal.Matches[0]
			exclude := matcher.Pair{Who: string(first.ParticipantID), Where: first.Place()}
			w, s, err := rounds.Options(round)
			if err != nil {
				t.Fatal(err)
			}
			s.Exclusions = append(s.Exclusions, exclude)
			again, err := rounds.Rerun(ctx, db, round, w, s, time.Now)
			if err != nil {
				t.Fatal(err)
			}
			if again.Round.ID != round.ID || again.Round.Status != program.RoundProposed || again.Round.InputHash == round.InputHash {
				t.Errorf("Rerun = %+v, want round %d proposed from a new input", again.Round, round.ID)
			}
			if _, stored, err := rounds.Options(again.Round); err != nil || !slices.Equal(stored.Exclusions, []matcher.Pair{exclude}) {
				t.Errorf("stored exclusions = %v (%v), want %v", stored.Exclusions, err, exclude)
			}
			ms, err := db.RoundMatches(ctx, round.ID)
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(ms, func(m program.Match) bool {
				return m.ParticipantID == first.ParticipantID && m.Place() == first.Place()
			}) {
				t.Errorf("the excluded pair %v is still matched", exclude)
			}
			if _, err := rounds.Explain(ctx, db, again.Round); err != nil {
				t.Errorf("Explain after Rerun: %v", err)
			}

			// Another community changes the input: explaining is refused.
			c := p.Communities[0]
			c.ID, c.Name = "c-new", "New community"
			if err := db.Upsert(ctx, store.Records{Communities: []program.Community{c}}); err != nil {
				t.Fatal(err)
			}
			if _, err := rounds.Explain(ctx, db, again.Round); !errors.Is(err, program.ErrConflict) {
				t.Errorf("Explain after the programme changed = %v, want program.ErrConflict", err)
			}

			// A published round does not run again.
			if _, err := db.PublishRound(ctx, round.ID, time.Time{}, "tests", nil); err != nil {
				t.Fatal(err)
			}
			published, err := db.Round(ctx, round.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rounds.Rerun(ctx, db, published, w, s, time.Now); !errors.Is(err, program.ErrConflict) {
				t.Errorf("Rerun of a published round = %v, want program.ErrConflict", err)
			}
		})
	}
}

// TestOptionsDefaultWeights checks that a round stored without weights
// reads back with its kind's defaults, which the matcher computed it with.
func TestOptionsDefaultWeights(t *testing.T) {
	for _, kind := range program.AllRoundKinds() {
		w, _, err := rounds.Options(program.Round{ID: 1, Kind: kind})
		if err != nil || w != matcher.DefaultWeights(kind) {
			t.Errorf("%s round without weights: %v, %v; want the kind's defaults %v", kind, w, err, matcher.DefaultWeights(kind))
		}
	}
}
