package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
)

const matchHelp = `usage: khidi match --kind KIND [--db DSN] [--weights FILE] [--weight FEATURE=W]...
                   [--pin WHO:WHERE]... [--exclude WHO:WHERE]... [--threshold X] [--quota SPEC]...
                   [--forbid-same-region] [--forbid-mutual] [--stable] [--name NAME] [--dry-run]
                   [--json] [--limit N] [--explain WHO]

Runs a matching round on the programme in the database: selects who can go
where for the kind, scores every candidate pair, solves the assignment
exactly, and stores the result as a proposed round (one transaction). Prints
the matches with their main reasons, every unmatched person with the reason,
and a summary (matched and unmatched, scores, fill per host and per region).

Kinds: internship, peer_exchange, international_exchange, study_circle, community_visit.

  --weights FILE        JSON weights, e.g. {"theme": 3, "geography": 0.5}; features:
                        theme, language, geography, availability, preference, experience
  --weight F=W          one weight, after --weights
  --pin WHO:WHERE       force a pair (repeatable); --exclude WHO:WHERE forbids one
  --threshold X         lowest score a match may have, 0 to 1 (default 0.2)
  --quota SPEC          share of matches by region of who goes, e.g. "!Tbilisi>=0.6"
                        (at least 60% from outside Tbilisi) or "Imereti,Guria<=0.3"
  --stable              propose the stable matching (applicant-proposing deferred
                        acceptance over people's ranked hosts) instead of the optimum
  --explain WHO         show one person's candidates and why (computes the round
                        again without storing it: the same input gives the same round)
  --dry-run             propose but store nothing
  --json                print the round, proposal and explanations as JSON

Exit status: 0 proposed, 1 the database failed, 2 bad flags or a round that
cannot be made as asked (no eligible pairs, a pin breaking a rule, an
infeasible quota): nothing is stored then.
`

func cmdMatch(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, matchHelp) }
	dsn := dbFlag(fs, e)
	kind := fs.String("kind", "", "the round's kind")
	weightsFile := fs.String("weights", "", "JSON weights `FILE`")
	var weightFlags, pins, exclusions, quotas listFlag
	fs.Var(&weightFlags, "weight", "FEATURE=W (repeatable)")
	fs.Var(&pins, "pin", "WHO:WHERE (repeatable)")
	fs.Var(&exclusions, "exclude", "WHO:WHERE (repeatable)")
	fs.Var(&quotas, "quota", "REGIONS>=SHARE or REGIONS<=SHARE (repeatable)")
	threshold := fs.Float64("threshold", 0, "lowest score of a match (default 0.2)")
	forbidSame := fs.Bool("forbid-same-region", false, "exchanges must cross regions")
	forbidMutual := fs.Bool("forbid-mutual", false, "no A↔B peer exchange both ways")
	stable := fs.Bool("stable", false, "propose the stable matching instead of the optimum")
	name := fs.String("name", "", "the round's name")
	dryRun := fs.Bool("dry-run", false, "propose but store nothing")
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 50, "rows of matches and of unmatched people to print (0: all)")
	explain := fs.String("explain", "", "show one person's candidates and why")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "khidi match: "+format+"\n", a...)
		return code
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected arguments %q", fs.Args())
	}
	req := rounds.Request{Kind: program.RoundKind(*kind), Name: *name, DryRun: *dryRun || *explain != ""}
	if !req.Kind.Valid() {
		return fail(exitUsage, "--kind %q: want one of %v", *kind, program.AllRoundKinds())
	}
	req.Weights = matcher.DefaultWeights(req.Kind)
	if *weightsFile != "" {
		f, err := os.Open(*weightsFile)
		if err != nil {
			return fail(exitUsage, "--weights: %v", err)
		}
		req.Weights, err = matcher.ParseWeights(*weightsFile, f, req.Weights)
		f.Close()
		if err != nil {
			return fail(exitUsage, "--weights: %v", err)
		}
	}
	for _, wf := range weightFlags {
		if err := req.Weights.Set(wf); err != nil {
			return fail(exitUsage, "--weight %s: %v", wf, err)
		}
	}
	st := &req.Settings
	st.Threshold, st.ForbidSameRegion, st.ForbidMutual, st.Stable = *threshold, *forbidSame, *forbidMutual, *stable
	for _, list := range []struct {
		flag string
		in   listFlag
		out  *[]matcher.Pair
	}{{"--pin", pins, &st.Pins}, {"--exclude", exclusions, &st.Exclusions}} {
		for _, s := range list.in {
			var p matcher.Pair
			if err := p.UnmarshalText([]byte(s)); err != nil {
				return fail(exitUsage, "%s: %v", list.flag, err)
			}
			*list.out = append(*list.out, p)
		}
	}
	for _, s := range quotas {
		q, err := parseQuota(s)
		if err != nil {
			return fail(exitUsage, "--quota: %v", err)
		}
		st.Quotas = append(st.Quotas, q)
	}

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	defer db.Close()
	res, err := rounds.Run(ctx, db, req, time.Now)
	if err != nil {
		code := exitFailure
		if errors.Is(err, program.ErrInvalid) || matcher.Refused(err) {
			code = exitUsage
		}
		return fail(code, "%v; nothing was stored", err)
	}
	if *explain != "" {
		if *asJSON {
			return fail(exitUsage, "--explain and --json do not go together: --json prints every explanation")
		}
		if err := rounds.WriteExplain(e.stdout, res.Proposal, *explain); err != nil {
			return fail(exitUsage, "--explain: %v", err)
		}
		return exitOK
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fail(exitFailure, "%v", err)
		}
		return exitOK
	}
	if err := rounds.WriteReport(e.stdout, res, *limit); err != nil {
		return fail(exitFailure, "%v", err)
	}
	return exitOK
}

// parseQuota reads "REGIONS>=SHARE" or "REGIONS<=SHARE", REGIONS being a
// comma-separated list, prefixed with ! to count everyone outside them.
func parseQuota(s string) (matcher.Quota, error) {
	var q matcher.Quota
	op := ">="
	regions, share, ok := strings.Cut(s, op)
	if !ok {
		op = "<="
		regions, share, ok = strings.Cut(s, op)
	}
	var x float64
	if _, err := fmt.Sscanf(share, "%g", &x); !ok || err != nil || !(x >= 0 && x <= 1) || regions == "" {
		return q, fmt.Errorf("%q: want REGIONS>=SHARE or REGIONS<=SHARE with SHARE from 0 to 1, e.g. !Tbilisi>=0.6", s)
	}
	if op == "<=" && x == 0 {
		// A Quota's Max of 0 means no bound, so "at most none" cannot be
		// said this way; excluding the region's people is the way.
		return q, fmt.Errorf("%q: a share of at most 0 means nobody from there; use a positive share, or leave those people out of the round", s)
	}
	if q.Outside = strings.HasPrefix(regions, "!"); q.Outside {
		regions = regions[1:]
	}
	for r := range strings.SplitSeq(regions, ",") {
		if r = strings.TrimSpace(r); r == "" {
			return q, fmt.Errorf("%q: an empty region in the list; separate region names with commas", s)
		}
		q.Regions = append(q.Regions, r)
	}
	if op == ">=" {
		q.Min = x
	} else {
		q.Max = x
	}
	return q, nil
}

// listFlag collects a repeatable flag's values.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }
