package flow

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/khidi/khidi/matcher/internal/oracle"
)

// algorithms lists what every solver test runs.
var algorithms = []Algorithm{SuccessiveShortestPath, NetworkSimplex, Auto}

type testArc struct {
	from, to        int
	lower, capacity int64
	cost            int64
}

func (a testArc) String() string {
	c := fmt.Sprint(a.capacity)
	if a.capacity == Unbounded {
		c = "∞"
	}
	return fmt.Sprintf("%d→%d[%d,%s]$%d", a.from, a.to, a.lower, c, a.cost)
}

// newTestNetwork builds a network from supplies and arcs.
func newTestNetwork(t testing.TB, supply []int64, arcs []testArc) *Network {
	t.Helper()
	n := NewNetwork(len(supply))
	for v, b := range supply {
		n.SetSupply(v, b)
	}
	for i, a := range arcs {
		if got := n.AddArc(a.from, a.to, a.lower, a.capacity, a.cost); got != i {
			t.Fatalf("AddArc #%d returned %d", i, got)
		}
	}
	return n
}

// describe formats a network for failure messages, in full when small.
func describe(n *Network) string {
	if n.Nodes() > 20 || n.NumArcs() > 40 {
		return fmt.Sprintf("network of %d nodes and %d arcs", n.Nodes(), n.NumArcs())
	}
	s := fmt.Sprintf("supply=%v arcs=[", n.supply)
	for e := range n.NumArcs() {
		a := n.Arc(e)
		if e > 0 {
			s += " "
		}
		s += testArc{a.From, a.To, a.Lower, a.Capacity, a.Cost}.String()
	}
	return s + "]"
}

// mustSolveVerified solves n with alg and, when it succeeds, checks the
// certificate with Verify.
func mustSolveVerified(t testing.TB, n *Network, alg Algorithm) (*Result, error) {
	t.Helper()
	r, err := MinCostFlow(n, &Options{Algorithm: alg})
	if err != nil {
		if r != nil {
			t.Fatalf("MinCostFlow(%s) with %v returned a result and error %v", describe(n), alg, err)
		}
		return nil, err
	}
	if err := Verify(n, r); err != nil {
		t.Fatalf("Verify(MinCostFlow(%s) with %v) = %v, want nil", describe(n), alg, err)
	}
	return r, nil
}

func TestMinCostFlowTable(t *testing.T) {
	tests := []struct {
		name    string
		supply  []int64
		arcs    []testArc
		want    int64 // optimum when wantErr is nil
		wantErr error
	}{
		// Optima below are worked out by hand from the few possible routes.
		{name: "empty", want: 0},
		{name: "isolated nodes", supply: []int64{0, 0, 0}, want: 0},
		{
			name:   "path",
			supply: []int64{3, 0, -3},
			arcs:   []testArc{{0, 1, 0, 5, 2}, {1, 2, 0, 5, 4}},
			want:   3 * 6,
		},
		{
			// The cheap route 0→1→3 takes 2 units, the rest go 0→2→3.
			name:   "split over two routes",
			supply: []int64{5, 0, 0, -5},
			arcs:   []testArc{{0, 1, 0, 2, 1}, {1, 3, 0, 9, 1}, {0, 2, 0, 9, 3}, {2, 3, 0, 9, 3}},
			want:   2*2 + 3*6,
		},
		{
			// The lower bound forces 2 units over the dear route.
			name:   "lower bound forces dear arc",
			supply: []int64{4, 0, -4},
			arcs:   []testArc{{0, 2, 0, 9, 1}, {0, 1, 2, 9, 5}, {1, 2, 0, 9, 5}},
			want:   2*1 + 2*10,
		},
		{
			// A circulation: the lower bound on 0→1 needs a way back.
			name:   "lower bound circulation",
			supply: []int64{0, 0},
			arcs:   []testArc{{0, 1, 3, 5, 2}, {1, 0, 0, 9, -1}},
			want:   3*2 - 3,
		},
		{
			name:    "lower bound unsatisfiable",
			supply:  []int64{0, 0},
			arcs:    []testArc{{0, 1, 1, 5, 2}},
			wantErr: ErrInfeasible,
		},
		{
			name:    "lower bound above capacity",
			supply:  []int64{0, 0},
			arcs:    []testArc{{0, 1, 3, 2, 2}},
			wantErr: ErrInfeasible,
		},
		{
			// Cycle 0→1→2→0 costs -1 per unit; capacity 4 on 1→2.
			name:   "negative cycle with finite capacity",
			supply: []int64{0, 0, 0},
			arcs:   []testArc{{0, 1, 0, Unbounded, 1}, {1, 2, 0, 4, -5}, {2, 0, 0, Unbounded, 3}},
			want:   -4,
		},
		{
			name:    "negative cycle of unbounded arcs",
			supply:  []int64{0, 0, 0},
			arcs:    []testArc{{0, 1, 0, Unbounded, 1}, {1, 2, 0, Unbounded, -5}, {2, 0, 0, Unbounded, 3}},
			wantErr: ErrUnbounded,
		},
		{
			// The same cycle with supplies that cannot be met: infeasibility
			// is reported first, as the LP oracle does.
			name:    "unbounded cycle but infeasible",
			supply:  []int64{1, 0, 0, -1},
			arcs:    []testArc{{0, 1, 0, Unbounded, 1}, {1, 2, 0, Unbounded, -5}, {2, 0, 0, Unbounded, 3}},
			wantErr: ErrInfeasible,
		},
		{
			// A zero-cost cycle of unbounded arcs is harmless.
			name:   "zero-cost cycle of unbounded arcs",
			supply: []int64{2, 0, -2},
			arcs:   []testArc{{0, 1, 0, Unbounded, 1}, {1, 0, 0, Unbounded, -1}, {1, 2, 0, Unbounded, 1}},
			want:   4,
		},
		{
			name:   "negative self-loop",
			supply: []int64{0},
			arcs:   []testArc{{0, 0, 0, 7, -2}},
			want:   -14,
		},
		{
			name:   "self-loop with lower bound",
			supply: []int64{0},
			arcs:   []testArc{{0, 0, 2, 7, 3}},
			want:   6,
		},
		{
			name:    "negative unbounded self-loop",
			supply:  []int64{0},
			arcs:    []testArc{{0, 0, 0, Unbounded, -1}},
			wantErr: ErrUnbounded,
		},
		{
			name:   "parallel arcs",
			supply: []int64{5, -5},
			arcs:   []testArc{{0, 1, 0, 2, 4}, {0, 1, 0, 2, 1}, {0, 1, 0, 9, 7}},
			want:   2*1 + 2*4 + 7,
		},
		{
			name:   "zero-capacity arc",
			supply: []int64{1, -1},
			arcs:   []testArc{{0, 1, 0, 0, -100}, {0, 1, 0, 1, 5}},
			want:   5,
		},
		{
			name:    "supplies do not balance",
			supply:  []int64{2, -1},
			arcs:    []testArc{{0, 1, 0, 5, 1}},
			wantErr: ErrInfeasible,
		},
		{
			name:    "demand unreachable",
			supply:  []int64{1, 0, -1},
			arcs:    []testArc{{0, 1, 0, 5, 1}},
			wantErr: ErrInfeasible,
		},
		{
			name:    "capacity too small",
			supply:  []int64{3, 0, -3},
			arcs:    []testArc{{0, 1, 0, 5, 1}, {1, 2, 0, 2, 1}},
			wantErr: ErrInfeasible,
		},
		{
			name:    "negative capacity",
			supply:  []int64{0, 0},
			arcs:    []testArc{{0, 1, 0, -1, 1}},
			wantErr: ErrCostRange,
		},
		{
			name:    "negative lower bound",
			supply:  []int64{0, 0},
			arcs:    []testArc{{0, 1, -1, 1, 1}},
			wantErr: ErrCostRange,
		},
		{
			name:    "cost too large",
			supply:  []int64{0, 0},
			arcs:    []testArc{{0, 1, 0, 1, 1 << 57}},
			wantErr: ErrCostRange,
		},
		{
			name:    "cost math.MinInt64",
			supply:  []int64{0, 0},
			arcs:    []testArc{{0, 1, 0, 1, math.MinInt64}},
			wantErr: ErrCostRange,
		},
		{
			name:    "supplies too large",
			supply:  []int64{1 << 61, -(1 << 61)},
			arcs:    []testArc{{0, 1, 0, Unbounded, 1}},
			wantErr: ErrCostRange,
		},
		{
			// 2^30 units at cost 2^40 each: the optimum 2^70 overflows.
			name:    "optimal cost overflows",
			supply:  []int64{1 << 30, -(1 << 30)},
			arcs:    []testArc{{0, 1, 0, Unbounded, 1 << 40}},
			wantErr: ErrCostRange,
		},
		{
			// Largest costs the range allows for 3 nodes, with a negative
			// cycle: checks that no intermediate value overflows.
			name:   "costs at the range limit",
			supply: []int64{1, 0, -1},
			arcs: []testArc{
				{0, 1, 0, 1, costBudget / 5}, {1, 2, 0, 1, -costBudget / 5},
				{2, 1, 0, 1, costBudget / 5}, {0, 2, 0, 1, costBudget / 5},
			},
			want: 0,
		},
	}
	for _, tt := range tests {
		for _, alg := range algorithms {
			t.Run(fmt.Sprintf("%s/%v", tt.name, alg), func(t *testing.T) {
				n := newTestNetwork(t, tt.supply, tt.arcs)
				r, err := mustSolveVerified(t, n, alg)
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("MinCostFlow(%s) error = %v, want %v", describe(n), err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatalf("MinCostFlow(%s) error = %v, want cost %d", describe(n), err, tt.want)
				}
				if r.Cost != tt.want {
					t.Fatalf("MinCostFlow(%s).Cost = %d, want %d", describe(n), r.Cost, tt.want)
				}
			})
		}
	}
}

// TestMinCostFlowLP compares both algorithms with gonum's simplex method on
// small random networks with everything the solvers must handle: lower
// bounds, unbounded arcs, negative costs and cycles, parallel arcs,
// self-loops and supplies that cannot be met.
func TestMinCostFlowLP(t *testing.T) {
	cases := 1500
	if raceEnabled || testing.Short() {
		cases = 700
	}
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[oracle.Status]int{}
	defer func() {
		// Every status must occur, or the test checks less than it claims.
		for _, st := range []oracle.Status{oracle.Optimal, oracle.Infeasible, oracle.Unbounded} {
			if seen[st] < cases/50 {
				t.Errorf("only %d of %d cases were %v", seen[st], cases, st)
			}
		}
	}()
	for c := range cases {
		nodes := 1 + r.IntN(6)
		supply := make([]int64, nodes)
		var arcs []testArc
		for range r.IntN(11) {
			a := testArc{from: r.IntN(nodes), to: r.IntN(nodes), capacity: r.Int64N(6), cost: r.Int64N(16) - 5}
			switch r.IntN(8) {
			case 0:
				a.capacity = Unbounded
			case 1:
				a.lower = r.Int64N(a.capacity + 1)
			}
			arcs = append(arcs, a)
		}
		for range r.IntN(3) {
			u, v := r.IntN(nodes), r.IntN(nodes)
			k := 1 + r.Int64N(4)
			supply[u] += k
			supply[v] -= k
		}
		if r.IntN(10) == 0 {
			supply[r.IntN(nodes)]++ // unbalanced
		}
		lpArcs := make([]oracle.Arc, len(arcs))
		for i, a := range arcs {
			capacity := a.capacity
			if capacity == Unbounded {
				capacity = -1
			}
			lpArcs[i] = oracle.Arc{From: a.from, To: a.to, Lower: a.lower, Capacity: capacity, Cost: a.cost}
		}
		want, status, err := oracle.MinCostFlowLP(nodes, supply, lpArcs)
		if err != nil {
			t.Fatalf("case %d: MinCostFlowLP: %v", c, err)
		}
		seen[status]++
		for _, alg := range algorithms[:2] {
			n := newTestNetwork(t, supply, arcs)
			res, err := mustSolveVerified(t, n, alg)
			switch status {
			case oracle.Optimal:
				if err != nil || res.Cost != int64(math.Round(want)) {
					t.Fatalf("case %d: MinCostFlow(%s) with %v = %v, %v; want cost %v", c, describe(n), alg, res, err, want)
				}
			case oracle.Infeasible:
				if !errors.Is(err, ErrInfeasible) {
					t.Fatalf("case %d: MinCostFlow(%s) with %v error = %v, want ErrInfeasible", c, describe(n), alg, err)
				}
			case oracle.Unbounded:
				if !errors.Is(err, ErrUnbounded) {
					t.Fatalf("case %d: MinCostFlow(%s) with %v error = %v, want ErrUnbounded", c, describe(n), alg, err)
				}
			}
		}
	}
}

// TestMinCostFlowFamilies solves larger seeded networks of several shapes
// with both algorithms; each result must pass Verify and the two costs
// must agree.
func TestMinCostFlowFamilies(t *testing.T) {
	type family struct {
		name  string
		build func(seed uint64) *Network
	}
	scale := 1
	if raceEnabled || testing.Short() {
		scale = 4
	}
	families := []family{
		{"sparse/n=2000/m=8000", func(seed uint64) *Network {
			r := rand.New(rand.NewPCG(seed, 3))
			return randomNetwork(r, 2000/scale, 8000/scale, 1000, true)
		}},
		{"dense/n=60/m=3600", func(seed uint64) *Network {
			r := rand.New(rand.NewPCG(seed, 4))
			return randomNetwork(r, 60, 3600/scale, 100, true)
		}},
		{"nonnegative/n=500/m=5000", func(seed uint64) *Network {
			r := rand.New(rand.NewPCG(seed, 5))
			return randomNetwork(r, 500/scale, 5000/scale, 50, false)
		}},
		{"transport/applicants=2000/hosts=100/k=10", func(seed uint64) *Network {
			return transportFamilyNetwork(2000/scale, 100/scale, 10, seed)
		}},
		{"transport/applicants=300/hosts=300/k=5", func(seed uint64) *Network {
			return transportFamilyNetwork(300, 300, 5, seed)
		}},
	}
	for _, f := range families {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed=%d", f.name, seed), func(t *testing.T) {
				t.Parallel()
				n := f.build(seed)
				var costs []int64
				for _, alg := range algorithms[:2] {
					r, err := mustSolveVerified(t, n, alg)
					if err != nil {
						t.Fatalf("MinCostFlow(%s) with %v: %v", f.name, alg, err)
					}
					costs = append(costs, r.Cost)
				}
				if costs[0] != costs[1] {
					t.Fatalf("MinCostFlow(%s) costs %v by %v, want equal", f.name, costs, algorithms[:2])
				}
			})
		}
	}
}

// TestMinCostFlowDeterministic checks that two runs give identical results.
func TestMinCostFlowDeterministic(t *testing.T) {
	n := transportFamilyNetwork(500, 40, 8, 7)
	for _, alg := range algorithms {
		t.Run(alg.String(), func(t *testing.T) {
			a, err := MinCostFlow(n, &Options{Algorithm: alg})
			if err != nil {
				t.Fatal(err)
			}
			b, err := MinCostFlow(n, &Options{Algorithm: alg})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("MinCostFlow with %v differs between two runs", alg)
			}
		})
	}
}

// TestMinCostFlowDoesNotModify checks that the network is left as it was.
func TestMinCostFlowDoesNotModify(t *testing.T) {
	arcs := []testArc{{0, 1, 1, 5, 2}, {1, 2, 0, Unbounded, -1}, {2, 0, 0, 3, 4}, {0, 2, 0, 2, 1}}
	for _, alg := range algorithms {
		n := newTestNetwork(t, []int64{2, 0, -2}, arcs)
		before := describe(n)
		if _, err := mustSolveVerified(t, n, alg); err != nil {
			t.Fatal(err)
		}
		if after := describe(n); after != before {
			t.Fatalf("MinCostFlow with %v changed the network from %s to %s", alg, before, after)
		}
	}
}

func TestMinCostFlowUnknownAlgorithm(t *testing.T) {
	n := NewNetwork(1)
	if _, err := MinCostFlow(n, &Options{Algorithm: Algorithm(42)}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("MinCostFlow with Algorithm(42) error = %v, want ErrInvalid", err)
	}
}

func TestNetworkAccessors(t *testing.T) {
	n := NewNetwork(3)
	n.SetSupply(0, 4)
	n.SetSupply(2, -4)
	e := n.AddArc(0, 2, 1, Unbounded, -3)
	if n.Nodes() != 3 || n.NumArcs() != 1 || e != 0 {
		t.Fatalf("Nodes, NumArcs, AddArc = %d, %d, %d; want 3, 1, 0", n.Nodes(), n.NumArcs(), e)
	}
	if got, want := n.Arc(0), (Arc{From: 0, To: 2, Lower: 1, Capacity: Unbounded, Cost: -3}); got != want {
		t.Fatalf("Arc(0) = %+v, want %+v", got, want)
	}
	if n.Supply(0) != 4 || n.Supply(1) != 0 || n.Supply(2) != -4 {
		t.Fatalf("Supply = %d %d %d, want 4 0 -4", n.Supply(0), n.Supply(1), n.Supply(2))
	}
}

func TestNetworkPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"NewNetwork(-1)", func() { NewNetwork(-1) }},
		{"AddArc bad from", func() { NewNetwork(2).AddArc(2, 0, 0, 1, 1) }},
		{"AddArc bad to", func() { NewNetwork(2).AddArc(0, -1, 0, 1, 1) }},
		{"SetSupply bad node", func() { NewNetwork(2).SetSupply(5, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("%s did not panic", tt.name)
				}
			}()
			tt.f()
		})
	}
}

func TestAlgorithmString(t *testing.T) {
	for alg, want := range map[Algorithm]string{
		Auto: "Auto", SuccessiveShortestPath: "SuccessiveShortestPath",
		NetworkSimplex: "NetworkSimplex", Algorithm(9): "Algorithm(9)",
	} {
		if got := alg.String(); got != want {
			t.Errorf("Algorithm(%d).String() = %q, want %q", int(alg), got, want)
		}
	}
}

// TestMinCostFlowAlgorithmsAgree solves thousands of small seeded networks
// (random shapes with lower bounds, unbounded arcs and negative costs, and
// small transport instances) with both algorithms: every result must pass
// Verify and the costs must agree.
func TestMinCostFlowAlgorithmsAgree(t *testing.T) {
	cases := 3000
	if raceEnabled || testing.Short() {
		cases = 1200
	}
	for seed := range uint64(cases) {
		var n *Network
		if seed%10 == 0 {
			n = transportFamilyNetwork(20+int(seed%7)*30, 2+int(seed%5)*7, 1+int(seed%9), seed)
		} else {
			r := rand.New(rand.NewPCG(seed, 99))
			nodes := 2 + r.IntN(40)
			n = randomNetwork(r, nodes, r.IntN(nodes*6), 1+r.Int64N(50), r.IntN(2) == 0)
		}
		var costs []int64
		for _, alg := range algorithms[:2] {
			res, err := mustSolveVerified(t, n, alg)
			if err != nil {
				t.Fatalf("seed %d: MinCostFlow(%s) with %v: %v", seed, describe(n), alg, err)
			}
			costs = append(costs, res.Cost)
		}
		if costs[0] != costs[1] {
			t.Fatalf("seed %d: MinCostFlow(%s) costs %v by %v, want equal", seed, describe(n), costs, algorithms[:2])
		}
	}
}

// TestMinCostFlowNamesSupplyNode checks that infeasibility names a node
// whose own supply cannot be routed, even when the flow that cannot get
// through piles up at a transshipment node first.
func TestMinCostFlowNamesSupplyNode(t *testing.T) {
	// Node 1 supplies 2 units; only 1 gets past node 2 to node 3.
	n := newTestNetwork(t, []int64{0, 2, 0, -2}, []testArc{{1, 2, 0, 5, 1}, {2, 3, 0, 1, 1}, {0, 3, 0, 9, 1}})
	for _, alg := range algorithms {
		_, err := MinCostFlow(n, &Options{Algorithm: alg})
		var u *InfeasibleError
		if !errors.Is(err, ErrInfeasible) || !errors.As(err, &u) || u.Node != 1 || err.Error() == "" {
			t.Errorf("MinCostFlow(%s) with %v error = %v, want ErrInfeasible naming node 1", describe(n), alg, err)
		}
	}
}
