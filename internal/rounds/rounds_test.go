package rounds_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

var engines = storetest.Engines()

func TestRun(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, engine.DSN(t))
			storetest.Seed(t, db, demodata.Config{Seed: 3})
			ctx := t.Context()
			req := rounds.Request{Kind: program.RoundInternship, Seed: 3}
			res, err := rounds.Run(ctx, db, req, time.Now)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := db.Round(ctx, res.Round.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Status != program.RoundProposed || stored.InputHash != res.Proposal.InputHash || stored.SolverVersion != matcher.Version {
				t.Errorf("stored round %+v, want proposed with the proposal's hash and version", stored)
			}
			ms, err := db.RoundMatches(ctx, res.Round.ID)
			if err != nil || len(ms) != len(res.Proposal.Matches) || len(ms) == 0 {
				t.Fatalf("stored %d matches (%v), proposal has %d", len(ms), err, len(res.Proposal.Matches))
			}
			for i := range ms {
				if ms[i].ParticipantID != res.Proposal.Matches[i].ParticipantID || ms[i].HostID != res.Proposal.Matches[i].HostID {
					t.Fatalf("stored match %d is %s→%s, proposed %s→%s", i, ms[i].ParticipantID, ms[i].HostID,
						res.Proposal.Matches[i].ParticipantID, res.Proposal.Matches[i].HostID)
				}
			}

			// The same input gives the same proposal, byte for byte.
			again, err := rounds.Run(ctx, db, req, time.Now)
			if err != nil {
				t.Fatal(err)
			}
			var a, b bytes.Buffer
			if err := rounds.WriteReport(&a, &rounds.Result{Round: res.Round, Proposal: res.Proposal}, 0); err != nil {
				t.Fatal(err)
			}
			if err := rounds.WriteReport(&b, &rounds.Result{Round: res.Round, Proposal: again.Proposal}, 0); err != nil {
				t.Fatal(err)
			}
			if a.String() != b.String() {
				t.Error("two runs on the same input wrote different reports")
			}

			// A pin that breaks a hard rule stores nothing.
			before, _ := db.Rounds(ctx)
			bad := req
			bad.Settings.Pins = []matcher.Pair{{Who: string(ms[0].ParticipantID), Where: "org-reg-001"}}
			if _, err := rounds.Run(ctx, db, bad, time.Now); !errors.Is(err, program.ErrInvalid) {
				t.Fatalf("a pin to a host outside the round: got %v, want program.ErrInvalid", err)
			}
			if after, _ := db.Rounds(ctx); len(after) != len(before) {
				t.Fatalf("a refused round stored something: %d rounds before, %d after", len(before), len(after))
			}
		})
	}
}

// BenchmarkInternshipRound runs a whole internship round — load the
// programme from the database, select, score, solve, explain, save the
// proposal — and reports each stage's seconds and the eligible applicants
// and hosts. The programme is generated
// and stored before timing. The bars, on PostgreSQL: 100k
// applicants × 5k organisations under 30 s and 2 GiB; 10k × 500 under 3 s.
func BenchmarkInternshipRound(b *testing.B) {
	// Of demodata's participants about 59% are eligible for internships
	// (activists and new CSO members), and of its Tbilisi hosts about 88%
	// (experienced, with intern places): these sizes give rounds of about
	// 10k applicants × 500 hosts and 100k × 5k, which the metrics report.
	sizes := []struct{ people, hosts int }{{17_000, 565}, {170_000, 5_650}}
	for _, engine := range engines {
		for _, size := range sizes {
			b.Run(fmt.Sprintf("engine=%s/participants=%d/hosts=%d", engine.Name, size.people, size.hosts), func(b *testing.B) {
				db := storetest.Open(b, engine.DSN(b))
				storetest.Seed(b, db, demodata.Config{Seed: 1, Participants: size.people, Hosts: size.hosts, RegionalCSOs: size.hosts / 10,
					Partners: 25, Communities: 40})
				stages := map[string]time.Duration{}
				var res *rounds.Result
				for b.Loop() {
					var err error
					if res, err = rounds.Run(b.Context(), db, rounds.Request{Kind: program.RoundInternship}, time.Now); err != nil {
						b.Fatal(err)
					}
					for _, st := range res.Stages {
						stages[st.Name] += st.Duration
					}
				}
				for name, d := range stages {
					b.ReportMetric(d.Seconds()/float64(b.N), name+"-s/op")
				}
				s := res.Proposal.Summary
				b.ReportMetric(float64(s.Eligible), "applicants")
				b.ReportMetric(float64(s.Hosts), "hosts")
				b.ReportMetric(float64(s.Matches), "matches")
				var ru syscall.Rusage
				if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
					b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB") // Linux reports KiB
				}
				if !strings.HasPrefix(res.Round.Name, "internship") || s.Matches == 0 {
					b.Fatalf("round %q made %d matches", res.Round.Name, s.Matches)
				}
			})
		}
	}
}
