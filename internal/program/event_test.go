package program

import (
	"testing"
	"time"
)

func TestEventKindValid(t *testing.T) {
	t.Parallel()
	for _, k := range AllEventKinds() {
		if !k.Valid() {
			t.Errorf("%q.Valid() = false", k)
		}
	}
	for _, k := range AllRoundKinds() {
		if !EventKind(k).Valid() {
			t.Errorf("round kind %q has no event kind", k)
		}
	}
	if EventKind("party").Valid() {
		t.Errorf(`"party".Valid() = true`)
	}
}

func TestEventValidate(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)
	good := func() *Event {
		return &Event{Kind: EventStudyCircle, Title: "Study circle", Start: start, End: start.Add(2 * time.Hour),
			Zone: "Asia/Tbilisi", Location: "Kutaisi", UID: "e-1@khidi", Status: EventScheduled,
			Attendees: []Attendee{{ID: "p-1", Name: "Nino", Email: "nino@example.ge"}}}
	}
	tbilisi, err := time.LoadLocation("Asia/Tbilisi")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func(e *Event)
		fields []string
	}{
		{"good", func(*Event) {}, nil},
		{"end before start", func(e *Event) { e.End = e.Start }, []string{"end"}},
		{"not UTC", func(e *Event) { e.Start = e.Start.In(tbilisi) }, []string{"start"}},
		{"zone", func(e *Event) { e.Zone = "Georgia" }, []string{"zone"}},
		{"missing", func(e *Event) { e.Zone, e.UID, e.Title = "", "", "" }, []string{"title", "uid", "zone"}},
		{"attendee email", func(e *Event) { e.Attendees[0].Email = "nino" }, []string{"attendees[0].email"}},
		{"sequence", func(e *Event) { e.Sequence = -1 }, []string{"sequence"}},
		{"kind", func(e *Event) { e.Kind = "party" }, []string{"kind"}},
		{"status", func(e *Event) { e.Status = "postponed" }, []string{"status"}},
		{"no status", func(e *Event) { e.Status = "" }, []string{"status"}},
		{"occurrence", func(e *Event) { e.Series, e.Nominal = "c-1@khidi", e.Start.Add(-24*time.Hour) }, nil},
		{"nominal of no series", func(e *Event) { e.Nominal = e.Start }, []string{"nominal"}},
		{"series without nominal", func(e *Event) { e.Series = "c-1@khidi" }, []string{"nominal"}},
		{"nominal not UTC", func(e *Event) { e.Series, e.Nominal = "c-1@khidi", e.Start.In(tbilisi) }, []string{"nominal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := good()
			tt.edit(e)
			checkFields(t, e, tt.fields...)
		})
	}
}
