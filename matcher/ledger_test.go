package matcher_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/khidi/khidi/internal/demodata"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher"
)

// TestLedgerRefill answers a published round offer by offer, as hosts do,
// and after every decline, expiry or withdrawal checks the ledger's refill
// against RepairRound, the full two-phase re-solve of every match (an
// independent oracle: it explains, so it never takes the FillFreed
// shortcut): the same number of new offers, of the same total score,
// nothing withdrawn, and the freed pair never offered again. A ledger kept
// up to date by Record must also refill as one built afresh does.
func TestLedgerRefill(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		kind program.RoundKind
		seed uint64
	}{
		{"internships", program.RoundInternship, 1},
		{"community visits", program.RoundCommunityVisit, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := demoInput(tc.seed, tc.kind, matcher.Settings{})
			prop := mustPropose(t, in)
			all := offered(prop)
			plan, err := matcher.PrepareRepair(in)
			if err != nil {
				t.Fatal(err)
			}
			ledger := plan.Ledger(all)
			rng := rand.New(rand.NewPCG(tc.seed, 17))
			refilled := 0
			for step := range 25 {
				// Some acceptances, which the ledger is not told of.
				for range 3 {
					if i := rng.IntN(len(all)); all[i].Status == program.OfferOffered {
						all[i].Status = program.OfferAccepted
					}
				}
				i := rng.IntN(len(all))
				for all[i].Status.Leaves() {
					i = rng.IntN(len(all))
				}
				all[i].Status = []program.OfferStatus{program.OfferDeclined, program.OfferExpired, program.OfferWithdrawn}[rng.IntN(3)]
				freed := all[i]

				got, ok, err := ledger.Refill(freed)
				if err != nil || !ok {
					t.Fatalf("step %d: Refill(%d) = %v, %v; want the shortcut to apply", step, freed.ID, ok, err)
				}
				want, err := matcher.RepairRound(in, all)
				if err != nil {
					t.Fatal(err)
				}
				if len(want.Withdrawn) != 0 || len(got) != len(want.New) || math.Abs(score(got)-score(want.New)) > 1e-9 {
					t.Fatalf("step %d: refill offers %d of score %v; RepairRound %d of score %v, withdrawing %d",
						step, len(got), score(got), len(want.New), score(want.New), len(want.Withdrawn))
				}
				afresh, ok, err := plan.Ledger(all).Refill()
				if err != nil || !ok || len(afresh) != len(got) || math.Abs(score(afresh)-score(got)) > 1e-9 {
					t.Fatalf("step %d: a new ledger refills %d of score %v (%v, %v); the kept one %d of score %v",
						step, len(afresh), score(afresh), ok, err, len(got), score(got))
				}
				for _, m := range got {
					if m.ParticipantID == freed.ParticipantID && m.Place() == freed.Place() {
						t.Fatalf("step %d: the freed pair %s:%s is offered again", step, m.ParticipantID, m.Place())
					}
					m.ID, m.Status = program.MatchID(len(all)+1), program.OfferOffered
					all = append(all, m)
				}
				refilled += len(got)
				ledger.Record([]program.Match{freed}, got)
			}
			if refilled == 0 {
				t.Error("no repair offered anyone: the test needs freed places that can be filled")
			}
		})
	}
}

// TestLedgerRefillDeclines checks the cases the shortcut must leave to a
// full repair.
func TestLedgerRefillDeclines(t *testing.T) {
	t.Parallel()
	in := demoInput(1, program.RoundInternship, matcher.Settings{})
	prop := mustPropose(t, in)
	all := offered(prop)
	plan, err := matcher.PrepareRepair(in)
	if err != nil {
		t.Fatal(err)
	}
	declined := all[0]
	declined.Status = program.OfferDeclined
	stranger := declined
	stranger.ParticipantID = "nobody-here"
	strangerOpen := stranger
	strangerOpen.Status = program.OfferOffered

	// A round with a host over its places: keeping every offer is
	// impossible, so the shortcut does not apply.
	offersTo := map[program.OrgID]int{}
	for _, m := range all[1:] {
		offersTo[m.HostID]++
	}
	small := in
	small.Organizations = append([]program.Organization(nil), in.Organizations...)
	for i, o := range small.Organizations {
		if o.ID != declined.HostID && offersTo[o.ID] >= 2 {
			small.Organizations[i].InternCapacity = 1
			break
		}
	}
	smallPlan, err := matcher.PrepareRepair(small)
	if err != nil {
		t.Fatal(err)
	}
	quotaIn := in
	quotaIn.Settings.Quotas = []matcher.Quota{{Regions: []string{"Tbilisi"}, Max: 0.9}}
	quotaPlan, err := matcher.PrepareRepair(quotaIn)
	if err != nil {
		t.Fatal(err)
	}
	twice := plan.Ledger(all)
	twice.Record([]program.Match{declined}, nil)

	for _, tc := range []struct {
		name   string
		ledger *matcher.Ledger
		freed  []program.Match
	}{
		{"freed offer not in the round", plan.Ledger(all), []program.Match{stranger}},
		{"freed offer already left", twice, []program.Match{declined}},
		{"freed offer named twice", plan.Ledger(all), []program.Match{declined, declined}},
		{"host over its places", smallPlan.Ledger(all), []program.Match{declined}},
		{"quotas", quotaPlan.Ledger(all), []program.Match{declined}},
		{"an open offer whose person left", plan.Ledger(append(all[:len(all):len(all)], strangerOpen)), []program.Match{declined}},
	} {
		if got, ok, err := tc.ledger.Refill(tc.freed...); ok || err != nil || got != nil {
			t.Errorf("%s: Refill = %v, %v, %v; want no shortcut", tc.name, got, ok, err)
		}
	}
}

// offered returns prop's matches as the offers of a published round,
// numbered from 1.
func offered(prop *matcher.Proposal) []program.Match {
	all := make([]program.Match, len(prop.Matches))
	for i, m := range prop.Matches {
		m.ID, m.Status = program.MatchID(i+1), program.OfferOffered
		all[i] = m
	}
	return all
}

func score(ms []program.Match) float64 {
	s := 0.0
	for _, m := range ms {
		s += m.Score
	}
	return s
}

// BenchmarkDecline measures the repair after one decline on the round the
// host load benchmark answers (200 hosts of 25 places, 20,000 people): from
// every match (RepairPlan.Repair, FillFreed over all candidates) and from
// a ledger (Refill over the candidates of the host with room).
func BenchmarkDecline(b *testing.B) {
	prog := demodata.Generate(demodata.Config{Seed: 1, Hosts: 200, Participants: 20_000, RegionalCSOs: -1, Partners: -1, Communities: -1})
	for i := range prog.Organizations {
		prog.Organizations[i].Experienced = true
		prog.Organizations[i].InternCapacity = 25
	}
	in := matcher.Input{Kind: program.RoundInternship, Organizations: prog.Organizations, Participants: prog.Participants}
	prop, err := matcher.Propose(in)
	if err != nil {
		b.Fatal(err)
	}
	all := offered(prop)
	plan, err := matcher.PrepareRepair(in)
	if err != nil {
		b.Fatal(err)
	}
	ledger := plan.Ledger(all)
	all[len(all)/2].Status = program.OfferDeclined
	freed := all[len(all)/2]
	b.Run("every-match", func(b *testing.B) {
		for b.Loop() {
			if rep, err := plan.Repair(all); err != nil || len(rep.New) != 1 {
				b.Fatal(rep, err)
			}
		}
	})
	b.Run("ledger", func(b *testing.B) {
		for b.Loop() {
			if got, ok, err := ledger.Refill(freed); err != nil || !ok || len(got) != 1 {
				b.Fatal(got, ok, err)
			}
		}
	})
}
