package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// checkResult is one property of the round checked after the run.
type checkResult struct {
	name   string
	ok     bool
	detail string // the figures behind it, or the first violations
}

// maxListed is how many violations a failed check quotes.
const maxListed = 5

// leavesOffered reports whether an audit action takes an offer out of
// "offered": the hosts' two decisions, and the repair's and the expiry
// job's moves.
func leavesOffered(action string) bool {
	switch action {
	case "offer.accepted", "offer.declined", "offer.withdrawn", "offer.expired":
		return true
	}
	return false
}

// check reads round id back from the database, after the service has
// stopped, and checks what must hold however the answers interleaved:
//
//   - capacity: no place has more accepted offers than its capacity
//     (counted from the matches, not from the store's own counter, which
//     must agree);
//   - decided once: no offer has more than one decision (offer.accepted or
//     offer.declined) in the round's audit log;
//   - changed once: no offer left "offered" more than once (a decision, a
//     repair's withdrawal or an expiry: one of them at most), and every
//     offer's stored status is the one its log entry says, or still
//     offered without one;
//   - the hosts' view: every answer a host saw confirmed (a 303, and the
//     confirmation page's result when it loaded) is stored with that
//     decision, and every decision stored was confirmed to a host or
//     answers a request that timed out, so no answer was lost or invented.
func check(ctx context.Context, db *store.DB, id program.RoundID, res *results) ([]checkResult, error) {
	ms, err := db.RoundMatches(ctx, id)
	if err != nil {
		return nil, err
	}
	places, err := db.RoundPlaces(ctx, id)
	if err != nil {
		return nil, err
	}
	log, err := db.Audit(ctx, store.AuditQuery{Round: id})
	if err != nil {
		return nil, err
	}
	byID := make(map[program.MatchID]program.Match, len(ms))
	accepted := map[string]int{}
	for _, m := range ms {
		byID[m.ID] = m
		if m.Status == program.OfferAccepted {
			accepted[m.Place()]++
		}
	}
	decisions := map[program.MatchID][]string{}
	moves := map[program.MatchID][]string{}
	repairOffers := 0
	for _, e := range log {
		switch {
		case e.Action == "offer.accepted" || e.Action == "offer.declined":
			decisions[e.Match] = append(decisions[e.Match], e.Action)
		case e.Action == "offer.offered" && e.Detail == "repair":
			repairOffers++
		}
		if leavesOffered(e.Action) {
			moves[e.Match] = append(moves[e.Match], e.Action)
		}
	}
	return []checkResult{
		checkCapacity(places, accepted),
		checkDecidedOnce(decisions),
		checkChangedOnce(ms, moves, repairOffers),
		checkHostsView(res.answered, res.unanswered, byID, decisions),
	}, nil
}

// checkCapacity checks that no place holds more acceptances than places.
func checkCapacity(places []program.Place, accepted map[string]int) checkResult {
	c := checkResult{name: "no host over capacity", ok: true}
	var bad []string
	total, full := 0, 0
	for _, p := range places {
		n := accepted[p.ID]
		total += n
		if n == p.Capacity {
			full++
		}
		if n > p.Capacity || n != p.Accepted {
			bad = append(bad, fmt.Sprintf("%s: %d accepted (store counts %d) of %d places", p.ID, n, p.Accepted, p.Capacity))
		}
	}
	c.detail = fmt.Sprintf("%d places, %d acceptances, %d places full, none over", len(places), total, full)
	if len(bad) > 0 {
		c.ok, c.detail = false, listed(bad)
	}
	return c
}

// checkDecidedOnce checks that no offer has two decisions in the log.
func checkDecidedOnce(decisions map[program.MatchID][]string) checkResult {
	c := checkResult{name: "each offer decided at most once", ok: true}
	var bad []string
	for id, ds := range decisions {
		if len(ds) > 1 {
			bad = append(bad, fmt.Sprintf("offer %d: %s", id, strings.Join(ds, ", ")))
		}
	}
	c.detail = fmt.Sprintf("%d offers decided, each by one audit entry", len(decisions))
	if len(bad) > 0 {
		c.ok, c.detail = false, listed(bad)
	}
	return c
}

// checkChangedOnce checks that no offer left "offered" twice and that each
// is stored as its log says.
func checkChangedOnce(ms []program.Match, moves map[program.MatchID][]string, repairOffers int) checkResult {
	c := checkResult{name: "each offer changed at most once", ok: true}
	var bad []string
	withdrawn := 0
	for _, m := range ms {
		mv := moves[m.ID]
		want := program.OfferOffered
		switch len(mv) {
		case 0:
		case 1:
			want = program.OfferStatus(strings.TrimPrefix(mv[0], "offer."))
		default:
			bad = append(bad, fmt.Sprintf("offer %d left offered %d times: %s", m.ID, len(mv), strings.Join(mv, ", ")))
			continue
		}
		if m.Status != want {
			bad = append(bad, fmt.Sprintf("offer %d is %s, its log says %s", m.ID, m.Status, want))
		}
		if m.Status == program.OfferWithdrawn {
			withdrawn++
		}
	}
	c.detail = fmt.Sprintf("%d offers (%d made by repairs, %d withdrawn by repairs), each stored as its log says", len(ms), repairOffers, withdrawn)
	if len(bad) > 0 {
		c.ok, c.detail = false, listed(bad)
	}
	return c
}

// checkHostsView checks the answers the hosts saw confirmed against the
// decisions stored.
func checkHostsView(answered map[program.MatchID]answer, unanswered map[program.MatchID]bool, byID map[program.MatchID]program.Match, decisions map[program.MatchID][]string) checkResult {
	c := checkResult{name: "hosts' confirmations match the database", ok: true}
	var bad []string
	for id, a := range answered {
		m, ok := byID[id]
		var want []string
		if a.to == program.OfferAccepted {
			want = []string{"accepted"}
		} else {
			want = []string{"declined", "repaired"}
		}
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("offer %d was answered but is not in the round", id))
		case m.Status != a.to:
			bad = append(bad, fmt.Sprintf("offer %d: the host saw it %s, stored %s", id, a.to, m.Status))
		case a.result != "" && !slices.Contains(want, a.result):
			// "" is a confirmation that failed to load, counted with
			// the failed requests.
			bad = append(bad, fmt.Sprintf("offer %d: %s, but the confirmation said %q", id, a.to, a.result))
		}
	}
	unheard := 0
	for id := range decisions {
		switch _, ok := answered[id]; {
		case ok:
		case unanswered[id]:
			unheard++
		default:
			bad = append(bad, fmt.Sprintf("offer %d: decided in the database, never answered by a host", id))
		}
	}
	c.detail = fmt.Sprintf("%d answers confirmed to hosts, all stored as confirmed; %d stored for answers whose reply never came (time-outs); none stored unasked",
		len(answered), unheard)
	if len(bad) > 0 {
		c.ok, c.detail = false, listed(bad)
	}
	return c
}

// listed joins the first violations, sorted, saying how many there were.
func listed(bad []string) string {
	slices.Sort(bad)
	more := ""
	if len(bad) > maxListed {
		more = fmt.Sprintf(" (and %d more)", len(bad)-maxListed)
		bad = bad[:maxListed]
	}
	return strings.Join(bad, "; ") + more
}
