package program

import (
	"math"
	"strings"
	"testing"
)

func TestRoundKindValid(t *testing.T) {
	t.Parallel()
	for _, k := range AllRoundKinds() {
		if !k.Valid() {
			t.Errorf("%q.Valid() = false", k)
		}
	}
	for _, k := range []RoundKind{"", "exchange", "Internship"} {
		if k.Valid() {
			t.Errorf("%q.Valid() = true", k)
		}
	}
}

func TestRoundStatusValid(t *testing.T) {
	t.Parallel()
	for _, s := range AllRoundStatuses() {
		if !s.Valid() {
			t.Errorf("%q.Valid() = false", s)
		}
	}
	if RoundStatus("open").Valid() {
		t.Errorf(`"open".Valid() = true`)
	}
}

func TestRoundStatusCanMove(t *testing.T) {
	t.Parallel()
	allowed := map[[2]RoundStatus]bool{
		{RoundDraft, RoundProposed}:     true,
		{RoundProposed, RoundPublished}: true,
		{RoundProposed, RoundDraft}:     true, // re-run
		{RoundPublished, RoundClosed}:   true,
	}
	all := append(AllRoundStatuses(), "bogus")
	for _, from := range all {
		for _, to := range all {
			if got, want := from.CanMove(to), allowed[[2]RoundStatus{from, to}]; got != want {
				t.Errorf("%q.CanMove(%q) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestRoundValidate(t *testing.T) {
	t.Parallel()
	good := func() *Round {
		return &Round{Kind: RoundInternship, Status: RoundDraft, Weights: map[string]float64{"theme": 1, "distance": 0},
			Seed: 7, InputHash: strings.Repeat("ab", 32)}
	}
	tests := []struct {
		name   string
		edit   func(r *Round)
		fields []string
	}{
		{"good", func(*Round) {}, nil},
		{"kind", func(r *Round) { r.Kind = "x" }, []string{"kind"}},
		{"status", func(r *Round) { r.Status = "" }, []string{"status"}},
		{"hash short", func(r *Round) { r.InputHash = "abc" }, []string{"input_hash"}},
		{"hash not hex", func(r *Round) { r.InputHash = strings.Repeat("zz", 32) }, []string{"input_hash"}},
		{"weights", func(r *Round) { r.Weights["theme"], r.Weights["x"] = -1, math.Inf(1) }, []string{"weights.theme", "weights.x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			tt.edit(r)
			checkFields(t, r, tt.fields...)
		})
	}
}
