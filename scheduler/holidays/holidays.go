package holidays

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// FirstYear and LastYear bound the years whose public holidays the package
// knows. 1991 is the year Georgia restored its independence; 2100 is as far
// as a programme could plausibly plan, and far enough to exercise the
// Julian–Gregorian gap growing to 14 days.
const (
	FirstYear = 1991
	LastYear  = 2100
)

// ErrYearRange reports a year outside FirstYear–LastYear. Errors that wrap
// it also wrap program.ErrInvalid, so callers that only sort errors into
// the programme's sentinels need not know this package.
var ErrYearRange = errors.New("holidays: year out of range")

// yearError is the error for one year out of range; it names the range so
// the message says what to ask for instead.
type yearError int

func (y yearError) Error() string {
	return fmt.Sprintf("holidays: year %d is outside %d–%d, the years whose public holidays are known; ask for a year in that range",
		int(y), FirstYear, LastYear)
}

func (yearError) Unwrap() []error { return []error{ErrYearRange, program.ErrInvalid} }

// Kind tells a public holiday from a date a Calendar's user added.
type Kind uint8

// The kinds of day a Holiday can be.
const (
	Public   Kind = iota // a day off under the Labour Code of Georgia
	Blackout             // a date added with Calendar.Add
)

// String returns "public holiday" or "blackout".
func (k Kind) String() string {
	switch k {
	case Public:
		return "public holiday"
	case Blackout:
		return "blackout"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Holiday is one day on which the programme should not schedule work: a
// public holiday, or a blackout added to a Calendar. Blackouts have only the
// name they were added with, in Name.
type Holiday struct {
	Date   program.Date
	Name   string // English
	NameKa string // Georgian, in the Labour Code's wording where it has one
	Kind   Kind
}

// String returns the holiday as "2027-05-02 Easter Sunday".
func (h Holiday) String() string { return h.Date.String() + " " + h.Name }

// rule is one line of the Labour Code's list, with the years it applies to.
// A fixed holiday has a month and day; a movable one has month 0 and is
// easter days after Orthodox Easter Sunday.
type rule struct {
	month        time.Month
	day          int
	easter       int
	name, nameKa string
	from, until  int // first and last year it was a holiday; until 0: still one
}

func (r rule) inForce(y int) bool { return y >= r.from && (r.until == 0 || y <= r.until) }

// rules is the Labour Code's list, in the Code's order, which is also the
// order in which holidays that share a day are listed. Sources and the rule
// for years before the current Code are in the package documentation; a
// comment below gives only what is particular to one day. "Assumed from
// 1991" means: listed in the earlier Code as Wikipedia reported it in 2007,
// and no evidence of a later start.
var rules = [...]rule{
	// Assumed from 1991: a Soviet-era holiday that independent Georgia kept.
	{month: time.January, day: 1, name: "New Year's Day", nameKa: "ახალი წელი", from: FirstYear},
	// Absent from the earlier Code's list, present by 2013: assumed to
	// have come with the Labour Code of 2006, in force from June 2006.
	{month: time.January, day: 2, name: "New Year's Day (second day)", nameKa: "ახალი წელი", from: 2007},
	// Assumed from 1991.
	{month: time.January, day: 7, name: "Orthodox Christmas", nameKa: "ქრისტეშობა", from: FirstYear},
	// Assumed from 1991.
	{month: time.January, day: 19, name: "Epiphany (Natlisgeba)", nameKa: "ნათლისღება", from: FirstYear},
	// Georgia's Mother's Day was instituted in 1991.
	{month: time.March, day: 3, name: "Mother's Day", nameKa: "დედის დღე", from: FirstYear},
	// A Soviet-era holiday that independent Georgia kept.
	{month: time.March, day: 8, name: "International Women's Day", nameKa: "ქალთა საერთაშორისო დღე", from: FirstYear},
	// The day of the 1989 tragedy and of the Act of Restoration of
	// Independence of 9 April 1991. Assumed from 1991.
	{month: time.April, day: 9, name: "Day of National Unity", nameKa: "ეროვნული ერთიანობის დღე", from: FirstYear},
	// The Easter days ("სააღდგომო დღეები"). Assumed from 1991. The Code
	// names Easter Monday also the day of remembrance of the deceased,
	// when families visit graves.
	{easter: -2, name: "Good Friday", nameKa: "წითელი პარასკევი", from: FirstYear},
	{easter: -1, name: "Holy Saturday", nameKa: "დიდი შაბათი", from: FirstYear},
	{easter: 0, name: "Easter Sunday", nameKa: "აღდგომა", from: FirstYear},
	{easter: 1, name: "Easter Monday (Day of Remembrance of the Deceased)", nameKa: "მიცვალებულთა მოხსენიების დღე", from: FirstYear},
	// A Soviet-era holiday that independent Georgia kept.
	{month: time.May, day: 9, name: "Day of Victory over Fascism", nameKa: "ფაშიზმზე გამარჯვების დღე", from: FirstYear},
	// Assumed from 1991. The amendment Parliament passed in May 2019 (96
	// votes; The Messenger, 10 May 2019) made the same day also the Day of
	// Georgia as the Lot of the Mother of God, the Day of Hope; the date
	// did not change, only the name.
	{month: time.May, day: 12, name: "Saint Andrew the First-Called Day", nameKa: "წმინდა ანდრია პირველწოდებულის ხსენების დღე", from: FirstYear, until: 2018},
	{month: time.May, day: 12, name: "Saint Andrew the First-Called Day; Day of Georgia as the Lot of the Mother of God (Day of Hope)",
		nameKa: "წმინდა ანდრია პირველწოდებულის ხსენების დღე; ყოვლადწმინდა ღვთისმშობლისადმი საქართველოს წილხვდომილობის დღე – იმედის დღე", from: 2019},
	// 2024 by Government Ordinance No. 167 of 15 May 2024 (administrative
	// bodies); in the Labour Code from 2025 by Organic Law
	// No. 4455-XVIმს-Xმპ of autumn 2024. See the package documentation.
	{month: time.May, day: 17, name: "Day of Family Sanctity and Respect for Parents", nameKa: "ოჯახის სიწმინდისა და მშობლების პატივისცემის დღე", from: 2024},
	// The 1918 declaration; restored as a holiday with independence.
	{month: time.May, day: 26, name: "Independence Day", nameKa: "დამოუკიდებლობის დღე", from: FirstYear},
	// The Dormition of the Mother of God. Assumed from 1991.
	{month: time.August, day: 28, name: "Saint Mary's Day (Mariamoba)", nameKa: "მარიამობა", from: FirstYear},
	// The feast of Svetitskhoveli Cathedral in Mtskheta and of the Robe of
	// Christ. Assumed from 1991.
	{month: time.October, day: 14, name: "Svetitskhovloba (Mtskhetoba)", nameKa: "სვეტიცხოვლობა (მცხეთობა)", from: FirstYear},
	// Assumed from 1991.
	{month: time.November, day: 23, name: "Saint George's Day (Giorgoba)", nameKa: "გიორგობა", from: FirstYear},
}

// Year returns Georgia's public holidays in year y, sorted by date; holidays
// that fall on the same day keep the Labour Code's order. It returns an
// error wrapping ErrYearRange for a year outside FirstYear–LastYear.
func Year(y int) ([]Holiday, error) {
	if y < FirstYear || y > LastYear {
		return nil, yearError(y)
	}
	easter := OrthodoxEaster(y)
	out := make([]Holiday, 0, len(rules))
	for _, r := range rules {
		if r.inForce(y) {
			out = append(out, r.on(y, easter))
		}
	}
	// Stable, so that days sharing a date keep the table's order.
	slices.SortStableFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out, nil
}

// on returns the holiday r gives in year y, whose Orthodox Easter is easter.
func (r rule) on(y int, easter program.Date) Holiday {
	d := program.Date{Year: y, Month: r.month, Day: r.day}
	if r.month == 0 {
		d = easter.AddDays(r.easter)
	}
	return Holiday{Date: d, Name: r.name, NameKa: r.nameKa, Kind: Public}
}

// On returns the public holidays on d, in the Labour Code's order: none for
// an ordinary day, two when holidays coincide. Outside FirstYear–LastYear it
// returns none, since nothing is known there.
func On(d program.Date) []Holiday {
	if d.Year < FirstYear || d.Year > LastYear {
		return nil
	}
	var out []Holiday
	var easter program.Date // computed only if a movable rule is reached
	for _, r := range rules {
		if !r.inForce(d.Year) {
			continue
		}
		if r.month != 0 {
			if r.month == d.Month && r.day == d.Day {
				out = append(out, r.on(d.Year, easter))
			}
			continue
		}
		if easter.IsZero() {
			easter = OrthodoxEaster(d.Year)
		}
		if h := r.on(d.Year, easter); h.Date == d {
			out = append(out, h)
		}
	}
	return out
}

// IsHoliday reports whether d is a public holiday and, if so, returns it;
// when two holidays coincide it returns the first in the Labour Code's
// order (On returns both). It reports false outside FirstYear–LastYear.
func IsHoliday(d program.Date) (Holiday, bool) {
	hs := On(d)
	if len(hs) == 0 {
		return Holiday{}, false
	}
	return hs[0], true
}
