// Package instancegen writes seeded benchmark instances of the two families
// khidi's exact solvers are measured on: dense square assignment matrices in
// OR-Library format and capacitated applicant→host assignments in DIMACS
// min-cost-flow format. The families follow ../shared/peers/gen.py (same
// shape, sizes and cost ranges); the bytes differ because that script draws
// from NumPy's generator and this package from math/rand/v2's PCG.
//
// It also writes seeded programmes (organisations, participants and
// communities as the CSV files `khidi import` reads) for the import
// benchmarks and demos.
package instancegen

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// UnmatchedCost is what leaving an applicant unplaced costs in a transport
// instance: twice the dearest candidate edge, so placing is always preferred
// when a place is free.
const UnmatchedCost = 2000

// maxEdgeCost is the dearest candidate edge of a transport instance.
const maxEdgeCost = 1000

// WriteDense writes an n×n OR-Library assignment matrix with costs uniform in
// 1..maxCost.
func WriteDense(w io.Writer, n int, maxCost int64, seed uint64) error {
	if n <= 0 || maxCost <= 0 {
		return fmt.Errorf("dense: need n > 0 and maxCost > 0, got n=%d maxCost=%d", n, maxCost)
	}
	r := rand.New(rand.NewPCG(seed, 0))
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := strconv.AppendInt(nil, int64(n), 10)
	buf = append(buf, '\n')
	for range n {
		for j := range n {
			if j > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, 1+r.Int64N(maxCost), 10)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// Transport describes a capacitated assignment instance: Applicants each
// with supply 1 and K distinct candidate hosts (popular hosts drawn more
// often, with weight 1/√rank) at costs 1..1000 plus an arc to an "unmatched"
// node at UnmatchedCost; Hosts whose capacities total about Fill×Applicants.
type Transport struct {
	Applicants, Hosts, K int
	Fill                 float64 // 0 means 0.8, as in gen.py
	Seed                 uint64
}

// Instance is a generated transport instance in memory, for benchmarks
// that build a solver's input directly instead of reading a file.
type Instance struct {
	Capacity []int64 // per host
	Edges    []Edge  // applicant by applicant, K candidate hosts each
}

// Edge is one candidate (applicant, host) pair, both 0-based.
type Edge struct {
	Applicant, Host int
	Cost            int64
}

// Generate draws the instance.
func (t Transport) Generate() (*Instance, error) {
	a, h, k := t.Applicants, t.Hosts, t.K
	if a <= 0 || h <= 0 || k <= 0 {
		return nil, fmt.Errorf("transport: need applicants, hosts and k > 0, got %d, %d, %d", a, h, k)
	}
	k = min(k, h)
	r := rand.New(rand.NewPCG(t.Seed, 1))
	avg := max(1, t.fill()*float64(a)/float64(h))
	hiCap := max(2, int(math.Round(2*avg))) // capacities 1..hiCap-1, mean ≈ avg
	in := &Instance{Capacity: make([]int64, h), Edges: make([]Edge, 0, a*k)}
	for j := range in.Capacity {
		in.Capacity[j] = int64(1 + r.IntN(hiCap-1))
	}
	// Popularity 1/√rank, sampled by inverse transform on the cumulative sum;
	// a permutation decouples popularity from host numbering.
	cum := make([]float64, h)
	total := 0.0
	for j := range cum {
		total += 1 / math.Sqrt(float64(j+1))
		cum[j] = total
	}
	perm := r.Perm(h)
	chosen := make([]bool, h)
	picked := make([]int, 0, k)
	for i := range a {
		picked = picked[:0]
		for len(picked) < k {
			rank, _ := slices.BinarySearch(cum, r.Float64()*total)
			rank = min(rank, h-1)
			if !chosen[rank] {
				chosen[rank] = true
				picked = append(picked, rank)
			}
		}
		for _, rank := range picked {
			chosen[rank] = false
			in.Edges = append(in.Edges, Edge{Applicant: i, Host: perm[rank], Cost: int64(1 + r.IntN(maxEdgeCost))})
		}
	}
	return in, nil
}

func (t Transport) fill() float64 {
	if t.Fill == 0 {
		return 0.8
	}
	return t.Fill
}

// Write writes the instance in DIMACS min-cost-flow format. Node numbers
// (1-based): applicants 1..A, hosts A+1..A+H, unmatched A+H+1, sink A+H+2.
// Each applicant's candidate arcs come first, then its arc to the unmatched
// node; host → sink arcs and unmatched → sink close the file.
func (t Transport) Write(w io.Writer) error {
	in, err := t.Generate()
	if err != nil {
		return err
	}
	a, h := t.Applicants, t.Hosts
	k := len(in.Edges) / a
	unmatched, sink := a+h+1, a+h+2
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "c transport applicants=%d hosts=%d k=%d seed=%d fill=%g\n", a, h, k, t.Seed, t.fill())
	fmt.Fprintf(bw, "p min %d %d\n", sink, a*(k+1)+h+1)
	for i := 1; i <= a; i++ {
		fmt.Fprintf(bw, "n %d 1\n", i)
	}
	fmt.Fprintf(bw, "n %d %d\n", sink, -a)
	var buf []byte
	arc := func(from, to int, capacity, cost int64) {
		buf = append(buf[:0], "a "...)
		buf = strconv.AppendInt(buf, int64(from), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(to), 10)
		buf = append(buf, " 0 "...)
		buf = strconv.AppendInt(buf, capacity, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, cost, 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	for e, edge := range in.Edges {
		arc(edge.Applicant+1, a+1+edge.Host, 1, edge.Cost)
		if (e+1)%k == 0 {
			arc(edge.Applicant+1, unmatched, 1, UnmatchedCost)
		}
	}
	for j, c := range in.Capacity {
		arc(a+1+j, sink, c, 0)
	}
	arc(unmatched, sink, int64(a), 0)
	return bw.Flush()
}
