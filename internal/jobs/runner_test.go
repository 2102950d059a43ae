package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// memStore is the claim table in memory, shared by the runners of a test
// as one database is shared by replicas.
type memStore struct {
	mu   sync.Mutex
	runs []program.JobRun
}

func (m *memStore) ClaimRun(_ context.Context, job string, slot time.Time, replica string) (program.JobRun, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.runs {
		if r.Job == job && r.Slot.Equal(slot) {
			return program.JobRun{}, false, nil
		}
	}
	r := program.JobRun{ID: int64(len(m.runs) + 1), Job: job, Slot: slot, Replica: replica, Outcome: program.JobRunning, Started: time.Now()}
	m.runs = append(m.runs, r)
	return r, true, nil
}

func (m *memStore) FinishRun(_ context.Context, id int64, outcome program.JobOutcome, counts map[string]int, errText string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := &m.runs[id-1]
	r.Finished, r.Outcome, r.Counts, r.Error = time.Now(), outcome, counts, errText
	return nil
}

func (m *memStore) byJob(job string) []program.JobRun {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []program.JobRun
	for _, r := range m.runs {
		if r.Job == job {
			out = append(out, r)
		}
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newRunner(t *testing.T, st Store, replica string, jobs ...Job) *Runner {
	t.Helper()
	r, err := New(Config{Store: st, Jobs: jobs, Replica: replica, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestClockChanges runs a 02:30 Warsaw job on two replicas in fake time
// across both clock changes of 2027: every day runs exactly once.
func TestClockChanges(t *testing.T) {
	for _, tt := range []struct {
		name       string
		from, to   time.Time
		changeSlot time.Time
	}{
		{"spring", time.Date(2027, 3, 25, 12, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 12, 0, 0, 0, time.UTC), time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC)},
		{"autumn", time.Date(2027, 10, 28, 12, 0, 0, 0, time.UTC), time.Date(2027, 11, 3, 12, 0, 0, 0, time.UTC), time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				time.Sleep(time.Until(tt.from)) // the bubble's clock starts in 2000
				st := &memStore{}
				var mu sync.Mutex
				ran := map[string]int{}
				job := Job{Name: "nightly", Spec: "CRON_TZ=Europe/Warsaw 30 2 * * *", Run: func(_ context.Context, slot time.Time) (map[string]int, error) {
					mu.Lock()
					defer mu.Unlock()
					ran[slot.Format(time.RFC3339)]++
					return nil, nil
				}}
				ctx, cancel := context.WithCancel(t.Context())
				for _, replica := range []string{"a", "b"} {
					newRunner(t, st, replica, job).Start(ctx)
				}
				time.Sleep(time.Until(tt.to))
				cancel()
				synctest.Wait()

				runs := st.byJob("nightly")
				if len(runs) != 6 {
					t.Errorf("%d runs in 6 days, want 6: %v", len(runs), ran)
				}
				sawChange := false
				for slot, n := range ran {
					if n != 1 {
						t.Errorf("slot %s ran %d times", slot, n)
					}
					sawChange = sawChange || slot == tt.changeSlot.Format(time.RFC3339)
				}
				if !sawChange {
					t.Errorf("no run at %s, the change day's slot: %v", tt.changeSlot, ran)
				}
			})
		})
	}
}

// TestFailures checks that a job that panics or fails is recorded so and
// does not stop another job, and that a run still going makes the next
// slot skip.
func TestFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(time.Date(2027, 1, 1, 0, 0, 30, 0, time.UTC)))
		st := &memStore{}
		var mu sync.Mutex
		counted := 0
		r := newRunner(t, st, "a",
			Job{Name: "panics", Spec: "CRON_TZ=UTC * * * * *", Run: func(context.Context, time.Time) (map[string]int, error) { panic("boom") }},
			Job{Name: "fails", Spec: "CRON_TZ=UTC * * * * *", Run: func(context.Context, time.Time) (map[string]int, error) {
				return nil, errors.New("smtp down")
			}},
			Job{Name: "slow", Spec: "CRON_TZ=UTC * * * * *", Run: func(ctx context.Context, _ time.Time) (map[string]int, error) {
				select { // spans the next two slots
				case <-time.After(150 * time.Second):
					return map[string]int{"done": 1}, nil
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}},
			Job{Name: "counts", Spec: "CRON_TZ=UTC * * * * *", Run: func(context.Context, time.Time) (map[string]int, error) {
				mu.Lock()
				defer mu.Unlock()
				counted++
				return map[string]int{"n": counted}, nil
			}},
		)
		ctx, cancel := context.WithCancel(t.Context())
		r.Start(ctx)
		time.Sleep(5*time.Minute + 10*time.Second) // slots at 00:01 … 00:05
		cancel()
		synctest.Wait()

		for _, job := range []struct {
			name    string
			runs    int
			outcome program.JobOutcome
		}{{"panics", 5, program.JobPanicked}, {"fails", 5, program.JobFailed}, {"counts", 5, program.JobOK}} {
			runs := st.byJob(job.name)
			if len(runs) != job.runs {
				t.Errorf("%s: %d runs, want %d", job.name, len(runs), job.runs)
			}
			for _, r := range runs {
				if r.Outcome != job.outcome || r.Finished.IsZero() {
					t.Errorf("%s: run %+v, want %s and finished", job.name, r, job.outcome)
				}
			}
		}
		if got := st.byJob("panics")[0].Error; got != "boom" {
			t.Errorf("panic recorded as %q", got)
		}
		// slow runs at 00:01 until 00:03:30, so 00:02 and 00:03 are skipped;
		// 00:04 runs until the runner stops, which cancels it.
		if slow := st.byJob("slow"); len(slow) != 2 || slow[0].Counts["done"] != 1 || slow[1].Outcome != program.JobFailed {
			t.Errorf("slow: %+v, want 2 runs, the first done", slow)
		}
	})
}

func TestNew(t *testing.T) {
	st := &memStore{}
	noop := func(context.Context, time.Time) (map[string]int, error) { return nil, nil }
	for _, tt := range []struct {
		name  string
		jobs  []Job
		specs map[string]string
	}{
		{"bad spec", []Job{{Name: "a", Spec: "every day", Run: noop}}, nil},
		{"every N", []Job{{Name: "a", Spec: "every 2: CRON_TZ=UTC 0 9 * * *", Run: noop}}, nil},
		{"twice", []Job{{Name: "a", Spec: "CRON_TZ=UTC @daily", Run: noop}, {Name: "a", Spec: "CRON_TZ=UTC @daily", Run: noop}}, nil},
		{"unknown override", []Job{{Name: "a", Spec: "CRON_TZ=UTC @daily", Run: noop}}, map[string]string{"b": "CRON_TZ=UTC @daily"}},
		{"no zone", []Job{{Name: "a", Spec: "0 9 * * *", Run: noop}}, nil},
	} {
		if _, err := New(Config{Store: st, Jobs: tt.jobs, Specs: tt.specs, Logger: quiet}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	r, err := New(Config{Store: st, Jobs: []Job{{Name: "a", Spec: "CRON_TZ=UTC @daily", Run: noop}}, Specs: map[string]string{"a": "CRON_TZ=Asia/Tbilisi 0 9 * * 1"}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Schedules(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 2)
	if len(s) != 1 || s[0].Spec != "CRON_TZ=Asia/Tbilisi 0 9 * * 1" || len(s[0].Next) != 2 || !s[0].Next[0].Equal(time.Date(2027, 1, 4, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("Schedules = %+v", s)
	}
	run, err := r.RunNow(t.Context(), "a")
	if err != nil || run.Outcome != program.JobOK {
		t.Errorf("RunNow = %+v, %v", run, err)
	}
	if _, err := r.RunNow(t.Context(), "nope"); !errors.Is(err, program.ErrNotFound) {
		t.Errorf("RunNow(nope): %v", err)
	}
}
