package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestCalendar(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "khidi.db")
	db := storetest.Open(t, dsn)
	ctx := t.Context()
	recs := store.Records{
		Organizations: []program.Organization{{ID: "o-1", Name: "Host", Sector: program.SectorCSO, Region: "Tbilisi",
			Country: "GE", TimeZone: "Asia/Tbilisi", Email: "host@example.ge"}},
		Participants: []program.Participant{{ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge", Role: program.RoleActivist, Region: "Imereti"}},
	}
	if err := db.Upsert(ctx, recs); err != nil {
		t.Fatal(err)
	}
	nino := program.Attendee{ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge"}
	host := program.Attendee{ID: "o-1", Name: "Host", Email: "host@example.ge"}
	at := func(m time.Month, d, h int) time.Time { return time.Date(2027, m, d, h, 0, 0, 0, time.UTC) }
	events := []program.Event{
		{Kind: program.EventInternship, Title: "Internship at Host", Start: at(time.March, 1, 6), End: at(time.March, 31, 14),
			Zone: "Asia/Tbilisi", Attendees: []program.Attendee{nino, host}, UID: "internship/p-1/o-1@khidi", Status: program.EventScheduled},
		{Kind: program.EventInternationalExchange, Title: "Visit to Warsaw", Start: at(time.March, 29, 8), End: at(time.March, 31, 15),
			Zone: "Europe/Warsaw", Location: "Warsaw", Attendees: []program.Attendee{host}, UID: "international_exchange/o-1/o-abr@khidi", Status: program.EventCancelled, Sequence: 1},
		{Kind: program.EventMeeting, Title: "Yearly meeting 2026", Start: time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC),
			End: time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC), Zone: "Asia/Tbilisi", Attendees: []program.Attendee{nino}, UID: "meeting/2026@khidi", Status: program.EventScheduled},
	}
	for i, day := range []int{2, 9} { // two sessions of a weekly circle: one series
		start := at(time.March, day, 14) // 18:00 in Tbilisi
		events = append(events, program.Event{Kind: program.EventStudyCircle, Title: "Study circle c-1", Start: start, End: start.Add(2 * time.Hour),
			Zone: "Asia/Tbilisi", Attendees: []program.Attendee{nino}, UID: fmt.Sprintf("circle/c-1/%d@khidi", i), Status: program.EventScheduled,
			Series: "circle/c-1@khidi", Nominal: start, SourceRule: "CRON_TZ=Asia/Tbilisi 0 18 * * 2"})
	}
	if _, err := db.SaveEvents(ctx, events, store.AnyRevision); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	tests := []struct {
		args   []string
		file   string
		uids   []string
		absent []string
		has    []string
	}{
		{[]string{"--person", "p-1"}, "p-1.ics", []string{"internship/p-1/o-1@khidi", "circle/c-1@khidi"}, []string{"meeting/2026@khidi", "o-abr", "circle/c-1/"},
			[]string{"RRULE:FREQ=DAILY;BYDAY=TU;BYHOUR=18;BYMINUTE=0;UNTIL=20270309T140000Z"}},
		{[]string{"--org", "o-1"}, "o-1.ics", []string{"internship/p-1/o-1@khidi", "international_exchange/o-1/o-abr@khidi"}, []string{"meeting/", "circle/"},
			[]string{"STATUS:CANCELLED"}},
		{[]string{"--all"}, "programme.ics", []string{"internship/p-1/o-1@khidi", "international_exchange/o-1/o-abr@khidi", "circle/c-1@khidi"}, []string{"meeting/"}, nil},
	}
	for _, tt := range tests {
		args := append([]string{"calendar", "--db", dsn, "--year", "2027", "--out", out}, tt.args...)
		code, stdout, stderr := runKhidi(t, args...)
		if code != exitOK {
			t.Fatalf("khidi %v: exit %d: %s", args, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, tt.file))
		if err != nil {
			t.Fatalf("khidi %v wrote no %s (stdout %q): %v", args, tt.file, stdout, err)
		}
		text := string(b)
		if !strings.HasPrefix(text, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(text, "END:VCALENDAR\r\n") {
			t.Errorf("%s is not a CRLF iCalendar file:\n%s", tt.file, text)
		}
		if got := strings.Count(text, "BEGIN:VEVENT"); got != len(tt.uids) {
			t.Errorf("%s has %d events, want %d", tt.file, got, len(tt.uids))
		}
		for _, uid := range tt.uids {
			if !strings.Contains(text, "UID:"+uid) {
				t.Errorf("%s lacks UID %s", tt.file, uid)
			}
		}
		for _, s := range tt.absent {
			if strings.Contains(text, s) {
				t.Errorf("%s holds %q, which is not its own or not in 2027", tt.file, s)
			}
		}
		for _, s := range tt.has {
			if !strings.Contains(text, s) {
				t.Errorf("%s lacks %q", tt.file, s)
			}
		}
		if strings.Contains(text, "Europe/Warsaw") && !strings.Contains(text, "TZID:Europe/Warsaw") {
			t.Errorf("%s uses Europe/Warsaw without its VTIMEZONE", tt.file)
		}
	}

	for _, bad := range [][]string{
		{"calendar", "--db", dsn, "--out", out},
		{"calendar", "--db", dsn, "--person", "p-1", "--all", "--out", out},
		{"calendar", "--db", dsn, "--person", "nobody", "--out", out},
		{"calendar", "--db", dsn, "--all"},
	} {
		if code, _, stderr := runKhidi(t, bad...); code != exitUsage || stderr == "" {
			t.Errorf("khidi %v: exit %d, stderr %q; want exit 2 with a message", bad, code, stderr)
		}
	}
}
