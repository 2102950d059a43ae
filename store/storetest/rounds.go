package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// clock is the fixed instant the round tests stamp with, given with a
// nanosecond part and a zone to check that the store keeps UTC microseconds.
var clock = time.Date(2026, 11, 25, 13, 30, 15, 123456789, time.FixedZone("GET", 4*3600))

// stamped is clock as the store keeps it.
var stamped = clock.UTC().Truncate(time.Microsecond)

// runRounds is the part of the suite about rounds, matches and offers.
func runRounds(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("RoundLifecycle", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 2, 3)
		ctx := t.Context()
		if round.ID == 0 || round.Status != program.RoundDraft || !round.CreatedAt.Equal(stamped) {
			t.Fatalf("CreateRound = %+v, want an id, status draft, created at %v", round, stamped)
		}
		got, err := db.Round(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Round", got, round)

		places := []program.Place{{ID: "circle-1", Capacity: 8}, {ID: "o-1", Capacity: 2}, {ID: "o-2", Capacity: 1}}
		proposed := []program.Match{
			{ParticipantID: "p-1", HostID: "o-1", Status: program.OfferProposed, Score: 0.75, Breakdown: map[string]float64{"theme": 0.5, "language": 0.25}},
			{ParticipantID: "p-2", HostID: "o-2", Status: program.OfferProposed, Score: 0.5},
			{VisitorID: "o-2", HostID: "o-1", Status: program.OfferProposed, Score: 0.25},
			{ParticipantID: "p-0", Circle: 1, Status: program.OfferProposed, Score: 0.125},
		}
		const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
		if err := db.SaveProposal(ctx, round.ID, store.Proposal{InputHash: hash, SolverVersion: "khidi-test 1", Places: places, Matches: proposed}); err != nil {
			t.Fatal(err)
		}
		ms, err := db.RoundMatches(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != len(proposed) {
			t.Fatalf("RoundMatches: %d matches, want %d", len(ms), len(proposed))
		}
		for i := range ms {
			want := proposed[i]
			want.ID, want.RoundID = ms[i].ID, round.ID
			if ms[i].ID == 0 || i > 0 && ms[i].ID <= ms[i-1].ID {
				t.Errorf("match %d has id %d, want increasing ids", i, ms[i].ID)
			}
			check(t, fmt.Sprintf("match %d", i), ms[i], want)
		}
		got, err = db.Round(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != program.RoundProposed || got.InputHash != hash || got.SolverVersion != "khidi-test 1" {
			t.Errorf("after SaveProposal: status %q, hash %q, solver %q; want proposed, %q, khidi-test 1", got.Status, got.InputHash, got.SolverVersion, hash)
		}
		gotPlaces, err := db.RoundPlaces(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "RoundPlaces", gotPlaces, places)
		if offers, err := db.HostOffers(ctx, "o-1"); err != nil || len(offers) != 0 {
			t.Errorf("HostOffers before publishing = %v, %v; want none: hosts must not see proposals", offers, err)
		}

		deadline := time.Date(2026, 12, 10, 20, 0, 0, 0, time.UTC)
		link := program.AccessToken{ID: "0123456789abcdef", Kind: program.TokenHost, Subject: "o-1", SecretHash: make([]byte, 32)}
		published, err := db.PublishRound(ctx, round.ID, deadline, "cli", func(hosts []program.OrgID) ([]program.AccessToken, error) {
			if !slices.Equal(hosts, []program.OrgID{"o-1", "o-2"}) {
				t.Errorf("PublishRound asks links for %v, want the hosts of the matches, o-1 and o-2", hosts)
			}
			return []program.AccessToken{link}, nil
		})
		if err != nil || published.Status != program.RoundPublished {
			t.Fatalf("PublishRound = %+v, %v", published, err)
		}
		if got, err := db.Token(ctx, link.ID); err != nil || got.Subject != "o-1" || !got.CreatedAt.Equal(stamped) {
			t.Errorf("the host link published with the round: %+v, %v", got, err)
		}
		offers, err := db.HostOffers(ctx, "o-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(offers) != 2 || offers[0].ParticipantID != "p-1" || offers[1].VisitorID != "o-2" {
			t.Fatalf("HostOffers(o-1) = %+v, want p-1's and o-2's offers", offers)
		}
		for _, o := range offers {
			if o.Status != program.OfferOffered || !o.Deadline.Equal(deadline) {
				t.Errorf("offer %d: status %q, deadline %v; want offered, %v", o.ID, o.Status, o.Deadline, deadline)
			}
		}
		mine, err := db.ParticipantMatches(ctx, "p-2")
		if err != nil || len(mine) != 1 || mine[0].HostID != "o-2" {
			t.Errorf("ParticipantMatches(p-2) = %+v, %v; want the offer at o-2", mine, err)
		}

		// Published rounds keep their matches: no second proposal, no
		// second publication, no discarding.
		for what, err := range map[string]error{
			"SaveProposal":    db.SaveProposal(ctx, round.ID, store.Proposal{}),
			"PublishRound":    func() error { _, err := db.PublishRound(ctx, round.ID, deadline, "cli", nil); return err }(),
			"DiscardProposal": db.DiscardProposal(ctx, round.ID),
		} {
			if !errors.Is(err, program.ErrConflict) {
				t.Errorf("%s on a published round: got %v, want program.ErrConflict", what, err)
			}
		}

		if _, err := db.DecideOffer(ctx, store.Decision{Match: offers[0].ID, To: program.OfferAccepted}); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseRound(ctx, round.ID, "round closed", "cli"); err != nil {
			t.Fatal(err)
		}
		log, err := db.Audit(ctx, store.AuditQuery{Round: round.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Actor+" "+e.Action)
		}
		if want := []string{"cli round.published", " offer.accepted", "cli round.closed"}; !slices.Equal(actions, want) {
			t.Errorf("the round's audit log = %q, want %q", actions, want)
		}
		ms, err = db.RoundMatches(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []program.OfferStatus{program.OfferAccepted, program.OfferWithdrawn, program.OfferWithdrawn, program.OfferWithdrawn} {
			if ms[i].Status != want || !ms[i].DecidedAt.Equal(stamped) {
				t.Errorf("after CloseRound, match %d: %q decided %v; want %q decided %v", i, ms[i].Status, ms[i].DecidedAt, want, stamped)
			}
		}
		if _, err := db.Round(ctx, 9999); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("Round(9999): got %v, want program.ErrNotFound", err)
		}
	})

	t.Run("ProposalReplacedAndDiscarded", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 1, 3)
		ctx := t.Context()
		for _, p := range []program.ParticipantID{"p-1", "p-2"} {
			prop := store.Proposal{Places: []program.Place{{ID: "o-1", Capacity: 1}},
				Matches: []program.Match{{ParticipantID: p, HostID: "o-1", Status: program.OfferProposed}}}
			if err := db.SaveProposal(ctx, round.ID, prop); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := db.RoundMatches(ctx, round.ID)
		if err != nil || len(ms) != 1 || ms[0].ParticipantID != "p-2" {
			t.Fatalf("after a second proposal: %+v, %v; want only p-2's match", ms, err)
		}
		if err := db.DiscardProposal(ctx, round.ID); err != nil {
			t.Fatal(err)
		}
		r, err := db.Round(ctx, round.ID)
		if err != nil || r.Status != program.RoundDraft {
			t.Fatalf("after DiscardProposal: %+v, %v; want draft", r, err)
		}
		ms, _ = db.RoundMatches(ctx, round.ID)
		places, _ := db.RoundPlaces(ctx, round.ID)
		if len(ms) != 0 || len(places) != 0 {
			t.Fatalf("after DiscardProposal: %d matches, %d places; want none", len(ms), len(places))
		}
	})

	t.Run("ProposalIsAtomic", func(t *testing.T) {
		t.Parallel()
		const n = 5000 // several statements' worth on SQLite
		db, round := seededRound(t, open, 50, n)
		ctx := t.Context()
		prop := bigProposal(n, 50)
		prop.Matches[n-1].ParticipantID = "ghost" // breaks a foreign key, last
		if err := db.SaveProposal(ctx, round.ID, prop); !errors.Is(err, program.ErrInvalid) {
			t.Fatalf("proposal naming an unknown participant: got %v, want program.ErrInvalid", err)
		}
		r, err := db.Round(ctx, round.ID)
		if err != nil || r.Status != program.RoundDraft {
			t.Fatalf("after a failed proposal the round is %+v, %v; want draft", r, err)
		}
		ms, _ := db.RoundMatches(ctx, round.ID)
		places, _ := db.RoundPlaces(ctx, round.ID)
		if len(ms) != 0 || len(places) != 0 {
			t.Fatalf("after a failed proposal: %d matches and %d places stored, want none", len(ms), len(places))
		}

		prop.Matches[n-1].ParticipantID = "p-00000" // p-00000 twice: a pair given twice
		prop.Matches[n-1].HostID = prop.Matches[0].HostID
		if err := db.SaveProposal(ctx, round.ID, prop); !errors.Is(err, program.ErrConflict) {
			t.Fatalf("proposal with a pair twice: got %v, want program.ErrConflict", err)
		}
		prop.Matches[n-1].ParticipantID = program.ParticipantID(fmt.Sprintf("p-%05d", n-1))
		if err := db.SaveProposal(ctx, round.ID, prop); err != nil {
			t.Fatal(err)
		}
		if ms, err := db.RoundMatches(ctx, round.ID); err != nil || len(ms) != n {
			t.Fatalf("after saving %d matches: %d read back, %v", n, len(ms), err)
		}
	})

	t.Run("CreateProposedRound", func(t *testing.T) {
		t.Parallel()
		db, first := seededRound(t, open, 3, 30)
		ctx := t.Context()
		prop := bigProposal(30, 3)
		prop.InputHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
		prop.Matches[29].HostID = "o-9" // no such organisation
		r := program.Round{Name: "second", Kind: program.RoundInternship}
		if _, err := db.CreateProposedRound(ctx, r, prop); !errors.Is(err, program.ErrInvalid) {
			t.Fatalf("a proposal naming an unknown host: got %v, want program.ErrInvalid", err)
		}
		if rs, err := db.Rounds(ctx); err != nil || len(rs) != 1 || rs[0].ID != first.ID {
			t.Fatalf("after a failed CreateProposedRound: rounds %+v, %v; want only the first", rs, err)
		}
		prop.Matches[29].HostID = "o-3"
		got, err := db.CreateProposedRound(ctx, r, prop)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := db.Round(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "CreateProposedRound's round", got, stored)
		if stored.Status != program.RoundProposed || stored.InputHash != prop.InputHash {
			t.Errorf("stored round %+v, want proposed with the proposal's hash", stored)
		}
		if ms, err := db.RoundMatches(ctx, got.ID); err != nil || len(ms) != 30 {
			t.Errorf("RoundMatches = %d, %v; want 30", len(ms), err)
		}
	})

	t.Run("DecideOffer", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 2, 3)
		ctx := t.Context()
		prop := store.Proposal{
			Places: []program.Place{{ID: "o-1", Capacity: 1}, {ID: "o-2", Capacity: 2}},
			Matches: []program.Match{
				{ParticipantID: "p-0", HostID: "o-1", Status: program.OfferProposed},
				{ParticipantID: "p-1", HostID: "o-1", Status: program.OfferProposed},
				{ParticipantID: "p-2", HostID: "o-2", Status: program.OfferProposed},
			},
		}
		ms := publish(t, db, round.ID, prop)
		a, b, c := ms[0].ID, ms[1].ID, ms[2].ID
		var err error
		steps := []struct {
			name string
			d    store.Decision
			want error // nil, or the sentinel the error must match
		}{
			{"accept", store.Decision{Match: a, Host: "o-1", To: program.OfferAccepted, Reason: "welcome"}, nil},
			{"accept again is a no-op", store.Decision{Match: a, Host: "o-1", To: program.OfferAccepted}, nil},
			{"second seat of a one-seat host", store.Decision{Match: b, Host: "o-1", To: program.OfferAccepted}, program.ErrCapacity},
			{"decline an accepted offer", store.Decision{Match: a, To: program.OfferDeclined}, program.ErrConflict},
			{"another host's offer", store.Decision{Match: c, Host: "o-1", To: program.OfferAccepted}, program.ErrNotFound},
			{"no such offer", store.Decision{Match: 999999, To: program.OfferAccepted}, program.ErrNotFound},
			{"not a decision", store.Decision{Match: c, To: program.OfferOffered}, program.ErrInvalid},
			{"withdraw frees the seat", store.Decision{Match: a, To: program.OfferWithdrawn, Reason: "dropped out"}, nil},
			{"so the next accept fits", store.Decision{Match: b, Host: "o-1", To: program.OfferAccepted}, nil},
			{"decline", store.Decision{Match: c, Host: "o-2", To: program.OfferDeclined, Reason: "no room after all"}, nil},
			{"withdrawn is final", store.Decision{Match: a, To: program.OfferAccepted}, program.ErrConflict},
		}
		for _, s := range steps {
			out, err := db.DecideOffer(ctx, s.d)
			m := out.Match
			switch {
			case s.want == nil && err != nil:
				t.Fatalf("%s: %v", s.name, err)
			case s.want != nil && !errors.Is(err, s.want):
				t.Fatalf("%s: got %v, want an error matching %v", s.name, err, s.want)
			case s.want == nil && (m.Status != s.d.To || !m.DecidedAt.Equal(stamped)):
				t.Fatalf("%s: got %+v, want status %q decided at %v", s.name, m, s.d.To, stamped)
			}
		}
		ms, err = db.RoundMatches(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []struct {
			status program.OfferStatus
			reason string
		}{{program.OfferWithdrawn, "dropped out"}, {program.OfferAccepted, ""}, {program.OfferDeclined, "no room after all"}} {
			if ms[i].Status != want.status || ms[i].Reason != want.reason {
				t.Errorf("match %d: %q %q, want %q %q", i, ms[i].Status, ms[i].Reason, want.status, want.reason)
			}
		}
		places, err := db.RoundPlaces(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "RoundPlaces", places, []program.Place{{ID: "o-1", Capacity: 1, Accepted: 1}, {ID: "o-2", Capacity: 2}})

	})

	t.Run("Repair", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 2, 4)
		ctx := t.Context()
		prop := store.Proposal{
			Places: []program.Place{{ID: "o-1", Capacity: 1}, {ID: "o-2", Capacity: 1}},
			Matches: []program.Match{
				{ParticipantID: "p-0", HostID: "o-1", Status: program.OfferProposed},
				{ParticipantID: "p-1", HostID: "o-2", Status: program.OfferProposed},
			},
		}
		ms := publish(t, db, round.ID, prop)
		deadline := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		var (
			seen []program.Match
			got  store.RepairInput
		)
		repair := func(fix store.Repair) store.Repairer {
			return func(in store.RepairInput) (store.Repair, error) {
				if r := in.Round; r.ID != round.ID || r.Status != program.RoundPublished {
					t.Errorf("repair got round %d %s", r.ID, r.Status)
				}
				got = in
				var err error
				seen, err = in.Matches()
				return fix, err
			}
		}
		// p-0 declines o-1: the repair offers o-1 to p-2 and withdraws p-1's
		// open offer at o-2 for p-00003.
		out, err := db.DecideOffer(ctx, store.Decision{Match: ms[0].ID, Host: "o-1", To: program.OfferDeclined, Actor: "token:t1",
			Repair: repair(store.Repair{
				Offers:   []program.Match{{ParticipantID: "p-2", HostID: "o-1", Score: 0.5}, {ParticipantID: "p-00003", HostID: "o-2", Score: 0.4}},
				Withdraw: []program.MatchID{ms[1].ID}, Deadline: deadline, Reason: "repair",
			})})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 2 || seen[0].Status != program.OfferDeclined {
			t.Errorf("the repair saw %+v; want both matches, the first declined", seen)
		}
		if got.Left.ID != ms[0].ID || got.Left.Status != program.OfferDeclined {
			t.Errorf("the repair was told offer %d %s left; want %d declined", got.Left.ID, got.Left.Status, ms[0].ID)
		}
		// Creating, proposing and publishing raised the revision; the
		// decision raised it once more.
		if got.Revision < 2 || out.Revision != got.Revision+1 {
			t.Errorf("revision before the decline %d, after %d; want at least 2, then one more", got.Revision, out.Revision)
		}
		if len(out.Offered) != 2 || out.Offered[0].ParticipantID != "p-2" || out.Offered[0].ID == 0 ||
			out.Offered[1].Status != program.OfferOffered || !out.Offered[1].Deadline.Equal(deadline) {
			t.Errorf("Offered = %+v; want p-2's and p-3's offers with ids and the deadline", out.Offered)
		}
		if !slices.Equal(out.Withdrawn, []program.MatchID{ms[1].ID}) {
			t.Errorf("Withdrawn = %v, want [%d]", out.Withdrawn, ms[1].ID)
		}
		log, err := db.Audit(ctx, store.AuditQuery{Round: round.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Actor+" "+e.Action)
		}
		want := []string{" round.published", "token:t1 offer.declined", "token:t1 offer.withdrawn", "token:t1 offer.offered", "token:t1 offer.offered"}
		if !slices.Equal(actions, want) {
			t.Errorf("the round's audit log = %q, want %q", actions, want)
		}

		// A repair that fails undoes the decision, its revision included.
		failing := func(store.RepairInput) (store.Repair, error) {
			return store.Repair{}, errors.New("solver broke")
		}
		if _, err := db.DecideOffer(ctx, store.Decision{Match: out.Offered[0].ID, To: program.OfferDeclined, Repair: failing}); err == nil {
			t.Fatal("a failing repair: no error")
		}
		// A repair re-offering a declined pair conflicts, and undoes it too.
		again := repair(store.Repair{Offers: []program.Match{{ParticipantID: "p-0", HostID: "o-1"}}})
		if _, err := db.DecideOffer(ctx, store.Decision{Match: out.Offered[0].ID, To: program.OfferDeclined, Repair: again}); !errors.Is(err, program.ErrConflict) {
			t.Errorf("re-offering a declined pair: got %v, want program.ErrConflict", err)
		}
		if m, err := db.Match(ctx, out.Offered[0].ID); err != nil || m.Status != program.OfferOffered {
			t.Errorf("after failed repairs the offer is %+v, %v; want still offered", m, err)
		}
		// Accepting never repairs, nor raises the revision.
		if _, err := db.DecideOffer(ctx, store.Decision{Match: out.Offered[0].ID, To: program.OfferAccepted, Repair: failing}); err != nil {
			t.Errorf("accept with a repairer: %v", err)
		}
		last, err := db.DecideOffer(ctx, store.Decision{Match: out.Offered[1].ID, To: program.OfferDeclined, Repair: repair(store.Repair{})})
		if err != nil || got.Revision != out.Revision || last.Revision != out.Revision+1 {
			t.Errorf("after failed repairs and an acceptance, a decline saw revision %d and left %d (%v); want %d, then %d",
				got.Revision, last.Revision, err, out.Revision, out.Revision+1)
		}
		// Declining again changes nothing, the revision included.
		if again, err := db.DecideOffer(ctx, store.Decision{Match: out.Offered[1].ID, To: program.OfferDeclined, Repair: failing}); err != nil || again.Revision != 0 {
			t.Errorf("a second decline: revision %d, %v; want 0 (nothing changed), nil", again.Revision, err)
		}
	})

	t.Run("Tokens", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		db.Now = func() time.Time { return clock }
		ctx := t.Context()
		tok := func(id string, kind program.TokenKind, subject string) program.AccessToken {
			return program.AccessToken{ID: id, Kind: kind, Subject: subject, SecretHash: bytes.Repeat([]byte{7}, 32)}
		}
		if err := db.SaveTokens(ctx, "cli", []program.AccessToken{tok("a1", program.TokenAdmin, ""), tok("m1", program.TokenMetrics, ""),
			tok("g1", program.TokenProgramme, ""), tok("h1", program.TokenHost, "o-1"), tok("h2", program.TokenHost, "o-1")}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Token(ctx, "h1")
		if err != nil || got.Subject != "o-1" || !bytes.Equal(got.SecretHash, bytes.Repeat([]byte{7}, 32)) || !got.ExpiresAt.IsZero() ||
			!got.CreatedAt.Equal(stamped) || !got.Usable(clock) {
			t.Errorf("Token(h1) = %+v, %v", got, err)
		}
		if err := db.RevokeToken(ctx, "h1", "cli"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Token(ctx, "h1"); got.Usable(clock) || !got.RevokedAt.Equal(stamped) {
			t.Errorf("after revoking: %+v", got)
		}
		if ts, err := db.Tokens(ctx, program.TokenHost, "o-1"); err != nil || len(ts) != 2 {
			t.Errorf("Tokens(host, o-1) = %d, %v; want 2", len(ts), err)
		}
		roundLink := tok("h6", program.TokenHost, "o-1")
		roundLink.Round = 1 // no such round
		feedOfRound := tok("f1", program.TokenFeed, "o-1")
		feedOfRound.Round = 1
		for name, err := range map[string]error{
			"duplicate id":           db.SaveTokens(ctx, "cli", []program.AccessToken{tok("a1", program.TokenAdmin, "")}),
			"admin with subject":     db.SaveTokens(ctx, "cli", []program.AccessToken{tok("a2", program.TokenAdmin, "o-1")}),
			"metrics with subject":   db.SaveTokens(ctx, "cli", []program.AccessToken{tok("m2", program.TokenMetrics, "o-1")}),
			"programme with subject": db.SaveTokens(ctx, "cli", []program.AccessToken{tok("g2", program.TokenProgramme, "o-1")}),
			"host without":           db.SaveTokens(ctx, "cli", []program.AccessToken{tok("h3", program.TokenHost, "")}),
			"short hash":             db.SaveTokens(ctx, "cli", []program.AccessToken{{ID: "h4", Kind: program.TokenHost, Subject: "o-1", SecretHash: []byte{1}}}),
			"unknown kind":           db.SaveTokens(ctx, "cli", []program.AccessToken{tok("h5", "root", "")}),
			"link to no round":       db.SaveTokens(ctx, "cli", []program.AccessToken{roundLink}),
			"feed with a round":      db.SaveTokens(ctx, "cli", []program.AccessToken{feedOfRound}),
			"revoke unknown":         db.RevokeToken(ctx, "nope", "cli"),
		} {
			if err == nil {
				t.Errorf("%s: no error", name)
			}
		}
		if _, err := db.Token(ctx, "nope"); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("Token(nope): %v, want program.ErrNotFound", err)
		}
		// Making and revoking tokens is in the audit log, the refused
		// ones are not; the log pages by id.
		log, err := db.Audit(ctx, store.AuditQuery{})
		var entries []string
		for _, e := range log {
			entries = append(entries, e.Actor+" "+e.Action+" "+e.Detail)
		}
		want := []string{"cli token.created admin token a1", "cli token.created metrics token m1", "cli token.created programme token g1",
			"cli token.created host token h1 for o-1", "cli token.created host token h2 for o-1", "cli token.revoked h1"}
		if err != nil || !slices.Equal(entries, want) {
			t.Fatalf("audit log = %q, %v; want %q", entries, err, want)
		}
		if page, err := db.Audit(ctx, store.AuditQuery{After: log[1].ID, Limit: 2}); err != nil || len(page) != 2 || page[0].ID != log[2].ID || page[1].ID != log[3].ID {
			t.Errorf("the audit log after entry %d, 2 entries: %+v, %v; want entries 3 and 4", log[1].ID, page, err)
		}
	})

	t.Run("CapacityHoldsUnderRace", func(t *testing.T) {
		t.Parallel()
		const seats, offers = 3, 24
		db, round := seededRound(t, open, 1, offers)
		ctx := t.Context()
		prop := bigProposal(offers, 1)
		prop.Places[0].Capacity = seats
		ms := publish(t, db, round.ID, prop)
		// Every offer accepted at once, and the first one twice more, as
		// a double click would.
		ids := make([]program.MatchID, 0, offers+2)
		for _, m := range ms {
			ids = append(ids, m.ID)
		}
		ids = append(ids, ms[0].ID, ms[0].ID)
		errs := make([]error, len(ids))
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
		)
		for i, id := range ids {
			wg.Go(func() {
				<-start
				_, errs[i] = db.DecideOffer(ctx, store.Decision{Match: id, To: program.OfferAccepted})
			})
		}
		close(start)
		wg.Wait()
		full := 0
		for i, err := range errs {
			switch {
			case errors.Is(err, program.ErrCapacity):
				full++
			case err != nil:
				t.Errorf("accept offer %d: %v", ids[i], err)
			}
		}
		ms, err := db.RoundMatches(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		accepted := 0
		for _, m := range ms {
			if m.Status == program.OfferAccepted {
				accepted++
			}
		}
		places, err := db.RoundPlaces(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if accepted != seats || places[0].Accepted != seats {
			t.Fatalf("after %d racing accepts of %d seats: %d offers accepted, %d counted; want %d", len(ids), seats, accepted, places[0].Accepted, seats)
		}
		// The refused are exactly the offers left open; ms[0]'s extra
		// clicks either repeat its acceptance or meet a full host.
		if open := offers - seats; full < open || full > open+2 {
			t.Fatalf("%d accepts refused for capacity, want %d to %d", full, open, open+2)
		}
	})
}

// seededRound opens a database holding hosts o-1… o-hosts (an
// organisation each) and participants p-00000…, sets its clock, and creates
// an internship round with a seed above 2^63.
func seededRound(t *testing.T, open func(testing.TB) *store.DB, hosts, people int) (*store.DB, program.Round) {
	t.Helper()
	db := open(t)
	db.Now = func() time.Time { return clock }
	var recs store.Records
	for i := range hosts {
		recs.Organizations = append(recs.Organizations, org(program.OrgID(fmt.Sprintf("o-%d", i+1))))
	}
	for i := range people {
		p := participant(program.ParticipantID(fmt.Sprintf("p-%05d", i)), "")
		p.Preferences = nil
		recs.Participants = append(recs.Participants, p)
	}
	// The short names the small tests use.
	for i := range min(people, 3) {
		p := participant(program.ParticipantID(fmt.Sprintf("p-%d", i)), "o-1")
		p.Preferences = nil
		recs.Participants = append(recs.Participants, p)
	}
	if err := db.Upsert(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	round, err := db.CreateRound(t.Context(), program.Round{
		Name: "შემოდგომის სტაჟირებები 2026", Kind: program.RoundInternship,
		Weights: map[string]float64{"theme": 2, "distance": 0.5}, Seed: 1<<63 + 12345,
		Settings: json.RawMessage(`{"threshold":0.2,"pins":[["p-1","o-1"]]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, round
}

// publish saves prop as round id's proposal, publishes it with no deadline
// and returns the offers.
func publish(t *testing.T, db *store.DB, id program.RoundID, prop store.Proposal) []program.Match {
	t.Helper()
	if err := db.SaveProposal(t.Context(), id, prop); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishRound(t.Context(), id, time.Time{}, "", nil); err != nil {
		t.Fatal(err)
	}
	ms, err := db.RoundMatches(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// bigProposal returns n proposed matches of participants p-00000… spread
// over hosts o-1… o-hosts, with places enough for all.
func bigProposal(n, hosts int) store.Proposal {
	var p store.Proposal
	for h := range hosts {
		p.Places = append(p.Places, program.Place{ID: fmt.Sprintf("o-%d", h+1), Capacity: n})
	}
	for i := range n {
		p.Matches = append(p.Matches, program.Match{
			ParticipantID: program.ParticipantID(fmt.Sprintf("p-%05d", i)),
			HostID:        program.OrgID(fmt.Sprintf("o-%d", i%hosts+1)),
			Status:        program.OfferProposed, Score: float64(i%100) / 100,
			Breakdown: map[string]float64{"theme": float64(i%10) / 10},
		})
	}
	return p
}
