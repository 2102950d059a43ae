// Package icaltest reads iCalendar files in tests with two parsers khidi
// shares no code with: Debian's python3-icalendar with
// python3-recurring-ical-events, and ical.js (the parser Thunderbird uses,
// from npm). Each expands every event over a span, so a test can compare a
// calendar's occurrences with the scheduler's own list. Where a parser is
// missing the test is skipped with an install hint, or fails when the CI
// variable is set: .ci/run installs both.
package icaltest

import (
	_ "embed"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Python is Debian's interpreter: the first python3 on PATH may not see
// Debian's packages.
const Python = "/usr/bin/python3"

// ICalJSDir is where .ci/run installs ical.js (npm install --prefix);
// KHIDI_ICALJS_DIR overrides it.
const ICalJSDir = "/opt/khidi-test"

var (
	//go:embed check.py
	checkPy []byte
	//go:embed check.cjs
	checkJS []byte
)

// Starts maps each event's UID to the starts of its occurrences in a span,
// as sorted Unix seconds.
type Starts map[string][]int64

// PythonStarts parses the calendar at path with python3-icalendar, fails
// the test on any component's parse error (the parser is lenient and only
// records them), and expands every event over [from, to).
func PythonStarts(t testing.TB, path string, from, to time.Time) Starts {
	t.Helper()
	return python(t, path, from, to).Starts
}

// PythonAlarms parses the calendar at path with python3-icalendar, as
// PythonStarts does, and returns each event's alarms as their triggers'
// offsets from its start, in seconds (negative before it).
func PythonAlarms(t testing.TB, path string) map[string][]int64 {
	t.Helper()
	return python(t, path, time.Time{}, time.Time{}.Add(time.Hour)).Alarms
}

// pythonResult is what check.py prints.
type pythonResult struct {
	Errors []string
	Starts Starts
	Alarms map[string][]int64
}

// python runs check.py on the calendar at path over [from, to), failing
// the test on any parse error the parser recorded.
func python(t testing.TB, path string, from, to time.Time) pythonResult {
	t.Helper()
	if _, err := os.Stat(Python); err != nil {
		missing(t, Python, "apt-get install python3")
	}
	if err := exec.Command(Python, "-c", "import icalendar, recurring_ical_events").Run(); err != nil {
		missing(t, "python3-icalendar", "apt-get install python3-icalendar python3-recurring-ical-events")
	}
	var res pythonResult
	run(t, &res, Python, script(t, "check.py", checkPy), path, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	for _, e := range res.Errors {
		t.Errorf("python3-icalendar: %s: %s", path, e)
	}
	res.Starts = sorted(res.Starts)
	return res
}

// ICalJSStarts parses the calendar at path with ical.js, registering its
// VTIMEZONEs so that they, not a built-in zone table, give the offsets, and
// expands every event over [from, to).
func ICalJSStarts(t testing.TB, path string, from, to time.Time) Starts {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node", "apt-get install nodejs")
	}
	dir := ICalJSDir
	if d := os.Getenv("KHIDI_ICALJS_DIR"); d != "" {
		dir = d
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ical.js")); err != nil {
		missing(t, "ical.js", "npm install --prefix "+dir+" ical.js@2.2.1, or set KHIDI_ICALJS_DIR")
	}
	var res struct{ Starts Starts }
	run(t, &res, node, script(t, "check.cjs", checkJS), dir, path, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	return sorted(res.Starts)
}

// missing skips the test with an install hint, or fails it under CI.
func missing(t testing.TB, what, hint string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not available (CI is set, so this fails): %s", what, hint)
	}
	t.Skipf("%s not available: %s", what, hint)
}

// script writes an embedded script to a temporary file for the interpreter.
func script(t testing.TB, name string, body []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs a checker and decodes the JSON it prints into res.
func run(t testing.TB, res any, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%s %v: %v\n%s", name, args, err, ee.Stderr)
		}
		t.Fatalf("%s %v: %v", name, args, err)
	}
	if err := json.Unmarshal(out, res); err != nil {
		t.Fatalf("%s printed %q: %v", name, out, err)
	}
}

func sorted(s Starts) Starts {
	for _, v := range s {
		slices.Sort(v)
	}
	return s
}
