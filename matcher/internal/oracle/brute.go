package oracle

import "math"

// AssignmentBruteForce returns the least total cost of assigning every row of
// cost to a distinct column, by trying every assignment. allowed[i][j] false
// forbids a cell; allowed nil allows every cell. ok is false when no
// assignment exists (including when there are more rows than columns). Meant
// for at most eight or so rows.
func AssignmentBruteForce(cost [][]int64, allowed [][]bool) (best int64, ok bool) {
	rows := len(cost)
	if rows == 0 {
		return 0, true
	}
	cols := len(cost[0])
	used := make([]bool, cols)
	best = math.MaxInt64
	var walk func(i int, sum int64)
	walk = func(i int, sum int64) {
		if i == rows {
			if sum < best {
				best, ok = sum, true
			}
			return
		}
		for j := 0; j < cols; j++ {
			if used[j] || (allowed != nil && !allowed[i][j]) {
				continue
			}
			used[j] = true
			walk(i+1, sum+cost[i][j])
			used[j] = false
		}
	}
	walk(0, 0)
	if !ok {
		return 0, false
	}
	return best, true
}

// TransportBruteForce returns the least total cost of a capacitated
// assignment by trying every choice for every unit of supply. Left node i
// offers supply[i] units; right node j takes at most capacity[j]; each edge
// {left, right, cost} carries at most one unit (a pair is matched at most
// once), and a unit left unassigned costs unmatched[i]. With unmatched nil
// every unit must be assigned. ok is false when no choice satisfies the
// constraints. Meant for tiny instances (a handful of units).
func TransportBruteForce(supply, capacity []int64, edges [][3]int64, unmatched []int64) (best int64, ok bool) {
	var units []int // the left node of each unit of supply
	for i, s := range supply {
		for range s {
			units = append(units, i)
		}
	}
	byLeft := make([][]int, len(supply))
	for e, edge := range edges {
		byLeft[edge[0]] = append(byLeft[edge[0]], e)
	}
	load := make([]int64, len(capacity))
	usedEdge := make([]bool, len(edges))
	best = math.MaxInt64
	var walk func(u int, sum int64)
	walk = func(u int, sum int64) {
		if u == len(units) {
			if sum < best {
				best, ok = sum, true
			}
			return
		}
		i := units[u]
		if unmatched != nil {
			walk(u+1, sum+unmatched[i])
		}
		for _, e := range byLeft[i] {
			j := edges[e][1]
			if usedEdge[e] || load[j] >= capacity[j] {
				continue
			}
			usedEdge[e] = true
			load[j]++
			walk(u+1, sum+edges[e][2])
			load[j]--
			usedEdge[e] = false
		}
	}
	walk(0, 0)
	if !ok {
		return 0, false
	}
	return best, true
}

// Permutations calls visit with every permutation of 0..n-1, in an order
// fixed by n. visit must not keep or change perm. Meant for n up to eight
// or so (8! = 40,320 calls).
func Permutations(n int, visit func(perm []int)) {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			visit(perm)
			return
		}
		for i := k; i < n; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			rec(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	rec(0)
}
