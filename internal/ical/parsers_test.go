package ical

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/ical/icaltest"
)

// The parser tests read every golden calendar with two parsers khidi does
// not share code with, and compare each event's starts over 2027 with the
// starts this file computes on its own (wantStarts).
var year = [2]time.Time{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)}

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

func checkStarts(t *testing.T, parser, name string, got icaltest.Starts) {
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
	for _, c := range calendars {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := icaltest.PythonStarts(t, filepath.Join("testdata", c.name+".ics"), year[0], year[1])
			checkStarts(t, "python3-icalendar", c.name, got)
		})
	}
}

func TestICalJS(t *testing.T) {
	for _, c := range calendars {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := icaltest.ICalJSStarts(t, filepath.Join("testdata", c.name+".ics"), year[0], year[1])
			checkStarts(t, "ical.js", c.name, got)
		})
	}
}

// TestAlarms reads each golden calendar's alarms with python3-icalendar:
// every event not cancelled has the reminder its Options ask for, and a
// cancellation has none.
func TestAlarms(t *testing.T) {
	for _, c := range calendars {
		t.Run(c.name, func(t *testing.T) {
			got := icaltest.PythonAlarms(t, filepath.Join("testdata", c.name+".ics"))
			for _, e := range c.entries {
				var want []int64
				if c.opts.Alarm > 0 && !e.Cancelled && c.opts.Method != MethodCancel {
					want = []int64{-int64(c.opts.Alarm / time.Second)}
				}
				if !slices.Equal(got[e.Event.UID], want) {
					t.Errorf("event %s: alarms %v s from its start, want %v", e.Event.UID, got[e.Event.UID], want)
				}
			}
		})
	}
}
