package lap

import (
	"bytes"
	"fmt"
	"math/rand/v2"
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
			opts := &Options{Sense: bb.sense}
			b.ReportAllocs()
			var sol *Solution
			for b.Loop() {
				var err error
				if sol, err = Solve(m, opts); err != nil {
					b.Fatal(err)
				}
			}
			if err := Verify(m, opts, sol); err != nil {
				b.Fatalf("Verify(Solve(%s)) = %v", bb.name, err)
			}
			b.ReportMetric(float64(sol.Augmentations), "augmentations/op")
			b.ReportMetric(float64(sol.RowScans), "scans/op")
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	m := uniformMatrix(2000, 2000, 1000, 1, 1)
	sol, err := Solve(m, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Verify(m, nil, sol); err != nil {
			b.Fatal(err)
		}
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
