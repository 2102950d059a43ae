package flow

import "testing"

func TestGrowKeepsArcs(t *testing.T) {
	n := NewNetwork(3)
	n.AddArc(0, 1, 0, 5, 7)
	n.Grow(100)
	n.AddArc(1, 2, 1, 4, -3)
	want := []Arc{{From: 0, To: 1, Lower: 0, Capacity: 5, Cost: 7}, {From: 1, To: 2, Lower: 1, Capacity: 4, Cost: -3}}
	for i, w := range want {
		if got := n.Arc(i); got != w {
			t.Errorf("Arc(%d) = %+v, want %+v", i, got, w)
		}
	}
	if n.NumArcs() != 2 {
		t.Errorf("NumArcs = %d, want 2", n.NumArcs())
	}
}
