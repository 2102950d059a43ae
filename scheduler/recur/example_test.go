package recur_test

import (
	"fmt"
	"time"
	_ "time/tzdata"

	"github.com/khidi/khidi/scheduler/recur"
)

// A study circle meeting every other Tuesday at 18:00 in Tbilisi, for
// ninety minutes, through September 2026.
func ExampleParse() {
	tbilisi, _ := time.LoadLocation("Asia/Tbilisi")
	r, err := recur.Parse("every 2: 0 18 * * tue", tbilisi)
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Duration = 90 * time.Minute
	from := time.Date(2026, 9, 1, 0, 0, 0, 0, tbilisi)
	occ, err := r.Occurrences(from, from.AddDate(0, 1, 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	for _, o := range occ {
		fmt.Println(o.Local.Format("Mon 2006-01-02 15:04"), "to", o.End.In(tbilisi).Format("15:04"), "=", o.Start.Format(time.RFC3339))
	}
	// Output:
	// every 2: CRON_TZ=Asia/Tbilisi 0 18 * * tue
	// Tue 2026-09-01 18:00 to 19:30 = 2026-09-01T14:00:00Z
	// Tue 2026-09-15 18:00 to 19:30 = 2026-09-15T14:00:00Z
	// Tue 2026-09-29 18:00 to 19:30 = 2026-09-29T14:00:00Z
}

// In Warsaw 02:30 does not exist on 28 March 2027: the run moves to 03:00,
// the first instant after the jump, and is marked as shifted.
func ExampleRule_Occurrences_springForward() {
	r, _ := recur.Parse("CRON_TZ=Europe/Warsaw 30 2 * * *", nil)
	from := time.Date(2027, 3, 27, 0, 0, 0, 0, time.UTC)
	occ, _ := r.Occurrences(from, from.AddDate(0, 0, 3))
	for _, o := range occ {
		fmt.Println(o.Local.Format(time.RFC3339), o.Shifted)
	}
	// Output:
	// 2027-03-27T02:30:00+01:00 false
	// 2027-03-28T03:00:00+02:00 true
	// 2027-03-29T02:30:00+02:00 false
}
