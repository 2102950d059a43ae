package jobs

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/feed"
	"github.com/khidi/khidi/internal/ical"
	"github.com/khidi/khidi/internal/mail"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/store"
)

// Defaults of the programme's jobs.
const (
	// DefaultReminderLead is how long before an event its reminder goes.
	DefaultReminderLead = 48 * time.Hour
	// InvitationAlarm is how long before an event the calendar programs
	// of those invited remind them (each invitation's VALARM), beside the
	// email reminder.
	InvitationAlarm = 24 * time.Hour
	// MaxAttempts is how many times a message is tried before it is given
	// up as undeliverable (about a day and a half with DeliveryBackoff).
	MaxAttempts = 10
	// deliverBatch is how many messages one claim takes.
	deliverBatch = 20
	// deliverLease is how long a sender holds the messages it claimed; a
	// sender gone longer leaves them to the next.
	deliverLease = 5 * time.Minute
)

// The programme's jobs, by name.
const (
	SendCalendars = "send-calendars"
	ExpireOffers  = "expire-offers"
	Reminders     = "reminders"
	YearlyMeeting = "yearly-meeting"
	DeliverMail   = "deliver-mail"
)

// Deps is what the programme's jobs work with.
type Deps struct {
	Store  *store.DB
	Offers *offers.Service
	// Sender delivers the outbox; nil leaves messages queued (no SMTP
	// configured), and deliver-mail then fails saying so.
	Sender *mail.Sender
	// From is the sender of every message and the organiser of every
	// invitation: "khidi <programme@example.ge>".
	From string
	// BaseURL is the service's public address, for the links in messages.
	BaseURL string
	// ReminderLead is DefaultReminderLead when 0.
	ReminderLead time.Duration
	// MeetingMonth is the month of the self-reflection meeting
	// (yearplan.DefaultMeetingMonth when 0).
	MeetingMonth time.Month
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (d *Deps) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// Programme returns khidi's jobs with their default schedules, all in
// Asia/Tbilisi: calendars every 15 minutes, expiries every 10, reminders
// hourly, delivery every minute, and the yearly meeting on the first of
// the month before it, at 09:00.
func Programme(d *Deps) []Job {
	meeting := cmp.Or(d.MeetingMonth, yearplan.DefaultMeetingMonth)
	before := (meeting+10)%12 + 1 // the month before, 1..12
	return []Job{
		{Name: SendCalendars, Spec: "CRON_TZ=Asia/Tbilisi */15 * * * *", Run: d.sendCalendars},
		{Name: ExpireOffers, Spec: "CRON_TZ=Asia/Tbilisi */10 * * * *", Run: d.expireOffers},
		{Name: Reminders, Spec: "CRON_TZ=Asia/Tbilisi 5 * * * *", Run: d.reminders},
		{Name: YearlyMeeting, Spec: fmt.Sprintf("CRON_TZ=Asia/Tbilisi 0 9 1 %d *", before), Run: d.yearlyMeeting},
		{Name: DeliverMail, Spec: "CRON_TZ=Asia/Tbilisi * * * * *", Run: d.deliverMail},
	}
}

// sendCalendars enqueues, for every person and organisation whose events
// changed since they were last told, one message with an invitation
// (METHOD:REQUEST) or cancellation (METHOD:CANCEL) per event and their
// feed link; and for every host with offers no message announced yet, one
// message with a new link to its page.
func (d *Deps) sendCalendars(ctx context.Context, _ time.Time) (map[string]int, error) {
	counts := map[string]int{}
	if !strings.HasPrefix(d.BaseURL, "http://") && !strings.HasPrefix(d.BaseURL, "https://") {
		// The messages carry links, which must reach the service from a
		// mail program.
		return counts, fmt.Errorf("no public address of the service (--base-url or KHIDI_BASE_URL, https://…): the messages' links need one")
	}
	if d.From == "" {
		return counts, fmt.Errorf("no sender for the messages: give the SMTP server with its from address (--smtp-url or KHIDI_SMTP_URL, smtp://…?from=programme@example.ge)")
	}
	pending, err := d.Store.PendingNotices(ctx)
	if err != nil {
		return counts, err
	}
	// An invitation to a study circle carries its whole series.
	var seriesIDs []string
	for _, p := range pending {
		if p.Event.Series != "" {
			seriesIDs = append(seriesIDs, p.Event.Series)
		}
	}
	slices.Sort(seriesIDs)
	sessions, err := d.Store.SeriesEvents(ctx, slices.Compact(seriesIDs))
	if err != nil {
		return counts, err
	}
	var errs []error
	for who, ps := range groupByAttendee(pending) {
		n, err := d.sendCalendar(ctx, who, ps, sessions)
		counts["messages"] += n
		counts["events"] += len(ps)
		if err != nil {
			errs = append(errs, fmt.Errorf("calendar of %s: %w", who.ID, err))
		}
	}
	n, err := d.announceOffers(ctx)
	counts["announcements"] = n
	return counts, errors.Join(append(errs, err)...)
}

// groupByAttendee yields the pending notices attendee by attendee, in the
// store's order (by attendee id).
func groupByAttendee(ps []store.Pending) func(yield func(program.Attendee, []store.Pending) bool) {
	return func(yield func(program.Attendee, []store.Pending) bool) {
		for i := 0; i < len(ps); {
			j := i + 1
			for j < len(ps) && ps[j].Attendee.ID == ps[i].Attendee.ID {
				j++
			}
			if !yield(ps[i].Attendee, ps[i:j]) {
				return
			}
			i = j
		}
	}
}

// sendCalendar enqueues who's message about the events of ps.
func (d *Deps) sendCalendar(ctx context.Context, who program.Attendee, ps []store.Pending, sessions []program.Event) (int, error) {
	now := d.now().UTC().Truncate(time.Second)
	var events []program.Event
	changed := map[string]bool{}
	b := store.Batch{Actor: "job:" + SendCalendars}
	for _, p := range ps {
		changed[p.Event.UID] = true
		if p.Event.Series != "" {
			changed[p.Event.Series] = true
		} else {
			events = append(events, p.Event)
		}
		b.Notices = append(b.Notices, program.Notice{Event: p.Event.ID, Attendee: who.ID, Sequence: p.Event.Sequence})
	}
	for _, s := range sessions {
		if changed[s.Series] && slices.ContainsFunc(s.Attendees, func(a program.Attendee) bool { return a.ID == who.ID }) {
			events = append(events, s)
		}
	}
	var lines []string
	var cals []mail.Calendar
	for _, e := range feed.Entries(events) {
		if !changed[e.Event.UID] {
			continue // a session of a series written one by one that did not change
		}
		method, verb := ical.MethodRequest, "new or changed · ახალი ან შეცვლილი"
		if e.Cancelled {
			method, verb = ical.MethodCancel, "cancelled · გაუქმებულია"
		}
		var buf strings.Builder
		if err := ical.Write(&buf, []ical.Entry{e}, ical.Options{Method: method, Stamp: now, Organizer: d.organizer(), Alarm: InvitationAlarm}); err != nil {
			return 0, err
		}
		cals = append(cals, mail.Calendar{Method: string(method), Data: []byte(buf.String())})
		lines = append(lines, fmt.Sprintf("• %s — %s (%s)", localTime(e.Event), e.Event.Title, verb))
	}
	if len(cals) == 0 {
		return 0, nil
	}
	link, err := d.feedLink(ctx, who.ID, &b)
	if err != nil {
		return 0, err
	}
	text := fmt.Sprintf("გამარჯობა %s,\nHello %s,\n\nთქვენი კალენდარი შეიცვალა · Your calendar changed:\n\n%s\n\n%s\n",
		who.Name, who.Name, strings.Join(lines, "\n"), link)
	key := "calendar:" + who.ID + ":" + digest(b.Notices)
	if err := d.compose(&b, who, "თქვენი კალენდარი · Your khidi calendar", text, key, cals); err != nil {
		return 0, err
	}
	return d.Store.Enqueue(ctx, b)
}

// feedLink returns the sentence that points who to their calendar feed:
// a new link the first time (added to b, stored with the message), a
// reminder that they have one afterwards, since only its hash is kept.
func (d *Deps) feedLink(ctx context.Context, id string, b *store.Batch) (string, error) {
	ts, err := d.Store.Tokens(ctx, program.TokenFeed, id)
	if err != nil {
		return "", err
	}
	now := d.now()
	if slices.ContainsFunc(ts, func(t program.AccessToken) bool { return t.Usable(now) }) {
		return "თქვენი კალენდრის ბმული, რომელიც ადრე გამოგიგზავნეთ, ავტომატურად განახლდება.\nThe calendar link we sent you before stays up to date.", nil
	}
	plain, tok, err := access.New(program.TokenFeed, id, time.Time{}, "sent by "+SendCalendars)
	if err != nil {
		return "", err
	}
	b.Tokens = append(b.Tokens, tok)
	url := strings.TrimSuffix(d.BaseURL, "/") + "/calendars/" + plain + ".ics"
	return "გამოიწერეთ თქვენი კალენდარი · Subscribe to your calendar (keep this link private):\n" + url, nil
}

// announceOffers enqueues one message per host and round with offers not
// announced yet, carrying a new link to the host's offers in that round.
func (d *Deps) announceOffers(ctx context.Context) (int, error) {
	ms, err := d.Store.UnannouncedOffers(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for i := 0; i < len(ms); {
		j := i + 1
		for j < len(ms) && ms[j].HostID == ms[i].HostID && ms[j].RoundID == ms[i].RoundID {
			j++
		}
		n, err := d.announce(ctx, ms[i:j])
		sent += n
		if err != nil {
			errs = append(errs, fmt.Errorf("offers of round %d to %s: %w", ms[i].RoundID, ms[i].HostID, err))
		}
		i = j
	}
	return sent, errors.Join(errs...)
}

// announce enqueues the message announcing ms, offers of one round to one
// host, with a link to them.
func (d *Deps) announce(ctx context.Context, ms []program.Match) (int, error) {
	host, err := d.Store.Organization(ctx, ms[0].HostID)
	if err != nil {
		return 0, err
	}
	b := store.Batch{Actor: "job:" + SendCalendars}
	deadline := d.now()
	for _, m := range ms {
		b.Announced = append(b.Announced, m.ID)
		deadline = maxTime(deadline, m.Deadline)
	}
	plain, tok, err := access.New(program.TokenHost, string(host.ID), deadline.Add(offers.LinkLifetime),
		fmt.Sprintf("round %d, sent by %s", ms[0].RoundID, SendCalendars))
	if err != nil {
		return 0, err
	}
	tok.Round = ms[0].RoundID
	b.Tokens = append(b.Tokens, tok)
	url := strings.TrimSuffix(d.BaseURL, "/") + "/host/" + plain
	text := fmt.Sprintf("გამარჯობა,\nHello %s,\n\nთქვენ გაქვთ %d ახალი შეთავაზება · You have %d new offer(s) to answer:\n%s\n\n"+
		"ეს ბმული მხოლოდ თქვენთვისაა · This link is for you only.\n", host.Name, len(ms), len(ms), url)
	who := program.Attendee{ID: string(host.ID), Name: host.Name, Email: host.Email}
	key := fmt.Sprintf("offers:%s:%d", host.ID, ms[0].ID)
	if err := d.compose(&b, who, "ახალი შეთავაზებები · New offers in khidi", text, key, nil); err != nil {
		return 0, err
	}
	return d.Store.Enqueue(ctx, b)
}

// expireOffers expires every open offer past its deadline, which repairs
// its round (new offers are announced by send-calendars).
func (d *Deps) expireOffers(ctx context.Context, _ time.Time) (map[string]int, error) {
	counts := map[string]int{}
	due, err := d.Store.DueOffers(ctx, d.now())
	if err != nil {
		return counts, err
	}
	var errs []error
	for _, m := range due {
		out, err := d.Offers.Decide(ctx, store.Decision{Match: m.ID, To: program.OfferExpired, Actor: "job:" + ExpireOffers,
			Reason: "no answer by the deadline"})
		switch {
		case errors.Is(err, program.ErrConflict):
			counts["answered_meanwhile"]++ // the host answered since the query
		case err != nil:
			errs = append(errs, fmt.Errorf("offer %d: %w", m.ID, err))
		default:
			counts["expired"]++
			counts["offered"] += len(out.Offered)
		}
	}
	return counts, errors.Join(errs...)
}

// reminders enqueues one reminder per person and event starting within the
// reminder lead, never twice.
func (d *Deps) reminders(ctx context.Context, _ time.Time) (map[string]int, error) {
	counts := map[string]int{}
	now := d.now()
	due, err := d.Store.DueReminders(ctx, now, now.Add(cmp.Or(d.ReminderLead, DefaultReminderLead)))
	if err != nil {
		return counts, err
	}
	var errs []error
	for who, ps := range groupByAttendee(due) {
		var b store.Batch
		var lines []string
		for _, p := range ps {
			b.Notices = append(b.Notices, program.Notice{Event: p.Event.ID, Attendee: who.ID, Sequence: p.Told, Reminded: true})
			where := ""
			if p.Event.Location != "" {
				where = ", " + p.Event.Location
			}
			lines = append(lines, fmt.Sprintf("• %s — %s%s", localTime(p.Event), p.Event.Title, where))
		}
		text := fmt.Sprintf("გამარჯობა %s,\nHello %s,\n\nშეხსენება · A reminder of what is coming up:\n\n%s\n", who.Name, who.Name, strings.Join(lines, "\n"))
		if err := d.compose(&b, who, "შეხსენება · Reminder from khidi", text, "reminder:"+who.ID+":"+digest(b.Notices), nil); err != nil {
			errs = append(errs, err)
			continue
		}
		n, err := d.Store.Enqueue(ctx, b)
		counts["messages"] += n
		counts["events"] += len(ps)
		if err != nil {
			errs = append(errs, fmt.Errorf("reminder to %s: %w", who.ID, err))
		}
	}
	return counts, errors.Join(errs...)
}

// yearlyMeeting lays out the year of its slot — the self-reflection
// meeting with it, in its month — and sends the invitations at once.
func (d *Deps) yearlyMeeting(ctx context.Context, slot time.Time) (map[string]int, error) {
	// The job runs in the month before the meeting's: in December for a
	// January meeting, whose year is the next.
	year := slot.In(tbilisi()).Year()
	if cmp.Or(d.MeetingMonth, yearplan.DefaultMeetingMonth) == time.January {
		year++
	}
	res, err := yearplan.Run(ctx, d.Store, yearplan.Request{Year: year, MeetingMonth: d.MeetingMonth})
	if err != nil {
		return nil, err
	}
	counts := map[string]int{"new": len(res.Changes.New), "moved": len(res.Changes.Moved), "cancelled": len(res.Changes.Cancelled)}
	sent, err := d.sendCalendars(ctx, slot)
	counts["messages"] = sent["messages"]
	return counts, err
}

// deliverMail sends the outbox until nothing is due: each message is
// marked sent only once the server accepted it, retried with exponential
// backoff when it failed, and marked failed (kept, and counted) when the
// server refused it for good or after MaxAttempts.
func (d *Deps) deliverMail(ctx context.Context, _ time.Time) (map[string]int, error) {
	counts := map[string]int{}
	if d.Sender == nil {
		return counts, errors.New("no SMTP server configured (KHIDI_SMTP_URL): messages stay queued")
	}
	for ctx.Err() == nil {
		ms, err := d.Store.ClaimMail(ctx, deliverBatch, deliverLease)
		if err != nil || len(ms) == 0 {
			return counts, err
		}
		retry, err := d.deliver(ctx, ms, counts)
		if err != nil || retry {
			return counts, err // a struggling server: leave the rest for the next run
		}
	}
	return counts, ctx.Err()
}

// deliver sends ms over one connection and records each outcome; it
// reports whether some message is to be retried. When the connection
// cannot be made — the server is down, or refuses our credentials — no
// message is at fault: all of them wait for the next attempt, whatever
// the server said.
func (d *Deps) deliver(ctx context.Context, ms []program.Mail, counts map[string]int) (bool, error) {
	// The outcome is recorded even when ctx ends the run: the server may
	// have accepted the message.
	record := context.WithoutCancel(ctx)
	conn, err := d.Sender.Dial(ctx)
	if err != nil {
		for _, m := range ms {
			if rerr := d.Store.RetryMail(record, m.ID, d.now().Add(DeliveryBackoff(m.Attempts)), err.Error()); rerr != nil {
				return true, rerr
			}
			counts["retry"]++
		}
		return true, nil
	}
	defer conn.Close()
	retry := false
	for _, m := range ms {
		err := conn.Send(m.From, m.To, m.Message)
		switch {
		case err == nil:
			err = d.Store.MarkSent(record, m.ID)
			counts["sent"]++
		case mail.Permanent(err) || m.Attempts >= MaxAttempts:
			err = d.Store.FailMail(record, m.ID, err.Error())
			counts["failed"]++
		default:
			err = d.Store.RetryMail(record, m.ID, d.now().Add(DeliveryBackoff(m.Attempts)), err.Error())
			counts["retry"]++
			retry = true
		}
		if err != nil {
			return retry, err
		}
	}
	return retry, nil
}

// DeliveryBackoff is how long a message waits after its attempt-th failed
// try: a minute, doubling each time, at most six hours.
func DeliveryBackoff(attempt int) time.Duration {
	d := time.Minute << min(max(attempt-1, 0), 9)
	return min(d, 6*time.Hour)
}

// compose adds the message to who to b.
func (d *Deps) compose(b *store.Batch, who program.Attendee, subject, text, key string, cals []mail.Calendar) error {
	to := who.Email
	if who.Name != "" {
		to = who.Name + " <" + who.Email + ">"
	}
	msg, err := mail.Compose(mail.Message{From: d.From, To: to, Subject: subject, Text: text, Calendars: cals, Key: key, Date: d.now()})
	if err != nil {
		return err
	}
	b.Mail = append(b.Mail, program.Mail{DedupKey: key, From: d.From, To: who.Email, Subject: subject, Message: msg})
	return nil
}

// organizer is the programme as the organiser of its invitations.
func (d *Deps) organizer() program.Attendee {
	name, addr, err := mail.SplitAddress(d.From)
	if err != nil {
		addr = d.From // mail.ParseURL checked it; an invitation reports it
	}
	return program.Attendee{Name: cmp.Or(name, "khidi"), Email: addr}
}

// digest names a set of notices in a dedup key: the same notices give the
// same key, so a run repeated for one slot enqueues once.
func digest(ns []program.Notice) string {
	h := sha256.New()
	for _, n := range ns {
		fmt.Fprintf(h, "%d:%s:%d:%v;", n.Event, n.Attendee, n.Sequence, n.Reminded)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// localTime writes an event's start in its own zone.
func localTime(e program.Event) string {
	loc, err := time.LoadLocation(e.Zone)
	if err != nil {
		loc = time.UTC
	}
	return e.Start.In(loc).Format("2006-01-02 15:04") + " (" + loc.String() + ")"
}

func tbilisi() *time.Location {
	loc, err := time.LoadLocation(program.DefaultTimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
