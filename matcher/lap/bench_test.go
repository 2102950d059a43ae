package lap

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/khidi/khidi/matcher/internal/testinstances"
)

// uniformMatrix is testinstances.UniformMatrix as a Matrix, with each cell
// forbidden with probability 1−allowed.
func uniformMatrix(rows, cols int, maxCost int64, allowed float64, seed uint64) *Matrix {
	cost := testinstances.UniformMatrix(rows, cols, maxCost, seed)
	r := rand.New(rand.NewPCG(seed, 1))
	m := NewMatrix(rows, cols)
	for i, row := range cost {
		for j, c := range row {
			m.Set(i, j, c)
			if allowed < 1 && r.Float64() >= allowed {
				m.Forbid(i, j)
			}
		}
	}
	return m
}

func BenchmarkSolve(b *testing.B) {
	type bench struct {
		name       string
		rows, cols int
		maxCost    int64
		allowed    float64
		sense      Sense
	}
	var benches []bench
	// The size SciPy's linear_sum_assignment is compared with: dense,
	// uniform costs 1..1000 (see benchmarks/).
	for _, n := range []int{500, 1000, 2000, 4000} {
		benches = append(benches, bench{fmt.Sprintf("n=%d", n), n, n, 1000, 1, Minimize})
	}
	benches = append(benches,
		bench{"n=1000/maximize", 1000, 1000, 1000, 1, Maximize},
		bench{"n=1000/maxcost=1e12", 1000, 1000, 1e12, 1, Minimize}, // int64 cells, read in place
		bench{"rows=1000/cols=2000", 1000, 2000, 1000, 1, Minimize},
		bench{"rows=1900/cols=2000", 1900, 2000, 1000, 1, Minimize},
		bench{"n=1000/allowed=0.5", 1000, 1000, 1000, 0.5, Minimize},
		bench{"n=1000/allowed=0.02", 1000, 1000, 1000, 0.02, Minimize},
		bench{"rows=1000/cols=2000/allowed=0.05", 1000, 2000, 1000, 0.05, Minimize},
	)
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			m := uniformMatrix(bb.rows, bb.cols, bb.maxCost, bb.allowed, 1)
			benchmarkSolver(b, m, &Options{Sense: bb.sense})
		})
	}
}

func BenchmarkSolveSparse(b *testing.B) {
	type bench struct {
		rows, cols, k int
		maxCost       int64
		sense         Sense
	}
	benches := []bench{
		// Shaped like OR-Library's assignp5000: 100,000 cells, costs 1..100.
		{5000, 5000, 20, 100, Minimize},
		{5000, 5000, 20, 100, Maximize},
		{20000, 20000, 10, 1000, Minimize},
		// Shaped like a matching round: each person keeps k hosts.
		{2000, 2500, 30, 1000, Minimize},
		{100000, 120000, 30, 1000, Minimize},
	}
	for _, bb := range benches {
		name := fmt.Sprintf("rows=%d/cols=%d/k=%d", bb.rows, bb.cols, bb.k)
		if bb.sense == Maximize {
			name += "/maximize"
		}
		b.Run(name, func(b *testing.B) {
			s := mustNewSparse(b, bb.rows, bb.cols, randomSparse(bb.rows, bb.cols, bb.k, 1, bb.maxCost, true, 1))
			benchmarkSolver(b, s, &Options{Sense: bb.sense})
		})
	}
	// OR-Library's sparse files, when ../shared has them.
	files, err := testinstances.ORLibFiles(testinstances.ORLibDir)
	if err != nil && !errors.Is(err, testinstances.ErrNoORLib) {
		b.Fatal(err)
	}
	for _, file := range files {
		if !file.Sparse {
			continue
		}
		b.Run("orlib/"+file.Name, func(b *testing.B) {
			f, err := os.Open(file.Path)
			if err != nil {
				b.Fatal(err)
			}
			in, err := ReadORLib(bufio.NewReader(f))
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
			benchmarkSolver(b, mustNewSparse(b, in.N, in.N, in.Sparse), nil)
		})
	}
}

// benchmarkSolver times Solve or SolveSparse on p, built before timing,
// and checks the certificate of the last answer.
func benchmarkSolver(b *testing.B, p problem, opts *Options) {
	b.ReportAllocs()
	var sol *Solution
	for b.Loop() {
		var err error
		if sol, err = solveProblem(p, opts); err != nil {
			b.Fatal(err)
		}
	}
	if err := verifyProblem(p, opts, sol); err != nil {
		b.Fatalf("certificate of the last solution: %v", err)
	}
	b.ReportMetric(float64(sol.Augmentations), "augmentations/op")
	b.ReportMetric(float64(sol.RowScans), "scans/op")
}

func BenchmarkNewSparse(b *testing.B) {
	const rows, cols, k = 100000, 120000, 30
	edges := randomSparse(rows, cols, k, 1, 1000, true, 1)
	sorted := slices.Clone(edges)
	slices.SortFunc(sorted, func(a, b Edge) int { return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(a.Col, b.Col)) })
	for _, bb := range []struct {
		name  string
		edges []Edge
	}{{"sorted", sorted}, {"unsorted", edges}} {
		b.Run(fmt.Sprintf("rows=%d/cols=%d/k=%d/%s", rows, cols, k, bb.name), func(b *testing.B) {
			b.ReportAllocs()
			var s *Sparse
			for b.Loop() {
				var err error
				if s, err = NewSparse(rows, cols, bb.edges); err != nil {
					b.Fatal(err)
				}
			}
			if s.NumEdges() != len(edges) {
				b.Fatalf("NewSparse kept %d edges of %d", s.NumEdges(), len(edges))
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, bb := range []struct {
		name string
		p    func(b *testing.B) problem
	}{
		{"n=2000", func(*testing.B) problem { return uniformMatrix(2000, 2000, 1000, 1, 1) }},
		{"sparse/rows=100000/cols=120000/k=30", func(b *testing.B) problem {
			return mustNewSparse(b, 100000, 120000, randomSparse(100000, 120000, 30, 1, 1000, true, 1))
		}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			p := bb.p(b)
			sol, err := solveProblem(p, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := verifyProblem(p, nil, sol); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadORLib(b *testing.B) {
	dense := func(n int) []byte {
		var buf []byte
		buf = strconv.AppendInt(buf, int64(n), 10)
		for _, row := range testinstances.UniformMatrix(n, n, 1000, 1) {
			buf = append(buf, '\n')
			for _, c := range row {
				buf = append(buf, ' ')
				buf = strconv.AppendInt(buf, c, 10)
			}
		}
		return append(buf, '\n')
	}
	sparse := func(n, arcs int) []byte {
		r := rand.New(rand.NewPCG(1, 1))
		var buf []byte
		buf = strconv.AppendInt(buf, int64(n), 10)
		buf = append(buf, '\n')
		// Distinct cells: row i gets arcs/n consecutive columns from a
		// random start.
		per := arcs / n
		for i := range n {
			start := r.IntN(n)
			for k := range per {
				buf = fmt.Appendf(buf, " %d %d %d\n", i+1, (start+k)%n+1, 1+r.IntN(100))
			}
		}
		return buf
	}
	for _, bb := range []struct {
		name string
		data func() []byte
	}{
		{"dense/n=1000", func() []byte { return dense(1000) }},
		{"sparse/n=5000/arcs=100000", func() []byte { return sparse(5000, 100000) }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			data := bb.data()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var in *Instance
			for b.Loop() {
				var err error
				if in, err = ReadORLib(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
			if in.N == 0 {
				b.Fatalf("ReadORLib read n = 0")
			}
		})
	}
}
