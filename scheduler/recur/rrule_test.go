package recur

import (
	"slices"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
)

// TestRRule checks each translation by expanding it with an independent
// RFC 5545 implementation (rrule-go) from the rule's first occurrence over
// two years and comparing the starts with Occurrences.
func TestRRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule string
		want string // "" when RFC 5545 cannot say the rule
	}{
		{"CRON_TZ=Asia/Tbilisi 0 18 * * 2", "FREQ=DAILY;BYDAY=TU;BYHOUR=18;BYMINUTE=0"},
		{"CRON_TZ=Europe/Warsaw 30 18 * * 1,3", "FREQ=DAILY;BYDAY=MO,WE;BYHOUR=18;BYMINUTE=30"},
		{"CRON_TZ=Asia/Tbilisi 0 9,18 * * *", "FREQ=DAILY;BYHOUR=9,18;BYMINUTE=0"},
		{"CRON_TZ=Asia/Tbilisi 0 10 15 * *", "FREQ=DAILY;BYMONTHDAY=15;BYHOUR=10;BYMINUTE=0"},
		{"CRON_TZ=Asia/Tbilisi 0 10 1-7 3,9 *", "FREQ=DAILY;BYMONTH=3,9;BYMONTHDAY=1,2,3,4,5,6,7;BYHOUR=10;BYMINUTE=0"},
		{"CRON_TZ=Asia/Tbilisi 0 10 1-7 * 1-5", ""}, // cron's OR of day fields
		{"CRON_TZ=Asia/Tbilisi @monthly", "FREQ=DAILY;BYMONTHDAY=1;BYHOUR=0;BYMINUTE=0"},
		{"CRON_TZ=Asia/Tbilisi @weekly", "FREQ=DAILY;BYDAY=SU;BYHOUR=0;BYMINUTE=0"},
		{"CRON_TZ=Europe/Kyiv */20 9 * * 5", "FREQ=DAILY;BYDAY=FR;BYHOUR=9;BYMINUTE=0,20,40"},
		{"every 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2", "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;BYHOUR=18;BYMINUTE=0"},
		{"every 3: CRON_TZ=Europe/Warsaw 0 8 * * *", "FREQ=DAILY;INTERVAL=3;BYHOUR=8;BYMINUTE=0"},
		{"every 2: CRON_TZ=Asia/Tbilisi 0 10 5 * *", "FREQ=MONTHLY;BYMONTHDAY=5;INTERVAL=2;BYHOUR=10;BYMINUTE=0"},
		{"every 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2,4", ""}, // two a week
		{"every 2: CRON_TZ=Asia/Tbilisi 0 10 31 * *", ""},  // months without a 31st
		{"nth 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2", "FREQ=MONTHLY;BYDAY=2TU;BYHOUR=18;BYMINUTE=0"},
		{"nth last: CRON_TZ=Europe/Warsaw 0 10 * * 5", "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=10;BYMINUTE=0"},
		{"nth 1, every 3: CRON_TZ=Asia/Tbilisi 0 18 * * 1", "FREQ=MONTHLY;BYDAY=1MO;INTERVAL=3;BYHOUR=18;BYMINUTE=0"},
		{"first weekday: CRON_TZ=Asia/Tbilisi 0 18 1-3 * *", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1;BYHOUR=18;BYMINUTE=0"},
		{"last weekday: CRON_TZ=Europe/Chisinau 0 17 * * *", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0"},
		{"first weekday: CRON_TZ=Asia/Tbilisi 0 18 1-2 * *", ""}, // cron drops a 3rd that is the first weekday
		{"first weekday: CRON_TZ=Asia/Tbilisi 0 9,18 1-3 * *", ""},
	}
	from := time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(2, 0, 0)
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.rule, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := r.RRule()
			if got != tt.want || ok != (tt.want != "") {
				t.Fatalf("RRule() = %q, %v; want %q", got, ok, tt.want)
			}
			if !ok {
				return
			}
			occ, err := r.Occurrences(from, to)
			if err != nil || len(occ) == 0 {
				t.Fatalf("Occurrences: %d, %v", len(occ), err)
			}
			opt, err := rrule.StrToROption(got)
			if err != nil {
				t.Fatalf("rrule-go cannot read %q: %v", got, err)
			}
			opt.Dtstart = occ[0].Local
			rr, err := rrule.NewRRule(*opt)
			if err != nil {
				t.Fatal(err)
			}
			var want, have []int64
			for _, o := range occ {
				want = append(want, o.Start.Unix())
			}
			for _, s := range rr.Between(from, to, true) {
				have = append(have, s.Unix())
			}
			if !slices.Equal(have, want) {
				t.Errorf("rrule-go expands %q to %d starts, Occurrences gives %d; first difference at %d",
					got, len(have), len(want), firstDifference(have, want))
			}
		})
	}
}

func firstDifference(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
