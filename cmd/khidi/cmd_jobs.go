package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/khidi/khidi/internal/jobs"
	"github.com/khidi/khidi/internal/mail"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/store"
)

const jobsHelp = `usage: khidi jobs list [--db DSN] [--schedule NAME=SPEC]… [--next N]
       khidi jobs run NAME [--db DSN] [--smtp-url URL] [--base-url URL]

list shows each scheduled job, its schedule (a cron spec in its zone), its
next runs and how its last run went (from the run history every replica
writes). run runs one job once, now, for people who drive khidi
from system cron or a Kubernetes CronJob instead of khidi serve's own
runner; its run is claimed like a scheduled one, so two replicas asked in
the same second run it once, and it is recorded in the job history.

Jobs: send-calendars (invitations, cancellations and feed links to
everyone whose events changed; new offers to their hosts), expire-offers
(offers past their deadline expire and their rounds are repaired),
reminders (one per person and event, before it), yearly-meeting (lays out
the year with its self-reflection meeting and invites), deliver-mail (sends
the outbox over SMTP).

  --smtp-url URL       KHIDI_SMTP_URL  smtp://USER:PASS@HOST:587?from=ADDR
                                       (starttls=mandatory|opportunistic|none),
                                       or smtps://…:465; without it mail stays queued
  --base-url URL       KHIDI_BASE_URL  the service's public address, for links
  --schedule NAME=SPEC KHIDI_SCHEDULES a job's schedule instead of its default,
                                       e.g. "reminders=CRON_TZ=Asia/Tbilisi 0 8 * * *";
                                       the variable holds NAME=SPEC entries
                                       separated by ";"
  --reminder-lead D    KHIDI_REMINDER_LEAD  how long before an event its reminder
                                       goes (default 48h)
  --meeting-month M    KHIDI_MEETING_MONTH  the yearly meeting's month, 1-12
                                       (default 11, November)

Exit status: 0 done, 1 the job or the database failed, 2 bad flags.
`

// jobFlags are the flags that configure the jobs, shared by khidi jobs and
// khidi serve.
type jobFlags struct {
	smtpURL      *string
	baseURL      *string
	schedules    scheduleFlag
	reminderLead *time.Duration
	meetingMonth *int
	// fromEnv names the variable each flag set from the environment came
	// from (flagsFromEnv), for messages.
	fromEnv map[string]string
}

// source names where flag name's value came from: its variable or --name.
func (f *jobFlags) source(name string) string {
	if key, ok := f.fromEnv[name]; ok {
		return key
	}
	return "--" + name
}

// jobEnvVars are the environment variables of the job flags, which a flag
// given on the command line overrides (flagsFromEnv).
var jobEnvVars = map[string]string{
	"smtp-url":      "KHIDI_SMTP_URL",
	"base-url":      "KHIDI_BASE_URL",
	"reminder-lead": "KHIDI_REMINDER_LEAD",
	"meeting-month": "KHIDI_MEETING_MONTH",
}

// scheduleFlag collects --schedule NAME=SPEC.
type scheduleFlag map[string]string

func (s scheduleFlag) String() string { return fmt.Sprint(map[string]string(s)) }

func (s scheduleFlag) Set(v string) error {
	name, spec, ok := strings.Cut(v, "=")
	if !ok || name == "" || strings.TrimSpace(spec) == "" {
		return fmt.Errorf("%q: want NAME=SPEC, e.g. reminders=CRON_TZ=Asia/Tbilisi 0 8 * * *", v)
	}
	s[strings.TrimSpace(name)] = strings.TrimSpace(spec)
	return nil
}

// addJobFlags adds the job flags to fs; baseURL may be shared with another
// flag set up by the caller (serve has its own --base-url). Their
// variables (jobEnvVars) are read after parsing, by flagsFromEnv.
func addJobFlags(fs *flag.FlagSet, baseURL *string) *jobFlags {
	f := &jobFlags{smtpURL: fs.String("smtp-url", "", "the SMTP server, smtp://… or smtps://…"),
		baseURL: baseURL, schedules: scheduleFlag{}}
	if f.baseURL == nil {
		f.baseURL = fs.String("base-url", "", "the service's public address")
	}
	fs.Var(f.schedules, "schedule", "a job's schedule, `NAME=SPEC` (repeatable)")
	f.reminderLead = fs.Duration("reminder-lead", jobs.DefaultReminderLead, "how long before an event its reminder goes")
	f.meetingMonth = fs.Int("meeting-month", int(yearplan.DefaultMeetingMonth), "the month (1-12) of the yearly self-reflection meeting")
	return f
}

// runner builds the programme's jobs on db from the flags (and
// KHIDI_SCHEDULES for schedules not given as flags). o is the offers
// service the jobs decide offers through: the server's own under khidi
// serve, so that its repairs and the jobs' take turns and share the
// round's scored candidates.
func (f *jobFlags) runner(e env, db *store.DB, o *offers.Service, logger *slog.Logger, reg prometheus.Registerer) (*jobs.Runner, error) {
	schedules := scheduleFlag{}
	if v := e.getenv("KHIDI_SCHEDULES"); v != "" {
		for entry := range strings.SplitSeq(v, ";") {
			if strings.TrimSpace(entry) == "" {
				continue
			}
			if err := schedules.Set(entry); err != nil {
				return nil, fmt.Errorf("KHIDI_SCHEDULES: %w", err)
			}
		}
	}
	for k, v := range f.schedules {
		schedules[k] = v
	}
	if *f.reminderLead <= 0 {
		return nil, fmt.Errorf("%s %v: want a positive duration such as 48h", f.source("reminder-lead"), *f.reminderLead)
	}
	if *f.meetingMonth < 1 || *f.meetingMonth > 12 {
		return nil, fmt.Errorf("%s %d: want 1 (January) to 12 (December)", f.source("meeting-month"), *f.meetingMonth)
	}
	d := &jobs.Deps{Store: db, Offers: o, BaseURL: *f.baseURL,
		ReminderLead: *f.reminderLead, MeetingMonth: time.Month(*f.meetingMonth)}
	if *f.smtpURL != "" {
		cfg, err := mail.ParseURL(*f.smtpURL)
		if err != nil {
			return nil, err
		}
		d.Sender, d.From = mail.NewSender(cfg), cfg.From
	}
	host, _ := os.Hostname()
	return jobs.New(jobs.Config{Store: db, Jobs: jobs.Programme(d), Specs: schedules,
		Replica: fmt.Sprintf("%s/%d", host, os.Getpid()), Logger: logger, Registerer: reg})
}

func cmdJobs(ctx context.Context, e env, args []string) int {
	if len(args) == 0 || (args[0] != "list" && args[0] != "run") {
		fmt.Fprint(e.stderr, jobsHelp)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	verb := args[0]
	fs := flag.NewFlagSet("jobs "+verb, flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, jobsHelp) }
	dsn := dbFlag(fs, e)
	jf := addJobFlags(fs, nil)
	next := fs.Int("next", 3, "how many next runs list shows")
	rest := args[1:]
	var name string
	if verb == "run" && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if code, ok := parseFlags(fs, rest, e); !ok {
		return code
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "khidi jobs %s: "+format+"\n", append([]any{verb}, a...)...)
		return code
	}
	fromEnv, err := flagsFromEnv(fs, e, jobEnvVars)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	jf.fromEnv = fromEnv
	switch {
	case fs.NArg() > 0:
		return fail(exitUsage, "unexpected arguments %q", fs.Args())
	case verb == "run" && name == "":
		return fail(exitUsage, "name the job to run: khidi jobs run NAME (khidi jobs list shows them)")
	case *next < 1:
		return fail(exitUsage, "--next %d: want 1 or more", *next)
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	defer db.Close()
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	r, err := jf.runner(e, db, &offers.Service{Store: db}, logger, nil)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	if verb == "list" {
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "JOB\tSCHEDULE\tNEXT RUNS (UTC)\tLAST RUN")
		for _, s := range r.Schedules(time.Now(), *next) {
			var times []string
			for _, t := range s.Next {
				times = append(times, t.UTC().Format("2006-01-02 15:04"))
			}
			runs, err := db.JobRuns(ctx, s.Job, 1)
			if err != nil {
				return fail(exitFailure, "%v", err)
			}
			last := "never"
			if len(runs) == 1 {
				last = fmt.Sprintf("%s %s on %s %v %s", runs[0].Slot.UTC().Format("2006-01-02 15:04"), runs[0].Outcome, runs[0].Replica, runs[0].Counts, runs[0].Error)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Job, s.Spec, strings.Join(times, ", "), strings.TrimSpace(last))
		}
		tw.Flush()
		return exitOK
	}
	run, err := r.RunNow(ctx, name)
	switch {
	case errors.Is(err, program.ErrNotFound):
		return fail(exitUsage, "%v", err)
	case err != nil:
		return fail(exitFailure, "%v", err)
	case run.ID == 0:
		fmt.Fprintf(e.stdout, "%s: another replica ran this slot\n", name)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%s: %s %v\n", name, run.Outcome, run.Counts)
	if run.Outcome != program.JobOK {
		return fail(exitFailure, "%s", run.Error)
	}
	return exitOK
}
