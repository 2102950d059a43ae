package recur

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDST expands daily rules across the 2027 clock changes of partner
// zones. The EU changes at 01:00 UTC on the last Sundays of March and
// October (28 March, 31 October 2027): Warsaw jumps 02:00 → 03:00 and falls
// 03:00 → 02:00, Kyiv 03:00 → 04:00 and 04:00 → 03:00. Moldova changes at
// 00:00 UTC: Chisinau 02:00 → 03:00 and 03:00 → 02:00. Each day must have
// exactly one occurrence: a nonexistent time at the instant of the jump, an
// ambiguous one at its first (summer-time) occurrence.
func TestDST(t *testing.T) {
	for _, tc := range []struct {
		name, rule string
		from       string
		want       []string // local times with offsets, one a day
		shifted    string   // the one occurrence moved out of a gap, if any
	}{
		{
			name: "Warsaw 02:30, spring", rule: "CRON_TZ=Europe/Warsaw 30 2 * * *", from: "2027-03-27T00:00:00+01:00",
			want:    []string{"2027-03-27T02:30:00+01:00", "2027-03-28T03:00:00+02:00", "2027-03-29T02:30:00+02:00"},
			shifted: "2027-03-28T03:00:00+02:00",
		},
		{
			name: "Warsaw 02:30, autumn", rule: "CRON_TZ=Europe/Warsaw 30 2 * * *", from: "2027-10-30T00:00:00+02:00",
			want: []string{"2027-10-30T02:30:00+02:00", "2027-10-31T02:30:00+02:00", "2027-11-01T02:30:00+01:00"},
		},
		{
			name: "Kyiv 02:30, spring (before Kyiv's gap)", rule: "CRON_TZ=Europe/Kyiv 30 2 * * *", from: "2027-03-27T00:00:00+02:00",
			want: []string{"2027-03-27T02:30:00+02:00", "2027-03-28T02:30:00+02:00", "2027-03-29T02:30:00+03:00"},
		},
		{
			name: "Kyiv 02:30, autumn (before Kyiv's repeated hour)", rule: "CRON_TZ=Europe/Kyiv 30 2 * * *", from: "2027-10-30T00:00:00+03:00",
			want: []string{"2027-10-30T02:30:00+03:00", "2027-10-31T02:30:00+03:00", "2027-11-01T02:30:00+02:00"},
		},
		{
			name: "Kyiv 03:30, spring", rule: "CRON_TZ=Europe/Kyiv 30 3 * * *", from: "2027-03-27T00:00:00+02:00",
			want:    []string{"2027-03-27T03:30:00+02:00", "2027-03-28T04:00:00+03:00", "2027-03-29T03:30:00+03:00"},
			shifted: "2027-03-28T04:00:00+03:00",
		},
		{
			name: "Kyiv 03:30, autumn", rule: "CRON_TZ=Europe/Kyiv 30 3 * * *", from: "2027-10-30T00:00:00+03:00",
			want: []string{"2027-10-30T03:30:00+03:00", "2027-10-31T03:30:00+03:00", "2027-11-01T03:30:00+02:00"},
		},
		{
			name: "Chisinau 02:30, spring", rule: "CRON_TZ=Europe/Chisinau 30 2 * * *", from: "2027-03-27T00:00:00+02:00",
			want:    []string{"2027-03-27T02:30:00+02:00", "2027-03-28T03:00:00+03:00", "2027-03-29T02:30:00+03:00"},
			shifted: "2027-03-28T03:00:00+03:00",
		},
		{
			name: "Chisinau 02:30, autumn", rule: "CRON_TZ=Europe/Chisinau 30 2 * * *", from: "2027-10-30T00:00:00+03:00",
			want: []string{"2027-10-30T02:30:00+03:00", "2027-10-31T02:30:00+03:00", "2027-11-01T02:30:00+02:00"},
		},
		{
			name: "Warsaw 02:00, 02:30 and 03:00 in spring run once at 03:00", rule: "CRON_TZ=Europe/Warsaw 0,30 2-3 28 3 *", from: "2027-03-28T00:00:00+01:00",
			want:    []string{"2027-03-28T03:00:00+02:00", "2027-03-28T03:30:00+02:00"},
			shifted: "2027-03-28T03:00:00+02:00",
		},
		{
			name: "Warsaw half-hourly through the repeated hour: each reading once", rule: "CRON_TZ=Europe/Warsaw 0,30 1-3 31 10 *", from: "2027-10-31T00:00:00+02:00",
			want: []string{"2027-10-31T01:00:00+02:00", "2027-10-31T01:30:00+02:00", "2027-10-31T02:00:00+02:00",
				"2027-10-31T02:30:00+02:00", "2027-10-31T03:00:00+01:00", "2027-10-31T03:30:00+01:00"},
		},
		{
			name: "last Sundays of March and October at 02:30 in Warsaw, over a year", rule: "nth last: CRON_TZ=Europe/Warsaw 30 2 * 3,10 0", from: "2027-01-01T00:00:00+01:00",
			want:    []string{"2027-03-28T03:00:00+02:00", "2027-10-31T02:30:00+02:00"},
			shifted: "2027-03-28T03:00:00+02:00",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.rule, nil)
			if err != nil {
				t.Fatal(err)
			}
			from := instant(t, tc.from)
			to := from.AddDate(0, 0, 3)
			if strings.HasPrefix(tc.rule, "nth") {
				to = from.AddDate(1, 0, 0)
			}
			occ, err := r.Occurrences(from, to)
			if err != nil {
				t.Fatal(err)
			}
			if got := locals(occ); !slices.Equal(got, tc.want) {
				t.Errorf("%s from %s:\n got %q\nwant %q", tc.rule, tc.from, got, tc.want)
			}
			for _, o := range occ {
				if want := o.Local.Format(time.RFC3339) == tc.shifted; o.Shifted != want {
					t.Errorf("%s: Shifted = %v, want %v", o.Local.Format(time.RFC3339), o.Shifted, want)
				}
			}
		})
	}
}

// TestDSTDaily checks, over every day of 2027 in each partner zone, that
// a daily rule at every half hour of the night fires exactly once a day and
// at its own reading whenever that reading exists.
func TestDSTDaily(t *testing.T) {
	for _, name := range []string{"Europe/Warsaw", "Europe/Kyiv", "Europe/Chisinau", "Europe/Berlin", "Asia/Tbilisi"} {
		loc := zone(t, name)
		for _, hm := range [][2]int{{1, 30}, {2, 0}, {2, 30}, {3, 0}, {3, 30}, {4, 0}} {
			spec := fmt.Sprintf("CRON_TZ=%s %d %d * * *", name, hm[1], hm[0])
			r, err := Parse(spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
			occ, err := r.Occurrences(from, from.AddDate(1, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			if len(occ) != 365 {
				t.Errorf("%s: %d occurrences in 2027, want 365", spec, len(occ))
			}
			for i, o := range occ {
				day := from.AddDate(0, 0, i)
				if o.Local.YearDay() != day.YearDay() {
					t.Errorf("%s: occurrence %d on %s, want day %d", spec, i, o.Local.Format(time.RFC3339), day.YearDay())
					break
				}
				if !o.Shifted && (o.Local.Hour() != hm[0] || o.Local.Minute() != hm[1]) {
					t.Errorf("%s: %s is at the wrong time of day", spec, o.Local.Format(time.RFC3339))
				}
				if o.Shifted && (o.Local.Minute() != 0 || o.Local.Add(-time.Second).Hour() >= hm[0]) {
					t.Errorf("%s: shifted occurrence %s is not at the end of a gap", spec, o.Local.Format(time.RFC3339))
				}
			}
		}
	}
}
