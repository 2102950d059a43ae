package holidays

import (
	"time"

	"github.com/khidi/khidi/internal/program"
)

// OrthodoxEaster returns the Gregorian date of Orthodox Easter Sunday in
// year y, for any year from 1 to 9999 (the Gregorian date is proleptic
// before 1582, but the range that matters here is FirstYear–LastYear).
//
// Easter is the first Sunday strictly after the paschal full moon of the
// Julian computus, on the Julian calendar. With a = y mod 4, b = y mod 7,
// c = y mod 19 (Meeus, Astronomical Algorithms, 2nd ed., ch. 8, "Julian
// calendar"):
//
//	d = (19c + 15) mod 30      days from 21 March (Julian) to the paschal full moon
//	e = (2a + 4b − d + 34) mod 7
//	Easter = 22 March + d + e  (Julian)
//
// The Julian date is converted to the Gregorian one by way of the Julian
// day number, which counts days regardless of calendar, so the 13 days
// between the calendars in 1900–2099 and the 14 days from March 2100 come
// out of the arithmetic rather than from a table. For 1900–2099 the result
// lies between 4 April and 8 May.
func OrthodoxEaster(y int) program.Date {
	a, b, c := y%4, y%7, y%19
	d := (19*c + 15) % 30
	e := (2*a + 4*b - d + 34) % 7
	n := d + e + 114 // 31·month + day − 1, in March (3) or April (4)
	return fromJulianDay(julianDay(y, time.Month(n/31), n%31+1))
}

// julianDay returns the Julian day number of the date y-m-d on the Julian
// calendar (Fliegel and Van Flandern's integer formula, shifted to a year
// starting in March so that the leap day is the last day of the year).
func julianDay(y int, m time.Month, d int) int {
	a := (14 - int(m)) / 12
	yy := y + 4800 - a
	mm := int(m) + 12*a - 3
	return d + (153*mm+2)/5 + 365*yy + yy/4 - 32083
}

// unixEpochJulianDay is the Julian day number of 1 January 1970 (Gregorian),
// the day time.Unix counts from.
const unixEpochJulianDay = 2440588

// fromJulianDay returns the Gregorian date of Julian day number jd; time
// does the Gregorian arithmetic.
func fromJulianDay(jd int) program.Date {
	return program.DateOf(time.Date(1970, time.January, 1+jd-unixEpochJulianDay, 0, 0, 0, 0, time.UTC))
}
