package scheduler

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// MaxUIDLen is the longest UID that UID returns, in bytes: the limit of
// program.Event's UID field and of the store's column.
const MaxUIDLen = 255

// uidDomain ends every UID, in the "unique-id@domain" shape RFC 5545
// §3.8.4.7 suggests, so khidi's UIDs cannot clash with those of events
// that other programs put into the same calendar.
const uidDomain = "@khidi"

// maxUIDPrefix bounds the kind written in front of a hashed UID, so that a
// hashed UID always fits in MaxUIDLen.
const maxUIDPrefix = 64

// UID returns the iCalendar UID of the activity instance named by kind and
// parts, the ids that identify it: for an internship the participant and the
// host ("p-0042", "org-tbs-007"), for a study-circle series the round and
// the circle, for a community visit the match and the visit's number. The
// same arguments give the same UID in every run, which is what lets a
// calendar program update an event rather than add a second one; the caller
// chooses parts that do not change when the event is rescheduled (never a
// date), and that differ between any two instances.
//
// When the kind and every part are non-empty and made only of lower-case
// ASCII letters, digits, '.', '-' and '_', and the result fits in MaxUIDLen,
// the UID is readable: the kind and the parts joined by '/', then "@khidi",
// as in "internship/p-0042/org-tbs-007@khidi". Otherwise (an upper-case
// letter, a '/', Georgian script, an empty part, or too long) it is the kind
// (or "event" when the kind itself is not such a token or is longer than 64
// bytes), '+', the hexadecimal SHA-256 of the kind and parts each prefixed by
// its length, and "@khidi": "internship+3f1c…@khidi".
//
// Distinct arguments give distinct UIDs: the readable form is injective
// because no token contains '/', the hashed form is injective unless SHA-256
// collides because the lengths make its input unambiguous, and only the
// hashed form contains '+'. Upper case is hashed rather than kept because
// some calendar programs compare UIDs without regard to case, and "P-1" and
// "p-1" are different ids here. Every UID uses only ASCII letters, digits and
// ".-_/+@", none of which RFC 5545 TEXT escapes, and is at most MaxUIDLen
// bytes.
func UID(kind program.EventKind, parts ...string) string {
	if uidToken(string(kind)) && !slices.ContainsFunc(parts, func(p string) bool { return !uidToken(p) }) {
		n := len(kind) + len(uidDomain)
		for _, p := range parts {
			n += 1 + len(p)
		}
		if n <= MaxUIDLen {
			var b strings.Builder
			b.Grow(n)
			b.WriteString(string(kind))
			for _, p := range parts {
				b.WriteByte('/')
				b.WriteString(p)
			}
			b.WriteString(uidDomain)
			return b.String()
		}
	}
	h := sha256.New()
	var buf [binary.MaxVarintLen64]byte
	for _, s := range append([]string{string(kind)}, parts...) {
		h.Write(binary.AppendUvarint(buf[:0], uint64(len(s))))
		h.Write([]byte(s))
	}
	prefix := string(kind)
	if !uidToken(prefix) || len(prefix) > maxUIDPrefix {
		prefix = "event"
	}
	return prefix + "+" + hex.EncodeToString(h.Sum(nil)) + uidDomain
}

// uidToken reports whether s may appear as it is in a readable UID.
func uidToken(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Changes is how a new layout differs from the stored one, as Reconcile
// finds it. Each list is sorted by start, then UID.
type Changes struct {
	// Unchanged are the events that stay as they were, with the stored
	// Sequence: nothing need be sent for them.
	Unchanged []program.Event
	// Moved are the events whose time, zone, place, title or attendees
	// changed, or that were cancelled and are back, with Sequence one above
	// the stored one: each is sent again (METHOD:REQUEST) and replaces the
	// stored event.
	Moved []program.Event
	// New are the events with a UID not stored before, with Sequence 0.
	New []program.Event
	// Cancelled are the stored, scheduled events whose UID the new layout
	// lacks, as they were stored but with Status EventCancelled and Sequence
	// one above the stored one, since RFC 5545 §3.8.7.4 requires SEQUENCE to
	// rise when STATUS changes: each is stored so and sent as a cancellation
	// (METHOD:CANCEL).
	Cancelled []program.Event
}

// Save returns the events whose stored row must change: Moved, New and
// Cancelled, sorted by start, then UID.
func (c Changes) Save() []program.Event {
	out := make([]program.Event, 0, len(c.Moved)+len(c.New)+len(c.Cancelled))
	out = append(out, c.Moved...)
	out = append(out, c.New...)
	out = append(out, c.Cancelled...)
	sortEvents(out)
	return out
}

// Reconcile compares the stored events prev with a new layout next, pairing
// events by UID, and says which to leave, resend, add and cancel, with the
// SEQUENCE each must carry. It ignores the Sequence and Status of next's
// events: a layout need not know them; every event of next is scheduled.
//
// A paired event has changed when its start or end (compared as instants),
// zone, location, title or attendees differ, or when the stored one was
// cancelled. Attendees are compared as a set of email addresses, trimmed of
// spaces and lower-cased: their order, repetitions, names and ids do not
// change what calendar programs show or whom they invite, and calendar
// programs match attendees by address, so none of these alone is worth a new
// SEQUENCE. Kind, SourceRule, Series and Nominal are not compared: the kind
// and the nominal date are part of the UID, and a rule that changed without
// moving an event leaves that event as it was.
//
// A paired event is returned with next's data, prev's ID (the stored row)
// and the Sequence described in Changes. The returned events do not share
// attendee slices with prev or next. A stored event that was cancelled
// before and is still absent from next is in none of the lists: nothing
// about it changes.
//
// Each UID must be non-empty and appear at most once in prev and at most once
// in next (the store's unique index holds it for prev, and UID gives distinct
// UIDs to distinct activity instances); Reconcile panics otherwise, naming the
// UID, since that is a fault in the layout and no input file can cause it.
//
// The result depends only on the contents of prev and next, not their order.
// Reconcile takes O((p + n) log(p + n)) time for p stored and n new events.
func Reconcile(prev, next []program.Event) Changes {
	old := indexByUID("prev", prev)
	indexByUID("next", next) // only to check
	var c Changes
	for _, e := range next {
		e.Attendees = slices.Clone(e.Attendees)
		e.Status = program.EventScheduled
		i, ok := old[e.UID]
		var p program.Event
		if ok {
			p = prev[i]
		}
		switch {
		case !ok:
			e.Sequence = 0
			c.New = append(c.New, e)
		case !p.Cancelled() && sameEvent(p, e):
			e.ID, e.Sequence = p.ID, p.Sequence
			c.Unchanged = append(c.Unchanged, e)
		default:
			e.ID, e.Sequence = p.ID, p.Sequence+1
			c.Moved = append(c.Moved, e)
		}
		delete(old, e.UID)
	}
	for _, p := range prev {
		if _, ok := old[p.UID]; ok && !p.Cancelled() {
			p.Attendees = slices.Clone(p.Attendees)
			p.Sequence++
			p.Status = program.EventCancelled
			c.Cancelled = append(c.Cancelled, p)
		}
	}
	for _, l := range [][]program.Event{c.Unchanged, c.Moved, c.New, c.Cancelled} {
		sortEvents(l)
	}
	return c
}

// indexByUID maps each event's UID to its index, panicking on an empty or
// repeated UID; which names the list in the message.
func indexByUID(which string, events []program.Event) map[string]int {
	m := make(map[string]int, len(events))
	for i, e := range events {
		if e.UID == "" {
			panic(fmt.Sprintf("scheduler: %s event %d (%q) has no UID", which, i, e.Title))
		}
		if _, dup := m[e.UID]; dup {
			panic(fmt.Sprintf("scheduler: UID %q appears twice in %s", e.UID, which))
		}
		m[e.UID] = i
	}
	return m
}

// sameEvent reports whether a and b show the same thing in a calendar, by the
// rule in Reconcile's comment.
func sameEvent(a, b program.Event) bool {
	return a.Start.Equal(b.Start) && a.End.Equal(b.End) &&
		a.Zone == b.Zone && a.Location == b.Location && a.Title == b.Title &&
		(sameEmails(a.Attendees, b.Attendees) || slices.Equal(emailSet(a.Attendees), emailSet(b.Attendees)))
}

// sameEmails reports whether a and b list the same addresses in the same
// order, as a re-layout of an unchanged event does: the common case,
// decided without building the sets.
func sameEmails(a, b []program.Attendee) bool {
	return slices.EqualFunc(a, b, func(x, y program.Attendee) bool { return x.Email == y.Email })
}

// emailSet returns the attendees' normalised addresses, sorted and without
// repetitions.
func emailSet(as []program.Attendee) []string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = strings.ToLower(strings.TrimSpace(a.Email))
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// sortEvents orders events by start, then UID, which is a total order since
// UIDs are distinct.
func sortEvents(es []program.Event) {
	slices.SortFunc(es, func(a, b program.Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})
}
