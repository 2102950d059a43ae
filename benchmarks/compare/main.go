// Command compare runs khidi beside the reference solvers of ../shared/peers
// (SciPy's linear_sum_assignment and LAPJVsp, LEMON's NetworkSimplex and
// CostScaling) on identical instance files and writes a markdown report of
// median solve times, khidi/peer ratios and peak memory.
//
// Usage (from the repository root; `make peers-bench` does exactly this):
//
//	go run ./benchmarks/compare -khidi bin/khidi -results benchmarks/RESULTS.md
//
// Instances are generated once with ../shared/peers/gen.py into -cache and
// reused; OR-Library's files are read from -data and khidi's cost is checked
// against the optimum in that folder's README. Each instance is solved
// alternately by khidi and the peer (k, p, k, p, …) -reps times; any cost
// disagreement aborts the run. Progress goes to stderr. When the peers are
// missing or their setup fails, khidi runs alone on instances from
// internal/instancegen and the report says so.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/khidi/khidi/benchmarks/internal/cli"
)

// reproduceCommand is what `make peers-bench` runs; the report quotes it.
const reproduceCommand = "go run ./benchmarks/compare -khidi bin/khidi -results benchmarks/RESULTS.md"

// config is the parsed command line.
type config struct {
	khidi   string
	peers   string
	data    string
	cache   string
	results string
	reps    int
	csReps  int
	only    *regexp.Regexp
	quick   bool
	timeout time.Duration
	args    []string // as given, for the report
}

func main() { cli.Main("compare", parseFlags, compare) }

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &config{args: args}
	fs.StringVar(&cfg.khidi, "khidi", "bin/khidi", "the khidi `binary` to measure")
	fs.StringVar(&cfg.peers, "peers", "../shared/peers", "reference solvers `dir` (setup.sh, gen.py, scipy_lsa.py)")
	fs.StringVar(&cfg.data, "data", "../shared/data/orlib-assign", "OR-Library assignment instances `dir`")
	fs.StringVar(&cfg.cache, "cache", filepath.Join(os.TempDir(), "khidi-bench"), "`dir` for generated instances (existing files are reused)")
	fs.StringVar(&cfg.results, "results", "", "write the markdown report to `file`, keeping its notes section (default: stdout)")
	fs.IntVar(&cfg.reps, "reps", 5, "alternating khidi/peer runs per instance")
	fs.IntVar(&cfg.csReps, "cs-reps", 3, "runs of LEMON CostScaling per transport instance (at most -reps)")
	only := fs.String("only", "", "run only instances whose name matches `regexp` (names: dense-4000, transport-100000x5000x30, assign800, assignp5000, …)")
	fs.BoolVar(&cfg.quick, "quick", false, "smallest size of each family only, for a smoke run")
	fs.DurationVar(&cfg.timeout, "timeout", 15*time.Minute, "limit for one solver run")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() != 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.reps < 1 || cfg.csReps < 0 {
		return nil, fmt.Errorf("-reps must be at least 1 and -cs-reps at least 0")
	}
	cfg.csReps = min(cfg.csReps, cfg.reps)
	re, err := regexp.Compile(*only)
	if err != nil {
		return nil, fmt.Errorf("-only: %w", err)
	}
	cfg.only = re
	return cfg, nil
}

// compare does the whole run: set up, generate, measure, report.
func compare(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	if err := checkExecutable(cfg.khidi); err != nil {
		return fmt.Errorf("khidi binary: %w (build it with `make build`)", err)
	}
	var notes []string
	p := setupPeers(ctx, cfg.peers, stderr)
	if p.skipped != "" {
		notes = append(notes, "Peer columns skipped: "+p.skipped+". khidi ran alone, on instances from internal/instancegen (not byte-identical to gen.py's).")
		fmt.Fprintf(stderr, "compare: WARNING: %s; running khidi alone\n", p.skipped)
	}
	optima, err := loadOptima(cfg.data)
	if err != nil {
		notes = append(notes, fmt.Sprintf("OR-Library family skipped: %v.", err))
		fmt.Fprintf(stderr, "compare: WARNING: OR-Library skipped: %v\n", err)
	}
	insts, missing := dropMissing(selectInstances(plan(cfg, p, optima), cfg.only, cfg.quick))
	notes = append(notes, missing...)
	for _, n := range missing {
		fmt.Fprintf(stderr, "compare: WARNING: %s\n", n)
	}
	if len(insts) == 0 {
		return fmt.Errorf("no instance to run (-only %q)", cfg.only)
	}
	if err := generateAll(ctx, insts, cfg.cache, p, stderr); err != nil {
		return err
	}
	results := make([]result, 0, len(insts))
	for i, in := range insts {
		fmt.Fprintf(stderr, "[%d/%d] %s (%s)\n", i+1, len(insts), in.name, in.file)
		r, err := benchInstance(ctx, cfg, in, stderr)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	rep := report{
		Command: commandLine(cfg.args),
		Quick:   cfg.quick,
		Env:     collectEnv(ctx, cfg, p),
		Notes:   notes,
		Tables:  tables(results),
	}
	rep.Bars = evalBars(rep.Tables)
	return writeReport(cfg.results, render(rep), stdout, stderr)
}

// commandLine is this run's command as a user would type it in a shell.
func commandLine(args []string) string {
	words := []string{"go", "run", "./benchmarks/compare"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", path)
	}
	return nil
}
