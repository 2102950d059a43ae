package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// python is Debian's interpreter, which sees Debian's SciPy; another python3
// first on PATH may not (../shared/peers/README.md).
const python = "/usr/bin/python3"

// peers is the reference-solver setup; skipped says why it is unusable.
type peers struct {
	dir     string
	lemon   string // the lemon_mcf runner built by setup.sh
	skipped string
}

// setupPeers runs dir/setup.sh, which installs what is missing and prints the
// LEMON runner's path. Failure is not fatal: the report drops the peers.
func setupPeers(ctx context.Context, dir string, progress io.Writer) *peers {
	p := &peers{dir: dir}
	if _, err := os.Stat(filepath.Join(dir, "setup.sh")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			p.skipped = fmt.Sprintf("no reference solvers at %s", dir)
		} else {
			p.skipped = fmt.Sprintf("reference solvers at %s: %v", dir, err)
		}
		return p
	}
	fmt.Fprintf(progress, "setting up peers: bash %s\n", filepath.Join(dir, "setup.sh"))
	out, err := exec.CommandContext(ctx, "bash", filepath.Join(dir, "setup.sh")).Output()
	if err != nil {
		p.skipped = fmt.Sprintf("%s/setup.sh failed: %v%s", dir, err, stderrTail(err))
		return p
	}
	p.lemon = lastLine(out)
	if err := checkExecutable(p.lemon); err != nil {
		p.skipped = fmt.Sprintf("%s/setup.sh printed %q, not the LEMON runner: %v", dir, p.lemon, err)
	}
	return p
}

// runs gives the first solver every round and the others (LEMON CostScaling,
// which is slow) the first -cs-reps rounds. With the peers skipped it is nil.
func (p *peers) runs(cfg *config, solvers ...solver) []peerRun {
	if p.skipped != "" {
		return nil
	}
	out := make([]peerRun, len(solvers))
	for i, s := range solvers {
		out[i] = peerRun{solver: s, reps: cfg.reps}
		if i > 0 {
			out[i].reps = cfg.csReps
		}
	}
	return out
}

func (p *peers) scipyDense() solver  { return p.scipy("SciPy linear_sum_assignment") }
func (p *peers) scipySparse() solver { return p.scipy("SciPy LAPJVsp") }

// scipy runs scipy_lsa.py, which itself picks linear_sum_assignment for dense
// files and min_weight_full_bipartite_matching (LAPJVsp) for sparse ones.
func (p *peers) scipy(name string) solver {
	script := filepath.Join(p.dir, "scipy_lsa.py")
	return solver{name: name, short: "SciPy", argv: func(file string) []string { return []string{python, script, file} }, parse: parsePeerOutput}
}

func (p *peers) lemonNS() solver { return p.lemonAlg("LEMON NetworkSimplex", "LEMON NS", "ns") }
func (p *peers) lemonCS() solver { return p.lemonAlg("LEMON CostScaling", "LEMON CS", "cs") }

func (p *peers) lemonAlg(name, short, alg string) solver {
	return solver{name: name, short: short, argv: func(file string) []string { return []string{p.lemon, file, alg} }, parse: parsePeerOutput}
}

// generate writes gen.py's instance for args to w.
func (p *peers) generate(ctx context.Context, w io.Writer, args []string) error {
	cmd := exec.CommandContext(ctx, python, append([]string{filepath.Join(p.dir, "gen.py")}, args...)...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("gen.py %s: %w: %s", strings.Join(args, " "), err, tail(stderr.String()))
	}
	return nil
}

// stderrTail is ": <last lines of stderr>" for an *exec.ExitError, else "".
func stderrTail(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return ": " + tail(string(ee.Stderr))
	}
	return ""
}

// tail keeps the end of a command's stderr, enough to see why it failed.
func tail(s string) string {
	const keep = 600
	s = strings.TrimSpace(s)
	if len(s) > keep {
		s = "…" + s[len(s)-keep:]
	}
	return s
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
