package flow

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
)

// benchSizes are the transport family sizes of benchmarks/ and
// ../shared/peers (applicants × hosts × candidates per applicant).
var benchSizes = []benchSize{
	{1000, 50, 10},
	{10000, 500, 20},
	{30000, 1500, 30},
	{100000, 5000, 30},
}

// sspBenchLimit is the largest family size SuccessiveShortestPath is
// benchmarked on: its searches grow with the share of applicants competing
// for full hosts, and at 10000 applicants one solve already takes seconds.
const sspBenchLimit = 1000

// benchSize is one transport family size.
type benchSize struct{ applicants, hosts, k int }

func (s benchSize) String() string {
	return fmt.Sprintf("applicants=%d/hosts=%d/k=%d", s.applicants, s.hosts, s.k)
}

// runBenchCases runs body as a sub-benchmark for every size and algorithm,
// leaving SuccessiveShortestPath out above sspBenchLimit.
func runBenchCases(b *testing.B, body func(b *testing.B, size benchSize, opts *Options)) {
	for _, size := range benchSizes {
		for _, alg := range []Algorithm{NetworkSimplex, SuccessiveShortestPath} {
			if alg == SuccessiveShortestPath && size.applicants > sspBenchLimit {
				continue
			}
			b.Run(fmt.Sprintf("%v/alg=%v", size, alg), func(b *testing.B) {
				b.ReportAllocs()
				body(b, size, &Options{Algorithm: alg})
			})
		}
	}
}

func BenchmarkMinCostFlow(b *testing.B) {
	runBenchCases(b, func(b *testing.B, size benchSize, opts *Options) {
		n := transportFamilyNetwork(size.applicants, size.hosts, size.k, 1)
		var r *Result
		for b.Loop() {
			var err error
			if r, err = MinCostFlow(n, opts); err != nil {
				b.Fatal(err)
			}
		}
		if err := Verify(n, r); err != nil {
			b.Fatalf("Verify(MinCostFlow(%v)) = %v", size, err)
		}
		b.ReportMetric(float64(r.Pivots), "pivots/op")
		b.ReportMetric(float64(r.Augmentations), "augmentations/op")
	})
}

func BenchmarkSolveTransport(b *testing.B) {
	runBenchCases(b, func(b *testing.B, size benchSize, opts *Options) {
		t := transportFamily(size.applicants, size.hosts, size.k, 1)
		var r *TransportResult
		for b.Loop() {
			var err error
			if r, err = SolveTransport(t, opts); err != nil {
				b.Fatal(err)
			}
		}
		checkTransport(b, t, r)
	})
}

func BenchmarkReadDIMACS(b *testing.B) {
	for _, size := range benchSizes[1:3] {
		b.Run(size.String(), func(b *testing.B) {
			n := transportFamilyNetwork(size.applicants, size.hosts, size.k, 1)
			data := writeDIMACS(n)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var got *Network
			for b.Loop() {
				var err error
				if got, err = ReadDIMACS(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
			if got.NumArcs() != n.NumArcs() || got.Nodes() != n.Nodes() {
				b.Fatalf("ReadDIMACS read %d nodes, %d arcs; want %d, %d", got.Nodes(), got.NumArcs(), n.Nodes(), n.NumArcs())
			}
		})
	}
}

// writeDIMACS formats n as a DIMACS min-cost-flow file.
func writeDIMACS(n *Network) []byte {
	var buf []byte
	buf = fmt.Appendf(buf, "c written by writeDIMACS\np min %d %d\n", n.Nodes(), n.NumArcs())
	for v := range n.Nodes() {
		if s := n.Supply(v); s != 0 {
			buf = fmt.Appendf(buf, "n %d %d\n", v+1, s)
		}
	}
	for e := range n.NumArcs() {
		a := n.Arc(e)
		buf = append(buf, "a "...)
		for i, x := range []int64{int64(a.From + 1), int64(a.To + 1), a.Lower, a.Capacity, a.Cost} {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, x, 10)
		}
		buf = append(buf, '\n')
	}
	return buf
}
