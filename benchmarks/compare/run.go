package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// solver is one program that solves an instance file and reports its cost
// and its own solve time (reading the file excluded).
type solver struct {
	name  string // full name, for headings and errors
	short string // for column headings and progress
	argv  func(file string) []string
	parse func(stdout []byte) (runResult, error)
}

// runResult is one solver run.
type runResult struct {
	cost   int64
	solve  float64 // seconds, as the solver measured it
	rssKiB int64   // peak resident set of the process
}

// result is every run of one instance. peers[j] lines up with inst.peers[j],
// and peers[j][i] ran right after khidi[i] (the same round).
type result struct {
	inst  instance
	khidi []runResult
	peers [][]runResult
}

func khidiSolver(path, format string) solver {
	return solver{name: "khidi", short: "khidi", parse: parseKhidiOutput,
		argv: func(file string) []string { return []string{path, "solve", "--format", format, "--json", file} }}
}

// benchInstance runs rounds of khidi then each peer, so that drift on a
// shared machine hits both alike, and stops at the first cost disagreement.
func benchInstance(ctx context.Context, cfg *config, in instance, progress io.Writer) (result, error) {
	res := result{inst: in, peers: make([][]runResult, len(in.peers))}
	k := khidiSolver(cfg.khidi, in.format)
	for round := range cfg.reps {
		r, err := runOnce(ctx, cfg.timeout, k, in.file)
		if err != nil {
			return res, fmt.Errorf("%s: %w", in.name, err)
		}
		if round == 0 && in.hasOptimum {
			if err := sameCost(in, "the README's optimum", in.optimum, "khidi", r.cost); err != nil {
				return res, err
			}
		}
		if round > 0 {
			if err := sameCost(in, "khidi round 1", res.khidi[0].cost, fmt.Sprintf("khidi round %d", round+1), r.cost); err != nil {
				return res, err
			}
		}
		res.khidi = append(res.khidi, r)
		line := fmt.Sprintf("  round %d/%d: khidi %s", round+1, cfg.reps, describe(r))
		for j, pr := range in.peers {
			if round >= pr.reps {
				continue
			}
			pres, err := runOnce(ctx, cfg.timeout, pr.solver, in.file)
			if err != nil {
				return res, fmt.Errorf("%s: %s: %w", in.name, pr.solver.name, err)
			}
			if err := sameCost(in, fmt.Sprintf("khidi round %d", round+1), r.cost, fmt.Sprintf("%s round %d", pr.solver.name, round+1), pres.cost); err != nil {
				return res, err
			}
			res.peers[j] = append(res.peers[j], pres)
			line += fmt.Sprintf(", %s %s", pr.solver.short, describe(pres))
		}
		fmt.Fprintln(progress, line)
	}
	return res, nil
}

// runOnce runs s on file and parses what it prints.
func runOnce(ctx context.Context, timeout time.Duration, s solver, file string) (runResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	argv := s.argv(file)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return runResult{}, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, tail(stderr.String()))
	}
	r, err := s.parse(stdout.Bytes())
	if err != nil {
		return runResult{}, fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	r.rssKiB = maxRSSKiB(cmd.ProcessState)
	return r, nil
}

// costMismatchError is two runs on one instance disagreeing about the
// optimum: a wrong answer must never become a row of timings.
type costMismatchError struct {
	instance, file  string
	wantWho, gotWho string
	want, got       int64
}

func (e *costMismatchError) Error() string {
	return fmt.Sprintf("COST MISMATCH on instance %s (%s): %s = %d but %s = %d",
		e.instance, e.file, e.wantWho, e.want, e.gotWho, e.got)
}

// sameCost is a *costMismatchError naming the instance when got differs from want.
func sameCost(in instance, wantWho string, want int64, gotWho string, got int64) error {
	if got == want {
		return nil
	}
	return &costMismatchError{instance: in.name, file: in.file, wantWho: wantWho, gotWho: gotWho, want: want, got: got}
}

func describe(r runResult) string {
	return fmt.Sprintf("%.4fs (cost %d, %.0f MiB)", r.solve, r.cost, float64(r.rssKiB)/1024)
}
