package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/ical/icaltest"
	"github.com/khidi/khidi/internal/yearplan"
)

// TestSchedule lays out again the year the demo laid out from its proposed
// rounds (nothing may change), and writes the programme's calendar.
func TestSchedule(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	if code, _, errOut := runKhidi(t, "demo", "--db", dsn, "--seed", "3", "--calendars", t.TempDir()); code != exitOK {
		t.Fatalf("khidi demo: exit %d: %s", code, errOut)
	}
	code, out, errOut := runKhidi(t, "schedule", "--db", dsn, "--year", "2027", "--proposed")
	if code != exitOK {
		t.Fatalf("khidi schedule: exit %d: %s", code, errOut)
	}
	m := regexp.MustCompile(`Programme year 2027: (\d+) events`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("khidi schedule printed no event count:\n%s", out)
	}
	events, _ := strconv.Atoi(m[1])
	// The demo laid the year out already, from the same proposals: this
	// is the second layout of the same data, and changes nothing.
	if events == 0 || !strings.Contains(out, "0 new, 0 moved (SEQUENCE raised), "+m[1]+" unchanged, 0 cancelled") ||
		!strings.Contains(out, "Self-reflection meeting: 2027-") {
		t.Fatalf("a second layout of the same data changed something:\n%s", out)
	}

	dir := t.TempDir()
	if code, _, errOut := runKhidi(t, "calendar", "--db", dsn, "--year", "2027", "--all", "--out", dir); code != exitOK {
		t.Fatalf("khidi calendar: exit %d: %s", code, errOut)
	}
	// Study circles are series in the file: an independent parser must
	// expand it back to every event of the schedule.
	from, to := yearplan.YearSpan(2027)
	occurrences := 0
	for _, starts := range icaltest.PythonStarts(t, filepath.Join(dir, "programme.ics"), from, to) {
		occurrences += len(starts)
	}
	if occurrences != events {
		t.Errorf("programme.ics expands to %d occurrences, the schedule has %d events", occurrences, events)
	}

	if code, _, errOut := runKhidi(t, "schedule", "--db", dsn, "--year", "1900"); code != exitUsage || !strings.Contains(errOut, "1991") {
		t.Errorf("khidi schedule --year 1900: exit %d, %q; want 2 and the accepted range", code, errOut)
	}
}
