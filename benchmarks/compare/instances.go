package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/khidi/khidi/internal/atomicfile"
	"github.com/khidi/khidi/internal/instancegen"
)

// Family names, in report order.
const (
	familyDense     = "dense"
	familyTransport = "transport"
	familyORLib     = "orlib"
)

// The sizes measured, from the issue that set the bars.
var (
	denseSizes      = []int{500, 1000, 2000, 4000}
	transportSizes  = []int{10000, 30000, 100000}
	orlibDenseSizes = []int{100, 200, 300, 400, 500, 600, 700, 800}
	orlibSparseSize = []int{800, 1500, 3000, 5000}
)

// Instance parameters shared by the generated families.
const (
	denseMaxCost   = 1000
	genSeed        = 1
	transportK     = 30
	transportFill  = 0.8
	hostsPerApplic = 20 // H = A/20
)

// instance is one file that khidi and its peers both solve.
type instance struct {
	family string
	name   string // what -only matches and the report shows
	file   string // path of the instance file
	format string // khidi's --format: "orlib" or "dimacs"
	quick  bool   // part of a -quick run

	// Generated instances only: gen.py's arguments and the same family
	// written by internal/instancegen, used when the peers are absent.
	genArgs []string
	genGo   func(io.Writer) error

	peers []peerRun

	// OR-Library only: the published optimum khidi must reach.
	optimum    int64
	hasOptimum bool
}

// peerRun is a peer solver and how many of the alternating rounds it joins.
type peerRun struct {
	solver solver
	reps   int
}

// plan lists every instance of the three families. p decides the peers (none
// when skipped) and the generator; optima is nil when -data is unusable.
func plan(cfg *config, p *peers, optima map[string]int64) []instance {
	var out []instance
	for i, n := range denseSizes {
		in := instance{family: familyDense, name: fmt.Sprintf("dense-%d", n), format: "orlib", quick: i == 0,
			genArgs: []string{"dense", itoa(n), itoa(denseMaxCost), itoa(genSeed)},
			genGo:   func(w io.Writer) error { return instancegen.WriteDense(w, n, denseMaxCost, genSeed) },
		}
		in.peers = p.runs(cfg, p.scipyDense())
		out = append(out, in)
	}
	for i, a := range transportSizes {
		h := a / hostsPerApplic
		t := instancegen.Transport{Applicants: a, Hosts: h, K: transportK, Seed: genSeed, Fill: transportFill}
		in := instance{family: familyTransport, name: fmt.Sprintf("transport-%dx%dx%d", a, h, transportK), format: "dimacs", quick: i == 0,
			genArgs: []string{"transport", itoa(a), itoa(h), itoa(transportK), itoa(genSeed), strconv.FormatFloat(transportFill, 'f', -1, 64)},
			genGo:   t.Write,
		}
		in.peers = p.runs(cfg, p.lemonNS(), p.lemonCS())
		out = append(out, in)
	}
	if optima != nil {
		out = append(out, orlibInstances(cfg, p, optima)...)
	}
	return out
}

func orlibInstances(cfg *config, p *peers, optima map[string]int64) []instance {
	var out []instance
	add := func(name string, quick bool, peer solver) {
		file := name + ".txt"
		in := instance{family: familyORLib, name: name, file: filepath.Join(cfg.data, file), format: "orlib", quick: quick}
		in.optimum, in.hasOptimum = optima[file]
		in.peers = p.runs(cfg, peer)
		out = append(out, in)
	}
	for i, n := range orlibDenseSizes {
		add(fmt.Sprintf("assign%d", n), i == 0, p.scipyDense())
	}
	for i, n := range orlibSparseSize {
		add(fmt.Sprintf("assignp%d", n), i == 0, p.scipySparse())
	}
	return out
}

// selectInstances keeps those matching only, and with quick the smallest.
func selectInstances(all []instance, only *regexp.Regexp, quick bool) []instance {
	var out []instance
	for _, in := range all {
		if only.MatchString(in.name) && (!quick || in.quick) {
			out = append(out, in)
		}
	}
	return out
}

// dropMissing removes the instances shipped as files (OR-Library's) whose
// file is absent, saying which in the notes.
func dropMissing(insts []instance) (kept []instance, notes []string) {
	for _, in := range insts {
		if in.genArgs == nil {
			if _, err := os.Stat(in.file); err != nil {
				notes = append(notes, fmt.Sprintf("%s skipped: %v.", in.name, err))
				continue
			}
		}
		kept = append(kept, in)
	}
	return kept, notes
}

// generateAll fills in the file of every generated instance, writing the
// files missing from cacheDir. File names carry the generator ("py" for
// gen.py, "go" for internal/instancegen) so the two never mix.
func generateAll(ctx context.Context, insts []instance, cacheDir string, p *peers, progress io.Writer) error {
	for i := range insts {
		in := &insts[i]
		if in.genArgs == nil {
			continue
		}
		gen, ext := "go", ".txt"
		if p.skipped == "" {
			gen = "py"
		}
		if in.format == "dimacs" {
			ext = ".dimacs"
		}
		in.file = filepath.Join(cacheDir, gen+"-"+strings.Join(in.genArgs, "-")+ext)
		if _, err := os.Stat(in.file); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("instance cache: %w", err)
		}
		fmt.Fprintf(progress, "generating %s (%s gen %s)\n", in.file, gen, strings.Join(in.genArgs, " "))
		write := in.genGo
		if gen == "py" {
			write = func(w io.Writer) error { return p.generate(ctx, w, in.genArgs) }
		}
		if err := os.MkdirAll(filepath.Dir(in.file), 0o755); err != nil {
			return fmt.Errorf("generate %s: %w", in.name, err)
		}
		if err := atomicfile.Write(in.file, write); err != nil {
			return fmt.Errorf("generate %s: %w", in.name, err)
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
