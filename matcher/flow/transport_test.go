package flow

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/khidi/khidi/matcher/internal/oracle"
	"github.com/khidi/khidi/matcher/internal/testinstances"
	"github.com/khidi/khidi/matcher/lap"
)

// checkTransport checks a TransportResult against t: the flows on the
// network SolveTransport builds pass Verify, and the per-edge and per-left
// views, the cost and the documented potential conditions agree with them.
func checkTransport(tb testing.TB, t *Transport, r *TransportResult) {
	tb.Helper()
	n, err := t.network()
	if err != nil {
		tb.Fatalf("network: %v", err)
	}
	if err := Verify(n, r.Flows); err != nil {
		tb.Fatalf("Verify(SolveTransport(%+v).Flows) = %v, want nil", *t, err)
	}
	left, right, edges := len(t.Supply), len(t.Capacity), len(t.Edges)
	if len(r.Flow) != edges || len(r.Unassigned) != left || len(r.LeftPotential) != left || len(r.RightPotential) != right {
		tb.Fatalf("SolveTransport(%+v) result lengths %d %d %d %d, want %d %d %d %d", *t,
			len(r.Flow), len(r.Unassigned), len(r.LeftPotential), len(r.RightPotential), edges, left, left, right)
	}
	var cost int64
	placed := make([]int64, left)
	load := make([]int64, right)
	for e, f := range r.Flow {
		ed := t.Edges[e]
		if f != 0 && f != 1 {
			tb.Fatalf("edge %d carries %d units, want 0 or 1", e, f)
		}
		cost += f * ed.Cost
		placed[ed.Left] += f
		load[ed.Right] += f
		rc := ed.Cost - r.LeftPotential[ed.Left] + r.RightPotential[ed.Right]
		if f == 0 && rc < 0 || f == 1 && rc > 0 {
			tb.Fatalf("edge %d: flow %d with reduced cost %d", e, f, rc)
		}
	}
	for i, s := range t.Supply {
		u := r.Unassigned[i]
		if t.Unmatched == nil && u != 0 || placed[i]+u != s {
			tb.Fatalf("left node %d: %d placed + %d unassigned, supply %d", i, placed[i], u, s)
		}
		if t.Unmatched != nil {
			cost += u * t.Unmatched[i]
			p := r.LeftPotential[i]
			if u < s && p > t.Unmatched[i] || u > 0 && p < t.Unmatched[i] {
				tb.Fatalf("left node %d: potential %d, unmatched cost %d, %d of %d unassigned", i, p, t.Unmatched[i], u, s)
			}
		}
	}
	for j, c := range t.Capacity {
		q := r.RightPotential[j]
		if load[j] > c || q < 0 || load[j] < c && q != 0 {
			tb.Fatalf("right node %d: load %d, capacity %d, potential %d", j, load[j], c, q)
		}
	}
	if cost != r.Cost {
		tb.Fatalf("SolveTransport(%+v).Cost = %d, flows cost %d", *t, r.Cost, cost)
	}
}

// TestSolveTransportAssignments runs the shared hand-checked assignment
// table, so that lap and flow check each other on every instance.
func TestSolveTransportAssignments(t *testing.T) {
	for _, in := range testinstances.Assignments {
		for _, alg := range algorithms {
			t.Run(fmt.Sprintf("%s/%v", in.Name, alg), func(t *testing.T) {
				tr := &Transport{Supply: make([]int64, len(in.Cost))}
				for i, row := range in.Cost {
					tr.Supply[i] = 1
					if len(tr.Capacity) < len(row) {
						tr.Capacity = make([]int64, len(row))
					}
					for j, c := range row {
						tr.Capacity[j] = 1
						if in.Allowed == nil || in.Allowed[i][j] {
							tr.Edges = append(tr.Edges, Edge{Left: i, Right: j, Cost: c})
						}
					}
				}
				r, err := SolveTransport(tr, &Options{Algorithm: alg})
				if !in.Feasible {
					if !errors.Is(err, ErrInfeasible) {
						t.Fatalf("SolveTransport(%s) error = %v, want ErrInfeasible", in.Name, err)
					}
					return
				}
				if err != nil {
					t.Fatalf("SolveTransport(%s) error = %v, want nil", in.Name, err)
				}
				checkTransport(t, tr, r)
				if r.Cost != in.Optimum {
					t.Fatalf("SolveTransport(%s).Cost = %d, want %d", in.Name, r.Cost, in.Optimum)
				}
			})
		}
	}
}

// TestSolveTransportBruteForce compares with exhaustive enumeration on
// thousands of tiny instances: zero capacities, tied costs, negative costs,
// supplies up to 2, with and without Unmatched, feasible or not.
func TestSolveTransportBruteForce(t *testing.T) {
	cases := 3000
	if raceEnabled || testing.Short() {
		cases = 1500
	}
	r := rand.New(rand.NewPCG(11, 12))
	for c := range cases {
		left, right := 1+r.IntN(4), 1+r.IntN(3)
		tr := &Transport{Supply: make([]int64, left), Capacity: make([]int64, right)}
		for i := range tr.Supply {
			tr.Supply[i] = r.Int64N(3)
		}
		for j := range tr.Capacity {
			tr.Capacity[j] = r.Int64N(3)
		}
		var edges [][3]int64
		for i := range left {
			for j := range right {
				for r.IntN(3) == 0 || len(edges) == 0 {
					cost := r.Int64N(8) - 2 // small range: many ties
					tr.Edges = append(tr.Edges, Edge{Left: i, Right: j, Cost: cost})
					edges = append(edges, [3]int64{int64(i), int64(j), cost})
				}
			}
		}
		if r.IntN(2) == 0 {
			tr.Unmatched = make([]int64, left)
			for i := range tr.Unmatched {
				tr.Unmatched[i] = r.Int64N(12) - 1
			}
		}
		want, ok := oracle.TransportBruteForce(tr.Supply, tr.Capacity, edges, tr.Unmatched)
		for _, alg := range algorithms[:2] {
			res, err := SolveTransport(tr, &Options{Algorithm: alg})
			if !ok {
				if !errors.Is(err, ErrInfeasible) {
					t.Fatalf("case %d: SolveTransport(%+v) with %v error = %v, want ErrInfeasible", c, *tr, alg, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("case %d: SolveTransport(%+v) with %v error = %v, want cost %d", c, *tr, alg, err, want)
			}
			checkTransport(t, tr, res)
			if res.Cost != want {
				t.Fatalf("case %d: SolveTransport(%+v) with %v cost = %d, want %d", c, *tr, alg, res.Cost, want)
			}
		}
	}
}

func TestSolveTransportFamily(t *testing.T) {
	applicants, hosts := 3000, 150
	if raceEnabled || testing.Short() {
		applicants, hosts = 600, 30
	}
	tr := transportFamily(applicants, hosts, 10, 5)
	var costs []int64
	for _, alg := range algorithms[:2] {
		r, err := SolveTransport(tr, &Options{Algorithm: alg})
		if err != nil {
			t.Fatalf("SolveTransport(family) with %v: %v", alg, err)
		}
		checkTransport(t, tr, r)
		costs = append(costs, r.Cost)
	}
	if costs[0] != costs[1] {
		t.Fatalf("SolveTransport(family) costs %v, want equal", costs)
	}
	// The same instance as gen.py lays it out must cost the same.
	r, err := MinCostFlow(transportFamilyNetwork(applicants, hosts, 10, 5), nil)
	if err != nil || r.Cost != costs[0] {
		t.Fatalf("MinCostFlow(family network) = %v, %v; want cost %d", r, err, costs[0])
	}
}

func TestSolveTransportErrors(t *testing.T) {
	tests := []struct {
		name    string
		t       Transport
		wantErr error
	}{
		{"edge left out of range", Transport{Supply: []int64{1}, Capacity: []int64{1}, Edges: []Edge{{1, 0, 1}}}, ErrInvalid},
		{"edge right out of range", Transport{Supply: []int64{1}, Capacity: []int64{1}, Edges: []Edge{{0, -1, 1}}}, ErrInvalid},
		{"unmatched length", Transport{Supply: []int64{1, 1}, Capacity: []int64{1}, Unmatched: []int64{1}}, ErrInvalid},
		{"negative supply", Transport{Supply: []int64{-1}, Capacity: []int64{1}}, ErrCostRange},
		{"negative capacity", Transport{Supply: []int64{0}, Capacity: []int64{-2}}, ErrCostRange},
		{"cost too large", Transport{Supply: []int64{1}, Capacity: []int64{1}, Edges: []Edge{{0, 0, 1 << 60}}}, ErrCostRange},
		{"not enough capacity", Transport{Supply: []int64{1, 1}, Capacity: []int64{1}, Edges: []Edge{{0, 0, 1}, {1, 0, 1}}}, ErrInfeasible},
		{"no edge", Transport{Supply: []int64{1, 1}, Capacity: []int64{2}, Edges: []Edge{{0, 0, 1}}}, ErrInfeasible},
		{"edge carries one unit", Transport{Supply: []int64{2}, Capacity: []int64{2}, Edges: []Edge{{0, 0, 1}}}, ErrInfeasible},
	}
	for _, tt := range tests {
		for _, alg := range algorithms {
			t.Run(fmt.Sprintf("%s/%v", tt.name, alg), func(t *testing.T) {
				_, err := SolveTransport(&tt.t, &Options{Algorithm: alg})
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("SolveTransport(%+v) error = %v, want %v", tt.t, err, tt.wantErr)
				}
			})
		}
	}
}

// TestSolveTransportNamesLeftNode checks that infeasibility names the left
// node that cannot be placed, whichever algorithm finds it.
func TestSolveTransportNamesLeftNode(t *testing.T) {
	tests := []struct {
		name string
		t    Transport
		left int
	}{
		{
			// Left node 2 has no edge; 0 and 1 can be placed.
			name: "no edge",
			t:    Transport{Supply: []int64{1, 1, 1}, Capacity: []int64{5, 5}, Edges: []Edge{{0, 0, 1}, {1, 1, 1}}},
			left: 2,
		},
		{
			// The negative edge is saturated first, so the stuck unit sits
			// at right node 0 (capacity 0) when the search fails.
			name: "negative edge to a full right node",
			t:    Transport{Supply: []int64{0, 1}, Capacity: []int64{0}, Edges: []Edge{{1, 0, -3}}},
			left: 1,
		},
	}
	for _, tt := range tests {
		for _, alg := range algorithms {
			t.Run(fmt.Sprintf("%s/%v", tt.name, alg), func(t *testing.T) {
				_, err := SolveTransport(&tt.t, &Options{Algorithm: alg})
				var u *UnplaceableError
				if !errors.Is(err, ErrInfeasible) || !errors.As(err, &u) || u.Left != tt.left || err.Error() == "" {
					t.Errorf("SolveTransport(%+v) with %v error = %v, want ErrInfeasible naming left node %d", tt.t, alg, err, tt.left)
				}
			})
		}
	}
}

// TestORLibSparse solves OR-Library's sparse assignment files (about 100,000
// listed arcs each) as unit transports and checks the published optima from
// the folder's README. Sparsely, even the n=5000 file is quick under -race.
func TestORLibSparse(t *testing.T) {
	t.Parallel()
	for _, file := range testinstances.ORLibFilesOrSkip(t) {
		if !file.Sparse {
			continue // dense files are matcher/lap's
		}
		t.Run(file.Name, func(t *testing.T) {
			f, err := os.Open(file.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			in, err := lap.ReadORLib(bufio.NewReader(f))
			if err != nil {
				t.Fatalf("lap.ReadORLib(%s): %v", file.Name, err)
			}
			tr := &Transport{Supply: make([]int64, in.N), Capacity: make([]int64, in.N)}
			for i := range in.N {
				tr.Supply[i], tr.Capacity[i] = 1, 1
			}
			for _, e := range in.Sparse {
				tr.Edges = append(tr.Edges, Edge{Left: e.Row, Right: e.Col, Cost: e.Cost})
			}
			r, err := SolveTransport(tr, nil)
			if err != nil {
				t.Fatalf("SolveTransport(%s): %v", file.Name, err)
			}
			checkTransport(t, tr, r)
			if r.Cost != file.Optimum {
				t.Errorf("SolveTransport(%s).Cost = %d, want %d", file.Name, r.Cost, file.Optimum)
			}
		})
	}
}
