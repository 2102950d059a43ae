package lap

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// sparseOf returns m's allowed cells as a Sparse. It lists them column by
// column, which is not NewSparse's storage order, so that NewSparse's
// sorting runs on every table and random case.
func sparseOf(t testing.TB, m *Matrix) *Sparse {
	t.Helper()
	var edges []Edge
	for j := range m.Cols() {
		for i := range m.Rows() {
			if c, ok := m.At(i, j); ok {
				edges = append(edges, Edge{Row: i, Col: j, Cost: c})
			}
		}
	}
	return mustNewSparse(t, m.Rows(), m.Cols(), edges)
}

// randomSparse returns the edges of a rows×cols problem in which each row
// has k distinct columns (k ≤ cols) with costs uniform in lo..hi, from a PCG
// generator seeded with seed. With hidden, row i's columns include column
// σ(i) of a random injection σ, so an assignment exists. Rows come in
// order, and each row's columns in random order.
func randomSparse(rows, cols, k int, lo, hi int64, hidden bool, seed uint64) []Edge {
	r := rand.New(rand.NewPCG(seed, 7))
	perm := make([]int, cols) // partial Fisher–Yates on perm draws k distinct columns
	for j := range perm {
		perm[j] = j
	}
	var sigma []int
	if hidden {
		sigma = r.Perm(cols)[:rows]
	}
	edges := make([]Edge, 0, rows*k)
	for i := range rows {
		for t := range k {
			p := t + r.IntN(cols-t)
			perm[t], perm[p] = perm[p], perm[t]
		}
		row := perm[:k]
		if hidden && !slices.Contains(row, sigma[i]) {
			row = append([]int{sigma[i]}, row[1:]...)
		}
		for _, j := range row {
			edges = append(edges, Edge{Row: i, Col: j, Cost: lo + r.Int64N(hi-lo+1)})
		}
	}
	return edges
}

func mustNewSparse(t testing.TB, rows, cols int, edges []Edge) *Sparse {
	t.Helper()
	s, err := NewSparse(rows, cols, edges)
	if err != nil {
		t.Fatalf("NewSparse(%d, %d, …): %v", rows, cols, err)
	}
	return s
}

// TestSolveSparseCertificates runs seeded families larger than an oracle
// can check, shaped like khidi's rounds (k candidate columns per row),
// relying on VerifySparse, and on checkHall for infeasible ones.
func TestSolveSparseCertificates(t *testing.T) {
	t.Parallel()
	type family struct {
		name       string
		rows, cols int
		k          int
		lo, hi     int64
		hidden     bool // an assignment is planted, so the family is feasible
		sense      Sense
	}
	huge := MaxCost(3000)
	families := []family{
		{"square-k10", 3000, 3000, 10, 1, 100, true, Minimize},
		{"square-k3", 2000, 2000, 3, 1, 1000, false, Minimize}, // mostly infeasible
		{"square-k2-hidden", 2000, 2000, 2, 1, 1000, true, Minimize},
		{"square-ties", 2000, 2000, 8, 0, 2, true, Minimize},
		{"square-negative", 1500, 1500, 12, -1000, 1000, true, Maximize},
		{"square-huge", 1000, 1000, 6, -huge, huge, true, Minimize},
		{"square-int32", 1000, 1000, 6, -1 << 30, 1 << 30, true, Maximize},
		{"rect-k5", 2000, 2500, 5, 1, 100, false, Minimize},
		{"rect-k30", 3000, 3600, 30, 1, 1000, true, Maximize},
		{"rect-ties", 2500, 2600, 4, 0, 1, true, Minimize},
		{"rect-wide", 500, 20000, 3, -50, 50, false, Minimize},
		{"rect-k1", 1000, 1200, 1, 1, 9, false, Minimize}, // infeasible: collisions
		{"dense-ish", 300, 300, 150, 1, 1000, false, Maximize},
		{"small-square-k3", 300, 300, 3, 1, 20, false, Minimize},
		{"small-rect-k4", 200, 260, 4, -100, 100, false, Maximize},
		{"small-rect-k2-hidden", 250, 300, 2, 0, 3, true, Minimize},
	}
	for _, fam := range families {
		forSeeds(t, fam.name, func(t *testing.T, seed uint64) {
			edges := randomSparse(fam.rows, fam.cols, fam.k, fam.lo, fam.hi, fam.hidden, seed)
			s := mustNewSparse(t, fam.rows, fam.cols, edges)
			opts := &Options{Sense: fam.sense}
			sol := mustSolveVerified(t, s, opts)
			if fam.hidden && sol == nil {
				t.Errorf("SolveSparse(%s) infeasible, but an assignment was planted", fam.name)
			}
			if fam.rows*fam.cols > 1<<17 {
				return
			}
			// In addition, not as an oracle (the two solvers share their
			// design): the dense solver agrees.
			m := NewMatrix(fam.rows, fam.cols)
			m.forbidAll()
			for _, e := range edges {
				m.Set(e.Row, e.Col, e.Cost)
			}
			dense := mustSolveVerified(t, m, opts)
			if (dense == nil) != (sol == nil) || dense != nil && dense.Cost != sol.Cost {
				t.Errorf("Solve = %+v, SolveSparse = %+v: they disagree", dense, sol)
			}
		})
	}
}

func TestSolveSparseCostBoundary(t *testing.T) {
	// ±MaxCost itself is accepted. Row 1 has one cell, so row 0 must take
	// column 0: limit − limit = 0.
	limit := MaxCost(2)
	s := mustNewSparse(t, 2, 2, []Edge{{0, 0, limit}, {1, 1, -limit}, {0, 1, 0}})
	sol := mustSolveVerified(t, s, &Options{Sense: Maximize})
	if sol == nil || sol.Cost != 0 {
		t.Errorf("SolveSparse = %+v, want cost 0", sol)
	}
}

// TestSolveSparseDeterministic checks that the answer depends only on the
// set of edges: not on the run, nor on the order the edges are given in.
func TestSolveSparseDeterministic(t *testing.T) {
	t.Parallel()
	edges := randomSparse(300, 360, 6, 0, 3, true, 9) // many ties
	first := mustSolveVerified(t, mustNewSparse(t, 300, 360, edges), nil)
	r := rand.New(rand.NewPCG(1, 1))
	for range 3 {
		shuffled := slices.Clone(edges)
		r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		before := slices.Clone(shuffled)
		again, err := SolveSparse(mustNewSparse(t, 300, 360, shuffled), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("SolveSparse gave %+v, then %+v", first, again)
		}
		if !slices.Equal(before, shuffled) {
			t.Errorf("NewSparse modified the edges")
		}
	}
}

func TestNewSparse(t *testing.T) {
	// Given out of order; the listing is by row, then column.
	edges := []Edge{{2, 0, 7}, {0, 3, -1}, {0, 1, 4}, {2, 2, 0}}
	s := mustNewSparse(t, 3, 4, edges)
	if s.Rows() != 3 || s.Cols() != 4 || s.NumEdges() != 4 {
		t.Fatalf("NewSparse(3, 4, 4 edges) is %d×%d with %d edges", s.Rows(), s.Cols(), s.NumEdges())
	}
	if want := []int32{1, 3, 0, 2}; !slices.Equal(s.col, want) {
		t.Errorf("columns in storage order %v, want %v", s.col, want)
	}
	for i := range 3 {
		for j := range 4 {
			wantCost, wantOK := int64(0), false
			for _, e := range edges {
				if e.Row == i && e.Col == j {
					wantCost, wantOK = e.Cost, true
				}
			}
			if c, ok := s.At(i, j); c != wantCost || ok != wantOK {
				t.Errorf("At(%d, %d) = %d, %v; want %d, %v", i, j, c, ok, wantCost, wantOK)
			}
		}
	}
	sorted := mustNewSparse(t, 3, 4, []Edge{{0, 1, 4}, {0, 3, -1}, {2, 0, 7}, {2, 2, 0}})
	if !reflect.DeepEqual(s, sorted) {
		t.Errorf("NewSparse depends on the order of the edges: %+v, sorted %+v", s, sorted)
	}
}

func TestNewSparseErrors(t *testing.T) {
	tests := []struct {
		name       string
		rows, cols int
		edges      []Edge
	}{
		{"negative row", 2, 2, []Edge{{0, 0, 1}, {-1, 0, 1}}},
		{"row too large", 2, 2, []Edge{{2, 0, 1}}},
		{"negative column", 2, 2, []Edge{{0, -1, 1}}},
		{"column too large", 2, 3, []Edge{{1, 3, 1}}},
		{"duplicate, sorted input", 2, 2, []Edge{{0, 0, 1}, {0, 0, 2}}},
		{"duplicate, unsorted input", 3, 3, []Edge{{2, 1, 1}, {0, 2, 5}, {2, 1, 3}, {0, 2, 4}, {0, 2, 6}}},
		{"too many columns", 1, MaxSparseCols + 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSparse(tt.rows, tt.cols, tt.edges)
			if err == nil {
				t.Fatalf("NewSparse(%d, %d, %v) = %+v, want an error", tt.rows, tt.cols, tt.edges, s)
			}
			if tt.edges != nil && !errors.Is(err, ErrEdge) {
				t.Errorf("NewSparse(%d, %d, %v) error %v, want ErrEdge", tt.rows, tt.cols, tt.edges, err)
			}
		})
	}
	// The repeat reported is the first in the order given, with the edge it
	// repeats: edge 2 repeats edge 0 (edge 3 repeats edge 1 and comes later).
	if dup, first := firstDuplicate([]Edge{{2, 1, 1}, {0, 2, 5}, {2, 1, 3}, {0, 2, 4}, {0, 2, 6}}); dup != 2 || first != 0 {
		t.Errorf("firstDuplicate = %d, %d; want 2, 0", dup, first)
	}
	if dup, first := firstDuplicate([]Edge{{0, 1, 1}, {1, 0, 1}}); dup != -1 || first != -1 {
		t.Errorf("firstDuplicate(no repeats) = %d, %d; want -1, -1", dup, first)
	}
}
