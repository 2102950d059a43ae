package scheduler

import (
	"errors"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

func TestPlaceInternship(t *testing.T) {
	t.Parallel()
	w := func(from, to string) program.Window {
		var win program.Window
		if from != "" {
			win.From = mustDate(t, from)
		}
		if to != "" {
			win.To = mustDate(t, to)
		}
		return win
	}
	year := w("2026-01-01", "2026-12-31")
	tests := []struct {
		name      string
		in        Internship
		blocked   []string
		start     string // "" when unplaceable
		end       string
		reasonHas string
	}{
		{
			// 1–2 January (Thu, Fri) blocked, 3–4 a weekend: Monday 5 January.
			name:    "always available, holidays and weekend skipped",
			in:      Internship{ID: "i1", Days: 30},
			blocked: []string{"2026-01-01", "2026-01-02"},
			start:   "2026-01-05", end: "2026-02-03",
		},
		{
			// Overlap 1 July (a Wednesday) to 31 August.
			name:  "overlap of two windows",
			in:    Internship{ID: "i2", Days: 30, Intern: []program.Window{w("2026-06-01", "2026-08-31")}, Host: []program.Window{w("2026-07-01", "2026-09-30")}},
			start: "2026-07-01", end: "2026-07-30",
		},
		{
			name:      "overlap shorter than the length",
			in:        Internship{ID: "i3", Days: 15, Intern: []program.Window{w("2026-06-01", "2026-06-20")}, Host: []program.Window{w("2026-06-10", "2026-07-31")}},
			reasonHas: "at most 11 days, fewer than the 15 asked",
		},
		{
			// 1 August 2026 is a Saturday and the only start that fits.
			name:      "exact fit starting on a weekend",
			in:        Internship{ID: "i4", Days: 30, Intern: []program.Window{w("2026-08-01", "2026-08-30")}},
			reasonHas: "weekend",
		},
		{
			// 26 May 2026 (Tuesday) is the only start that fits.
			name:      "exact fit starting on a holiday",
			in:        Internship{ID: "i5", Days: 10, Host: []program.Window{w("2026-05-26", "2026-06-04")}},
			blocked:   []string{"2026-05-26"},
			reasonHas: "2026-05-26, holiday",
		},
		{
			// Touching host windows form one stretch; 1 June is a Monday.
			name:  "touching windows merge",
			in:    Internship{ID: "i6", Days: 20, Host: []program.Window{w("2026-06-16", "2026-06-30"), w("2026-06-01", "2026-06-15")}},
			start: "2026-06-01", end: "2026-06-20",
		},
		{
			name:  "window open at the start is clipped to the horizon",
			in:    Internship{ID: "i7", Days: 10, Intern: []program.Window{w("", "2026-01-20")}},
			start: "2026-01-01", end: "2026-01-10",
		},
		{
			name:      "window beyond the horizon",
			in:        Internship{ID: "i8", Days: 10, Intern: []program.Window{w("2026-12-28", "2027-01-20")}},
			reasonHas: "at most 4 days",
		},
		{
			// Sunday 8 March: Monday 9 (1 day) beats Friday 6 (2 days).
			name:  "preferred Sunday goes to Monday",
			in:    Internship{ID: "i9", Days: 5, Preferred: mustDate(t, "2026-03-08")},
			start: "2026-03-09", end: "2026-03-13",
		},
		{
			// Saturday 7 March: Friday 6 (1 day) beats Monday 9 (2 days).
			name:  "preferred Saturday goes to Friday",
			in:    Internship{ID: "i10", Days: 5, Preferred: mustDate(t, "2026-03-07")},
			start: "2026-03-06", end: "2026-03-10",
		},
		{
			name:  "one-day internship on the only working day",
			in:    Internship{ID: "i11", Days: 1, Intern: []program.Window{w("2026-03-06", "2026-03-08")}, Host: []program.Window{w("2026-03-01", "2026-03-31")}},
			start: "2026-03-06", end: "2026-03-06",
		},
		{
			name:      "disjoint windows",
			in:        Internship{ID: "i12", Days: 5, Intern: []program.Window{w("2026-03-01", "2026-03-31")}, Host: []program.Window{w("2026-05-01", "2026-05-31")}},
			reasonHas: "at most 0 days",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := PlaceInternship(tt.in, year, blockDates(t, tt.blocked...))
			if tt.start == "" {
				var ue *UnplaceableError
				if !errors.As(err, &ue) || ue.ID != tt.in.ID || !strings.Contains(ue.Reason, tt.reasonHas) {
					t.Fatalf("PlaceInternship(%s) = %+v, %v; want unplaceable with %q", tt.in.ID, got, err, tt.reasonHas)
				}
				return
			}
			if err != nil || got.Start.String() != tt.start || got.End.String() != tt.end {
				t.Fatalf("PlaceInternship(%s) = %s..%s, %v; want %s..%s", tt.in.ID, got.Start, got.End, err, tt.start, tt.end)
			}
		})
	}
}

func TestPlaceInternshipErrors(t *testing.T) {
	t.Parallel()
	year := program.Window{From: mustDate(t, "2026-01-01"), To: mustDate(t, "2026-12-31")}
	bad := program.Window{From: mustDate(t, "2026-05-02"), To: mustDate(t, "2026-05-01")}
	tests := []struct {
		name    string
		in      Internship
		horizon program.Window
		want    string
	}{
		{"zero length", Internship{ID: "x1"}, year, "x1: length 0"},
		{"open horizon", Internship{ID: "x2", Days: 3}, program.Window{From: year.From}, "x2: horizon"},
		{"host window reversed", Internship{ID: "x3", Days: 3, Host: []program.Window{bad}}, year, "x3: host window 2026-05-02..2026-05-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := PlaceInternship(tt.in, tt.horizon, nil)
			if !errors.Is(err, program.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PlaceInternship() error %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
}

func TestPlaceInternships(t *testing.T) {
	t.Parallel()
	year := program.Window{From: mustDate(t, "2026-01-01"), To: mustDate(t, "2026-12-31")}
	ins := []Internship{
		{ID: "a", Days: 30},
		{ID: "b", Days: 400},
		{ID: "c", Days: 5, Preferred: mustDate(t, "2026-03-09")},
	}
	got, err := PlaceInternships(ins, year, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Placed) != 2 || got.Placed[0].Index != 0 || got.Placed[1].Index != 2 || got.Placed[1].Start.String() != "2026-03-09" {
		t.Errorf("PlaceInternships() placed %+v, want a and c (from 2026-03-09)", got.Placed)
	}
	if len(got.Unplaced) != 1 || got.Unplaced[0].ID != "b" || got.Unplaced[0].Index != 1 {
		t.Errorf("PlaceInternships() unplaced %+v, want b", got.Unplaced)
	}
	if _, err := PlaceInternships([]Internship{{ID: "z"}}, year, nil); !errors.Is(err, program.ErrInvalid) {
		t.Errorf("PlaceInternships(bad) error %v, want ErrInvalid", err)
	}
}

// TestPlaceInternshipPrevious checks that a previous start is kept exactly
// when it is still allowed, and that otherwise the internship is placed as
// without one. 1 June 2026 is a Monday, 1 July a Wednesday, 4 July a
// Saturday.
func TestPlaceInternshipPrevious(t *testing.T) {
	t.Parallel()
	year := program.Window{From: mustDate(t, "2026-01-01"), To: mustDate(t, "2026-12-31")}
	from := func(d string) []program.Window { return []program.Window{{From: mustDate(t, d)}} }
	tests := []struct {
		name     string
		in       Internship
		blocked  []string
		previous string
		start    string
		kept     bool
	}{
		{
			// The host's window opened a month earlier: afresh the
			// internship would start 1 June.
			name: "window opened earlier", in: Internship{ID: "a", Days: 30, Host: from("2026-06-01")},
			previous: "2026-07-01", start: "2026-07-01", kept: true,
		},
		{
			name: "another preferred day", in: Internship{ID: "b", Days: 30, Preferred: mustDate(t, "2026-09-01")},
			previous: "2026-07-01", start: "2026-07-01", kept: true,
		},
		{
			name: "previous start now blocked", in: Internship{ID: "c", Days: 30, Host: from("2026-06-01")},
			blocked: []string{"2026-07-01"}, previous: "2026-07-01", start: "2026-06-01",
		},
		{
			name: "previous start before the window", in: Internship{ID: "d", Days: 30, Host: from("2026-08-03")},
			previous: "2026-07-01", start: "2026-08-03",
		},
		{
			name: "previous start on a weekend", in: Internship{ID: "e", Days: 30, Host: from("2026-06-01")},
			previous: "2026-07-04", start: "2026-06-01",
		},
		{
			// 160 days from 1 July run past 31 December.
			name: "longer period no longer fits", in: Internship{ID: "f", Days: 200},
			previous: "2026-07-01", start: "2026-01-01",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := tt.in
			in.Previous = mustDate(t, tt.previous)
			got, err := PlaceInternship(in, year, blockDates(t, tt.blocked...))
			if err != nil {
				t.Fatalf("PlaceInternship() error %v", err)
			}
			if got.Start.String() != tt.start || got.Kept != tt.kept {
				t.Errorf("PlaceInternship() starts %s, Kept %v; want %s, %v", got.Start, got.Kept, tt.start, tt.kept)
			}
			if want := got.Start.AddDays(in.Days - 1); got.End != want {
				t.Errorf("PlaceInternship() ends %s, want %s", got.End, want)
			}
		})
	}
}
