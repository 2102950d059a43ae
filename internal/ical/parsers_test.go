package ical

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The parser tests read every golden calendar with two parsers khidi does
// not share code with, and compare each event's starts over 2027 with the
// starts this file computes on its own (wantStarts).
var (
	year     = [2]time.Time{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)}
	python   = "/usr/bin/python3" // Debian's: the first python3 on PATH may not see Debian's packages
	icaljsAt = "/opt/khidi-test"  // where .ci/run installs ical.js; KHIDI_ICALJS_DIR overrides
)

// missing skips the test with an install hint, or fails it under CI.
func missing(t *testing.T, what, hint string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not available (CI is set, so this fails): %s", what, hint)
	}
	t.Skipf("%s not available: %s", what, hint)
}

// wantStarts lists the starts of every event of the golden calendars in
// 2027, from the series' definition, stepping wall-clock weeks in Go.
func wantStarts() map[string][]int64 {
	want := map[string][]int64{
		meeting.Event.UID: {meeting.Event.Start.Unix()},
		visit.Event.UID:   {visit.Event.Start.Unix()},
	}
	until := time.Date(2027, 4, 27, 23, 59, 59, 0, time.UTC)
	skip := time.Date(2027, 4, 6, 18, 0, 0, 0, warsaw)
	var s []int64
	for d := time.Date(2027, 3, 2, 18, 0, 0, 0, warsaw); !d.After(until); d = d.AddDate(0, 0, 7) {
		if !d.Equal(skip) {
			s = append(s, d.Unix())
		}
	}
	s = append(s, time.Date(2027, 4, 8, 18, 0, 0, 0, warsaw).Unix()) // the moved session
	slices.Sort(s)
	want[circle.Event.UID] = s
	return want
}

func checkStarts(t *testing.T, parser, name string, got map[string][]int64) {
	t.Helper()
	want := wantStarts()
	for _, c := range calendars {
		if c.name != name {
			continue
		}
		if len(got) != len(c.entries) {
			t.Errorf("%s read %d events from %s, want %d", parser, len(got), name, len(c.entries))
		}
		for _, e := range c.entries {
			g := got[e.Event.UID]
			slices.Sort(g)
			if !slices.Equal(g, want[e.Event.UID]) {
				t.Errorf("%s: %s event %s starts %v (%d), want %v (%d)", parser, name, e.Event.UID, g, len(g), want[e.Event.UID], len(want[e.Event.UID]))
			}
		}
	}
}

func TestWantStarts(t *testing.T) {
	// 9 Tuesdays from 2 March to 27 April, less 6 April, plus Thursday 8
	// April; 17:00 UTC before the change to summer time on 28 March, 16:00
	// UTC after.
	s := wantStarts()[circle.Event.UID]
	if len(s) != 9 || time.Unix(s[3], 0).UTC().Hour() != 17 || time.Unix(s[5], 0).UTC().Hour() != 16 {
		t.Fatalf("wantStarts = %v, want 8 starts, 17:00 UTC then 16:00 UTC", s)
	}
}

func TestPythonICalendar(t *testing.T) {
	if _, err := os.Stat(python); err != nil {
		missing(t, python, "apt-get install python3")
	}
	if err := exec.Command(python, "-c", "import icalendar, recurring_ical_events").Run(); err != nil {
		missing(t, "python3-icalendar", "apt-get install python3-icalendar python3-recurring-ical-events")
	}
	for _, c := range calendars {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command(python, filepath.Join("testdata", "check.py"), filepath.Join("testdata", c.name+".ics"),
				year[0].Format(time.RFC3339), year[1].Format(time.RFC3339)).Output()
			if err != nil {
				t.Fatalf("check.py: %v\n%s", err, stderr(err))
			}
			var res struct {
				Errors []string
				Starts map[string][]int64
			}
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("check.py printed %q: %v", out, err)
			}
			for _, e := range res.Errors {
				t.Errorf("python3-icalendar: %s: %s", c.name, e)
			}
			checkStarts(t, "python3-icalendar", c.name, res.Starts)
		})
	}
}

func TestICalJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node", "apt-get install nodejs")
	}
	dir := icaljsAt
	if d := os.Getenv("KHIDI_ICALJS_DIR"); d != "" {
		dir = d
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ical.js")); err != nil {
		missing(t, "ical.js", "npm install --prefix "+dir+" ical.js@2.2.1, or set KHIDI_ICALJS_DIR")
	}
	for _, c := range calendars {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command(node, filepath.Join("testdata", "check.cjs"), dir, filepath.Join("testdata", c.name+".ics"),
				year[0].Format(time.RFC3339), year[1].Format(time.RFC3339)).Output()
			if err != nil {
				t.Fatalf("check.cjs: %v\n%s", err, stderr(err))
			}
			var res struct{ Starts map[string][]int64 }
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("check.cjs printed %q: %v", out, err)
			}
			checkStarts(t, "ical.js", c.name, res.Starts)
		})
	}
}

func stderr(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}
