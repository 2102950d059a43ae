package offers_test

import (
	"context"
	"errors"
	"maps"
	"testing"
	"testing/synctest"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// TestCollector scrapes a published round in which a host has declined (so
// the round was repaired) and another accepted, and compares the gauge with
// the statuses of the round's matches counted here.
func TestCollector(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			db, svc, round, _ := published(t, engine.DSN(t))
			ms, err := db.RoundMatches(ctx, round.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, to := range []program.OfferStatus{program.OfferDeclined, program.OfferAccepted} {
				m := ms[i]
				if _, err := svc.Decide(ctx, store.Decision{Match: m.ID, Host: m.HostID, To: to, Actor: "test"}); err != nil {
					t.Fatalf("%s offer %d: %v", to, m.ID, err)
				}
			}
			if ms, err = db.RoundMatches(ctx, round.ID); err != nil {
				t.Fatal(err)
			}
			counts := map[program.OfferStatus]int{}
			for _, m := range ms {
				counts[m.Status]++
			}
			if counts[program.OfferDeclined] != 1 || counts[program.OfferAccepted] != 1 || counts[program.OfferOffered] == 0 {
				t.Fatalf("the round's matches are %v; the test needs a declined, an accepted and open offers", counts)
			}

			reg := prometheus.NewPedanticRegistry()
			reg.MustRegister(offers.NewCollector(db))
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			got := map[program.OfferStatus]int{}
			for _, mf := range mfs {
				if mf.GetName() != "khidi_offers" {
					continue
				}
				if typ := mf.GetType().String(); typ != "GAUGE" {
					t.Errorf("khidi_offers is a %s, want a GAUGE", typ)
				}
				for _, m := range mf.GetMetric() {
					if l := m.GetLabel(); len(l) != 1 || l[0].GetName() != "state" {
						t.Fatalf("khidi_offers has labels %v, want state only", l)
					}
					got[program.OfferStatus(m.GetLabel()[0].GetValue())] = int(m.GetGauge().GetValue())
				}
			}
			want := map[program.OfferStatus]int{}
			for _, s := range program.AllOfferStatuses() {
				want[s] = counts[s] // every state, 0 when none
			}
			if !maps.Equal(got, want) {
				t.Errorf("khidi_offers = %v, want %v", got, want)
			}
			if problems, err := promlint.NewWithMetricFamilies(mfs).Lint(); err != nil || len(problems) > 0 {
				t.Errorf("lint: %v, %v", problems, err)
			}
		})
	}
}

// fakeCounter is an offers.OfferCounter made of a function.
type fakeCounter struct {
	OfferCountsFunc func(ctx context.Context) (map[program.OfferStatus]int, error)
}

func (f fakeCounter) OfferCounts(ctx context.Context) (map[program.OfferStatus]int, error) {
	return f.OfferCountsFunc(ctx)
}

// TestCollectorFails checks that a failing or hanging database fails the
// scrape with its error instead of reporting numbers.
func TestCollectorFails(t *testing.T) {
	t.Parallel()
	errDown := errors.New("database down")
	tests := []struct {
		name string
		f    func(ctx context.Context) (map[program.OfferStatus]int, error)
		want error
	}{
		{"error", func(context.Context) (map[program.OfferStatus]int, error) { return nil, errDown }, errDown},
		// In synctest's fake time the collector's deadline passes as soon
		// as the query blocks, so the test does not wait for it.
		{"hangs past the deadline", func(ctx context.Context) (map[program.OfferStatus]int, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				reg := prometheus.NewPedanticRegistry()
				reg.MustRegister(offers.NewCollector(fakeCounter{OfferCountsFunc: tt.f}))
				mfs, err := reg.Gather()
				if !errors.Is(err, tt.want) {
					t.Errorf("Gather() error = %v, want one matching %v", err, tt.want)
				}
				for _, mf := range mfs {
					if mf.GetName() == "khidi_offers" {
						t.Errorf("Gather() reported khidi_offers %v despite the failure", mf.GetMetric())
					}
				}
			})
		})
	}
}
