package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// runJobs is the part of the suite about job runs, the outbox and notices.
func runJobs(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("ClaimRun", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		db.Now = func() time.Time { return clock }
		ctx := t.Context()
		slot := time.Date(2027, 3, 28, 0, 30, 0, 0, time.UTC)
		// Ten replicas wake for one slot at once: one runs it.
		var wg sync.WaitGroup
		won := make([]bool, 10)
		errs := make([]error, 10)
		for i := range won {
			wg.Go(func() {
				_, won[i], errs[i] = db.ClaimRun(ctx, "send-calendars", slot, fmt.Sprintf("replica-%d", i))
			})
		}
		wg.Wait()
		if n := len(slices.DeleteFunc(slices.Clone(won), func(b bool) bool { return !b })); n != 1 {
			t.Errorf("%d replicas claimed one slot, want 1", n)
		}
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		// A replica waking late does not run it again; the next slot is free.
		if _, ok, err := db.ClaimRun(ctx, "send-calendars", slot, "late"); ok || err != nil {
			t.Errorf("claiming a slot already run: %v, %v; want false", ok, err)
		}
		run, ok, err := db.ClaimRun(ctx, "send-calendars", slot.Add(time.Hour), "replica-0")
		if !ok || err != nil || run.ID == 0 || run.Outcome != program.JobRunning || !run.Started.Equal(stamped) {
			t.Fatalf("claiming the next slot: %+v, %v, %v", run, ok, err)
		}
		if _, ok, _ := db.ClaimRun(ctx, "reminders", slot, "replica-0"); !ok {
			t.Error("another job's claim of the same slot was refused")
		}
		if err := db.FinishRun(ctx, run.ID, program.JobOK, map[string]int{"enqueued": 3}, ""); err != nil {
			t.Fatal(err)
		}
		runs, err := db.JobRuns(ctx, "send-calendars", 10)
		if err != nil || len(runs) != 2 {
			t.Fatalf("JobRuns = %+v, %v; want 2 runs", runs, err)
		}
		if r := runs[0]; r.ID != run.ID || r.Outcome != program.JobOK || r.Counts["enqueued"] != 3 || !r.Finished.Equal(stamped) || !r.Slot.Equal(slot.Add(time.Hour)) {
			t.Errorf("newest run = %+v", r)
		}
		if err := db.FinishRun(ctx, 99999, program.JobOK, nil, ""); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("finishing an unknown run: %v", err)
		}
	})

	t.Run("Outbox", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		now := clock
		db.Now = func() time.Time { return now }
		ctx := t.Context()
		mail := func(key string) program.Mail {
			return program.Mail{DedupKey: key, From: "khidi@example.ge", To: key + "@example.ge", Subject: "ნინო", Message: []byte("Subject: x\r\n\r\nbody " + key)}
		}
		n, err := db.Enqueue(ctx, store.Batch{Mail: []program.Mail{mail("a"), mail("b"), mail("c")}})
		if err != nil || n != 3 {
			t.Fatalf("Enqueue = %d, %v", n, err)
		}
		if n, err := db.Enqueue(ctx, store.Batch{Mail: []program.Mail{mail("a"), mail("d")}}); err != nil || n != 1 {
			t.Fatalf("Enqueue with a key already queued = %d, %v; want 1 added", n, err)
		}
		got, err := db.ClaimMail(ctx, 2, time.Minute)
		if err != nil || len(got) != 2 || got[0].DedupKey != "a" || got[1].Attempts != 1 || string(got[0].Message) != "Subject: x\r\n\r\nbody a" {
			t.Fatalf("ClaimMail(2) = %+v, %v", got, err)
		}
		if more, _ := db.ClaimMail(ctx, 10, time.Minute); len(more) != 2 || more[0].DedupKey != "c" {
			t.Fatalf("a second claim = %+v; want c and d, not the held a and b", more)
		}
		if err := db.MarkSent(ctx, got[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkSent(ctx, got[0].ID); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("marking a sent message sent again: %v", err)
		}
		if err := db.RetryMail(ctx, got[1].ID, now.Add(10*time.Minute), "421 try later"); err != nil {
			t.Fatal(err)
		}
		// A sender that died holding c and d: after the lease they are due again.
		now = now.Add(2 * time.Minute)
		again, _ := db.ClaimMail(ctx, 10, time.Minute)
		if keys := mailKeys(again); !slices.Equal(keys, []string{"c", "d"}) {
			t.Errorf("after the lease: claimed %v, want [c d] (b waits for its retry time)", keys)
		}
		if err := db.FailMail(ctx, again[0].ID, "550 no such user"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(10 * time.Minute)
		last, _ := db.ClaimMail(ctx, 10, time.Minute)
		if keys := mailKeys(last); !slices.Equal(keys, []string{"b", "d"}) || last[0].Attempts != 2 || last[0].LastError != "421 try later" {
			t.Errorf("after the retry time: claimed %+v, want b (second attempt) and d", last)
		}
		waiting, failed, err := db.OutboxDepth(ctx)
		if err != nil || waiting != 2 || failed != 1 {
			t.Errorf("OutboxDepth = %d waiting, %d failed, %v; want 2, 1", waiting, failed, err)
		}
	})

	t.Run("OutboxConcurrentSenders", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		var ms []program.Mail
		for i := range 200 {
			ms = append(ms, program.Mail{DedupKey: fmt.Sprint(i), From: "k@example.ge", To: "x@example.ge", Message: []byte("m")})
		}
		if _, err := db.Enqueue(ctx, store.Batch{Mail: ms}); err != nil {
			t.Fatal(err)
		}
		var (
			mu   sync.Mutex
			seen = map[int64]int{}
			wg   sync.WaitGroup
		)
		for range 4 {
			wg.Go(func() {
				for {
					got, err := db.ClaimMail(ctx, 7, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						seen[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != len(ms) {
			t.Errorf("senders claimed %d messages, want %d", len(seen), len(ms))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("message %d claimed %d times", id, n)
			}
		}
	})

	t.Run("Notices", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		now := clock
		db.Now = func() time.Time { return now }
		ctx := t.Context()
		at := func(day int) time.Time { return time.Date(2027, 3, day, 6, 0, 0, 0, time.UTC) }
		nino := program.Attendee{ID: "p-1", Name: "ნინო", Email: "nino@example.ge"}
		host := program.Attendee{ID: "o-1", Name: "Host", Email: "host@example.ge"}
		guest := program.Attendee{Name: "Guest", Email: "guest@example.org"}
		ev := func(uid string, day int, as ...program.Attendee) program.Event {
			return program.Event{Kind: program.EventMeeting, Title: uid, Start: at(day), End: at(day).Add(time.Hour), Zone: "Asia/Tbilisi",
				UID: uid, Status: program.EventScheduled, Attendees: as}
		}
		es := []program.Event{ev("m1", 2, nino, host, guest), ev("m2", 1, nino), ev("gone", 3, host)}
		ids, err := db.SaveEvents(ctx, es, store.AnyRevision)
		if err != nil {
			t.Fatal(err)
		}
		// gone is cancelled before anyone was told: nobody needs a mail.
		es[2].ID, es[2].Status, es[2].Sequence = ids[2], program.EventCancelled, 1
		if _, err := db.SaveEvents(ctx, es[2:], store.AnyRevision); err != nil {
			t.Fatal(err)
		}
		ps, err := db.PendingNotices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := pendingKeys(ps), []string{"o-1 m1 -1", "p-1 m2 -1", "p-1 m1 -1"}; !slices.Equal(got, want) {
			t.Fatalf("PendingNotices = %v, want %v (by attendee, then start; guests have no id)", got, want)
		}
		if len(ps[0].Event.Attendees) != 3 {
			t.Errorf("a pending event comes with its attendees: %+v", ps[0].Event)
		}
		var told []program.Notice
		for _, p := range ps {
			told = append(told, program.Notice{Event: p.Event.ID, Attendee: p.Attendee.ID, Sequence: p.Event.Sequence})
		}
		if _, err := db.Enqueue(ctx, store.Batch{Notices: told}); err != nil {
			t.Fatal(err)
		}
		if ps, _ := db.PendingNotices(ctx); len(ps) != 0 {
			t.Errorf("after telling everyone: %v pending", pendingKeys(ps))
		}
		// m1 moves: both its attendees must hear again; then it is cancelled.
		m1 := es[0]
		m1.Start, m1.End, m1.Sequence = at(4), at(4).Add(time.Hour), 1
		if _, err := db.SaveEvents(ctx, []program.Event{m1}, store.AnyRevision); err != nil {
			t.Fatal(err)
		}
		if ps, _ := db.PendingNotices(ctx); !slices.Equal(pendingKeys(ps), []string{"o-1 m1 0", "p-1 m1 0"}) {
			t.Errorf("after moving m1: pending %v", pendingKeys(ps))
		}

		// Reminders: events starting in the window that were announced.
		due, err := db.DueReminders(ctx, at(1), at(3))
		if err != nil || !slices.Equal(pendingKeys(due), []string{"p-1 m2 0"}) {
			t.Fatalf("DueReminders = %v, %v; want p-1's m2", pendingKeys(due), err)
		}
		if _, err := db.Enqueue(ctx, store.Batch{Notices: []program.Notice{{Event: due[0].Event.ID, Attendee: "p-1", Sequence: 0, Reminded: true}}}); err != nil {
			t.Fatal(err)
		}
		if due, _ := db.DueReminders(ctx, at(1), at(3)); len(due) != 0 {
			t.Errorf("a second reminder is due: %v", pendingKeys(due))
		}
		// A reminder does not lower what was told.
		if _, err := db.Enqueue(ctx, store.Batch{Notices: []program.Notice{{Event: ids[0], Attendee: "p-1", Sequence: 1}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enqueue(ctx, store.Batch{Notices: []program.Notice{{Event: ids[0], Attendee: "p-1", Sequence: 0, Reminded: true}}}); err != nil {
			t.Fatal(err)
		}
		if ps, _ := db.PendingNotices(ctx); !slices.Equal(pendingKeys(ps), []string{"o-1 m1 0"}) {
			t.Errorf("after telling p-1 of the move and reminding: pending %v", pendingKeys(ps))
		}
	})
}

// runAnnouncements is the part of the suite about what the jobs ask of
// offers and series.
func runAnnouncements(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("Announcements", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 2, 3)
		ctx := t.Context()
		ms := publish(t, db, round.ID, store.Proposal{
			Places: []program.Place{{ID: "o-1", Capacity: 1}, {ID: "o-2", Capacity: 1}},
			Matches: []program.Match{
				{ParticipantID: "p-0", HostID: "o-1", Status: program.OfferProposed},
				{ParticipantID: "p-1", HostID: "o-2", Status: program.OfferProposed},
			},
		})
		got, err := db.UnannouncedOffers(ctx)
		if err != nil || len(got) != 2 || got[0].HostID != "o-1" {
			t.Fatalf("UnannouncedOffers = %+v, %v", got, err)
		}
		if p, err := db.RoundPlace(ctx, round.ID, "o-2"); err != nil || p.Capacity != 1 || p.ID != "o-2" {
			t.Errorf("RoundPlace(o-2) = %+v, %v", p, err)
		}
		if _, err := db.RoundPlace(ctx, round.ID, "o-9"); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("RoundPlace(o-9): %v, want not found", err)
		}
		if ps, err := db.ParticipantsByID(ctx, []program.ParticipantID{"p-1", "p-0", "nobody"}); err != nil || len(ps) != 2 || ps[0].ID != "p-0" {
			t.Errorf("ParticipantsByID = %+v, %v; want p-0 and p-1", ps, err)
		}
		link := program.AccessToken{ID: "feedfeedfeedfeed", Kind: program.TokenHost, Subject: "o-1", SecretHash: make([]byte, 32)}
		if _, err := db.Enqueue(ctx, store.Batch{Announced: []program.MatchID{ms[0].ID}, Tokens: []program.AccessToken{link}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UnannouncedOffers(ctx); len(got) != 1 || got[0].ID != ms[1].ID {
			t.Errorf("after announcing o-1's offer: %+v", got)
		}
		if _, err := db.Token(ctx, link.ID); err != nil {
			t.Errorf("the link enqueued with the mail: %v", err)
		}
		// A batch that fails stores nothing of itself.
		bad := store.Batch{Mail: []program.Mail{{DedupKey: "x", From: "a@b.ge", To: "c@d.ge", Message: []byte("m")}},
			Tokens: []program.AccessToken{link}} // the id is taken
		if _, err := db.Enqueue(ctx, bad); err == nil {
			t.Error("a batch with a duplicate token: no error")
		}
		if out, _ := db.Outbox(ctx); len(out) != 0 {
			t.Errorf("a failed batch left %d messages", len(out))
		}

		if due, err := db.DueOffers(ctx, time.Now()); err != nil || len(due) != 0 {
			t.Errorf("DueOffers without deadlines = %+v, %v", due, err)
		}
	})

	t.Run("ProgrammeVersion", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		v0, err := db.ProgrammeVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Upsert(ctx, store.Records{Organizations: []program.Organization{org("o-1")}}); err != nil {
			t.Fatal(err)
		}
		bad := store.Records{Organizations: []program.Organization{org("o-2"), org("o-2")}}
		if err := db.Upsert(ctx, bad); err == nil {
			t.Fatal("an upsert with an id twice: no error")
		}
		if v1, err := db.ProgrammeVersion(ctx); err != nil || v1 != v0+1 {
			t.Errorf("after one upsert and one failed: version %d, %v; want %d", v1, err, v0+1)
		}
	})

	t.Run("SeriesEvents", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		var es []program.Event
		for i, series := range []string{"c-1", "c-1", "c-2", ""} {
			start := time.Date(2027, 3, 2+7*i, 14, 0, 0, 0, time.UTC)
			e := program.Event{Kind: program.EventStudyCircle, Title: "s", Start: start, End: start.Add(time.Hour), Zone: "Asia/Tbilisi",
				UID: fmt.Sprintf("s-%d", i), Status: program.EventScheduled, Series: series}
			if series != "" {
				e.Nominal = start
			}
			es = append(es, e)
		}
		if _, err := db.SaveEvents(ctx, es, store.AnyRevision); err != nil {
			t.Fatal(err)
		}
		got, err := db.SeriesEvents(ctx, []string{"c-1", "c-9"})
		if err != nil || len(got) != 2 || got[0].UID != "s-0" || got[1].UID != "s-1" {
			t.Errorf("SeriesEvents(c-1) = %+v, %v", got, err)
		}
	})
}

func mailKeys(ms []program.Mail) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.DedupKey)
	}
	return out
}

func pendingKeys(ps []store.Pending) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s %s %d", p.Attendee.ID, p.Event.UID, p.Told))
	}
	return out
}
