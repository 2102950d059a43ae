package feed_test

import (
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/feed"
	"github.com/khidi/khidi/internal/ical/icaltest"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

var engines = storetest.Engines()

// now is when the feeds are read: their span is 2026 to 2028.
var now = time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC)

var (
	nino = program.Attendee{ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge"}
	gia  = program.Attendee{ID: "p-2", Name: "გია", Email: "gia@example.ge"}
	host = program.Attendee{ID: "o-1", Name: "Host", Email: "host@example.ge"}
)

// fixture returns the stored events of the tests: Nino's in and out of
// the span, a weekly circle of three sessions (one series in the feed), a
// cancelled visit of the host's, and Gia's.
func fixture() []program.Event {
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	event := func(uid, title string, start time.Time, hours int, zone string, who ...program.Attendee) program.Event {
		return program.Event{Kind: program.EventMeeting, Title: title, Start: start, End: start.Add(time.Duration(hours) * time.Hour),
			Zone: zone, Attendees: who, UID: uid, Status: program.EventScheduled}
	}
	es := []program.Event{
		event("internship/p-1/o-1@khidi", "Internship at Host", at(2027, 3, 1, 6), 30*24, "Asia/Tbilisi", nino, host),
		event("meeting/2026@khidi", "Yearly meeting 2026", at(2026, 11, 20, 6), 8, "Asia/Tbilisi", nino, gia),
		event("meeting/2024@khidi", "Yearly meeting 2024", at(2024, 11, 22, 6), 8, "Asia/Tbilisi", nino),
		event("meeting/2029@khidi", "Yearly meeting 2029", at(2029, 11, 23, 6), 8, "Asia/Tbilisi", nino),
		event("visit/p-2@khidi", "Visit", at(2027, 5, 10, 6), 8, "Asia/Tbilisi", gia),
	}
	visit := event("exchange/o-1@khidi", "Visit to Warsaw", at(2027, 3, 29, 8), 7, "Europe/Warsaw", host)
	visit.Status, visit.Sequence = program.EventCancelled, 1
	es = append(es, visit)
	for i, day := range []int{2, 9, 16} { // Tuesdays, 18:00 in Tbilisi
		e := event(fmt.Sprintf("circle/c-1/%d@khidi", i), "Study circle c-1", at(2027, 3, day, 14), 2, "Asia/Tbilisi", nino)
		e.Kind, e.Series, e.Nominal, e.SourceRule = program.EventStudyCircle, "circle/c-1@khidi", e.Start, "CRON_TZ=Asia/Tbilisi 0 18 * * 2"
		es = append(es, e)
	}
	return es
}

// env is a server with the feeds registered on a database holding the
// fixture, and the plain tokens made for it.
type env struct {
	db     *store.DB
	srv    *server.Server
	tokens map[string]string // by what the token is
	clock  *time.Time        // the store's clock, which stamps updated_at
	readAt *time.Time        // the feeds' clock
}

func newTestEnv(t *testing.T, dsn string) *env {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := now.Add(-24 * time.Hour)
	db.Now = func() time.Time { return clock }
	recs := store.Records{
		Organizations: []program.Organization{{ID: "o-1", Name: "Host", Sector: program.SectorCSO, Region: "Tbilisi",
			Country: "GE", TimeZone: "Asia/Tbilisi", Email: "host@example.ge"}},
		Participants: []program.Participant{
			{ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge", Role: program.RoleActivist, Region: "Imereti"},
			{ID: "p-2", Name: "გია", Email: "gia@example.ge", Role: program.RoleActivist, Region: "Guria"},
		},
	}
	if err := db.Upsert(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveEvents(ctx, fixture(), store.AnyRevision); err != nil {
		t.Fatal(err)
	}
	readAt := now
	e := &env{db: db, tokens: map[string]string{}, clock: &clock, readAt: &readAt}
	var records []program.AccessToken
	for _, tk := range []struct {
		name    string
		kind    program.TokenKind
		subject string
		expires time.Time
	}{
		{"p-1", program.TokenFeed, "p-1", time.Time{}},
		{"p-2", program.TokenFeed, "p-2", time.Time{}},
		{"o-1", program.TokenFeed, "o-1", now.Add(time.Hour)},
		{"expired", program.TokenFeed, "p-1", now.Add(-time.Second)},
		{"revoked", program.TokenFeed, "p-1", time.Time{}},
		{"gone", program.TokenFeed, "p-gone", time.Time{}},
		{"host", program.TokenHost, "o-1", time.Time{}},
		{"admin", program.TokenAdmin, "", time.Time{}},
		{"programme", program.TokenProgramme, "", time.Time{}},
	} {
		plain, rec, err := access.New(tk.kind, tk.subject, tk.expires, tk.name)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[tk.name] = plain
		records = append(records, rec)
	}
	if err := db.SaveTokens(ctx, "test", records); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(ctx, e.tokens["revoked"][:16], "test"); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	e.srv, err = server.New(server.Config{Logger: logger, DB: db})
	if err != nil {
		t.Fatal(err)
	}
	feed.Register(e.srv, feed.Deps{Store: db, Logger: logger, Now: func() time.Time { return readAt }})
	return e
}

// get requests path with the given headers (name, value, name, value…).
func (e *env) get(t *testing.T, method, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequestWithContext(t.Context(), method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	res := w.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// feedPath is the feed URL path of the token named name.
func (e *env) feedPath(name string) string { return "/calendars/" + e.tokens[name] + ".ics" }

// parsers are the independent iCalendar readers the feeds are checked with.
var parsers = []struct {
	name  string
	parse func(testing.TB, string, time.Time, time.Time) icaltest.Starts
}{{"python3-icalendar", icaltest.PythonStarts}, {"ical.js", icaltest.ICalJSStarts}}

// wide is a span well beyond the feed's, so that the parsers would show
// events the feed should have left out.
var wideFrom, wideTo = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)

// wantStarts returns the starts a parser should find in the feed of
// subject read in year, from the events: those subject attends (every one
// for subject "", the programme's feed) that overlap the years before and
// after in some zone (UTC+14 to UTC-12), sessions gathered under their
// series' UID.
func wantStarts(events []program.Event, subject string, year int) icaltest.Starts {
	from := time.Date(year-1, 1, 1, 0, 0, 0, 0, time.FixedZone("UTC+14", 14*3600))
	to := time.Date(year+2, 1, 1, 0, 0, 0, 0, time.FixedZone("UTC-12", -12*3600))
	want := icaltest.Starts{}
	for _, e := range events {
		if (subject != "" && !slices.ContainsFunc(e.Attendees, func(a program.Attendee) bool { return a.ID == subject })) ||
			!e.Start.Before(to) || !e.End.After(from) {
			continue
		}
		uid := e.UID
		if e.Series != "" {
			uid = e.Series
		}
		want[uid] = append(want[uid], e.Start.Unix())
	}
	for _, s := range want {
		slices.Sort(s)
	}
	return want
}

// checkFeed reads body with both parsers and compares its occurrences with
// want; it also checks that no attendee's address is in it.
func checkFeed(t *testing.T, body string, want icaltest.Starts) {
	t.Helper()
	if strings.Contains(body, "ATTENDEE") || strings.Contains(body, "mailto:") || strings.Contains(body, "@example.ge") {
		t.Errorf("the feed shows attendees:\n%s", body)
	}
	path := filepath.Join(t.TempDir(), "feed.ics")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range parsers {
		got := p.parse(t, path, wideFrom, wideTo)
		if len(got) != len(want) {
			t.Errorf("%s: the feed has events %v, want %v", p.name, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
		for uid, w := range want {
			if !slices.Equal(got[uid], w) {
				t.Errorf("%s: %s starts at %v, want %v", p.name, uid, got[uid], w)
			}
		}
	}
}

// TestFeed follows one person's feed as a calendar program polls it: a
// first fetch, conditional requests answered 304, another person's change
// that does not touch it, a change of theirs, and the new year.
func TestFeed(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, engine.DSN(t))
			ctx := t.Context()
			events := fixture()

			res, body := e.get(t, http.MethodGet, e.feedPath("p-1"))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET the feed of p-1: %d %q", res.StatusCode, body)
			}
			for k, want := range map[string]string{
				"Content-Type":    "text/calendar; charset=utf-8",
				"Cache-Control":   "private, max-age=300",
				"Referrer-Policy": "no-referrer",
				"Content-Length":  fmt.Sprint(len(body)),
				// The first save, the events' latest change, is after
				// 1 January, when the span last moved.
				"Last-Modified": now.Add(-24 * time.Hour).Format(http.TimeFormat),
			} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("GET the feed of p-1: %s %q, want %q", k, got, want)
				}
			}
			etag := res.Header.Get("ETag")
			if len(etag) < 3 || !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
				t.Fatalf("ETag %q, want a strong entity tag", etag)
			}
			for _, s := range []string{"METHOD:PUBLISH", "X-WR-CALNAME:ნინო ბერიძე", "RRULE:"} {
				if !strings.Contains(body, s) {
					t.Errorf("the feed of p-1 lacks %q:\n%s", s, body)
				}
			}
			checkFeed(t, body, wantStarts(events, "p-1", 2027))

			res, head := e.get(t, http.MethodHead, e.feedPath("p-1"))
			if res.StatusCode != http.StatusOK || head != "" || res.Header.Get("ETag") != etag ||
				res.Header.Get("Content-Length") != fmt.Sprint(len(body)) {
				t.Errorf("HEAD: %d, ETag %q, Content-Length %q, body %q; want 200 with GET's headers and no body",
					res.StatusCode, res.Header.Get("ETag"), res.Header.Get("Content-Length"), head)
			}

			lastMod := res.Header.Get("Last-Modified")
			second := now.Add(-24*time.Hour - time.Second).Format(http.TimeFormat)
			for _, tt := range []struct {
				name    string
				headers []string
				want    int
			}{
				{"If-None-Match", []string{"If-None-Match", etag}, http.StatusNotModified},
				{"If-None-Match weak", []string{"If-None-Match", "W/" + etag}, http.StatusNotModified},
				{"If-None-Match in a list", []string{"If-None-Match", `"stale", ` + etag}, http.StatusNotModified},
				{"If-None-Match on two lines", []string{"If-None-Match", `"stale"`, "If-None-Match", etag}, http.StatusNotModified},
				{"If-None-Match *", []string{"If-None-Match", "*"}, http.StatusNotModified},
				{"If-None-Match stale", []string{"If-None-Match", `"stale"`}, http.StatusOK},
				{"If-None-Match takes precedence", []string{"If-None-Match", `"stale"`, "If-Modified-Since", lastMod}, http.StatusOK},
				{"If-Modified-Since", []string{"If-Modified-Since", lastMod}, http.StatusNotModified},
				{"If-Modified-Since a second earlier", []string{"If-Modified-Since", second}, http.StatusOK},
				{"If-Modified-Since not a date", []string{"If-Modified-Since", "yesterday"}, http.StatusOK},
			} {
				for _, method := range []string{http.MethodGet, http.MethodHead} {
					res, got := e.get(t, method, e.feedPath("p-1"), tt.headers...)
					if res.StatusCode != tt.want {
						t.Errorf("%s %s: %d, want %d", method, tt.name, res.StatusCode, tt.want)
					}
					switch {
					case tt.want == http.StatusNotModified || method == http.MethodHead:
						if got != "" {
							t.Errorf("%s %s: body %q, want none", method, tt.name, got)
						}
					case got != body:
						t.Errorf("%s %s: a different body from the first GET's", method, tt.name)
					}
					if res.Header.Get("ETag") != etag || res.Header.Get("Cache-Control") != feed.CacheControl {
						t.Errorf("%s %s: ETag %q, Cache-Control %q; want %q, %q", method, tt.name,
							res.Header.Get("ETag"), res.Header.Get("Cache-Control"), etag, feed.CacheControl)
					}
				}
			}

			// The organisation's feed: the internship and the cancelled
			// visit, marked so.
			res, orgBody := e.get(t, http.MethodGet, e.feedPath("o-1"))
			if res.StatusCode != http.StatusOK || !strings.Contains(orgBody, "STATUS:CANCELLED") {
				t.Errorf("GET the feed of o-1: %d, want 200 with the cancelled visit:\n%s", res.StatusCode, orgBody)
			}
			checkFeed(t, orgBody, wantStarts(events, "o-1", 2027))

			// Gia's visit moves: Nino's feed stays as it was.
			res, _ = e.get(t, http.MethodGet, e.feedPath("p-2"))
			giaTag := res.Header.Get("ETag")
			*e.clock = now.Add(-time.Hour)
			visit := events[4]
			visit.Start, visit.End, visit.Sequence = visit.Start.Add(24*time.Hour), visit.End.Add(24*time.Hour), 1
			if _, err := e.db.SaveEvents(ctx, []program.Event{visit}, store.AnyRevision); err != nil {
				t.Fatal(err)
			}
			if res, _ := e.get(t, http.MethodGet, e.feedPath("p-1"), "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
				t.Errorf("p-1 after Gia's visit moved: %d, want 304", res.StatusCode)
			}
			if res, _ := e.get(t, http.MethodGet, e.feedPath("p-2"), "If-None-Match", giaTag); res.StatusCode != http.StatusOK || res.Header.Get("ETag") == giaTag {
				t.Errorf("p-2 after the visit moved: %d with ETag %q; want 200 and a new ETag", res.StatusCode, res.Header.Get("ETag"))
			}

			// Nino's internship moves a day: a new ETag and the new time.
			*e.clock = now.Add(-30 * time.Minute)
			events[0].Start, events[0].End, events[0].Sequence = events[0].Start.Add(24*time.Hour), events[0].End.Add(24*time.Hour), 1
			if _, err := e.db.SaveEvents(ctx, []program.Event{events[0]}, store.AnyRevision); err != nil {
				t.Fatal(err)
			}
			for _, cond := range [][]string{{"If-None-Match", etag}, {"If-Modified-Since", lastMod}} {
				res, moved := e.get(t, http.MethodGet, e.feedPath("p-1"), cond...)
				if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == etag ||
					res.Header.Get("Last-Modified") != now.Add(-30*time.Minute).Format(http.TimeFormat) {
					t.Fatalf("p-1 after the internship moved, %s: %d, ETag %q, Last-Modified %q; want 200, a new ETag, the time of the move",
						cond[0], res.StatusCode, res.Header.Get("ETag"), res.Header.Get("Last-Modified"))
				}
				if cond[0] == "If-None-Match" {
					checkFeed(t, moved, wantStarts(events, "p-1", 2027))
				}
			}

			// A new year: the span moves on, so the feed changes though no
			// event does, and says so to If-Modified-Since too.
			res, _ = e.get(t, http.MethodGet, e.feedPath("p-1"))
			etag, lastMod = res.Header.Get("ETag"), res.Header.Get("Last-Modified")
			*e.readAt = time.Date(2028, 1, 2, 0, 0, 0, 0, time.UTC)
			for _, cond := range [][]string{{"If-None-Match", etag}, {"If-Modified-Since", lastMod}} {
				res, next := e.get(t, http.MethodGet, e.feedPath("p-1"), cond...)
				if res.StatusCode != http.StatusOK || res.Header.Get("Last-Modified") != "Sat, 01 Jan 2028 00:00:00 GMT" {
					t.Fatalf("p-1 in 2028, %s: %d, Last-Modified %q; want 200 and 1 January 2028", cond[0], res.StatusCode, res.Header.Get("Last-Modified"))
				}
				if cond[0] == "If-None-Match" {
					checkFeed(t, next, wantStarts(events, "p-1", 2028))
				}
			}
		})
	}
}

// TestFeedNotFound checks that every link that is not a working feed link
// gets the very answer of a path the server does not serve.
func TestFeedNotFound(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, engine.DSN(t))
			unsaved, _, err := access.New(program.TokenFeed, "p-1", time.Time{}, "")
			if err != nil {
				t.Fatal(err)
			}
			good := e.tokens["p-1"]
			wrongSecret := good[:16] + strings.Repeat("0", len(good)-16)
			ref, refBody := e.get(t, http.MethodGet, "/no/such/path")
			if ref.StatusCode != http.StatusNotFound {
				t.Fatalf("GET /no/such/path: %d, want 404", ref.StatusCode)
			}
			for _, tt := range []struct{ name, path string }{
				{"unknown token", "/calendars/" + unsaved + ".ics"},
				{"wrong secret", "/calendars/" + wrongSecret + ".ics"},
				{"malformed", "/calendars/xyz.ics"},
				{"upper case", "/calendars/" + strings.ToUpper(good) + ".ics"},
				{"no .ics", "/calendars/" + good},
				{"another suffix", "/calendars/" + good + ".ical"},
				{"suffix twice", "/calendars/" + good + ".ics.ics"},
				{"only .ics", "/calendars/.ics"},
				{"expired", e.feedPath("expired")},
				{"revoked", e.feedPath("revoked")},
				{"subject gone", e.feedPath("gone")},
				{"host token", e.feedPath("host")},
				{"admin token", e.feedPath("admin")},
			} {
				res, body := e.get(t, http.MethodGet, tt.path)
				if res.StatusCode != http.StatusNotFound || body != refBody || !maps.EqualFunc(res.Header, ref.Header, slices.Equal) {
					t.Errorf("%s: %d %q %v; want the 404 of an unknown path: %q %v", tt.name, res.StatusCode, body, res.Header, refBody, ref.Header)
				}
			}
		})
	}
}

// TestProgrammeFeed reads the programme's feed with a programme token:
// every event, without attendees, under the programme's name, answered 304
// while nothing changes and fetched again after any event moves.
func TestProgrammeFeed(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, engine.DSN(t))
			events := fixture()
			res, body := e.get(t, http.MethodGet, e.feedPath("programme"))
			if res.StatusCode != http.StatusOK || !strings.Contains(body, "X-WR-CALNAME:"+feed.ProgrammeName) {
				t.Fatalf("GET the programme's feed: %d %q", res.StatusCode, body)
			}
			checkFeed(t, body, wantStarts(events, "", 2027))
			etag := res.Header.Get("ETag")
			if res, _ := e.get(t, http.MethodGet, e.feedPath("programme"), "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
				t.Errorf("the programme's feed, unchanged, with its ETag: %d, want 304", res.StatusCode)
			}
			if _, p1 := e.get(t, http.MethodGet, e.feedPath("p-1")); len(p1) >= len(body) {
				t.Errorf("the programme's feed (%d bytes) is no larger than one person's (%d)", len(body), len(p1))
			}
			// Gia's event moves: the programme's feed changes.
			moved := events[len(events)-1]
			for _, ev := range events {
				if ev.Series == "" && slices.ContainsFunc(ev.Attendees, func(a program.Attendee) bool { return a.ID == "p-2" }) {
					moved = ev
				}
			}
			moved.Start, moved.End, moved.Sequence = moved.Start.Add(time.Hour), moved.End.Add(time.Hour), moved.Sequence+1
			*e.clock = e.clock.Add(time.Hour)
			if _, err := e.db.SaveEvents(t.Context(), []program.Event{moved}, store.AnyRevision); err != nil {
				t.Fatal(err)
			}
			if res, _ := e.get(t, http.MethodGet, e.feedPath("programme"), "If-None-Match", etag); res.StatusCode != http.StatusOK || res.Header.Get("ETag") == etag {
				t.Errorf("the programme's feed after an event moved: %d, ETag %q; want 200 and a new ETag", res.StatusCode, res.Header.Get("ETag"))
			}
		})
	}
}
