package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/store"
)

const scheduleHelp = `usage: khidi schedule [--db DSN] [--year Y] [--round ID] [--proposed] [--dry-run] [--limit N]

Lays out a programme year from the stored rounds around Georgia's public
holidays and everyone's availability: internship periods, community visits
spread over the year, exchange visits in the host's local time, weekly
study-circle sessions, and the yearly self-reflection meeting. Stores the
events (a re-run keeps what did not change, raises SEQUENCE on what moved,
and keeps what was cancelled marked cancelled), then prints a month-by-month summary and
everything that could not be placed, with the reason.

  --year Y     the programme year (default: this year)
  --round ID   only this round's matches, as a preview: needs --dry-run,
               since stored it would cancel the other rounds' events
               (default: every round)
  --proposed   also schedule matches not yet accepted, to preview a year
  --dry-run    lay out and compare, store nothing
  --limit N    unplaced items to list (0: all; default 30)

Exit status: 0 laid out, 1 the database failed, 2 bad flags or data.
`

func cmdSchedule(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("schedule", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, scheduleHelp) }
	dsn := dbFlag(fs, e)
	year := fs.Int("year", time.Now().Year(), "the programme year")
	round := fs.Int64("round", 0, "only this round's `ID`")
	proposed := fs.Bool("proposed", false, "also schedule matches not yet accepted")
	dryRun := fs.Bool("dry-run", false, "store nothing")
	limit := fs.Int("limit", 30, "unplaced items to list")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "khidi schedule: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi schedule: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	res, err := yearplan.Run(ctx, db, yearplan.Request{Year: *year, Round: program.RoundID(*round), Proposed: *proposed, DryRun: *dryRun})
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi schedule: %v\n", err)
		if errors.Is(err, program.ErrInvalid) {
			return exitUsage
		}
		return exitFailure
	}
	writeSchedule(e.stdout, *year, res, *limit, *dryRun)
	return exitOK
}

// writeSchedule prints a laid-out year: events per month and kind, what
// changed since the last run, and what could not be placed.
func writeSchedule(w io.Writer, year int, res *yearplan.Result, limit int, dryRun bool) {
	kinds := program.AllEventKinds()
	counts := make(map[time.Month]map[program.EventKind]int)
	tbilisi, _ := time.LoadLocation(program.DefaultTimeZone)
	for _, ev := range res.Plan.Events {
		m := ev.Start.In(tbilisi).Month()
		if counts[m] == nil {
			counts[m] = map[program.EventKind]int{}
		}
		counts[m][ev.Kind]++
	}
	fmt.Fprintf(w, "Programme year %d: %d events\n\n", year, len(res.Plan.Events))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "MONTH\t")
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s\t", strings.ReplaceAll(string(k), "_", " "))
	}
	fmt.Fprintln(tw)
	for m := time.January; m <= time.December; m++ {
		fmt.Fprintf(tw, "%s\t", m.String()[:3])
		for _, k := range kinds {
			fmt.Fprintf(tw, "%d\t", counts[m][k])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if day := res.Plan.MeetingDay; !day.IsZero() {
		fmt.Fprintf(w, "\nSelf-reflection meeting: %s, %d organisations invited\n", day, len(res.Plan.Invitation.Invited))
	}
	c := res.Changes
	verb := "stored"
	if dryRun {
		verb = "would store (dry run)"
	}
	fmt.Fprintf(w, "Since the last run: %d new, %d moved (SEQUENCE raised), %d unchanged, %d cancelled; %s\n",
		len(c.New), len(c.Moved), len(c.Unchanged), len(c.Cancelled), verb)
	un := res.Plan.Unplaced
	if len(un) == 0 {
		fmt.Fprintln(w, "Everything was placed.")
		return
	}
	fmt.Fprintf(w, "\nNot placed (%d):\n", len(un))
	for i, u := range un {
		if limit > 0 && i >= limit {
			fmt.Fprintf(w, "  … and %d more (--limit 0 lists all)\n", len(un)-limit)
			break
		}
		when := ""
		if !u.Date.IsZero() {
			when = " on " + u.Date.String()
		}
		fmt.Fprintf(w, "  %s %s%s: %s\n", u.Kind, u.ID, when, u.Reason)
	}
}
