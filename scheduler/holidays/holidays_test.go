package holidays

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// day is one line of a golden list: a date and an English name.
type day struct {
	date string
	name string
}

const (
	andrewAndHope = "Saint Andrew the First-Called Day; Day of Georgia as the Lot of the Mother of God (Day of Hope)"
	familyDay     = "Day of Family Sanctity and Respect for Parents"
	easterMonday  = "Easter Monday (Day of Remembrance of the Deceased)"
)

// TestYearGolden compares whole years with lists written out by hand from
// the Labour Code's Article 30 and the published Easter dates (12 April
// 2026, 2 May 2027), not from the table in holidays.go.
func TestYearGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year int
		want []day
	}{
		{2026, []day{
			{"2026-01-01", "New Year's Day"},
			{"2026-01-02", "New Year's Day (second day)"},
			{"2026-01-07", "Orthodox Christmas"},
			{"2026-01-19", "Epiphany (Natlisgeba)"},
			{"2026-03-03", "Mother's Day"},
			{"2026-03-08", "International Women's Day"},
			{"2026-04-09", "Day of National Unity"},
			{"2026-04-10", "Good Friday"},
			{"2026-04-11", "Holy Saturday"},
			{"2026-04-12", "Easter Sunday"},
			{"2026-04-13", easterMonday},
			{"2026-05-09", "Day of Victory over Fascism"},
			{"2026-05-12", andrewAndHope},
			{"2026-05-17", familyDay},
			{"2026-05-26", "Independence Day"},
			{"2026-08-28", "Saint Mary's Day (Mariamoba)"},
			{"2026-10-14", "Svetitskhovloba (Mtskhetoba)"},
			{"2026-11-23", "Saint George's Day (Giorgoba)"},
		}},
		{2027, []day{
			{"2027-01-01", "New Year's Day"},
			{"2027-01-02", "New Year's Day (second day)"},
			{"2027-01-07", "Orthodox Christmas"},
			{"2027-01-19", "Epiphany (Natlisgeba)"},
			{"2027-03-03", "Mother's Day"},
			{"2027-03-08", "International Women's Day"},
			{"2027-04-09", "Day of National Unity"},
			{"2027-04-30", "Good Friday"},
			{"2027-05-01", "Holy Saturday"},
			{"2027-05-02", "Easter Sunday"},
			{"2027-05-03", easterMonday},
			{"2027-05-09", "Day of Victory over Fascism"},
			{"2027-05-12", andrewAndHope},
			{"2027-05-17", familyDay},
			{"2027-05-26", "Independence Day"},
			{"2027-08-28", "Saint Mary's Day (Mariamoba)"},
			{"2027-10-14", "Svetitskhovloba (Mtskhetoba)"},
			{"2027-11-23", "Saint George's Day (Giorgoba)"},
		}},
		// 2029: Easter Monday falls on 9 April; both are listed, in the
		// Code's order.
		{2029, []day{
			{"2029-01-01", "New Year's Day"},
			{"2029-01-02", "New Year's Day (second day)"},
			{"2029-01-07", "Orthodox Christmas"},
			{"2029-01-19", "Epiphany (Natlisgeba)"},
			{"2029-03-03", "Mother's Day"},
			{"2029-03-08", "International Women's Day"},
			{"2029-04-06", "Good Friday"},
			{"2029-04-07", "Holy Saturday"},
			{"2029-04-08", "Easter Sunday"},
			{"2029-04-09", "Day of National Unity"},
			{"2029-04-09", easterMonday},
			{"2029-05-09", "Day of Victory over Fascism"},
			{"2029-05-12", andrewAndHope},
			{"2029-05-17", familyDay},
			{"2029-05-26", "Independence Day"},
			{"2029-08-28", "Saint Mary's Day (Mariamoba)"},
			{"2029-10-14", "Svetitskhovloba (Mtskhetoba)"},
			{"2029-11-23", "Saint George's Day (Giorgoba)"},
		}},
	}
	for _, tt := range tests {
		got, err := Year(tt.year)
		if err != nil {
			t.Fatalf("Year(%d): %v", tt.year, err)
		}
		if len(got) != len(tt.want) {
			t.Errorf("Year(%d) has %d holidays, want %d:\n%s", tt.year, len(got), len(tt.want), listing(got))
			continue
		}
		for i, h := range got {
			if w := tt.want[i]; h.Date.String() != w.date || h.Name != w.name {
				t.Errorf("Year(%d)[%d] = %v, want %s %s", tt.year, i, h, w.date, w.name)
			}
		}
	}
}

func listing(hs []Holiday) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString("\t" + h.String() + "\n")
	}
	return b.String()
}

// has reports whether the holidays of year y include one named name on
// month-day.
func has(t *testing.T, y int, m time.Month, d int, name string) bool {
	t.Helper()
	hs, err := Year(y)
	if err != nil {
		t.Fatalf("Year(%d): %v", y, err)
	}
	for _, h := range hs {
		if h.Date == date(y, m, d) && h.Name == name {
			return true
		}
	}
	return false
}

// TestFirstYears checks that a day is listed from its first year and not
// before, and not after its last year.
func TestFirstYears(t *testing.T) {
	t.Parallel()
	const andrew = "Saint Andrew the First-Called Day"
	tests := []struct {
		name  string
		month time.Month
		day   int
		years []int // listed in these years
		not   []int // and not in these
	}{
		{familyDay, time.May, 17, []int{2024, 2025, 2026, 2050, 2100}, []int{1991, 2013, 2022, 2023}},
		{"New Year's Day (second day)", time.January, 2, []int{2007, 2026, 2100}, []int{1991, 2006}},
		{andrew, time.May, 12, []int{1991, 2018}, []int{2019, 2026}},
		{andrewAndHope, time.May, 12, []int{2019, 2026, 2100}, []int{1991, 2018}},
		{"Day of National Unity", time.April, 9, []int{1991, 2026, 2100}, nil},
		{"Mother's Day", time.March, 3, []int{1991, 2026, 2100}, nil},
	}
	for _, tt := range tests {
		for _, y := range tt.years {
			if !has(t, y, tt.month, tt.day, tt.name) {
				t.Errorf("Year(%d) lacks %q on %v %d", y, tt.name, tt.month, tt.day)
			}
		}
		for _, y := range tt.not {
			if has(t, y, tt.month, tt.day, tt.name) {
				t.Errorf("Year(%d) lists %q on %v %d, before or after its years", y, tt.name, tt.month, tt.day)
			}
		}
	}
}

// TestFamilyDayOn checks 17 May through On and IsHoliday, the functions the
// scheduler calls, on both sides of its first year.
func TestFamilyDayOn(t *testing.T) {
	t.Parallel()
	if h, ok := IsHoliday(date(2023, time.May, 17)); ok {
		t.Errorf("IsHoliday(2023-05-17) = %v, true; want false", h)
	}
	for _, y := range []int{2024, 2025, 2026} {
		h, ok := IsHoliday(date(y, time.May, 17))
		if !ok || h.Name != familyDay || h.NameKa != "ოჯახის სიწმინდისა და მშობლების პატივისცემის დღე" {
			t.Errorf("IsHoliday(%d-05-17) = %+v, %v; want %q", y, h, ok, familyDay)
		}
	}
}

func TestYearRange(t *testing.T) {
	t.Parallel()
	for _, y := range []int{-1, 0, 1990, 2101, 9999} {
		hs, err := Year(y)
		if err == nil {
			t.Errorf("Year(%d) = %d holidays, want an error", y, len(hs))
			continue
		}
		if !errors.Is(err, ErrYearRange) || !errors.Is(err, program.ErrInvalid) {
			t.Errorf("Year(%d) error %v does not wrap both ErrYearRange and program.ErrInvalid", y, err)
		}
		// The message is for people: it must say which years to ask for.
		if msg := err.Error(); !strings.Contains(msg, "1991–2100") {
			t.Errorf("Year(%d) error %q does not name the range 1991–2100", y, msg)
		}
	}
	for _, y := range []int{FirstYear, LastYear} {
		if hs, err := Year(y); err != nil || len(hs) == 0 {
			t.Errorf("Year(%d) = %d holidays, %v; want holidays and no error", y, len(hs), err)
		}
	}
	for _, d := range []program.Date{date(1990, time.January, 1), date(2101, time.January, 1)} {
		if hs := On(d); hs != nil {
			t.Errorf("On(%v) = %v, want none outside the known years", d, hs)
		}
	}
}

// TestOn checks ordinary days, each kind of holiday and coinciding ones.
func TestOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    program.Date
		want []string
	}{
		{date(2026, time.April, 14), nil},
		{date(2026, time.December, 25), nil}, // Western Christmas is a working day
		{date(2026, time.May, 1), nil},       // so is 1 May
		{date(2026, time.February, 30), nil}, // not a date at all
		{date(2026, time.April, 10), []string{"Good Friday"}},
		{date(2025, time.April, 21), []string{easterMonday}},
		{date(2026, time.November, 23), []string{"Saint George's Day (Giorgoba)"}},
		{date(1999, time.April, 9), []string{"Day of National Unity", "Good Friday"}},
		{date(2029, time.April, 9), []string{"Day of National Unity", easterMonday}},
		{date(2034, time.April, 9), []string{"Day of National Unity", "Easter Sunday"}},
		// The Code lists the Easter days before 9 May, so they come first.
		{date(2078, time.May, 9), []string{easterMonday, "Day of Victory over Fascism"}},
	}
	for _, tt := range tests {
		var got []string
		for _, h := range On(tt.d) {
			got = append(got, h.Name)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("On(%v) = %q, want %q", tt.d, got, tt.want)
		}
		h, ok := IsHoliday(tt.d)
		if ok != (len(tt.want) > 0) || ok && h.Name != tt.want[0] {
			t.Errorf("IsHoliday(%v) = %v, %v; want the first of %q", tt.d, h, ok, tt.want)
		}
	}
}

// TestYearProperties checks every year of the range: each holiday is in its
// year, a public holiday with both names, the list is sorted with no day and
// name twice, the Easter days are Easter −2, −1, 0 and +1 with Easter a
// Sunday, and On agrees with Year on every day of the year.
func TestYearProperties(t *testing.T) {
	t.Parallel()
	movable := map[string]int{"Good Friday": -2, "Holy Saturday": -1, "Easter Sunday": 0, easterMonday: 1}
	for y := FirstYear; y <= LastYear; y++ {
		hs, err := Year(y)
		if err != nil {
			t.Fatalf("Year(%d): %v", y, err)
		}
		easter := OrthodoxEaster(y)
		if easter.In(time.UTC).Weekday() != time.Sunday {
			t.Errorf("%d: Easter %v is not a Sunday", y, easter)
		}
		byDay := map[program.Date][]string{}
		seen := map[Holiday]bool{}
		found := 0
		for i, h := range hs {
			if h.Date.Year != y || !h.Date.Valid() {
				t.Errorf("Year(%d) lists %v, not a date of %d", y, h, y)
			}
			if h.Kind != Public || h.Name == "" || h.NameKa == "" {
				t.Errorf("Year(%d) lists %+v: want a public holiday with English and Georgian names", y, h)
			}
			if i > 0 && h.Date.Before(hs[i-1].Date) {
				t.Errorf("Year(%d) is not sorted: %v after %v", y, h, hs[i-1])
			}
			if seen[h] {
				t.Errorf("Year(%d) lists %v twice", y, h)
			}
			seen[h] = true
			if off, ok := movable[h.Name]; ok {
				found++
				if want := easter.AddDays(off); h.Date != want {
					t.Errorf("Year(%d): %s on %v, want %v (Easter %+d)", y, h.Name, h.Date, want, off)
				}
			}
			byDay[h.Date] = append(byDay[h.Date], h.Name)
		}
		if found != len(movable) {
			t.Errorf("Year(%d) has %d of the %d Easter days", y, found, len(movable))
		}
		for d := date(y, time.January, 1); d.Year == y; d = d.AddDays(1) {
			var got []string
			for _, h := range On(d) {
				got = append(got, h.Name)
			}
			if strings.Join(got, "|") != strings.Join(byDay[d], "|") {
				t.Errorf("On(%v) = %q, but Year(%d) lists %q", d, got, y, byDay[d])
			}
		}
	}
}

// TestNoWeekendSubstitution checks that a holiday on a weekend is not moved:
// 26 May 2024 was a Sunday and Monday 27 May a working day.
func TestNoWeekendSubstitution(t *testing.T) {
	t.Parallel()
	if wd := date(2024, time.May, 26).In(time.UTC).Weekday(); wd != time.Sunday {
		t.Fatalf("26 May 2024 is a %v; the test's premise is wrong", wd)
	}
	if h, ok := IsHoliday(date(2024, time.May, 27)); ok {
		t.Errorf("IsHoliday(2024-05-27) = %v; a Sunday holiday must not move to Monday", h)
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	for k, want := range map[Kind]string{Public: "public holiday", Blackout: "blackout", Kind(9): "Kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", uint8(k), got, want)
		}
	}
}
