// Package jobs runs khidi's scheduled batch jobs — sending calendars,
// expiring offers, reminders, the yearly meeting — on github.com/robfig/cron/v3,
// safely on several replicas against one database.
//
// Each job has a schedule written as a cron spec with its zone
// (scheduler/recur's syntax). The cron library times the runs, with its
// Recover and SkipIfStillRunning wrappers (a panic is recovered and logged,
// a run still going when the next is due makes the next skip), but the
// times come from recur.Rule.Next rather than the library's own schedule,
// which skips a 02:30 run on the day clocks spring forward and runs it
// twice when they fall back. Every run first claims its slot — the instant
// the schedule gave — in the store: the first replica to claim a slot runs
// it, the others do nothing, and a replica waking late does not repeat a
// slot already run. The claim is also the run's history: start, end,
// outcome and counts.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/scheduler/recur"
)

// Job is one scheduled task.
type Job struct {
	Name string
	// Spec is the job's default schedule, a cron spec with its zone such
	// as "CRON_TZ=Asia/Tbilisi */5 * * * *"; configuration may override it.
	Spec string
	// Run does the work of one slot and returns what it counted (messages
	// enqueued, offers expired) for the run's record. It should stop when
	// ctx is done.
	Run func(ctx context.Context, slot time.Time) (map[string]int, error)
}

// Store is what the runner needs of the database; *store.DB has it.
type Store interface {
	ClaimRun(ctx context.Context, job string, slot time.Time, replica string) (program.JobRun, bool, error)
	FinishRun(ctx context.Context, id int64, outcome program.JobOutcome, counts map[string]int, errText string) error
}

// Config configures a Runner.
type Config struct {
	Store Store
	Jobs  []Job
	// Specs overrides jobs' schedules by name.
	Specs map[string]string
	// Replica names this process in the run history (host name and pid).
	Replica string
	Logger  *slog.Logger
	// Registerer, when set, receives khidi_job_runs_total{job,outcome}.
	Registerer prometheus.Registerer
}

// Runner runs jobs on their schedules.
type Runner struct {
	store   Store
	replica string
	logger  *slog.Logger
	entries []*entry
	runs    *prometheus.CounterVec

	mu   sync.Mutex
	cron *cron.Cron
}

// entry is a job with its parsed schedule; it is the cron.Schedule of the
// job and remembers the slots it gave, so that a run knows its own.
type entry struct {
	job  Job
	spec string
	rule recur.Rule

	mu     sync.Mutex
	issued []time.Time // the last slots Next returned, oldest first
}

// Next implements cron.Schedule with the package's clock-change rule.
func (e *entry) Next(t time.Time) time.Time {
	o, ok, err := e.rule.Next(t)
	if err != nil || !ok {
		return time.Time{} // never: cron then leaves the entry idle
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.issued = append(e.issued, o.Start)
	if len(e.issued) > 4 {
		e.issued = slices.Delete(e.issued, 0, len(e.issued)-4)
	}
	return o.Start
}

// slot returns the latest slot given that is not after now: the one cron
// started this run for. Cron asks for the following slot as the run
// starts, so it cannot simply be the last one given.
func (e *entry) slot(now time.Time) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	var s time.Time
	for _, t := range e.issued {
		if !t.After(now) {
			s = t
		}
	}
	return s
}

// New checks every job's schedule and returns a runner that has not
// started. An invalid spec, an unknown job in Specs or a repeated name is
// an error naming the job.
func New(cfg Config) (*Runner, error) {
	if cfg.Store == nil || cfg.Logger == nil {
		return nil, errors.New("jobs: Config.Store and Config.Logger are required")
	}
	r := &Runner{store: cfg.Store, replica: cfg.Replica, logger: cfg.Logger}
	known := map[string]bool{}
	for _, j := range cfg.Jobs {
		if known[j.Name] {
			return nil, fmt.Errorf("jobs: job %q is listed twice", j.Name)
		}
		known[j.Name] = true
		spec := j.Spec
		if s, ok := cfg.Specs[j.Name]; ok {
			spec = s
		}
		rule, err := recur.Parse(spec, nil)
		if err == nil && rule.Every() > 1 {
			err = fmt.Errorf("\"every N\" needs a window; a job runs on a plain cron spec: %w", program.ErrInvalid)
		}
		if err != nil {
			return nil, fmt.Errorf("jobs: job %s: schedule %q: %w", j.Name, spec, err)
		}
		r.entries = append(r.entries, &entry{job: j, spec: rule.String(), rule: rule})
	}
	for name := range cfg.Specs {
		if !known[name] {
			return nil, fmt.Errorf("jobs: a schedule is given for %q, which is not a job; jobs: %v: %w", name, r.Names(), program.ErrInvalid)
		}
	}
	r.runs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "khidi_job_runs_total",
		Help: "Scheduled job runs by job and outcome: ok, failed, panicked, or skipped when another replica had claimed the slot.",
	}, []string{"job", "outcome"})
	if cfg.Registerer != nil {
		if err := cfg.Registerer.Register(r.runs); err != nil {
			return nil, fmt.Errorf("jobs: metrics: %w", err)
		}
	}
	return r, nil
}

// Names returns the jobs' names, in order.
func (r *Runner) Names() []string {
	out := make([]string, len(r.entries))
	for i, e := range r.entries {
		out[i] = e.job.Name
	}
	return out
}

// Schedule is a job's schedule and its next runs, for `khidi jobs list`.
type Schedule struct {
	Job  string
	Spec string
	Next []time.Time
}

// Schedules returns each job's spec and its next n runs after now.
func (r *Runner) Schedules(now time.Time, n int) []Schedule {
	out := make([]Schedule, len(r.entries))
	for i, e := range r.entries {
		out[i] = Schedule{Job: e.job.Name, Spec: e.spec}
		at := now
		for range n {
			o, ok, err := e.rule.Next(at)
			if err != nil || !ok {
				break
			}
			out[i].Next = append(out[i].Next, o.Start)
			at = o.Start
		}
	}
	return out
}

// Start runs the jobs on their schedules until ctx is done or Stop is
// called; runs get ctx. It returns at once.
func (r *Runner) Start(ctx context.Context) {
	log := cronLogger{r.logger}
	c := cron.New(
		cron.WithLocation(time.UTC), // never the machine's zone: each schedule names its own
		cron.WithLogger(log),
		cron.WithChain(cron.Recover(log), cron.SkipIfStillRunning(log)),
	)
	for _, e := range r.entries {
		c.Schedule(e, cron.FuncJob(func() { r.run(ctx, e, e.slot(time.Now())) })) // errors are logged by run
	}
	r.mu.Lock()
	r.cron = c
	r.mu.Unlock()
	c.Start()
	context.AfterFunc(ctx, func() { r.Stop() })
}

// Stop stops scheduling runs and waits for the runs in flight to end.
func (r *Runner) Stop() {
	r.mu.Lock()
	c := r.cron
	r.mu.Unlock()
	if c != nil {
		<-c.Stop().Done()
	}
}

// RunNow runs job name once, now, as `khidi jobs run` does for people who
// drive khidi from system cron: its slot is the current second, claimed
// like any other, so two replicas asked in the same second run it once.
// The run has ID 0 when another replica had claimed the slot.
func (r *Runner) RunNow(ctx context.Context, name string) (program.JobRun, error) {
	for _, e := range r.entries {
		if e.job.Name == name {
			return r.run(ctx, e, time.Now().UTC().Truncate(time.Second))
		}
	}
	return program.JobRun{}, fmt.Errorf("jobs: no job %q; jobs: %v: %w", name, r.Names(), program.ErrNotFound)
}

// run claims slot for e's job and, when this replica won it, runs the job
// and records how it went; the run has ID 0 when another replica had
// claimed the slot. A panic in the job is recovered here, so that the run
// is recorded as panicked, and does not reach the other jobs. The error is
// the claim's: the job's own failure is in the run.
func (r *Runner) run(ctx context.Context, e *entry, slot time.Time) (program.JobRun, error) {
	name := e.job.Name
	log := r.logger.With("job", name, "slot", slot.UTC().Format(time.RFC3339))
	if slot.IsZero() {
		log.ErrorContext(ctx, "job woke with no slot due")
		return program.JobRun{}, fmt.Errorf("jobs: %s woke with no slot due", name)
	}
	run, claimed, err := r.store.ClaimRun(ctx, name, slot, r.replica)
	if err != nil {
		log.ErrorContext(ctx, "job claim failed", "err", err)
		r.runs.WithLabelValues(name, "claim_failed").Inc()
		return run, fmt.Errorf("jobs: claim %s: %w", name, err)
	}
	if !claimed {
		log.InfoContext(ctx, "job slot already run")
		r.runs.WithLabelValues(name, "skipped").Inc()
		return program.JobRun{}, nil
	}
	start := time.Now()
	run.Outcome, run.Error = program.JobOK, ""
	func() {
		defer func() {
			if p := recover(); p != nil {
				run.Outcome, run.Error = program.JobPanicked, fmt.Sprint(p)
			}
		}()
		run.Counts, err = e.job.Run(ctx, slot)
		if err != nil {
			run.Outcome, run.Error = program.JobFailed, err.Error()
		}
	}()
	// The record must be written even when ctx ended the run.
	if err := r.store.FinishRun(context.WithoutCancel(ctx), run.ID, run.Outcome, run.Counts, run.Error); err != nil {
		log.ErrorContext(ctx, "job record failed", "err", err)
	}
	r.runs.WithLabelValues(name, string(run.Outcome)).Inc()
	level := slog.LevelInfo
	if run.Outcome != program.JobOK {
		level = slog.LevelError
	}
	log.Log(ctx, level, "job run", "outcome", run.Outcome, "counts", run.Counts, "error", run.Error, "duration", time.Since(start))
	return run, nil
}

// cronLogger passes the cron library's messages to slog: its routine
// chatter at debug, its errors (a recovered panic) at error.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron "+msg, append([]any{"err", err}, kv...)...)
}
