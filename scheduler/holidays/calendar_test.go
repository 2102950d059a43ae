package holidays

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// mustAdd adds blackouts to c, failing the test on an error.
func mustAdd(t *testing.T, c *Calendar, bs ...Holiday) {
	t.Helper()
	for _, b := range bs {
		if err := c.Add(b.Date, b.Name); err != nil {
			t.Fatalf("Add(%v, %q): %v", b.Date, b.Name, err)
		}
	}
}

func TestCalendarBlocked(t *testing.T) {
	t.Parallel()
	var c Calendar // the zero Calendar is ready to use
	if name, blocked := c.Blocked(date(2026, time.April, 14)); blocked {
		t.Errorf("empty Calendar: Blocked(2026-04-14) = %q, true; want free", name)
	}
	mustAdd(t, &c,
		Holiday{Date: date(2026, time.June, 15), Name: "Programme retreat"},
		Holiday{Date: date(2026, time.May, 26), Name: "Kakheti RDF annual assembly"},
		Holiday{Date: date(2026, time.June, 15), Name: "Board meeting"},
		Holiday{Date: date(2101, time.January, 5), Name: "Far future"},
	)
	tests := []struct {
		d    program.Date
		want string // "" means free
	}{
		{date(2026, time.June, 14), ""},
		{date(2026, time.June, 16), ""},
		{date(2026, time.June, 15), "Board meeting; Programme retreat"},
		{date(2026, time.April, 10), "Good Friday"},
		{date(2026, time.May, 26), "Independence Day; Kakheti RDF annual assembly"},
		{date(2101, time.January, 5), "Far future"},
		{date(2029, time.April, 9), "Day of National Unity; " + easterMonday},
	}
	for _, tt := range tests {
		name, blocked := c.Blocked(tt.d)
		if name != tt.want || blocked != (tt.want != "") {
			t.Errorf("Blocked(%v) = %q, %v; want %q, %v", tt.d, name, blocked, tt.want, tt.want != "")
		}
	}
	kinds := []Kind{}
	for _, h := range c.On(date(2026, time.May, 26)) {
		kinds = append(kinds, h.Kind)
	}
	if !slices.Equal(kinds, []Kind{Public, Blackout}) {
		t.Errorf("On(2026-05-26) kinds = %v, want [public holiday blackout]", kinds)
	}
}

// TestCalendarOrderIndependent adds the same blackouts in two orders, with
// repeats, and expects the same answers.
func TestCalendarOrderIndependent(t *testing.T) {
	t.Parallel()
	bs := []Holiday{
		{Date: date(2026, time.December, 31), Name: "Office closed"},
		{Date: date(2026, time.January, 5), Name: "Government day off (administrative bodies)"},
		{Date: date(2026, time.January, 6), Name: "Government day off (administrative bodies)"},
		{Date: date(2026, time.June, 1), Name: "Zugdidi media centre: festival"},
		{Date: date(2026, time.June, 1), Name: "Audit"},
	}
	var a, b Calendar
	mustAdd(t, &a, bs...)
	rev := slices.Clone(bs)
	slices.Reverse(rev)
	mustAdd(t, &b, rev...)
	mustAdd(t, &b, bs[0], bs[4]) // repeats change nothing
	from, to := date(2026, time.January, 1), date(2026, time.December, 31)
	ha, err := a.Holidays(from, to)
	if err != nil {
		t.Fatal(err)
	}
	hb, err := b.Holidays(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ha, hb) {
		t.Errorf("Holidays differ with the order of Add:\n%s---\n%s", listing(ha), listing(hb))
	}
	public, _ := Year(2026)
	if want := len(public) + len(bs); len(ha) != want {
		t.Errorf("Holidays(2026) has %d days, want %d public holidays and blackouts", len(ha), want)
	}
}

// TestCalendarHolidays checks a range across the turn of a year, that both
// ends are included, and that each day lists public holidays before
// blackouts.
func TestCalendarHolidays(t *testing.T) {
	t.Parallel()
	var c Calendar
	mustAdd(t, &c,
		Holiday{Date: date(2026, time.December, 20), Name: "Start"},
		Holiday{Date: date(2026, time.December, 31), Name: "Office closed"},
		Holiday{Date: date(2027, time.January, 2), Name: "Inventory"},
		Holiday{Date: date(2027, time.January, 8), Name: "End"},
		Holiday{Date: date(2027, time.January, 9), Name: "After the range"},
	)
	got, err := c.Holidays(date(2026, time.December, 20), date(2027, time.January, 8))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2026-12-20 Start",
		"2026-12-31 Office closed",
		"2027-01-01 New Year's Day",
		"2027-01-02 New Year's Day (second day)",
		"2027-01-02 Inventory",
		"2027-01-07 Orthodox Christmas",
		"2027-01-08 End",
	}
	var lines []string
	for _, h := range got {
		lines = append(lines, h.String())
	}
	if !slices.Equal(lines, want) {
		t.Errorf("Holidays(2026-12-20, 2027-01-08) =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestCalendarErrors(t *testing.T) {
	t.Parallel()
	var c Calendar
	for _, tt := range []struct {
		d    program.Date
		name string
	}{
		{date(2026, time.February, 30), "Nonexistent"},
		{program.Date{}, "Zero date"},
		{date(2026, time.June, 1), ""},
		{date(2026, time.June, 1), "  \t"},
	} {
		if err := c.Add(tt.d, tt.name); !errors.Is(err, program.ErrInvalid) {
			t.Errorf("Add(%+v, %q) = %v, want an error wrapping program.ErrInvalid", tt.d, tt.name, err)
		}
	}
	if hs, _ := c.Holidays(date(2026, time.January, 1), date(2026, time.December, 31)); len(hs) != 18 {
		t.Errorf("after refused Adds, Holidays(2026) has %d days, want the 18 public holidays", len(hs))
	}

	for _, tt := range []struct {
		name     string
		from, to program.Date
		yearErr  bool
	}{
		{"reversed", date(2026, time.June, 2), date(2026, time.June, 1), false},
		{"not a date", date(2026, time.June, 31), date(2026, time.July, 1), false},
		{"before 1991", date(1990, time.December, 1), date(1991, time.January, 31), true},
		{"after 2100", date(2100, time.December, 1), date(2101, time.January, 31), true},
	} {
		hs, err := c.Holidays(tt.from, tt.to)
		if !errors.Is(err, program.ErrInvalid) || errors.Is(err, ErrYearRange) != tt.yearErr {
			t.Errorf("%s: Holidays(%v, %v) = %d days, %v; want an invalid-input error (year range: %v)",
				tt.name, tt.from, tt.to, len(hs), err, tt.yearErr)
		}
	}
	if hs, err := c.Holidays(date(2026, time.June, 1), date(2026, time.June, 1)); err != nil || len(hs) != 0 {
		t.Errorf("Holidays over one free day = %v, %v; want none and no error", hs, err)
	}
}

// TestCalendarConcurrentReads runs readers in parallel, which the Calendar
// allows once it is built; the race detector checks that reads do not
// write.
func TestCalendarConcurrentReads(t *testing.T) {
	t.Parallel()
	var c Calendar
	mustAdd(t, &c, Holiday{Date: date(2026, time.June, 15), Name: "Retreat"})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for d := date(2026, time.January, 1); d.Year == 2026; d = d.AddDays(1) {
				c.Blocked(d)
			}
			if _, err := c.Holidays(date(2026, time.January, 1), date(2026, time.December, 31)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
