package main

import (
	"math"
	"slices"
)

// median is the middle value (the mean of the two middle ones for an even
// count), or NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// pairRatios divides khidi's time by the peer's in each round both ran,
// skipping rounds where the peer's time rounds to zero.
func pairRatios(khidi, peer []float64) []float64 {
	var out []float64
	for i := range min(len(khidi), len(peer)) {
		if peer[i] > 0 {
			out = append(out, khidi[i]/peer[i])
		}
	}
	return out
}

func solveTimes(rs []runResult) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = r.solve
	}
	return out
}

// peakRSS is the largest peak resident set over runs, in KiB.
func peakRSS(rs []runResult) int64 {
	var m int64
	for _, r := range rs {
		m = max(m, r.rssKiB)
	}
	return m
}

// summarise turns one instance's runs into a report row.
func summarise(r result) row {
	k := solveTimes(r.khidi)
	out := row{Name: r.inst.name, Khidi: median(k), KhidiRSSKiB: peakRSS(r.khidi), Runs: len(r.khidi)}
	if len(r.khidi) > 0 {
		out.Cost = r.khidi[0].cost
	}
	switch {
	case r.inst.hasOptimum:
		out.CostNote = "= OR-Library optimum"
	case r.inst.family == familyORLib:
		out.CostNote = "optimum not in the README, unchecked"
	}
	for j, pr := range r.inst.peers {
		p := solveTimes(r.peers[j])
		out.Peers = append(out.Peers, peerStat{
			Name:   pr.solver.name,
			Short:  pr.solver.short,
			Median: median(p),
			Ratio:  median(pairRatios(k, p)),
			RSSKiB: peakRSS(r.peers[j]),
			Runs:   len(p),
		})
	}
	return out
}
