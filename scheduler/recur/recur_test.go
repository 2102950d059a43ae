package recur

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones load on a machine without a zone database

	"github.com/khidi/khidi/internal/program"
	"github.com/robfig/cron/v3"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func instant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// locals formats each occurrence's Local time with its offset, the form
// the expected lists below are written in.
func locals(occ []Occurrence) []string {
	out := make([]string, len(occ))
	for i, o := range occ {
		out[i] = o.Local.Format(time.RFC3339)
	}
	return out
}

// TestOccurrences checks expansions against dates listed by hand from a
// calendar (1 September 2026 is a Tuesday, 1 August 2026 a Saturday,
// 1 November 2026 and 1 February 2026 Sundays). Asia/Tbilisi has kept
// +04:00 all year since 2005.
func TestOccurrences(t *testing.T) {
	tbilisi := zone(t, "Asia/Tbilisi")
	for _, tc := range []struct {
		name, rule string
		from, to   string
		want       []string
	}{
		{
			name: "weekly Tuesday 18:00 over September",
			rule: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-01T00:00:00+04:00", to: "2026-10-01T00:00:00+04:00",
			want: []string{"2026-09-01T18:00:00+04:00", "2026-09-08T18:00:00+04:00", "2026-09-15T18:00:00+04:00",
				"2026-09-22T18:00:00+04:00", "2026-09-29T18:00:00+04:00"},
		},
		{
			name: "window start is inclusive, end exclusive",
			rule: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-01T18:00:00+04:00", to: "2026-09-29T18:00:00+04:00",
			want: []string{"2026-09-01T18:00:00+04:00", "2026-09-08T18:00:00+04:00", "2026-09-15T18:00:00+04:00",
				"2026-09-22T18:00:00+04:00"},
		},
		{
			name: "window given in another zone",
			rule: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-01T14:00:00Z", to: "2026-09-08T14:00:01Z",
			want: []string{"2026-09-01T18:00:00+04:00", "2026-09-08T18:00:00+04:00"},
		},
		{
			name: "@monthly in the default zone",
			rule: "@monthly",
			from: "2026-01-01T00:00:00+04:00", to: "2026-05-01T00:00:00+04:00",
			want: []string{"2026-01-01T00:00:00+04:00", "2026-02-01T00:00:00+04:00", "2026-03-01T00:00:00+04:00",
				"2026-04-01T00:00:00+04:00"},
		},
		{
			name: "@monthly with its own zone",
			rule: "CRON_TZ=Europe/Warsaw @monthly",
			from: "2026-03-01T00:00:00+01:00", to: "2026-05-01T00:00:00+02:00",
			want: []string{"2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00"},
		},
		{
			name: "every other Tuesday",
			rule: "every 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-01T00:00:00+04:00", to: "2026-10-01T00:00:00+04:00",
			want: []string{"2026-09-01T18:00:00+04:00", "2026-09-15T18:00:00+04:00", "2026-09-29T18:00:00+04:00"},
		},
		{
			name: "every other Tuesday counts from the window start",
			rule: "every 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-02T00:00:00+04:00", to: "2026-10-01T00:00:00+04:00",
			want: []string{"2026-09-08T18:00:00+04:00", "2026-09-22T18:00:00+04:00"},
		},
		{
			name: "second Tuesday of the month",
			rule: "nth 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-01T00:00:00+04:00", to: "2026-11-01T00:00:00+04:00",
			want: []string{"2026-09-08T18:00:00+04:00", "2026-10-13T18:00:00+04:00"},
		},
		{
			name: "last Tuesday of the month",
			rule: "nth last: CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-01T00:00:00+04:00", to: "2026-11-01T00:00:00+04:00",
			want: []string{"2026-09-29T18:00:00+04:00", "2026-10-27T18:00:00+04:00"},
		},
		{
			name: "first weekday of the month, months starting on Saturday and Sunday",
			rule: "first weekday: CRON_TZ=Asia/Tbilisi 0 18 1-3 * *",
			from: "2026-07-01T00:00:00+04:00", to: "2026-12-01T00:00:00+04:00",
			// 1 Jul Wed; 1 Aug Sat → Mon 3; 1 Sep Tue; 1 Oct Thu; 1 Nov Sun → Mon 2.
			want: []string{"2026-07-01T18:00:00+04:00", "2026-08-03T18:00:00+04:00", "2026-09-01T18:00:00+04:00",
				"2026-10-01T18:00:00+04:00", "2026-11-02T18:00:00+04:00"},
		},
		{
			name: "first weekday with a daily spec gives the same days",
			rule: "first weekday: CRON_TZ=Asia/Tbilisi 0 18 * * *",
			from: "2026-02-01T00:00:00+04:00", to: "2026-04-01T00:00:00+04:00",
			// 1 Feb and 1 Mar 2026 are Sundays.
			want: []string{"2026-02-02T18:00:00+04:00", "2026-03-02T18:00:00+04:00"},
		},
		{
			name: "last weekday of the month",
			rule: "last weekday: CRON_TZ=Asia/Tbilisi 0 18 26-31 * *",
			from: "2026-08-01T00:00:00+04:00", to: "2026-12-01T00:00:00+04:00",
			// 31 Aug Mon; 30 Sep Wed; 31 Oct Sat → Fri 30; 30 Nov Mon.
			want: []string{"2026-08-31T18:00:00+04:00", "2026-09-30T18:00:00+04:00", "2026-10-30T18:00:00+04:00",
				"2026-11-30T18:00:00+04:00"},
		},
		{
			name: "filters before every: every other first weekday",
			rule: "first weekday, every 2: CRON_TZ=Asia/Tbilisi 0 18 * * *",
			from: "2026-07-01T00:00:00+04:00", to: "2026-12-01T00:00:00+04:00",
			want: []string{"2026-07-01T18:00:00+04:00", "2026-09-01T18:00:00+04:00", "2026-11-02T18:00:00+04:00"},
		},
		{
			name: "empty window",
			rule: "CRON_TZ=Asia/Tbilisi 0 18 * * 2",
			from: "2026-09-01T18:00:00+04:00", to: "2026-09-01T18:00:00+04:00",
			want: []string{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.rule, tbilisi)
			if err != nil {
				t.Fatal(err)
			}
			r.Duration = 90 * time.Minute
			occ, err := r.Occurrences(instant(t, tc.from), instant(t, tc.to))
			if err != nil {
				t.Fatal(err)
			}
			if got := locals(occ); !slices.Equal(got, tc.want) {
				t.Errorf("%s from %s to %s:\n got %q\nwant %q", tc.rule, tc.from, tc.to, got, tc.want)
			}
			for _, o := range occ {
				if o.Start.Location() != time.UTC || o.End.Location() != time.UTC {
					t.Errorf("%v: Start and End must be UTC", o)
				}
				if !o.Start.Equal(o.Local) || o.Local.Location() != r.Zone() {
					t.Errorf("%v: Local must be Start in %s", o, r.Zone())
				}
				if o.End.Sub(o.Start) != 90*time.Minute || o.Shifted {
					t.Errorf("%v: want a 90-minute occurrence, not shifted", o)
				}
			}
		})
	}
}

func TestOccurrencesIn(t *testing.T) {
	r, err := Parse("CRON_TZ=Asia/Tbilisi 0 18 * * 2", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The last date is included, to its end: 29 September is a Tuesday.
	occ, err := r.OccurrencesIn(program.Window{From: program.Date{Year: 2026, Month: 9, Day: 22}, To: program.Date{Year: 2026, Month: 9, Day: 29}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2026-09-22T18:00:00+04:00", "2026-09-29T18:00:00+04:00"}
	if got := locals(occ); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, w := range []program.Window{
		{From: program.Date{Year: 2026, Month: 9, Day: 22}},
		{From: program.Date{Year: 2026, Month: 9, Day: 22}, To: program.Date{Year: 2026, Month: 9, Day: 21}},
	} {
		if _, err := r.OccurrencesIn(w); !errors.Is(err, program.ErrInvalid) || !strings.Contains(err.Error(), "2026-09-22") {
			t.Errorf("window %v: got %v, want an invalid-input error quoting the window", w, err)
		}
	}
}

// TestErrors checks that bad input is refused with a message that quotes
// the bad value and says what is accepted.
func TestErrors(t *testing.T) {
	tbilisi := zone(t, "Asia/Tbilisi")
	for _, tc := range []struct {
		name, rule string
		zone       *time.Location
		want       []string // substrings of the message
	}{
		{"bad minute", "CRON_TZ=Asia/Tbilisi 61 18 * * 2", tbilisi, []string{`"CRON_TZ=Asia/Tbilisi 61 18 * * 2"`, "61", "accepted: five cron fields"}},
		{"bad weekday name", "0 18 * * tuesday", tbilisi, []string{`"0 18 * * tuesday"`, "tuesday", "accepted"}},
		{"six fields", "0 0 18 * * 2", tbilisi, []string{`"0 0 18 * * 2"`, "accepted: five cron fields"}},
		{"empty", "", tbilisi, []string{`""`, "no cron spec", "accepted"}},
		{"zone only", "CRON_TZ=Asia/Tbilisi", tbilisi, []string{"no cron spec after it", "accepted"}},
		{"unknown zone", "CRON_TZ=Asia/Tiflis_Old 0 18 * * 2", tbilisi, []string{`unknown zone "Asia/Tiflis_Old"`, "IANA zone"}},
		{"Local zone by name", "TZ=Local 0 18 * * 2", tbilisi, []string{`zone "Local"`, "never the machine's local zone"}},
		{"no zone, no default", "0 18 * * 2", nil, []string{`"0 18 * * 2"`, "names no zone", "CRON_TZ=ZONE"}},
		{"machine zone as default", "0 18 * * 2", time.Local, []string{"machine's local zone", "Asia/Tbilisi"}},
		{"unknown descriptor", "@fortnightly", tbilisi, []string{"@fortnightly", "@monthly"}},
		{"@every", "@every 336h", tbilisi, []string{`"@every 336h"`, `"every N" modifier`}},
		{"never fires", "0 18 30 2 *", tbilisi, []string{`"0 18 30 2 *"`, "never fires"}},
		{"every 0", "every 0: 0 18 * * 2", tbilisi, []string{`modifier "every 0"`, "N ≥ 1"}},
		{"every -1", "every -1: 0 18 * * 2", tbilisi, []string{`modifier "every -1"`, "N ≥ 1"}},
		{"every word", "every other: 0 18 * * 2", tbilisi, []string{`modifier "every other"`, "N ≥ 1"}},
		{"nth 6", "nth 6: 0 18 * * 2", tbilisi, []string{`modifier "nth 6"`, `1 to 5 or "last"`}},
		{"unknown modifier", "fortnightly: 0 18 * * 2", tbilisi, []string{`modifier "fortnightly"`, "accepted modifiers"}},
		{"repeated modifier", "every 2, every 3: 0 18 * * 2", tbilisi, []string{`modifier "every 3"`, "repeats"}},
		{"two weekday filters", "first weekday, last weekday: 0 18 * * *", tbilisi, []string{`modifier "last weekday"`, "repeats"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.rule, tc.zone)
			if !errors.Is(err, program.ErrInvalid) {
				t.Fatalf("Parse(%q): got %v, want an error wrapping program.ErrInvalid", tc.rule, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q): message %q does not contain %q", tc.rule, err, w)
				}
			}
		})
	}
}

func TestOccurrencesErrors(t *testing.T) {
	r, err := Parse("CRON_TZ=Asia/Tbilisi 0 18 * * 2", nil)
	if err != nil {
		t.Fatal(err)
	}
	from, to := instant(t, "2026-09-30T00:00:00+04:00"), instant(t, "2026-09-01T00:00:00+04:00")
	_, err = r.Occurrences(from, to)
	if !errors.Is(err, program.ErrInvalid) {
		t.Fatalf("window ending before it starts: got %v, want an invalid-input error", err)
	}
	for _, w := range []string{"2026-09-01T00:00:00+04:00", "2026-09-30T00:00:00+04:00", "before it starts"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q does not contain %q", err, w)
		}
	}

	r.Duration = -time.Hour
	if _, err := r.Occurrences(to, from); !errors.Is(err, program.ErrInvalid) || !strings.Contains(err.Error(), "-1h0m0s") {
		t.Errorf("negative duration: got %v, want an invalid-input error quoting it", err)
	}
	if _, err := (Rule{}).Occurrences(to, from); !errors.Is(err, program.ErrInvalid) {
		t.Errorf("zero Rule: got %v, want an invalid-input error", err)
	}

	// Every minute for a year is 525,600 candidates; a week is 10,080.
	minutely, err := Parse("* * * * *", zone(t, "Asia/Tbilisi"))
	if err != nil {
		t.Fatal(err)
	}
	year0, year1 := instant(t, "2026-01-01T00:00:00+04:00"), instant(t, "2027-01-01T00:00:00+04:00")
	_, err = minutely.Occurrences(year0, year1)
	if !errors.Is(err, ErrTooMany) || !errors.Is(err, program.ErrInvalid) || !strings.Contains(err.Error(), "100000") {
		t.Errorf("every minute for a year: got %v, want ErrTooMany naming the limit", err)
	}
	week, err := minutely.Occurrences(year0, year0.AddDate(0, 0, 7))
	if err != nil || len(week) != 7*24*60 {
		t.Errorf("every minute for a week: got %d occurrences, %v; want %d", len(week), err, 7*24*60)
	}
}

// TestString checks that the canonical form names the zone and reads back
// to the same rule under any default zone.
func TestString(t *testing.T) {
	warsaw := zone(t, "Europe/Warsaw")
	for _, tc := range []struct{ rule, want string }{
		{"0 18 * * 2", "CRON_TZ=Europe/Warsaw 0 18 * * 2"},
		{"TZ=Asia/Tbilisi   @monthly", "CRON_TZ=Asia/Tbilisi @monthly"},
		{"Every 2 ,  first  weekday:0 18 * * *", "every 2, first weekday: CRON_TZ=Europe/Warsaw 0 18 * * *"},
		{"nth LAST: CRON_TZ=Europe/Kyiv 0 10 * * 5", "nth last: CRON_TZ=Europe/Kyiv 0 10 * * 5"},
	} {
		r, err := Parse(tc.rule, warsaw)
		if err != nil {
			t.Fatal(err)
		}
		if r.String() != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.rule, r.String(), tc.want)
		}
		back, err := Parse(r.String(), zone(t, "Asia/Tbilisi"))
		if err != nil || back.String() != tc.want || back.Every() != r.Every() {
			t.Errorf("Parse(%q) = %v, %v; want the same rule back", r.String(), back, err)
		}
	}
}

// TestCronPitfall reproduces what the cron library's Schedule.Next does with
// a 02:30 job in Warsaw, which is why Occurrences does not call it in the
// rule's zone: on 28 March 2027 (clocks 02:00 → 03:00) the job is skipped,
// and on 31 October 2027 (clocks 03:00 → 02:00) it runs twice.
func TestCronPitfall(t *testing.T) {
	s, err := cron.ParseStandard("CRON_TZ=Europe/Warsaw 30 2 * * *")
	if err != nil {
		t.Fatal(err)
	}
	warsaw := zone(t, "Europe/Warsaw")
	var spring, autumn []string
	for t0 := instant(t, "2027-03-26T12:00:00Z"); t0.Before(instant(t, "2027-03-30T12:00:00Z")); {
		t0 = s.Next(t0)
		spring = append(spring, t0.In(warsaw).Format(time.RFC3339))
	}
	for t0 := instant(t, "2027-10-29T12:00:00Z"); t0.Before(instant(t, "2027-11-01T12:00:00Z")); {
		t0 = s.Next(t0)
		autumn = append(autumn, t0.In(warsaw).Format(time.RFC3339))
	}
	wantSpring := []string{"2027-03-27T02:30:00+01:00", "2027-03-29T02:30:00+02:00", "2027-03-30T02:30:00+02:00", "2027-03-31T02:30:00+02:00"}
	wantAutumn := []string{"2027-10-30T02:30:00+02:00", "2027-10-31T02:30:00+02:00", "2027-10-31T02:30:00+01:00", "2027-11-01T02:30:00+01:00", "2027-11-02T02:30:00+01:00"}
	if !slices.Equal(spring, wantSpring) || !slices.Equal(autumn, wantAutumn) {
		t.Fatalf("the cron library no longer skips and doubles (spring %q, autumn %q): revisit the package doc", spring, autumn)
	}
}

// TestAt checks the clock-change rule on single readings in Warsaw, 2027:
// clocks jump from 02:00 to 03:00 on 28 March and fall back from 03:00 to
// 02:00 on 31 October.
func TestAt(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		month       time.Month
		day, hour   int
		min         int
		want        string // UTC
		wantShifted bool
	}{
		{"ordinary", time.March, 27, 2, 30, "2027-03-27T01:30:00Z", false},
		{"in the spring gap", time.March, 28, 2, 30, "2027-03-28T01:00:00Z", true},
		{"after the gap", time.March, 28, 3, 0, "2027-03-28T01:00:00Z", false},
		{"repeated hour, first", time.October, 31, 2, 30, "2027-10-31T00:30:00Z", false},
	}
	for _, tt := range tests {
		got, shifted := At(2027, tt.month, tt.day, tt.hour, tt.min, 0, warsaw)
		if got.UTC().Format(time.RFC3339) != tt.want || shifted != tt.wantShifted {
			t.Errorf("%s: At = %s (shifted %v), want %s (shifted %v)", tt.name, got.UTC().Format(time.RFC3339), shifted, tt.want, tt.wantShifted)
		}
	}
}
