package storetest

import (
	"fmt"
	"testing"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// runMetrics is the part of the suite about the counts the service's
// metrics show.
func runMetrics(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("OfferCounts", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 3, 5)
		ctx := t.Context()
		if got, err := db.OfferCounts(ctx); err != nil || len(got) != 0 {
			t.Fatalf("OfferCounts with no matches = %v, %v; want none", got, err)
		}

		// A published round with one offer of each decision and one left
		// open, and a second round only proposed.
		var prop store.Proposal
		for h := range 3 {
			prop.Places = append(prop.Places, program.Place{ID: fmt.Sprintf("o-%d", h+1), Capacity: 5})
		}
		people := []program.ParticipantID{"p-00000", "p-00001", "p-00002", "p-00003", "p-00004"}
		for i, p := range people {
			prop.Matches = append(prop.Matches, program.Match{ParticipantID: p, HostID: program.OrgID(prop.Places[i%3].ID), Status: program.OfferProposed})
		}
		offers := publish(t, db, round.ID, prop)
		for i, to := range []program.OfferStatus{program.OfferAccepted, program.OfferDeclined, program.OfferExpired, program.OfferWithdrawn} {
			if _, err := db.DecideOffer(ctx, store.Decision{Match: offers[i].ID, To: to}); err != nil {
				t.Fatalf("decide offer %d %s: %v", offers[i].ID, to, err)
			}
		}
		next, err := db.CreateRound(ctx, program.Round{Name: "next", Kind: program.RoundInternship, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		prop.Matches = prop.Matches[:2]
		if err := db.SaveProposal(ctx, next.ID, prop); err != nil {
			t.Fatal(err)
		}

		got, err := db.OfferCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "OfferCounts", got, map[program.OfferStatus]int{
			program.OfferProposed: 2, program.OfferOffered: 1, program.OfferAccepted: 1,
			program.OfferDeclined: 1, program.OfferExpired: 1, program.OfferWithdrawn: 1,
		})
	})
}
