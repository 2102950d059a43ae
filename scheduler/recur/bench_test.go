package recur

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkWeeklySeries expands 2,000 weekly study-circle series over a
// year, as the scheduler does for a programme's circles: weekdays and
// evening hours vary, and a quarter of the series meet in Warsaw so that
// both clock changes are crossed.
func BenchmarkWeeklySeries(b *testing.B) {
	const series = 2000
	rules := make([]Rule, series)
	for i := range rules {
		zoneName := "Asia/Tbilisi"
		if i%4 == 3 {
			zoneName = "Europe/Warsaw"
		}
		spec := fmt.Sprintf("CRON_TZ=%s %d %d * * %d", zoneName, 30*(i%2), 17+i%4, 1+i%5)
		if i%10 == 9 {
			spec = "every 2: " + spec
		}
		r, err := Parse(spec, nil)
		if err != nil {
			b.Fatal(err)
		}
		r.Duration = 2 * time.Hour
		rules[i] = r
	}
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		total = 0
		for _, r := range rules {
			occ, err := r.Occurrences(from, to)
			if err != nil {
				b.Fatal(err)
			}
			total += len(occ)
		}
	}
	// 1,800 weekly series of 52 or 53 sessions and 200 fortnightly of 26 or 27.
	if total < 1800*52+200*26 || total > 1800*53+200*27 {
		b.Fatalf("expanded %d occurrences, want about %d", total, 1800*52+200*26)
	}
	b.ReportMetric(float64(total), "occurrences/op")
}
