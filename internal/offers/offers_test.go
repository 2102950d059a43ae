package offers_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
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
	_, links, err := svc.Publish(ctx, res.Round.ID, time.Now().Add(48*time.Hour), "cli")
	if err != nil {
		t.Fatal(err)
	}
	return db, svc, res.Round, links
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
			log, err := db.RoundAudit(ctx, round.ID)
			if err != nil || len(log) < 2+len(out.Offered) {
				t.Errorf("audit: %d entries, %v", len(log), err)
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
