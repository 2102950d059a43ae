package api

import (
	"net/http"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// withdrawResponse is an offer withdrawn and what the round's repair
// changed.
type withdrawResponse struct {
	Offer program.Match `json:"offer"`
	// Offered are the new offers the repair made for the place freed.
	Offered []program.Match `json:"offered"`
	// Withdrawn are the open offers the repair withdrew to make room.
	Withdrawn []program.MatchID `json:"withdrawn"`
}

// withdrawOffer answers POST /api/offers/{id}/withdraw: a manager takes
// back an offer, open or accepted (a participant dropped out). Rounds of
// pairs are repaired in the same transaction, so the place freed is
// offered again at once.
func (a *api) withdrawOffer(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := pathID(r, "offer")
	if err != nil {
		return err
	}
	reason, err := readReason(r, "withdrawn by a manager")
	if err != nil {
		return err
	}
	out, err := a.d.Offers.Decide(r.Context(), store.Decision{Match: program.MatchID(id), To: program.OfferWithdrawn, Reason: reason, Actor: actor})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, withdrawResponse{Offer: out.Match, Offered: nonNil(out.Offered), Withdrawn: nonNil(out.Withdrawn)})
}
