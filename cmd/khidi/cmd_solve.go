package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/khidi/khidi/internal/atomicfile"
	"github.com/khidi/khidi/internal/instance"
	"github.com/khidi/khidi/matcher/flow"
	"github.com/khidi/khidi/matcher/lap"
)

const solveHelp = `usage: khidi solve [--format orlib|dimacs] [--json] [--verify] [--out FILE] FILE

Solves an OR-Library assignment file (dense or sparse) or a DIMACS
minimum-cost-flow file exactly and prints "optimal cost N" with timings.
The format is guessed from the file when --format is not given.

  --json     print one line: {"status":"optimal","cost":N,"parse_seconds":…,"solve_seconds":…}
  --verify   check the optimality certificate (feasibility and reduced costs)
  --out FILE write the assignment (row column cost) or the flows (DIMACS "s"/"f" lines)

Exit status: 0 optimal, 1 infeasible or unbounded, 2 bad flags, a malformed file
or numbers outside the range the exact solver handles.
`

// solveReport is the --json output; fields are only ever added.
type solveReport struct {
	Status        string  `json:"status"`
	Cost          *int64  `json:"cost,omitempty"` // only when optimal
	Format        string  `json:"format"`
	Verified      bool    `json:"verified"`
	ParseSeconds  float64 `json:"parse_seconds"`
	SolveSeconds  float64 `json:"solve_seconds"`
	VerifySeconds float64 `json:"verify_seconds,omitempty"`
}

func cmdSolve(_ context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, solveHelp) }
	formatName := fs.String("format", "", "orlib or dimacs (default: guess from the file)")
	asJSON := fs.Bool("json", false, "print one JSON line")
	verify := fs.Bool("verify", false, "check the optimality certificate")
	out := fs.String("out", "", "write the solution to `FILE`")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "khidi solve: expected exactly one FILE")
		fs.Usage()
		return exitUsage
	}
	format, err := instance.ParseFormat(*formatName)
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi solve: --format: %v\n", err)
		return exitUsage
	}
	path := fs.Arg(0)

	start := time.Now()
	p, err := readInstance(path, format)
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi solve: %v\n", err)
		return exitUsage
	}
	parsed := time.Now()
	sol, err := p.Solve(nil)
	solved := time.Now()
	report := solveReport{
		Format:       string(p.Format),
		ParseSeconds: parsed.Sub(start).Seconds(),
		SolveSeconds: solved.Sub(parsed).Seconds(),
	}
	if err != nil {
		report.Status = statusOf(err)
		if *asJSON {
			writeJSON(e, report)
		}
		if errors.Is(err, lap.ErrCostRange) || errors.Is(err, flow.ErrCostRange) {
			// A number in the file the exact solver cannot take: bad input.
			fmt.Fprintf(e.stderr, "khidi solve: %s: %v; scale the costs down or split the instance\n", path, err)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "khidi solve: %s: %v\n", path, err)
		return exitFailure
	}
	report.Status, report.Cost = "optimal", &sol.Cost
	if *verify {
		if err := sol.Verify(); err != nil {
			if *asJSON {
				report.Status, report.Cost = "certificate_rejected", nil
				writeJSON(e, report)
			}
			fmt.Fprintf(e.stderr, "khidi solve: %s: certificate rejected: %v\n", path, err)
			return exitFailure
		}
		report.Verified = true
		report.VerifySeconds = time.Since(solved).Seconds()
	}
	if *out != "" {
		if err := writeSolution(*out, sol); err != nil {
			fmt.Fprintf(e.stderr, "khidi solve: solution: %v\n", err)
			return exitFailure
		}
	}
	if *asJSON {
		writeJSON(e, report)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "optimal cost %d\n", sol.Cost)
	fmt.Fprintf(e.stdout, "format %s, parse %.3fs, solve %.3fs", report.Format, report.ParseSeconds, report.SolveSeconds)
	if report.Verified {
		fmt.Fprintf(e.stdout, ", certificate verified in %.3fs", report.VerifySeconds)
	}
	fmt.Fprintln(e.stdout)
	return exitOK
}

// readInstance opens and parses path, putting the file name in front of a
// parse error's line so the message reads "file:line: what was expected".
func readInstance(path string, format instance.Format) (*instance.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := instance.Read(f, format)
	var lapErr *lap.ParseError
	var flowErr *flow.ParseError
	switch {
	case errors.As(err, &lapErr):
		return nil, fmt.Errorf("%s:%d: %w (OR-Library assignment file)", path, lapErr.Line, lapErr.Err)
	case errors.As(err, &flowErr):
		return nil, fmt.Errorf("%s:%d: %w (DIMACS min-cost-flow file)", path, flowErr.Line, flowErr.Err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// writeSolution writes the solution whole or not at all, so a failed write
// never leaves half a solution behind.
func writeSolution(path string, sol *instance.Solution) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := sol.WriteTo(w)
		return err
	})
}

func statusOf(err error) string {
	switch {
	case errors.Is(err, lap.ErrInfeasible), errors.Is(err, flow.ErrInfeasible):
		return "infeasible"
	case errors.Is(err, flow.ErrUnbounded):
		return "unbounded"
	}
	return "error"
}

func writeJSON(e env, v any) {
	b, _ := json.Marshal(v) // a struct of numbers and strings always marshals
	fmt.Fprintf(e.stdout, "%s\n", b)
}
