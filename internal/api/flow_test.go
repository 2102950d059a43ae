package api

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
)

// TestFlow runs a programme manager's year through the API on each engine:
// import, run a round, read it and its explanations, pin and exclude and
// run it again, publish, follow its state, withdraw an offer, lay out the
// year, read calendars, issue and revoke tokens, close the round.
func TestFlow(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, engine.DSN(t))
			ctx := t.Context()
			adminTok, err := access.Check(ctx, e.db, e.admin, program.TokenAdmin, clock)
			if err != nil {
				t.Fatal(err)
			}
			actor := access.Actor(adminTok)

			// Import, then a dry run of the same file, which writes nothing.
			p := e.importDemo(3)
			body, _ := demoJSON(t, 3)
			var dry importReport
			e.callJSON("POST", "/api/import?dry_run=true", body, http.StatusOK, &dry)
			if dry.Written || dry.Participants != len(p.Participants) {
				t.Errorf("dry run = %+v, want the same counts, not written", dry)
			}

			// Run a round.
			created := e.call("POST", "/api/rounds", `{"kind":"internship","name":"სტაჟირება 2027","seed":3}`, http.StatusCreated)
			var run runResponse
			created.decode(t, &run)
			id := run.Round.ID
			if run.Round.Status != program.RoundProposed || run.Summary.Matched == 0 || run.Round.Name != "სტაჟირება 2027" {
				t.Fatalf("POST /api/rounds = %+v, want a named proposed round with matches", run)
			}
			if loc := created.header.Get("Location"); loc != fmt.Sprintf("%s/api/rounds/%d", testBase, id) {
				t.Errorf("Location = %q", loc)
			}
			var list struct{ Rounds []program.Round }
			e.callJSON("GET", "/api/rounds", "", http.StatusOK, &list)
			if len(list.Rounds) != 1 || list.Rounds[0].ID != id {
				t.Errorf("GET /api/rounds = %+v, want the one round", list.Rounds)
			}

			// Read it: every match with a breakdown explains its score.
			view := e.readRound(id)
			if len(view.Matches) != run.Summary.Matches {
				t.Fatalf("GET round: %d matches, summary says %d", len(view.Matches), run.Summary.Matches)
			}
			for _, m := range view.Matches {
				sum := 0.0
				for _, c := range m.Contributions {
					sum += c.Value
				}
				if len(m.Contributions) != matcher.NumFeatures || math.Abs(sum-m.Score) > 1e-9 {
					t.Fatalf("match %d: contributions %v add up to %v, want %d features adding up to the score %v",
						m.ID, m.Contributions, sum, matcher.NumFeatures, m.Score)
				}
			}

			// Explain it, and find a pair to exclude and one to pin: a
			// matched person's pair, and an unmatched person's best host.
			ex := e.explain(id, "")
			if len(ex.Explanations) != ex.Summary.Eligible || ex.Summary.Unmatched == 0 {
				t.Fatalf("explanations: %d for %d eligible, %d unmatched; want one each and someone unmatched",
					len(ex.Explanations), ex.Summary.Eligible, ex.Summary.Unmatched)
			}
			var exclude, pin matcher.Pair
			for _, x := range ex.Explanations {
				switch {
				case exclude.Who == "" && len(x.Matched) > 0:
					exclude = matcher.Pair{Who: x.LeftID, Where: x.Matched[0].RightID}
				case pin.Who == "" && x.Unmatched != nil && len(x.Unmatched.Hosts) > 0:
					pin = matcher.Pair{Who: x.LeftID, Where: x.Unmatched.Hosts[0].RightID}
				}
			}
			if exclude.Who == "" || pin.Who == "" {
				t.Fatalf("no pair to exclude (%v) or to pin (%v)", exclude, pin)
			}
			if one := e.explain(id, exclude.Who); len(one.Explanations) != 1 || one.Explanations[0].LeftID != exclude.Who {
				t.Errorf("explanations?who=%s = %+v, want that person's only", exclude.Who, one.Explanations)
			}

			// Pin and exclude, and run it again.
			var rerun runResponse
			e.callJSON("POST", fmt.Sprintf("/api/rounds/%d/rerun", id),
				fmt.Sprintf(`{"pin":["%s"],"exclude":["%s"],"settings":{"threshold":0.1}}`, pin, exclude), http.StatusOK, &rerun)
			if rerun.Round.ID != id || rerun.Round.Status != program.RoundProposed {
				t.Fatalf("rerun = %+v, want round %d, proposed", rerun.Round, id)
			}
			view = e.readRound(id)
			_, settings, err := rounds.Options(view.Round)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(settings.Pins, []matcher.Pair{pin}) || !slices.Equal(settings.Exclusions, []matcher.Pair{exclude}) || settings.Threshold != 0.1 {
				t.Errorf("settings after rerun = %+v, want pin %v, exclusion %v, threshold 0.1", settings, pin, exclude)
			}
			if !hasPair(view.Matches, pin) || hasPair(view.Matches, exclude) {
				t.Errorf("after rerun: pinned pair matched %v, excluded pair matched %v; want true, false",
					hasPair(view.Matches, pin), hasPair(view.Matches, exclude))
			}
			// The round explains itself again: its stored input is the new one.
			e.explain(id, pin.Who)

			// Publish: every host gets a working link, shown once.
			deadline := clock.Add(7 * 24 * time.Hour)
			var pub struct {
				Round program.Round
				Links []hostLink
			}
			e.callJSON("POST", fmt.Sprintf("/api/rounds/%d/publish", id), fmt.Sprintf(`{"deadline":%q}`, deadline.Format(time.RFC3339)), http.StatusOK, &pub)
			if pub.Round.Status != program.RoundPublished || len(pub.Links) == 0 {
				t.Fatalf("publish = %+v, want a published round and links", pub)
			}
			for _, l := range pub.Links {
				tok, err := access.Check(ctx, e.db, l.Token, program.TokenHost, clock)
				if err != nil || tok.Subject != string(l.Host) || l.URL != testBase+"/host/"+l.Token {
					t.Errorf("link %+v: Check = %+v, %v; want the host's token at %s/host/TOKEN", l, tok, err, testBase)
				}
			}
			e.checkAudit(id, "round.published", actor)
			e.call("POST", fmt.Sprintf("/api/rounds/%d/publish", id), fmt.Sprintf(`{"deadline":%q}`, deadline.Format(time.RFC3339)), http.StatusConflict)
			e.call("POST", fmt.Sprintf("/api/rounds/%d/rerun", id), "", http.StatusConflict)

			// State: every offer counted at its place.
			var state struct{ Places []offers.HostState }
			e.callJSON("GET", fmt.Sprintf("/api/rounds/%d/state", id), "", http.StatusOK, &state)
			offered := 0
			for _, h := range state.Places {
				offered += h.Offered
			}
			if offered != len(view.Matches) {
				t.Errorf("state counts %d open offers, want %d", offered, len(view.Matches))
			}

			// Withdraw an offer: the round is repaired at once.
			victim := view.Matches[0]
			var wd withdrawResponse
			e.callJSON("POST", fmt.Sprintf("/api/offers/%d/withdraw", victim.ID), `{"reason":"dropped out"}`, http.StatusOK, &wd)
			if wd.Offer.Status != program.OfferWithdrawn || wd.Offer.Reason != "dropped out" {
				t.Errorf("withdraw = %+v, want the offer withdrawn with its reason", wd.Offer)
			}
			if len(wd.Offered) == 0 {
				t.Errorf("withdrawing offer %d offered the place to nobody; the demo has people without an offer", victim.ID)
			}
			for _, m := range wd.Offered {
				if m.Status != program.OfferOffered || m.Place() != victim.Place() {
					t.Errorf("repair offered %+v, want an open offer at %s, the place freed", m, victim.Place())
				}
			}
			e.checkAudit(id, "offer.withdrawn", actor)
			e.call("POST", "/api/offers/99999999/withdraw", "", http.StatusNotFound)

			// Lay out the year from the offers, twice: the second run keeps
			// everything.
			var sched scheduleReport
			e.callJSON("POST", "/api/schedule", `{"year":2027,"proposed":true}`, http.StatusOK, &sched)
			if sched.Events == 0 || sched.New != sched.Events || !sched.Written {
				t.Fatalf("schedule = %+v, want new events, written", sched)
			}
			e.callJSON("POST", "/api/schedule", `{"year":2027,"proposed":true}`, http.StatusOK, &sched)
			if sched.New != 0 || sched.Unchanged != sched.Events {
				t.Errorf("schedule again = %+v, want every event unchanged", sched)
			}

			// Calendars: the programme's, a participant's, a host's.
			open := view.Matches[1]
			for _, path := range []string{
				"/api/calendars/programme.ics?year=2027",
				"/api/calendars/people/" + string(open.ParticipantID) + ".ics?year=2027",
				"/api/calendars/orgs/" + string(open.HostID) + ".ics?year=2027",
			} {
				res := e.call("GET", path, "", http.StatusOK)
				if ct := res.header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" || !strings.HasPrefix(string(res.body), "BEGIN:VCALENDAR") ||
					!strings.Contains(string(res.body), "BEGIN:VEVENT") {
					t.Errorf("GET %s: %q, %.200q; want a calendar with events", path, ct, res.body)
				}
			}
			e.call("GET", "/api/calendars/people/nobody.ics?year=2027", "", http.StatusNotFound)
			e.call("GET", "/api/calendars/people/"+string(open.ParticipantID)+"?year=2027", "", http.StatusNotFound)
			e.call("GET", "/api/calendars/programme.ics?year=twenty", "", http.StatusBadRequest)

			// Tokens: a feed for the participant, an admin token that is
			// revoked after use.
			var feedTok access.Issued
			e.callJSON("POST", "/api/tokens", fmt.Sprintf(`{"kind":"feed","subject":%q,"note":"phone"}`, open.ParticipantID), http.StatusCreated, &feedTok)
			if feedTok.FeedURL != testBase+"/calendars/"+feedTok.Token+".ics" || !feedTok.ExpiresAt.IsZero() {
				t.Errorf("feed token = %+v, want its URL under %s and no expiry", feedTok, testBase)
			}
			if _, err := access.Check(ctx, e.db, feedTok.Token, program.TokenFeed, clock); err != nil {
				t.Errorf("the feed token does not check: %v", err)
			}
			listed := e.call("GET", "/api/tokens?subject="+string(open.ParticipantID), "", http.StatusOK)
			if !strings.Contains(string(listed.body), feedTok.ID) || strings.Contains(string(listed.body), feedTok.Token[16:]) {
				t.Errorf("GET /api/tokens = %s, want the feed token's record without its secret", listed.body)
			}
			var second access.Issued
			e.callJSON("POST", "/api/tokens", `{"kind":"admin","expires_in_days":1}`, http.StatusCreated, &second)
			if !second.ExpiresAt.Equal(clock.Add(24 * time.Hour)) {
				t.Errorf("admin token expires %v, want a day after %v", second.ExpiresAt, clock)
			}
			if res := e.do(request{method: "GET", path: "/api/rounds", token: second.Token}); res.status != http.StatusOK {
				t.Fatalf("the new admin token is refused: %d", res.status)
			}
			e.call("DELETE", "/api/tokens/"+second.ID, "", http.StatusNoContent)
			if res := e.do(request{method: "GET", path: "/api/rounds", token: second.Token}); res.status != http.StatusUnauthorized {
				t.Errorf("a revoked admin token answered %d, want 401", res.status)
			}
			e.call("DELETE", "/api/tokens/0123456789abcdef", "", http.StatusNotFound)

			// The audit log tells who made and revoked the tokens, and
			// pages.
			var log struct {
				Entries []program.AuditEntry `json:"entries"`
				Next    int64                `json:"next"`
			}
			e.callJSON("GET", "/api/audit", "", http.StatusOK, &log)
			made := map[string]string{}
			for _, en := range log.Entries {
				if en.Action == "token.created" || en.Action == "token.revoked" {
					made[en.Action+" "+strings.Fields(en.Detail)[min(2, len(strings.Fields(en.Detail))-1)]] = en.Actor
				}
			}
			for _, key := range []string{"token.created " + feedTok.ID, "token.created " + second.ID, "token.revoked " + second.ID} {
				if made[key] != actor {
					t.Errorf("audit log: %q by %q, want by %s; the log: %+v", key, made[key], actor, log.Entries)
				}
			}
			if log.Next != 0 || len(log.Entries) < 4 {
				t.Errorf("GET /api/audit: %d entries, next %d; want the whole log on one page", len(log.Entries), log.Next)
			}
			var page struct {
				Entries []program.AuditEntry `json:"entries"`
				Next    int64                `json:"next"`
			}
			e.callJSON("GET", fmt.Sprintf("/api/audit?after=%d&limit=2", log.Entries[0].ID), "", http.StatusOK, &page)
			if len(page.Entries) != 2 || page.Entries[0].ID != log.Entries[1].ID || page.Next != log.Entries[2].ID {
				t.Errorf("the audit log's second page of 2: %+v; want entries 2 and 3, next %d", page, log.Entries[2].ID)
			}
			e.call("GET", "/api/audit?limit=0", "", http.StatusBadRequest)

			// Close: open offers are withdrawn, and a closed round stays so.
			var closed struct{ Round program.Round }
			e.callJSON("POST", fmt.Sprintf("/api/rounds/%d/close", id), "", http.StatusOK, &closed)
			if closed.Round.Status != program.RoundClosed {
				t.Errorf("close = %+v, want closed", closed.Round)
			}
			e.checkAudit(id, "round.closed", actor)
			e.call("POST", fmt.Sprintf("/api/rounds/%d/close", id), "", http.StatusConflict)
			for _, m := range e.readRound(id).Matches {
				if m.Status == program.OfferOffered {
					t.Errorf("offer %d still open after closing", m.ID)
				}
			}
		})
	}
}

// readRound reads GET /api/rounds/{id}.
func (e *testEnv) readRound(id program.RoundID) roundView {
	e.t.Helper()
	var view roundView
	e.callJSON("GET", fmt.Sprintf("/api/rounds/%d", id), "", http.StatusOK, &view)
	return view
}

// explain reads GET /api/rounds/{id}/explanations, for who alone when
// given.
func (e *testEnv) explain(id program.RoundID, who string) explanationsView {
	e.t.Helper()
	path := fmt.Sprintf("/api/rounds/%d/explanations", id)
	if who != "" {
		path += "?who=" + who
	}
	var ex explanationsView
	e.callJSON("GET", path, "", http.StatusOK, &ex)
	return ex
}

// checkAudit fails the test unless round id's audit log records action by
// actor.
func (e *testEnv) checkAudit(id program.RoundID, action, actor string) {
	e.t.Helper()
	log, err := e.db.Audit(e.t.Context(), store.AuditQuery{Round: id})
	if err != nil {
		e.t.Fatal(err)
	}
	if !slices.ContainsFunc(log, func(a program.AuditEntry) bool { return a.Action == action && a.Actor == actor }) {
		e.t.Errorf("round %d's audit log lacks %s by %s: %+v", id, action, actor, log)
	}
}

// hasPair reports whether ms match p's person to p's place.
func hasPair(ms []matchView, p matcher.Pair) bool {
	return slices.ContainsFunc(ms, func(m matchView) bool { return string(m.ParticipantID) == p.Who && m.Place() == p.Where })
}
