package holidays_test

import (
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/scheduler/holidays"
)

func ExampleYear() {
	hs, err := holidays.Year(2027)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range hs {
		fmt.Printf("%s %.3s  %s\n", h.Date, h.Date.In(time.UTC).Weekday(), h.Name)
	}
	// Output:
	// 2027-01-01 Fri  New Year's Day
	// 2027-01-02 Sat  New Year's Day (second day)
	// 2027-01-07 Thu  Orthodox Christmas
	// 2027-01-19 Tue  Epiphany (Natlisgeba)
	// 2027-03-03 Wed  Mother's Day
	// 2027-03-08 Mon  International Women's Day
	// 2027-04-09 Fri  Day of National Unity
	// 2027-04-30 Fri  Good Friday
	// 2027-05-01 Sat  Holy Saturday
	// 2027-05-02 Sun  Easter Sunday
	// 2027-05-03 Mon  Easter Monday (Day of Remembrance of the Deceased)
	// 2027-05-09 Sun  Day of Victory over Fascism
	// 2027-05-12 Wed  Saint Andrew the First-Called Day; Day of Georgia as the Lot of the Mother of God (Day of Hope)
	// 2027-05-17 Mon  Day of Family Sanctity and Respect for Parents
	// 2027-05-26 Wed  Independence Day
	// 2027-08-28 Sat  Saint Mary's Day (Mariamoba)
	// 2027-10-14 Thu  Svetitskhovloba (Mtskhetoba)
	// 2027-11-23 Tue  Saint George's Day (Giorgoba)
}

func ExampleOrthodoxEaster() {
	for _, y := range []int{2026, 2027, 2100} {
		fmt.Println(holidays.OrthodoxEaster(y))
	}
	// Output:
	// 2026-04-12
	// 2027-05-02
	// 2100-05-02
}

func ExampleCalendar() {
	var c holidays.Calendar
	// The Government declared 5 and 6 January 2026 days off for
	// administrative bodies; an organisation closes for its assembly.
	for _, d := range []string{"2026-01-05", "2026-01-06"} {
		day, _ := program.ParseDate(d)
		if err := c.Add(day, "Government day off"); err != nil {
			fmt.Println(err)
			return
		}
	}
	assembly, _ := program.ParseDate("2026-05-26")
	if err := c.Add(assembly, "Kakheti RDF annual assembly"); err != nil {
		fmt.Println(err)
		return
	}

	for _, d := range []string{"2026-01-05", "2026-01-08", "2026-05-26"} {
		day, _ := program.ParseDate(d)
		if why, blocked := c.Blocked(day); blocked {
			fmt.Println(d, "taken:", why)
		} else {
			fmt.Println(d, "free")
		}
	}
	// Output:
	// 2026-01-05 taken: Government day off
	// 2026-01-08 free
	// 2026-05-26 taken: Independence Day; Kakheti RDF annual assembly
}
