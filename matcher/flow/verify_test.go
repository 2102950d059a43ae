package flow

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// TestVerifyRejects starts from a verified optimum and breaks one condition
// at a time; Verify must reject each.
func TestVerifyRejects(t *testing.T) {
	// 0 → 1 → 3 (cheap, capacity 1) and 0 → 2 → 3; two units.
	supply := []int64{2, 0, 0, -2}
	arcs := []testArc{{0, 1, 0, 1, 1}, {1, 3, 0, 5, 1}, {0, 2, 0, 5, 3}, {2, 3, 1, 5, 1}}
	n := newTestNetwork(t, supply, arcs)
	good, err := mustSolveVerified(t, n, Auto)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(good.Flow, []int64{1, 1, 1, 1}) {
		t.Fatalf("MinCostFlow flow = %v, want [1 1 1 1]", good.Flow)
	}
	clone := func() *Result {
		r := *good
		r.Flow = slices.Clone(good.Flow)
		r.Potential = slices.Clone(good.Potential)
		return &r
	}
	tests := []struct {
		name   string
		break_ func(r *Result)
	}{
		{"nil result", nil},
		{"short flow", func(r *Result) { r.Flow = r.Flow[:3] }},
		{"short potential", func(r *Result) { r.Potential = r.Potential[:3] }},
		{"flow above capacity", func(r *Result) { r.Flow[0] = 2 }},
		{"flow below lower bound", func(r *Result) { r.Flow[3] = 0 }},
		{"conservation broken", func(r *Result) { r.Flow[1] = 2 }},
		{"supply not met", func(r *Result) { r.Flow[2], r.Flow[3] = 0, 0 }},
		{"wrong cost", func(r *Result) { r.Cost++ }},
		{"reduced cost negative below capacity", func(r *Result) {
			// Make 0→2 look dearer than it is: c − p0 + p2 with p0 huge.
			r.Potential[0] += 100
		}},
		{"reduced cost positive above lower bound", func(r *Result) { r.Potential[3] += 100 }},
		{"potentials overflow int64", func(r *Result) {
			r.Potential[0], r.Potential[1] = math.MinInt64, math.MaxInt64
		}},
		{"suboptimal flow with consistent cost", func(r *Result) {
			// Send both units the dear way: feasible, cost updated, but
			// no potentials can certify it.
			r.Flow = []int64{0, 0, 2, 2}
			r.Cost = 2*3 + 2*1
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *Result
			if tt.break_ != nil {
				r = clone()
				tt.break_(r)
			}
			if err := Verify(n, r); !errors.Is(err, ErrCertificate) {
				t.Fatalf("Verify(%s) = %v, want ErrCertificate", tt.name, err)
			}
		})
	}
	if err := Verify(n, clone()); err != nil {
		t.Fatalf("Verify(unbroken clone) = %v, want nil", err)
	}
}

// TestVerifyHugeValues checks that Verify's sums cannot overflow: flows at
// math.MaxInt64 on Unbounded arcs with large costs.
func TestVerifyHugeValues(t *testing.T) {
	n := newTestNetwork(t, []int64{0, 0}, []testArc{
		{0, 1, 0, Unbounded, math.MaxInt64}, {1, 0, 0, Unbounded, math.MaxInt64},
	})
	r := &Result{
		Flow:      []int64{math.MaxInt64, math.MaxInt64},
		Potential: []int64{0, 0},
		Cost:      -2, // what wrapping int64 arithmetic would give
	}
	if err := Verify(n, r); !errors.Is(err, ErrCertificate) {
		t.Fatalf("Verify(overflowing cost) = %v, want ErrCertificate", err)
	}
}

// TestVerifyRejectsUnboundedProblem: on a negative cycle of Unbounded arcs
// no flow is optimal, so no certificate may pass, not even one that fills
// the arcs to math.MaxInt64 as if that were their capacity.
func TestVerifyRejectsUnboundedProblem(t *testing.T) {
	n := newTestNetwork(t, []int64{0, 0}, []testArc{
		{0, 1, 0, Unbounded, -1}, {1, 0, 0, Unbounded, 0},
	})
	if _, err := MinCostFlow(n, nil); !errors.Is(err, ErrUnbounded) {
		t.Fatalf("MinCostFlow(negative unbounded cycle) = %v, want ErrUnbounded", err)
	}
	r := &Result{
		Flow:      []int64{math.MaxInt64, math.MaxInt64},
		Potential: []int64{0, 0},
		Cost:      -math.MaxInt64,
	}
	if err := Verify(n, r); !errors.Is(err, ErrCertificate) {
		t.Fatalf("Verify(flow at math.MaxInt64 on an unbounded negative cycle) = %v, want ErrCertificate", err)
	}
}

func mustAddProduct(t *testing.T, a int128, x, y int64) int128 {
	t.Helper()
	s, ok := a.addProduct(x, y)
	if !ok {
		t.Fatalf("%v + %d·%d overflows", a, x, y)
	}
	return s
}

func TestInt128(t *testing.T) {
	tests := []struct {
		name string
		got  int128
		want int128
	}{
		{"max+max", int128{}.add(math.MaxInt64).add(math.MaxInt64), int128{hi: 0, lo: 1<<64 - 2}},
		{"min+min", int128{}.add(math.MinInt64).add(math.MinInt64), int128{hi: -1, lo: 0}},
		{"0-min", int128{}.sub(math.MinInt64), int128{hi: 0, lo: 1 << 63}},
		{"max·max", mustAddProduct(t, int128{}, math.MaxInt64, math.MaxInt64), int128{hi: 1<<62 - 1, lo: 1}},
		{"-3·5+15", mustAddProduct(t, int128{}, -3, 5).add(15), int128{}},
		{"neg(1)", int128{}.add(1).neg(), int128{}.add(-1)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
	big := mustAddProduct(t, int128{}, math.MinInt64, math.MinInt64) // 2^126
	if s, ok := big.addProduct(math.MinInt64, math.MinInt64); ok {   // 2^127
		t.Errorf("2^126 + 2^126 = %v without overflow, want overflow", s)
	}
	if s := (int128{}).add(-5).String(); s != "-5" {
		t.Errorf("int128(-5).String() = %q, want \"-5\"", s)
	}
}
