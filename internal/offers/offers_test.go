package offers_test

import (
	"context"
	"errors"
	"maps"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

var engines = storetest.Engines()

// published runs and publishes an internship round on the demo programme,
// where more novices apply than hosts have places, so a repair has people
// to offer freed places to.
func published(t *testing.T, dsn string) (*store.DB, *offers.Service, program.Round, []offers.Link) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.Seed(t, db, demodata.Config{Seed: 5})
	res, err := rounds.Run(ctx, db, rounds.Request{Kind: program.RoundInternship, Seed: 5}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	svc := &offers.Service{Store: db}
	round, links, err := svc.Publish(ctx, res.Round.ID, time.Now().Add(48*time.Hour), "cli")
	if err != nil {
		t.Fatal(err)
	}
	return db, svc, round, links
}

// checkRound checks what must hold of a round whatever was answered: no
// declined pair offered again, nobody with two live offers, and no place
// with more acceptances than capacity.
func checkRound(t *testing.T, db *store.DB, id program.RoundID) []program.Match {
	t.Helper()
	ms, err := db.RoundMatches(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	live := map[program.ParticipantID]int{}
	pairs := map[[2]string]int{}
	accepted := map[string]int{}
	for _, m := range ms {
		pairs[[2]string{string(m.ParticipantID), m.Place()}]++
		if m.Status == program.OfferOffered || m.Status == program.OfferAccepted {
			live[m.ParticipantID]++
		}
		if m.Status == program.OfferAccepted {
			accepted[m.Place()]++
		}
	}
	for p, n := range live {
		if n > 1 {
			t.Errorf("%s has %d live offers", p, n)
		}
	}
	for pair, n := range pairs {
		if n > 1 {
			t.Errorf("pair %v offered %d times", pair, n)
		}
	}
	places, err := db.RoundPlaces(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range places {
		if accepted[p.ID] > p.Capacity || p.Accepted != accepted[p.ID] {
			t.Errorf("place %s: %d accepted (counted %d), capacity %d", p.ID, accepted[p.ID], p.Accepted, p.Capacity)
		}
	}
	return ms
}

func TestPublishAndDecline(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			db, svc, round, links := published(t, engine.DSN(t))
			ms := checkRound(t, db, round.ID)
			hosts := map[program.OrgID]bool{}
			for _, m := range ms {
				hosts[m.HostID] = true
			}
			if len(links) != len(hosts) {
				t.Fatalf("%d links for %d hosts", len(links), len(hosts))
			}
			for _, l := range links {
				tok, err := access.Check(ctx, db, l.Token, program.TokenHost, time.Now())
				if err != nil || tok.Subject != string(l.Host) {
					t.Errorf("link of %s: %+v, %v", l.Host, tok, err)
				}
			}

			// Decline the first offer: the freed place goes to someone
			// without an offer, in the same transaction.
			first := ms[0]
			out, err := svc.Decide(ctx, store.Decision{Match: first.ID, Host: first.HostID, To: program.OfferDeclined, Reason: "full", Actor: "token:x"})
			if err != nil {
				t.Fatal(err)
			}
			if out.Match.Status != program.OfferDeclined || len(out.Offered) == 0 {
				t.Fatalf("decline: %+v; want the offer declined and a new offer made", out)
			}
			before := map[program.ParticipantID]bool{}
			for _, m := range ms {
				before[m.ParticipantID] = true
			}
			for _, m := range out.Offered {
				if m.Status != program.OfferOffered || m.Deadline.IsZero() {
					t.Errorf("new offer %+v: want offered with a deadline", m)
				}
				if before[m.ParticipantID] && m.ParticipantID != first.ParticipantID {
					// Someone already offered elsewhere may move only if
					// their old offer was withdrawn.
					if len(out.Withdrawn) == 0 {
						t.Errorf("new offer to %s, who had an offer, with nothing withdrawn", m.ParticipantID)
					}
				}
			}
			checkRound(t, db, round.ID)
			// The decline and each offer the repair made are in the audit
			// log, by the answer's actor (the round's publication and its
			// links are there too, and are not counted).
			log, err := db.Audit(ctx, store.AuditQuery{Round: round.ID})
			if err != nil {
				t.Fatal(err)
			}
			audited := map[program.MatchID]string{}
			for _, e := range log {
				if e.Match != 0 {
					audited[e.Match] += e.Actor + " " + e.Action + ";"
				}
			}
			want := map[program.MatchID]string{first.ID: "token:x offer.declined;"}
			for _, m := range out.Offered {
				want[m.ID] = "token:x offer.offered;"
			}
			for _, id := range out.Withdrawn {
				want[id] = "token:x offer.withdrawn;"
			}
			if !maps.Equal(audited, want) {
				t.Errorf("audit log by offer: %v, want %v", audited, want)
			}

			// Answering again is idempotent; another host's offer is not found.
			if _, err := svc.Decide(ctx, store.Decision{Match: first.ID, Host: first.HostID, To: program.OfferDeclined}); err != nil {
				t.Errorf("declining twice: %v", err)
			}
			var other program.Match
			for _, m := range ms {
				if m.HostID != first.HostID {
					other = m
					break
				}
			}
			if _, err := svc.Decide(ctx, store.Decision{Match: other.ID, Host: first.HostID, To: program.OfferDeclined}); !errors.Is(err, program.ErrNotFound) {
				t.Errorf("declining another host's offer: %v, want not found", err)
			}

			state, err := svc.State(ctx, round.ID)
			if err != nil {
				t.Fatal(err)
			}
			declined := 0
			for _, h := range state {
				declined += h.Declined
			}
			if declined != 1 {
				t.Errorf("State counts %d declined, want 1", declined)
			}
		})
	}
}

// TestConcurrentDeclines declines many offers of one round at once, through
// three services on their own connections as three replicas would: every
// repair must see the others' results (the database's lock on the round,
// not a service's own turns), so nobody ends with two offers.
func TestConcurrentDeclines(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			dsn := engine.DSN(t)
			db, svc, round, _ := published(t, dsn)
			replicas := []*offers.Service{svc, {Store: storetest.Open(t, dsn)}, {Store: storetest.Open(t, dsn)}}
			ms := checkRound(t, db, round.ID)
			n := min(12, len(ms))
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					to := program.OfferDeclined
					if i%3 == 0 {
						to = program.OfferAccepted
					}
					_, errs[i] = replicas[i%len(replicas)].Decide(context.Background(), store.Decision{Match: ms[i].ID, Host: ms[i].HostID, To: to})
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("offer %d: %v", ms[i].ID, err)
				}
			}
			checkRound(t, db, round.ID)
		})
	}
}

// readCounter is a Store that counts how often a repair reads every match
// of its round, to tell a repair from the ledger from a full one.
type readCounter struct {
	*store.DB
	reads int
}

func (c *readCounter) DecideOffer(ctx context.Context, d store.Decision) (store.Outcome, error) {
	if repair := d.Repair; repair != nil {
		d.Repair = func(in store.RepairInput) (store.Repair, error) {
			load := in.Matches
			in.Matches = func() ([]program.Match, error) { c.reads++; return load() }
			return repair(in)
		}
	}
	return c.DB.DecideOffer(ctx, d)
}

// TestRepairsFromLedger declines offers one after another through two
// replicas, with acceptances between, and checks every repair against
// matcher.RepairRound on the round as stored just before (the full
// two-phase re-solve of every match, an independent oracle): the same
// number of new offers, of the same total score. A replica repairs from
// its ledger while the round has changed only by its own repairs and by
// acceptances, and reads the round again after the other replica repaired
// it.
func TestRepairsFromLedger(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			dsn := engine.DSN(t)
			db, _, round, _ := published(t, dsn)
			a, b := &readCounter{DB: db}, &readCounter{DB: storetest.Open(t, dsn)}
			replicas := []*offers.Service{{Store: a}, {Store: b}}
			in, err := rounds.Input(ctx, db, round)
			if err != nil {
				t.Fatal(err)
			}
			for step := range 16 {
				ms := checkRound(t, db, round.ID)
				var open []int
				for i, m := range ms {
					if m.Status == program.OfferOffered {
						open = append(open, i)
					}
				}
				if len(open) < 2 {
					t.Fatalf("step %d: %d open offers left; the test needs more", step, len(open))
				}
				accept, decline := ms[open[step%len(open)]], ms[open[(step*7+1)%len(open)]]
				if accept.ID == decline.ID {
					accept = ms[open[(step*7+2)%len(open)]]
				}
				if _, err := replicas[step%2].Decide(ctx, store.Decision{Match: accept.ID, To: program.OfferAccepted}); err != nil {
					t.Fatalf("step %d: accept: %v", step, err)
				}
				prior := checkRound(t, db, round.ID)
				for i := range prior {
					if prior[i].ID == decline.ID {
						prior[i].Status = program.OfferDeclined
					}
				}
				want, err := matcher.RepairRound(in, prior)
				if err != nil {
					t.Fatal(err)
				}
				// Replica a answers steps 0–9, then they alternate.
				svc, counter := replicas[0], a
				if step >= 10 && step%2 == 1 {
					svc, counter = replicas[1], b
				}
				readsBefore := counter.reads
				out, err := svc.Decide(ctx, store.Decision{Match: decline.ID, To: program.OfferDeclined, Reason: "full"})
				if err != nil {
					t.Fatalf("step %d: decline: %v", step, err)
				}
				if len(out.Offered) != len(want.New) || len(out.Withdrawn) != len(want.Withdrawn) ||
					math.Abs(scoreOf(out.Offered)-scoreOf(want.New)) > 1e-9 {
					t.Fatalf("step %d: the repair offered %d of score %v and withdrew %d; RepairRound offers %d of score %v and withdraws %d",
						step, len(out.Offered), scoreOf(out.Offered), len(out.Withdrawn), len(want.New), scoreOf(want.New), len(want.Withdrawn))
				}
				// The first repair of each replica reads the round, and so
				// does every repair after the other replica's (from step 11).
				wantReads := 0
				if step == 0 || step >= 11 {
					wantReads = 1
				}
				if got := counter.reads - readsBefore; got != wantReads {
					t.Errorf("step %d: the repair read every match %d times, want %d", step, got, wantReads)
				}
			}
			checkRound(t, db, round.ID)
		})
	}
}

func scoreOf(ms []program.Match) float64 {
	s := 0.0
	for _, m := range ms {
		s += m.Score
	}
	return s
}

// participantReads is a Store that counts loads of the participants, which
// making a round's repair plan does once.
type participantReads struct {
	*store.DB
	n atomic.Int32
}

func (c *participantReads) Participants(ctx context.Context) ([]program.Participant, error) {
	c.n.Add(1)
	return c.DB.Participants(ctx)
}

// TestPrepare checks that Prepare makes a published round's repair plan
// once, however many ask at the same time, and that the round's first
// decline uses it.
func TestPrepare(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			db, _, round, _ := published(t, engine.DSN(t))
			st := &participantReads{DB: db}
			svc := &offers.Service{Store: st}
			draft := round
			draft.Status = program.RoundDraft
			if err := svc.Prepare(ctx, draft); err != nil || st.n.Load() != 0 {
				t.Fatalf("Prepare of a draft: %v, %d loads; want nothing to do", err, st.n.Load())
			}
			var wg sync.WaitGroup
			for range 3 {
				wg.Go(func() {
					if err := svc.Prepare(ctx, round); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if st.n.Load() == 0 {
				t.Fatal("Prepare returned before the plan was made")
			}
			ms := checkRound(t, db, round.ID)
			if _, err := svc.Decide(ctx, store.Decision{Match: ms[0].ID, To: program.OfferDeclined}); err != nil {
				t.Fatal(err)
			}
			if n := st.n.Load(); n != 1 {
				t.Errorf("the participants were loaded %d times for three Prepares and a decline, want once", n)
			}
		})
	}
}
