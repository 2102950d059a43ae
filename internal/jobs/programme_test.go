package jobs

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/ical/icaltest"
	"github.com/khidi/khidi/internal/mail"
	"github.com/khidi/khidi/internal/mail/smtptest"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

// programme seeds db with the demo programme, a published internship
// round with some offers accepted, and the laid-out year 2027.
func programme(t *testing.T, db *store.DB) *offers.Service {
	t.Helper()
	ctx := context.Background()
	storetest.Seed(t, db, demodata.Config{Seed: 7})
	res, err := rounds.Run(ctx, db, rounds.Request{Kind: program.RoundInternship, Seed: 7}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	svc := &offers.Service{Store: db}
	if _, _, err := svc.Publish(ctx, res.Round.ID, time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC), "cli"); err != nil {
		t.Fatal(err)
	}
	ms, err := db.RoundMatches(ctx, res.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:len(ms)/2] {
		if _, err := svc.Decide(ctx, store.Decision{Match: m.ID, Host: m.HostID, To: program.OfferAccepted, Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := yearplan.Run(ctx, db, yearplan.Request{Year: 2027}); err != nil {
		t.Fatal(err)
	}
	return svc
}

// calendarParts returns the iCalendar objects of a received message:
// inline parts and attachments alike, decoded.
func calendarParts(t *testing.T, m *netmail.Message) []string {
	t.Helper()
	var out []string
	var walk func(ct string, params map[string]string, enc string, body io.Reader)
	walk = func(ct string, params map[string]string, enc string, body io.Reader) {
		if strings.HasPrefix(ct, "multipart/") {
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextPart()
				if err != nil {
					return
				}
				pct, pps, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
				walk(pct, pps, p.Header.Get("Content-Transfer-Encoding"), p)
			}
		}
		if ct == "text/calendar" {
			b, _ := io.ReadAll(decoder(enc, body))
			out = append(out, string(b))
		}
	}
	ct, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	walk(ct, params, m.Header.Get("Content-Transfer-Encoding"), m.Body)
	return out
}

// TestProgramme runs the jobs one after another on SQLite against a real
// SMTP server: calendars and offer announcements go out once, a change
// goes out once more, reminders once, expiries repair, and a stopped
// server delays mail without losing or doubling it.
func TestProgramme(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := storetest.Open(t, "sqlite:"+filepath.Join(t.TempDir(), "khidi.db"))
	svc := programme(t, db)
	smtp := smtptest.Start(t)
	cfg, err := mail.ParseURL(smtp.URL("programme@khidi.example.ge"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db.Now, svc.Now = clock, clock
	d := &Deps{Store: db, Offers: svc, Sender: mail.NewSender(cfg), From: "khidi <programme@khidi.example.ge>",
		BaseURL: "https://khidi.example.ge", Now: func() time.Time { return now }}

	counts, err := d.sendCalendars(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if counts["messages"] == 0 || counts["announcements"] == 0 {
		t.Fatalf("send-calendars: %v; want calendars and announcements", counts)
	}
	queued := counts["messages"] + counts["announcements"]
	if again, err := d.sendCalendars(ctx, now); err != nil || again["messages"]+again["announcements"] != 0 {
		t.Errorf("a second send-calendars with nothing changed: %v, %v", again, err)
	}
	// Each announcement's link opens its round's offers, and making it is
	// in the audit log.
	log, err := db.Audit(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	links := 0
	for _, e := range log {
		if e.Action == "token.created" && e.Actor == "job:send-calendars" && strings.HasPrefix(e.Detail, "host token") {
			if e.Round == 0 {
				t.Errorf("announcement link %+v: want a link to one round's offers", e)
			}
			links++
		}
	}
	if links != counts["announcements"] {
		t.Errorf("%d host links in the audit log for %d announcements", links, counts["announcements"])
	}
	sent, err := d.deliverMail(ctx, now)
	if err != nil || sent["sent"] != queued {
		t.Fatalf("deliver-mail: %v, %v; want %d sent", sent, err, queued)
	}
	received := smtp.Messages()
	if len(received) != queued {
		t.Fatalf("the server received %d messages, want %d", len(received), queued)
	}
	// Every invitation parses with an independent parser.
	dir := t.TempDir()
	invitations, alarmed := 0, 0
	for i, m := range received {
		for j, cal := range calendarParts(t, m) {
			if !strings.Contains(cal, "METHOD:REQUEST") && !strings.Contains(cal, "METHOD:CANCEL") {
				t.Errorf("message %d: calendar without an iTIP method", i)
			}
			path := filepath.Join(dir, "inv.ics")
			if err := os.WriteFile(path, []byte(cal), 0o600); err != nil {
				t.Fatal(err)
			}
			if i < 5 && j == 0 { // a sample: each parse starts an interpreter
				if starts := icaltest.PythonStarts(t, path, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)); len(starts) != 1 {
					t.Errorf("message %d: invitation holds %d events, want 1", i, len(starts))
				}
				if strings.Contains(cal, "METHOD:REQUEST") {
					alarmed++
					got := icaltest.PythonAlarms(t, path)
					if len(got) != 1 {
						t.Errorf("message %d: %d events with alarms, want the invitation's one", i, len(got))
					}
					for uid, alarms := range got {
						if !slices.Equal(alarms, []int64{-int64(InvitationAlarm / time.Second)}) {
							t.Errorf("message %d: event %s reminds %v s from its start, want a day before", i, uid, alarms)
						}
					}
				}
			}
			invitations++
		}
	}
	if invitations == 0 || alarmed == 0 {
		t.Errorf("%d invitations among the messages, %d checked for alarms; want some of each", invitations, alarmed)
	}

	// One event moves: its attendees hear once more.
	events, err := db.Events(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(events) == 0 {
		t.Fatalf("events: %d, %v", len(events), err)
	}
	var moved program.Event
	for _, e := range events {
		if e.Kind == program.EventInternship {
			moved = e
			break
		}
	}
	moved.Start, moved.End, moved.Sequence = moved.Start.Add(24*time.Hour), moved.End.Add(24*time.Hour), moved.Sequence+1
	if _, err := db.SaveEvents(ctx, []program.Event{moved}, store.AnyRevision); err != nil {
		t.Fatal(err)
	}
	counts, err = d.sendCalendars(ctx, now)
	withID := 0
	for _, a := range moved.Attendees {
		if a.ID != "" {
			withID++
		}
	}
	if err != nil || counts["messages"] != withID {
		t.Errorf("after moving %s: %v, %v; want %d messages", moved.UID, counts, err, withID)
	}

	// The SMTP server goes down: mail waits, then arrives once.
	smtp.Stop()
	if c, err := d.deliverMail(ctx, now); err != nil || c["retry"] == 0 || c["sent"] != 0 {
		t.Errorf("deliver-mail with the server down: %v, %v", c, err)
	}
	if waiting, _, _ := db.OutboxDepth(ctx); waiting != withID {
		t.Errorf("%d messages wait, want %d", waiting, withID)
	}
	smtp.Restart()
	if c, _ := d.deliverMail(ctx, now); c["sent"] != 0 {
		t.Errorf("deliver-mail before the retry time sent %v", c)
	}
	now = now.Add(DeliveryBackoff(1))
	if c, err := d.deliverMail(ctx, now); err != nil || c["sent"] != withID {
		t.Errorf("deliver-mail after the server returned: %v, %v; want %d sent", c, err, withID)
	}
	if got := len(smtp.Messages()); got != queued+withID {
		t.Errorf("the server holds %d messages, want %d", got, queued+withID)
	}

	// Reminders: once per person and event.
	now = moved.Start.Add(-24 * time.Hour)
	r1, err := d.reminders(ctx, now)
	if err != nil || r1["messages"] == 0 {
		t.Errorf("reminders before %s: %v, %v", moved.UID, r1, err)
	}
	if r2, err := d.reminders(ctx, now.Add(time.Hour)); err != nil || r2["messages"] != 0 {
		t.Errorf("reminders an hour later: %v, %v; want none", r2, err)
	}

	// Expiry: every open offer is past its deadline; each repair may offer.
	now = time.Date(2027, 1, 11, 0, 0, 0, 0, time.UTC)
	e, err := d.expireOffers(ctx, now)
	if err != nil || e["expired"] == 0 {
		t.Errorf("expire-offers: %v, %v", e, err)
	}
	if due, _ := db.DueOffers(ctx, now); len(due) != 0 {
		t.Errorf("%d offers still open past their deadline", len(due))
	}
}

// TestReplicas fires every job of the programme in two replicas against
// one PostgreSQL database at the same slot: each message reaches the SMTP
// server exactly once.
func TestReplicas(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDatabase(t)
	programme(t, storetest.Open(t, dsn))
	smtp := smtptest.Start(t)
	cfg, err := mail.ParseURL(smtp.URL("programme@khidi.example.ge"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)
	var runners []*Runner
	for _, name := range []string{"a", "b"} {
		db := storetest.Open(t, dsn) // each replica its own connections
		d := &Deps{Store: db, Offers: &offers.Service{Store: db}, Sender: mail.NewSender(cfg), From: "programme@khidi.example.ge",
			BaseURL: "https://khidi.example.ge", Now: func() time.Time { return now }}
		r, err := New(Config{Store: db, Jobs: Programme(d), Replica: name, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		runners = append(runners, r)
	}
	slot := now.Truncate(time.Minute)
	fire := func(job string) {
		var wg sync.WaitGroup
		for _, r := range runners {
			wg.Go(func() {
				for _, e := range r.entries {
					if e.job.Name == job {
						r.run(context.Background(), e, slot)
					}
				}
			})
		}
		wg.Wait()
	}
	fire(SendCalendars)
	// Delivery in both replicas at once, for different slots: the outbox
	// claims keep them apart.
	var wg sync.WaitGroup
	for i, r := range runners {
		wg.Go(func() {
			for _, e := range r.entries {
				if e.job.Name == DeliverMail {
					r.run(context.Background(), e, slot.Add(time.Duration(i)*time.Minute))
				}
			}
		})
	}
	wg.Wait()

	db := storetest.Open(t, dsn)
	out, err := db.Outbox(context.Background())
	if err != nil || len(out) == 0 {
		t.Fatalf("outbox: %d, %v", len(out), err)
	}
	ids := map[string]int{}
	for _, m := range smtp.Messages() {
		ids[m.Header.Get("Message-Id")]++
	}
	if len(ids) != len(out) {
		t.Errorf("the server received %d distinct messages, the outbox holds %d", len(ids), len(out))
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("message %s delivered %d times", id, n)
		}
	}
	runs, err := db.JobRuns(context.Background(), SendCalendars, 10)
	if err != nil || len(runs) != 1 {
		t.Errorf("send-calendars ran %d times for one slot, want 1 (%v)", len(runs), err)
	}
}

// decoder undoes a part's transfer encoding; multipart undoes
// quoted-printable itself.
func decoder(enc string, r io.Reader) io.Reader {
	if strings.EqualFold(enc, "base64") {
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}
