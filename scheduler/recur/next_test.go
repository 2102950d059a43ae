package recur

import (
	"cmp"
	"errors"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// TestNextAcrossClockChanges steps a 02:30 Warsaw rule with Next across
// both clock changes of 2027: one run a day, never skipped, never doubled.
func TestNextAcrossClockChanges(t *testing.T) {
	t.Parallel()
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	r, err := Parse("CRON_TZ=Europe/Warsaw 30 2 * * *", nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		from, to time.Time
		runs     int
		special  time.Time // the run on the change day, UTC
	}{
		// 28 March: 02:00 → 03:00 CEST; 02:30 does not exist, the run is at
		// the change, 03:00 CEST = 01:00 UTC.
		{"spring", time.Date(2027, 3, 26, 0, 0, 0, 0, warsaw), time.Date(2027, 3, 31, 0, 0, 0, 0, warsaw), 5,
			time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC)},
		// 31 October: 03:00 CEST → 02:00 CET; 02:30 happens twice, the run
		// is the first, 02:30 CEST = 00:30 UTC.
		{"autumn", time.Date(2027, 10, 29, 0, 0, 0, 0, warsaw), time.Date(2027, 11, 3, 0, 0, 0, 0, warsaw), 5,
			time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days := map[string]int{}
			sawSpecial := false
			at := tt.from
			for {
				o, ok, err := r.Next(at)
				if err != nil || !ok {
					t.Fatalf("Next(%s) = %v, %v, %v", at, o, ok, err)
				}
				if !o.Start.Before(tt.to) {
					break
				}
				if !o.Start.After(at) {
					t.Fatalf("Next(%s) = %s, not after", at, o.Start)
				}
				days[o.Local.Format(time.DateOnly)]++
				sawSpecial = sawSpecial || o.Start.Equal(tt.special)
				at = o.Start
			}
			if len(days) != tt.runs {
				t.Errorf("runs on %d days, want %d: %v", len(days), tt.runs, days)
			}
			for d, n := range days {
				if n != 1 {
					t.Errorf("%d runs on %s", n, d)
				}
			}
			if !sawSpecial {
				t.Errorf("no run at %s on the change day", tt.special)
			}
		})
	}
}

func TestNext(t *testing.T) {
	t.Parallel()
	at := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		spec string
		from time.Time // zero: at
		want time.Time // zero: none
		err  bool
	}{
		{"CRON_TZ=UTC * * * * *", time.Time{}, at.Add(time.Minute), false},
		{"CRON_TZ=UTC 0 12 * * *", time.Time{}, at.AddDate(0, 0, 1), false},
		{"CRON_TZ=Asia/Tbilisi @yearly", time.Time{}, time.Date(2027, 12, 31, 20, 0, 0, 0, time.UTC), false},
		{"CRON_TZ=UTC 0 0 29 2 *", time.Time{}, time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), false},
		// Four years ahead, the longest gap a cron rule can have.
		{"CRON_TZ=UTC 0 0 29 2 *", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), false},
		{"every 2: CRON_TZ=UTC 0 12 * * *", time.Time{}, time.Time{}, true},
	} {
		r, err := Parse(tt.spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		o, ok, err := r.Next(cmp.Or(tt.from, at))
		switch {
		case tt.err:
			if !errors.Is(err, program.ErrInvalid) {
				t.Errorf("Next(%q): %v, want program.ErrInvalid", tt.spec, err)
			}
		case err != nil || ok != !tt.want.IsZero() || (ok && !o.Start.Equal(tt.want)):
			t.Errorf("Next(%q) = %v, %v, %v; want %v", tt.spec, o.Start, ok, err, tt.want)
		}
	}
}
