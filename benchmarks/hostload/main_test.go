package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/benchmarks/internal/cli"
	"github.com/khidi/khidi/internal/program"
)

// TestRun runs the whole program briefly on SQLite, so that it keeps
// working between the runs whose figures RESULTS.md records; the
// PostgreSQL cluster is the tests' business elsewhere.
func TestRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-db", "sqlite:" + filepath.Join(t.TempDir(), "load.db"), "-hosts", "4", "-capacity", "3", "-duration", "1s"}
	if code := cli.Run(t.Context(), "hostload", args, &stdout, &stderr, parseFlags, hostload); code != 0 {
		t.Fatalf("run(%q) = %d, want 0\nstdout:\n%s\nstderr:\n%s", args, code, &stdout, &stderr)
	}
	out := stdout.String()
	for _, want := range []string{"| POST accept |", "| all POSTs |",
		"- ok: no host over capacity", "- ok: each offer decided at most once",
		"- ok: each offer changed at most once", "- ok: hosts' confirmations match the database"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestParseFlags(t *testing.T) {
	for _, bad := range [][]string{
		{"-hosts", "0"}, {"-decline", "1.5"}, {"-duration", "0s"},
		{"-concurrency", "300"}, {"-max-inflight", "-1"}, {"extra"},
	} {
		if _, err := parseFlags(bad, new(bytes.Buffer)); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
	cfg, err := parseFlags([]string{"-hosts", "10", "-capacity", "2"}, new(bytes.Buffer))
	if err != nil || cfg.concurrency != 10 || cfg.participants != 80 {
		t.Errorf("parseFlags defaults = %+v, %v; want all 10 hosts answering and 4×10×2 participants", cfg, err)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		ds := make([]time.Duration, len(n))
		for i, v := range n {
			ds[i] = time.Duration(v) * time.Millisecond
		}
		return ds
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		// Nearest rank: the ceil(q·n)-th smallest.
		{"median of four", ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p90 of 1..100", ms(hundred...), 0.90, 90 * time.Millisecond},
		{"max", ms(1, 2, 3), 1, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.q); got != tt.want {
			t.Errorf("%s: percentile(%v, %v) = %v, want %v", tt.name, tt.sorted, tt.q, got, tt.want)
		}
	}
}

// TestChecksFail feeds each check a round that breaks it: a check that
// cannot fail would make the run's "ok" worthless.
func TestChecksFail(t *testing.T) {
	offered := program.Match{ID: 1, HostID: "h", Status: program.OfferOffered}
	accepted := program.Match{ID: 2, HostID: "h", Status: program.OfferAccepted}
	declined := program.Match{ID: 3, HostID: "h", Status: program.OfferDeclined}
	byID := map[program.MatchID]program.Match{1: offered, 2: accepted, 3: declined}
	tests := []struct {
		name string
		c    checkResult
		ok   bool
	}{
		{"capacity held", checkCapacity([]program.Place{{ID: "h", Capacity: 1, Accepted: 1}}, map[string]int{"h": 1}), true},
		{"over capacity", checkCapacity([]program.Place{{ID: "h", Capacity: 1, Accepted: 2}}, map[string]int{"h": 2}), false},
		{"store miscounts", checkCapacity([]program.Place{{ID: "h", Capacity: 3, Accepted: 1}}, map[string]int{"h": 2}), false},
		{"decided once", checkDecidedOnce(map[program.MatchID][]string{2: {"offer.accepted"}}), true},
		{"decided twice", checkDecidedOnce(map[program.MatchID][]string{2: {"offer.accepted", "offer.declined"}}), false},
		{"changed as logged", checkChangedOnce([]program.Match{offered, accepted}, map[program.MatchID][]string{2: {"offer.accepted"}}, 0), true},
		{"changed twice", checkChangedOnce([]program.Match{declined}, map[program.MatchID][]string{3: {"offer.withdrawn", "offer.declined"}}, 0), false},
		{"status not as logged", checkChangedOnce([]program.Match{offered}, map[program.MatchID][]string{1: {"offer.accepted"}}, 0), false},
		{"changed without a log", checkChangedOnce([]program.Match{accepted}, nil, 0), false},
		{"hosts saw what is stored", checkHostsView(map[program.MatchID]answer{2: {program.OfferAccepted, "accepted"}, 3: {program.OfferDeclined, "repaired"}},
			nil, byID, map[program.MatchID][]string{2: {"offer.accepted"}, 3: {"offer.declined"}}), true},
		{"a time-out recorded", checkHostsView(nil, map[program.MatchID]bool{2: true}, byID, map[program.MatchID][]string{2: {"offer.accepted"}}), true},
		{"confirmed, stored otherwise", checkHostsView(map[program.MatchID]answer{3: {program.OfferAccepted, "accepted"}}, nil, byID, nil), false},
		{"confirmation disagrees", checkHostsView(map[program.MatchID]answer{2: {program.OfferAccepted, "declined"}}, nil, byID, map[program.MatchID][]string{2: {"offer.accepted"}}), false},
		{"stored, never asked", checkHostsView(nil, nil, byID, map[program.MatchID][]string{2: {"offer.accepted"}}), false},
	}
	for _, tt := range tests {
		if tt.c.ok != tt.ok {
			t.Errorf("%s: %s ok = %v, want %v (%s)", tt.name, tt.c.name, tt.c.ok, tt.ok, tt.c.detail)
		}
	}
}
