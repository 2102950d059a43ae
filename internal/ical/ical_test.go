package ical

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones load on a machine without a zone database
	"unicode/utf8"

	"github.com/khidi/khidi/internal/ical/icaltest"
	"github.com/khidi/khidi/internal/program"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	tbilisi = mustZone("Asia/Tbilisi")
	warsaw  = mustZone("Europe/Warsaw")
	// stamp is DTSTAMP of every test calendar.
	stamp = time.Date(2027, 1, 15, 9, 30, 0, 0, time.UTC)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// The small programme calendar of the golden files.
var (
	// A Tbilisi meeting whose Georgian summary is long enough to fold and
	// holds a comma and a semicolon to escape.
	meeting = Entry{Event: program.Event{
		ID: 1, Kind: program.EventMeeting, UID: "event-1@khidi.example", Sequence: 2,
		Title:    "სამოქალაქო საზოგადოების ორგანიზაციების წლიური შეხვედრა: ახალგაზრდები, რეგიონები; თვითშეფასება",
		Start:    time.Date(2027, 5, 18, 10, 0, 0, 0, time.UTC), // 14:00 in Tbilisi
		End:      time.Date(2027, 5, 18, 14, 0, 0, 0, time.UTC),
		Zone:     "Asia/Tbilisi",
		Location: "რუსთაველის გამზ. 12, Tbilisi\\Georgia",
		Attendees: []program.Attendee{
			{ID: "p-0001", Name: "ნინო ბერიძე", Email: "nino@example.org"},
			{ID: "p-0002", Name: `Giorgi "Gia" Kapanadze, Jr.`, Email: "gia@example.org"},
		},
	}}
	// A weekly study circle in Warsaw, Tuesdays 18:00 local, across the
	// change to summer time on 28 March 2027, whose 6 April session (a
	// holiday) moved to Thursday 8 April.
	circle = Entry{
		Event: program.Event{
			ID: 2, Kind: program.EventStudyCircle, UID: "circle-7@khidi.example", Sequence: 0,
			Title: "Study circle: digital rights",
			Start: time.Date(2027, 3, 2, 17, 0, 0, 0, time.UTC), // 18:00 CET
			End:   time.Date(2027, 3, 2, 18, 30, 0, 0, time.UTC),
			Zone:  "Europe/Warsaw", Location: "Fundacja Panoptykon, Warszawa",
			Attendees: []program.Attendee{{Name: "Anna Nowak", Email: "anna@example.pl"}},
		},
		RRule:   "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270427T235959Z",
		ExDates: []time.Time{time.Date(2027, 4, 6, 18, 0, 0, 0, warsaw)},
		RDates:  []time.Time{time.Date(2027, 4, 8, 18, 0, 0, 0, warsaw)},
	}
	// A cancelled community visit.
	visit = Entry{
		Event: program.Event{
			ID: 3, Kind: program.EventCommunityVisit, UID: "visit-3@khidi.example", Sequence: 1,
			Title:     "Community visit, Dusheti",
			Start:     time.Date(2027, 6, 1, 6, 0, 0, 0, time.UTC),
			End:       time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC),
			Zone:      "Asia/Tbilisi",
			Attendees: []program.Attendee{{ID: "l-0004", Name: "თამარ გელაშვილი", Email: "tamar@example.ge"}},
		},
		Cancelled: true,
	}
	organizer = program.Attendee{Name: "khidi programme office", Email: "office@khidi.example"}
)

// calendars are the golden calendars: name, entries and options.
var calendars = []struct {
	name    string
	entries []Entry
	opts    Options
}{
	{"programme", []Entry{visit, circle, meeting}, Options{Stamp: stamp, Name: "khidi 2027 · პროგრამა", Organizer: organizer}},
	{"programme-attendees", []Entry{meeting, circle, visit}, Options{Stamp: stamp, Organizer: organizer, Attendees: true, Alarm: 90 * time.Minute}},
	{"invite", []Entry{circle}, Options{Method: MethodRequest, Stamp: stamp, Organizer: organizer, Alarm: 24 * time.Hour}},
	{"cancel", []Entry{visit}, Options{Method: MethodCancel, Stamp: stamp, Organizer: organizer, Alarm: 24 * time.Hour}},
}

func mustWrite(t *testing.T, entries []Entry, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, entries, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, c := range calendars {
		t.Run(c.name, func(t *testing.T) {
			got := mustWrite(t, c.entries, c.opts)
			path := filepath.Join("testdata", c.name+".ics")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/ical -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Write(%s) differs from %s (run with -update if the change is meant):\n%s", c.name, path, got)
			}
		})
	}
}

// TestDeterministic checks that the order of entries does not matter.
func TestDeterministic(t *testing.T) {
	a := mustWrite(t, []Entry{meeting, circle, visit}, calendars[0].opts)
	b := mustWrite(t, []Entry{visit, circle, meeting}, calendars[0].opts)
	if !bytes.Equal(a, b) {
		t.Errorf("Write depends on the order of entries")
	}
}

// TestLines checks RFC 5545 §3.1 on every golden calendar: CRLF line ends,
// at most 75 octets a line, and unfolding gives valid UTF-8 with the
// summary intact.
func TestLines(t *testing.T) {
	for _, c := range calendars {
		out := mustWrite(t, c.entries, c.opts)
		if !bytes.HasSuffix(out, []byte("\r\n")) {
			t.Errorf("%s: does not end in CRLF", c.name)
		}
		lines := bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n"))
		folded := 0
		for i, l := range lines {
			if bytes.ContainsAny(l, "\r\n") {
				t.Errorf("%s line %d: bare CR or LF in %q", c.name, i+1, l)
			}
			if len(l) > maxLine {
				t.Errorf("%s line %d: %d octets, more than %d: %q", c.name, i+1, len(l), maxLine, l)
			}
			if bytes.HasPrefix(l, []byte(" ")) {
				folded++
			}
		}
		unfolded := bytes.ReplaceAll(out, []byte("\r\n "), nil)
		if !utf8.Valid(unfolded) {
			t.Errorf("%s: unfolded calendar is not valid UTF-8", c.name)
		}
		if c.name == "programme" {
			if folded == 0 {
				t.Errorf("%s: no folded line, but the Georgian summary is longer than 75 octets", c.name)
			}
			want := "SUMMARY:" + strings.NewReplacer(",", `\,`, ";", `\;`).Replace(meeting.Event.Title) + "\r\n"
			if !bytes.Contains(unfolded, []byte(want)) {
				t.Errorf("%s: unfolded calendar lacks %q", c.name, want)
			}
		}
	}
}

func TestFold(t *testing.T) {
	for _, s := range []string{
		"",
		strings.Repeat("a", 75),
		strings.Repeat("a", 76),
		strings.Repeat("ა", 60), // 3 octets each
		"X:" + strings.Repeat("ab😀", 40),
		strings.Repeat("é", 200) + "\r\n" + strings.Repeat("z", 80),
	} {
		in := s + "\r\n"
		out := fold([]byte(in))
		for l := range strings.SplitSeq(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
			if len(l) > maxLine || !utf8.ValidString(l) {
				t.Errorf("fold(%q): line %q has %d octets or splits a character", s, l, len(l))
			}
		}
		if got := strings.ReplaceAll(string(out), "\r\n ", ""); got != in {
			t.Errorf("unfold(fold(%q)) = %q", s, got)
		}
	}
}

func TestTextEscaping(t *testing.T) {
	e := meeting
	e.Event.Title = "a,b;c\\d\r\ne\rf\x07g"
	out := string(bytes.ReplaceAll(mustWrite(t, []Entry{e}, Options{Stamp: stamp}), []byte("\r\n "), nil))
	if want := `SUMMARY:a\,b\;c\\d\ne\nfg` + "\r\n"; !strings.Contains(out, want) {
		t.Errorf("Write(title %q) lacks %q:\n%s", e.Event.Title, want, out)
	}
}

// TestEmpty checks that a feed with no events is still a calendar, with
// the programme's zone as its one component, that both parsers read.
func TestEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, nil, Options{Stamp: stamp, Name: "nobody yet"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "BEGIN:VTIMEZONE\r\nTZID:Asia/Tbilisi") || strings.Contains(buf.String(), "VEVENT") {
		t.Fatalf("empty feed:\n%s", buf.String())
	}
	path := filepath.Join(t.TempDir(), "empty.ics")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := icaltest.PythonStarts(t, path, year[0], year[1]); len(got) != 0 {
		t.Errorf("python3-icalendar read events %v", got)
	}
	if got := icaltest.ICalJSStarts(t, path, year[0], year[1]); len(got) != 0 {
		t.Errorf("ical.js read events %v", got)
	}
	if err := Write(&buf, nil, Options{Method: MethodRequest, Stamp: stamp, Organizer: organizer}); err == nil {
		t.Error("an invitation without an event: no error")
	}
}

func TestErrors(t *testing.T) {
	badZone := meeting
	badZone.Event.Zone = "Europe/Atlantis"
	backwards := visit
	backwards.Event.End = backwards.Event.Start.Add(-time.Hour)
	midnight := circle
	midnight.ExDates = []time.Time{time.Date(2027, 4, 6, 0, 0, 0, 0, warsaw)}
	localUntil := circle
	localUntil.RRule = "FREQ=WEEKLY;UNTIL=20270427T235959"
	badRule := circle
	badRule.RRule = "FREQ=SOMETIMES"
	stray := visit
	stray.ExDates = []time.Time{visit.Event.Start}
	extra := visit
	extra.RDates = []time.Time{visit.Event.Start.AddDate(0, 0, 1)}
	tests := []struct {
		name    string
		entries []Entry
		opts    Options
		uid     string
		field   string
	}{
		{"unknown zone", []Entry{badZone}, Options{Stamp: stamp}, meeting.Event.UID, "zone"},
		{"end before start", []Entry{backwards}, Options{Stamp: stamp}, visit.Event.UID, "end"},
		{"exdate at midnight", []Entry{midnight}, Options{Stamp: stamp}, circle.Event.UID, "rrule"},
		{"local until", []Entry{localUntil}, Options{Stamp: stamp}, circle.Event.UID, "rrule"},
		{"bad rule", []Entry{badRule}, Options{Stamp: stamp}, circle.Event.UID, "rrule"},
		{"exdate without rule", []Entry{stray}, Options{Stamp: stamp}, visit.Event.UID, "exdates"},
		{"rdate without rule", []Entry{extra}, Options{Stamp: stamp}, visit.Event.UID, "rdates"},
		{"duplicate uid", []Entry{visit, visit}, Options{Stamp: stamp}, visit.Event.UID, "uid"},
		{"no stamp", []Entry{visit}, Options{}, "", "stamp"},
		{"invite without organizer", []Entry{circle}, Options{Method: MethodRequest, Stamp: stamp}, "", "organizer"},
		{"invite of two events", []Entry{circle, meeting}, Options{Method: MethodRequest, Stamp: stamp, Organizer: organizer}, meeting.Event.UID, "uid"},
		{"unknown method", []Entry{visit}, Options{Method: "REFRESH", Stamp: stamp}, "", "method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tt.entries, tt.opts)
			if !errors.Is(err, program.ErrInvalid) {
				t.Fatalf("Write = %v, want an error wrapping program.ErrInvalid", err)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes despite the error", buf.Len())
			}
			var ie *program.InputError
			if !errors.As(err, &ie) || ie.ID != tt.uid || ie.Field != tt.field {
				t.Errorf("Write = %v (%+v), want the first problem on UID %q, field %q", err, ie, tt.uid, tt.field)
			}
		})
	}
}
