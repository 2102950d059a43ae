package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
)

const demoHelp = `usage: khidi demo [--db DSN] [--seed N] [--limit N]

Generates a realistic programme (Tbilisi host organisations, regional CSOs,
partners in ten Eastern European countries, about 400 participants across
Georgia's regions, remote communities), stores it, and runs a round of every
kind, printing what a programme manager sees. The same seed gives the same
programme and the same rounds. Progress goes to stderr.

  --db DSN   the database (default sqlite:khidi-demo.db, apart from your real data)
  --seed N   the programme's seed (default 1)
  --limit N  rows of matches to print per round (default 10)
`

// demoDSN keeps the demo's records apart from a programme's real ones.
const demoDSN = "sqlite:khidi-demo.db"

func cmdDemo(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, demoHelp) }
	dsn := fs.String("db", demoDSN, "the database")
	seed := fs.Uint64("seed", 1, "the programme's seed")
	limit := fs.Int("limit", 10, "rows of matches to print per round")
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
	progress("done; try: khidi match --db %s --kind internship --dry-run --explain %s", *dsn, someone)
	return exitOK
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
