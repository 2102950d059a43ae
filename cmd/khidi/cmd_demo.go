package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
)

const demoHelp = `usage: khidi demo [--db DSN] [--seed N] [--limit N] [--calendars DIR]

Generates a realistic programme (Tbilisi host organisations, regional CSOs,
partners in ten Eastern European countries, about 400 participants across
Georgia's regions, remote communities), stores it, and runs a round of every
kind, printing what a programme manager sees. It then lays out the
programme year from the proposals and writes the programme's calendar and a
few personal ones. The same seed gives the same programme, rounds and
calendars. Progress goes to stderr.

  --db DSN   the database (default sqlite:khidi-demo.db, apart from your real data)
  --seed N   the programme's seed (default 1)
  --limit N  rows of matches to print per round (default 10)
  --calendars DIR  where to write the calendars (default khidi-demo-calendars)
`

// demoDSN keeps the demo's records apart from a programme's real ones.
const demoDSN = "sqlite:khidi-demo.db"

func cmdDemo(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, demoHelp) }
	dsn := fs.String("db", demoDSN, "the database")
	seed := fs.Uint64("seed", 1, "the programme's seed")
	limit := fs.Int("limit", 10, "rows of matches to print per round")
	calendars := fs.String("calendars", "khidi-demo-calendars", "where to write the calendars")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "khidi demo: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	start := time.Now()
	progress := func(format string, a ...any) {
		fmt.Fprintf(e.stderr, "[%5.1fs] "+format+"\n", append([]any{time.Since(start).Seconds()}, a...)...)
	}

	prog := demodata.Generate(demodata.Config{Seed: *seed})
	progress("generated %d organisations, %d participants, %d communities (seed %d)",
		len(prog.Organizations), len(prog.Participants), len(prog.Communities), *seed)
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi demo: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	recs := store.Records{Organizations: prog.Organizations, Participants: prog.Participants, Communities: prog.Communities}
	if err := db.Upsert(ctx, recs); err != nil {
		fmt.Fprintf(e.stderr, "khidi demo: %v\n", err)
		return exitFailure
	}
	progress("stored them in %s", *dsn)

	var someone string // a person of the internship round, for the closing hint
	for _, kind := range program.AllRoundKinds() {
		req := rounds.Request{Kind: kind, Name: fmt.Sprintf("demo %s (seed %d)", kind, *seed), Seed: *seed,
			Settings: demoSettings(kind)}
		res, err := rounds.Run(ctx, db, req, time.Now)
		if err != nil {
			fmt.Fprintf(e.stderr, "khidi demo: %s round: %v\n", kind, err)
			return exitFailure
		}
		progress("%s round %d proposed", kind, res.Round.ID)
		if kind == program.RoundInternship && len(res.Proposal.Explanations) > 0 {
			someone = res.Proposal.Explanations[0].LeftID
		}
		fmt.Fprintf(e.stdout, "\n════ %s ════\n", kind)
		if err := rounds.WriteReport(e.stdout, res, *limit); err != nil {
			fmt.Fprintf(e.stderr, "khidi demo: %v\n", err)
			return exitFailure
		}
	}
	plan, err := yearplan.Run(ctx, db, yearplan.Request{Year: prog.Year, Proposed: true})
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi demo: schedule: %v\n", err)
		return exitFailure
	}
	progress("laid out %d: %d events, %d items not placed", prog.Year, len(plan.Plan.Events), len(plan.Plan.Unplaced))
	fmt.Fprintf(e.stdout, "\n════ calendar %d ════\n", prog.Year)
	writeSchedule(e.stdout, prog.Year, plan, *limit, false)
	written, err := demoCalendars(*calendars, prog.Year, plan.Plan.Events, someone)
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi demo: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "\nCalendars written to %s: %s\n", *calendars, strings.Join(written, ", "))
	progress("done; try: khidi match --db %s --kind internship --explain %s", *dsn, someone)
	return exitOK
}

// demoCalendars writes the programme's calendar and the personal calendar
// of someone with the most events, and of the person named, to dir.
func demoCalendars(dir string, year int, events []program.Event, someone string) ([]string, error) {
	files := []string{"programme.ics"}
	if err := writeCalendar(filepath.Join(dir, "programme.ics"), fmt.Sprintf("Programme %d", year), events); err != nil {
		return nil, err
	}
	mine := map[string][]program.Event{}
	for _, ev := range events {
		for _, a := range ev.Attendees {
			if a.ID != "" {
				mine[a.ID] = append(mine[a.ID], ev)
			}
		}
	}
	busiest := ""
	for id, evs := range mine {
		if len(evs) > len(mine[busiest]) || len(evs) == len(mine[busiest]) && id < busiest {
			busiest = id
		}
	}
	for _, id := range []string{busiest, someone} {
		if id == "" || len(mine[id]) == 0 || slices.Contains(files, id+".ics") {
			continue
		}
		if err := writeCalendar(filepath.Join(dir, id+".ics"), fmt.Sprintf("%s %d", id, year), mine[id]); err != nil {
			return nil, err
		}
		files = append(files, id+".ics")
	}
	return files, nil
}

// demoSettings shows one option of each kind that managers ask for.
func demoSettings(kind program.RoundKind) matcher.Settings {
	switch kind {
	case program.RoundInternship:
		// At least 60% of internships to people from outside Tbilisi.
		return matcher.Settings{Quotas: []matcher.Quota{{Regions: []string{"Tbilisi"}, Outside: true, Min: 0.6}}}
	case program.RoundPeerExchange:
		return matcher.Settings{ForbidSameRegion: true, ForbidMutual: true}
	}
	return matcher.Settings{}
}
