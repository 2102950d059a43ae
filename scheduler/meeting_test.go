package scheduler

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

func TestMeetingDay(t *testing.T) {
	t.Parallel()
	tue, thu, sat := time.Tuesday, time.Thursday, time.Saturday
	var mayTuesdays []string
	for _, d := range []int{5, 12, 19, 26} {
		mayTuesdays = append(mayTuesdays, fmt.Sprintf("2026-05-%02d", d))
	}
	var mayAll []string
	for d := 1; d <= 31; d++ {
		mayAll = append(mayAll, fmt.Sprintf("2026-05-%02d", d))
	}
	tests := []struct {
		name    string
		month   time.Month
		prefer  *time.Weekday
		blocked []string
		want    string // date, or text of the error
		err     error
	}{
		{name: "earliest is Friday 1 May", month: time.May, want: "2026-05-01"},
		{name: "first Tuesday", month: time.May, prefer: &tue, want: "2026-05-05"},
		{name: "every Tuesday blocked falls back to earliest", month: time.May, prefer: &tue, blocked: mayTuesdays, want: "2026-05-01"},
		// 1–2 January (Thu, Fri) blocked, 3–4 a weekend.
		{name: "January holidays", month: time.January, blocked: []string{"2026-01-01", "2026-01-02", "2026-01-07"}, want: "2026-01-05"},
		{name: "December", month: time.December, prefer: &thu, want: "2026-12-03"},
		{name: "no free day", month: time.May, blocked: mayAll, want: "May 2026", err: ErrUnplaceable},
		{name: "Saturday preferred", month: time.May, prefer: &sat, want: "Saturday", err: program.ErrInvalid},
		{name: "month 13", month: 13, want: "2026-13", err: program.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := MeetingDay(MeetingInput{Year: 2026, Month: tt.month, Prefer: tt.prefer, Blocked: blockDates(t, tt.blocked...)})
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("MeetingDay(%v) = %s, %v; want %v mentioning %q", tt.month, got, err, tt.err, tt.want)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("MeetingDay(%v) = %s, %v; want %s", tt.month, got, err, tt.want)
			}
		})
	}
}

// TestMeetingDayPrevious checks that the previous day is kept exactly when
// it is still a free working day of the month. May 2026: Friday 1 May is
// the earliest working day, Tuesday 5 May the first Tuesday, Saturday 9
// May a weekend day.
func TestMeetingDayPrevious(t *testing.T) {
	t.Parallel()
	tue := time.Tuesday
	tests := []struct {
		name     string
		prefer   *time.Weekday
		previous string
		blocked  []string
		want     string
	}{
		{name: "kept over the earliest", previous: "2026-05-14", want: "2026-05-14"},
		{name: "kept over the preferred weekday", prefer: &tue, previous: "2026-05-14", want: "2026-05-14"},
		{name: "blocked since", prefer: &tue, previous: "2026-05-14", blocked: []string{"2026-05-14"}, want: "2026-05-05"},
		{name: "another month", previous: "2026-06-04", want: "2026-05-01"},
		{name: "a weekend", previous: "2026-05-09", want: "2026-05-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := MeetingInput{Year: 2026, Month: time.May, Prefer: tt.prefer, Previous: mustDate(t, tt.previous), Blocked: blockDates(t, tt.blocked...)}
			if got, err := MeetingDay(in); err != nil || got.String() != tt.want {
				t.Errorf("MeetingDay(%+v) = %s, %v; want %s", in, got, err, tt.want)
			}
		})
	}
}

// newTestOrgs returns organisations with ids s-NN per sector, counts in
// AllSectors order (cso, government, private, media, academia, international).
func newTestOrgs(counts ...int) []program.Organization {
	var orgs []program.Organization
	for k, n := range counts {
		s := program.AllSectors()[k]
		for i := range n {
			orgs = append(orgs, program.Organization{ID: program.OrgID(fmt.Sprintf("%s-%02d", s, i)), Sector: s})
		}
	}
	return orgs
}

func TestInvite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		orgs  []program.Organization
		seats int
		want  [5]int
		empty int
	}{
		{"even split", newTestOrgs(3, 3, 3, 3, 3), 10, [5]int{2, 2, 2, 2, 2}, 0},
		{"remainder to the first sectors", newTestOrgs(5, 5, 5, 5, 5), 12, [5]int{3, 3, 2, 2, 2}, 0},
		// 10 seats, no media: 4 + 4 + cso and government once more.
		{"missing sector's seats spread", newTestOrgs(5, 5, 5, 0, 5), 10, [5]int{3, 3, 2, 0, 2}, 0},
		// Government has one: its second seat goes round to the others.
		{"short sector", newTestOrgs(4, 1, 4, 4, 4), 10, [5]int{3, 1, 2, 2, 2}, 0},
		{"international counts as cso", newTestOrgs(1, 3, 3, 3, 3, 1), 10, [5]int{2, 2, 2, 2, 2}, 0},
		{"fewer organisations than seats", newTestOrgs(1, 1, 1, 1, 1), 8, [5]int{1, 1, 1, 1, 1}, 3},
		{"no seats", newTestOrgs(1, 1, 1, 1, 1), 0, [5]int{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Invite(tt.orgs, tt.seats)
			if err != nil || got.Seats != tt.want || got.Empty != tt.empty || len(got.Invited) != tt.seats-tt.empty {
				t.Fatalf("Invite(%d seats) = %+v, %v; want seats %v, empty %d", tt.seats, got, err, tt.want, tt.empty)
			}
		})
	}
}

func TestInvitePriorityOrder(t *testing.T) {
	t.Parallel()
	orgs := []program.Organization{
		{ID: "g-b", Sector: program.SectorGovernment},
		{ID: "c-z", Sector: program.SectorCSO},
		{ID: "g-a", Sector: program.SectorGovernment},
		{ID: "c-y", Sector: program.SectorCSO},
		{ID: "m-1", Sector: program.SectorMedia},
	}
	got, err := Invite(orgs, 3)
	if err != nil {
		t.Fatal(err)
	}
	// One seat each for cso, government, private (none: skipped), media;
	// the first listed of each sector, in the order given.
	if want := "[g-b c-z m-1]"; fmt.Sprint(got.Invited) != want {
		t.Errorf("Invite() invited %v, want %s", got.Invited, want)
	}
}

// TestInviteBalance checks on random pools that the seats are as even as
// the pools allow: all filled that can be, and a sector two or more seats
// behind another has no organisation left.
func TestInviteBalance(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 0))
	for c := range 500 {
		counts := make([]int, 6)
		total := 0
		for k := range counts {
			counts[k] = r.IntN(6)
			total += counts[k]
		}
		seats := r.IntN(30)
		got, err := Invite(newTestOrgs(counts...), seats)
		if err != nil {
			t.Fatal(err)
		}
		pool := [5]int{counts[0] + counts[5], counts[1], counts[2], counts[3], counts[4]}
		sum := 0
		for k := range 5 {
			sum += got.Seats[k]
			if got.Seats[k] > pool[k] {
				t.Fatalf("case %d: sector %s got %d seats from %d organisations", c, MeetingSectors()[k], got.Seats[k], pool[k])
			}
			for j := range 5 {
				if got.Seats[k] < got.Seats[j]-1 && got.Seats[k] < pool[k] {
					t.Fatalf("case %d: pools %v, %d seats: got %v, unbalanced", c, pool, seats, got.Seats)
				}
			}
		}
		if want := min(seats, total); sum != want || len(got.Invited) != want || got.Empty != seats-want {
			t.Fatalf("case %d: %d seats filled, %d invited, %d empty; want %d filled", c, sum, len(got.Invited), got.Empty, want)
		}
	}
}

func TestInviteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		orgs  []program.Organization
		seats int
		want  string
	}{
		{"negative seats", nil, -1, "seats -1"},
		{"unknown sector", []program.Organization{{ID: "o1", Sector: "church"}}, 5, "o1"},
		{"duplicate", []program.Organization{{ID: "o1", Sector: "cso"}, {ID: "o1", Sector: "cso"}}, 5, "o1 is listed twice"},
		{"no id", []program.Organization{{Sector: "cso"}}, 5, "no id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Invite(tt.orgs, tt.seats); !errors.Is(err, program.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Invite() error %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
}
