package holidays

import (
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

func date(y int, m time.Month, d int) program.Date { return program.Date{Year: y, Month: m, Day: d} }

// TestOrthodoxEasterPublished checks OrthodoxEaster against the Orthodox
// Easter dates the churches publish (the Gregorian dates on which Georgia
// has kept, or will keep, Easter Sunday), written down here by hand rather
// than computed, for every year from 1991 to 2030. 2100 is the year the gap
// between the calendars grows to 14 days; its date is python-dateutil
// 2.9.0's easter(2100, EASTER_ORTHODOX), an implementation independent of
// this one, and agrees with the Julian date by hand: Julian 18 April + 14.
func TestOrthodoxEasterPublished(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year int
		want program.Date
	}{
		{1991, date(1991, time.April, 7)},
		{1992, date(1992, time.April, 26)},
		{1993, date(1993, time.April, 18)},
		{1994, date(1994, time.May, 1)},
		{1995, date(1995, time.April, 23)},
		{1996, date(1996, time.April, 14)},
		{1997, date(1997, time.April, 27)},
		{1998, date(1998, time.April, 19)},
		{1999, date(1999, time.April, 11)},
		{2000, date(2000, time.April, 30)},
		{2001, date(2001, time.April, 15)}, // the same day as the Western Easter
		{2002, date(2002, time.May, 5)},
		{2003, date(2003, time.April, 27)},
		{2004, date(2004, time.April, 11)},
		{2005, date(2005, time.May, 1)},
		{2006, date(2006, time.April, 23)},
		{2007, date(2007, time.April, 8)},
		{2008, date(2008, time.April, 27)},
		{2009, date(2009, time.April, 19)},
		{2010, date(2010, time.April, 4)}, // the earliest possible in 1900–2099
		{2011, date(2011, time.April, 24)},
		{2012, date(2012, time.April, 15)},
		{2013, date(2013, time.May, 5)},
		{2014, date(2014, time.April, 20)},
		{2015, date(2015, time.April, 12)},
		{2016, date(2016, time.May, 1)},
		{2017, date(2017, time.April, 16)},
		{2018, date(2018, time.April, 8)},
		{2019, date(2019, time.April, 28)},
		{2020, date(2020, time.April, 19)},
		{2021, date(2021, time.May, 2)},
		{2022, date(2022, time.April, 24)},
		{2023, date(2023, time.April, 16)},
		{2024, date(2024, time.May, 5)},
		{2025, date(2025, time.April, 20)},
		{2026, date(2026, time.April, 12)},
		{2027, date(2027, time.May, 2)},
		{2028, date(2028, time.April, 16)},
		{2029, date(2029, time.April, 8)},
		{2030, date(2030, time.April, 28)},
		{2100, date(2100, time.May, 2)},
	}
	for _, tt := range tests {
		if got := OrthodoxEaster(tt.year); got != tt.want {
			t.Errorf("OrthodoxEaster(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

// paschalFullMoon is the Julian calendar's table of paschal full moons,
// indexed by the golden number minus one (year mod 19): the dates, in
// March (day > 31 means April), of the full moon after which Easter falls.
// Transcribed from the traditional table rather than derived from the
// formula under test: 5 April, 25 March, 13 April, 2 April, 22 March,
// 10 April, 30 March, 18 April, 7 April, 27 March, 15 April, 4 April,
// 24 March, 12 April, 1 April, 21 March, 9 April, 29 March, 17 April.
var paschalFullMoon = [19]int{36, 25, 44, 33, 22, 41, 30, 49, 38, 27, 46, 35, 24, 43, 32, 21, 40, 29, 48}

// easterOracle computes Orthodox Easter another way: the paschal full moon
// from the table, moved to the Gregorian calendar by the century rule
// (y/100 − y/400 − 2 days, valid from March of year y to February of y+1),
// then the first Sunday strictly after it, found by walking day by day.
func easterOracle(y int) program.Date {
	gap := y/100 - y/400 - 2
	t := time.Date(y, time.March, paschalFullMoon[y%19]+gap, 0, 0, 0, 0, time.UTC)
	for {
		t = t.AddDate(0, 0, 1)
		if t.Weekday() == time.Sunday {
			return program.DateOf(t)
		}
	}
}

// TestOrthodoxEasterOracle compares OrthodoxEaster with easterOracle for
// every year from 1583, the first full Gregorian year, to 4099.
func TestOrthodoxEasterOracle(t *testing.T) {
	t.Parallel()
	for y := 1583; y <= 4099; y++ {
		if got, want := OrthodoxEaster(y), easterOracle(y); got != want {
			t.Errorf("OrthodoxEaster(%d) = %v, want %v (table of full moons)", y, got, want)
		}
	}
}

// TestOrthodoxEasterBounds checks that Easter is a Sunday and, with the
// 13-day gap of 1900–2099, between 4 April and 8 May (Julian 22 March to
// 25 April); in 2100 the window moves a day later.
func TestOrthodoxEasterBounds(t *testing.T) {
	t.Parallel()
	for y := 1900; y <= 2100; y++ {
		e := OrthodoxEaster(y)
		if wd := e.In(time.UTC).Weekday(); wd != time.Sunday {
			t.Errorf("OrthodoxEaster(%d) = %v, a %v, want a Sunday", y, e, wd)
		}
		lo, hi := date(y, time.April, 4), date(y, time.May, 8)
		if y == 2100 {
			lo, hi = date(y, time.April, 5), date(y, time.May, 9)
		}
		if e.Before(lo) || e.After(hi) {
			t.Errorf("OrthodoxEaster(%d) = %v, want between %v and %v", y, e, lo, hi)
		}
	}
}

// TestJulianToGregorian checks the calendar conversion on days whose
// Gregorian dates are historical or can be counted by hand: the day before
// the Gregorian reform, and the days around Julian 29 February 1900 and
// 2100, the days on which the gap grows.
func TestJulianToGregorian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		julian    program.Date
		gregorian program.Date
	}{
		{"last Julian day in Rome", date(1582, time.October, 4), date(1582, time.October, 14)},
		{"1900, gap 12", date(1900, time.February, 28), date(1900, time.March, 12)},
		{"1900 leap day", date(1900, time.February, 29), date(1900, time.March, 13)},
		{"1900, gap 13", date(1900, time.March, 1), date(1900, time.March, 14)},
		{"Orthodox Christmas 2026", date(2025, time.December, 25), date(2026, time.January, 7)},
		{"2100, gap 13", date(2100, time.February, 28), date(2100, time.March, 13)},
		{"2100 leap day", date(2100, time.February, 29), date(2100, time.March, 14)},
		{"2100, gap 14", date(2100, time.March, 1), date(2100, time.March, 15)},
		{"Easter 2100", date(2100, time.April, 18), date(2100, time.May, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := tt.julian
			if got := fromJulianDay(julianDay(j.Year, j.Month, j.Day)); got != tt.gregorian {
				t.Errorf("Julian %v = Gregorian %v, want %v", j, got, tt.gregorian)
			}
		})
	}
}

// FuzzOrthodoxEaster checks, for any year 1–9999, that Easter is a Sunday
// of its own year, and from 1583 to 4099 that it agrees with easterOracle.
// (Later, the gap between the calendars carries it into June and July.)
func FuzzOrthodoxEaster(f *testing.F) {
	for _, y := range []int{1, 1582, 1583, 1900, 1991, 2026, 2100, 9999} {
		f.Add(y)
	}
	f.Fuzz(func(t *testing.T, y int) {
		if y < 1 || y > 9999 {
			t.Skip("outside the documented years 1–9999")
		}
		e := OrthodoxEaster(y)
		if e.Year != y {
			t.Fatalf("OrthodoxEaster(%d) = %v, not in %d", y, e, y)
		}
		if wd := e.In(time.UTC).Weekday(); wd != time.Sunday {
			t.Fatalf("OrthodoxEaster(%d) = %v, a %v", y, e, wd)
		}
		if y >= 1583 && y <= 4099 {
			if want := easterOracle(y); e != want {
				t.Fatalf("OrthodoxEaster(%d) = %v, want %v", y, e, want)
			}
		}
	})
}
