package scheduler

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

func TestUIDReadable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		kind  program.EventKind
		parts []string
		want  string
	}{
		{"internship", program.EventInternship, []string{"p-0042", "org-tbs-007"}, "internship/p-0042/org-tbs-007@khidi"},
		{"no parts", program.EventMeeting, nil, "meeting@khidi"},
		{"dots and underscores", program.EventStudyCircle, []string{"r_12", "circle.3"}, "study_circle/r_12/circle.3@khidi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := UID(tt.kind, tt.parts...); got != tt.want {
				t.Errorf("UID(%q, %q) = %q, want %q", tt.kind, tt.parts, got, tt.want)
			}
		})
	}
}

func TestUIDHashed(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300)
	tests := []struct {
		name   string
		kind   program.EventKind
		parts  []string
		prefix string
	}{
		{"upper case", program.EventInternship, []string{"P-0042"}, "internship+"},
		{"slash in a part", program.EventInternship, []string{"a/b"}, "internship+"},
		{"empty part", program.EventInternship, []string{""}, "internship+"},
		{"georgian", program.EventCommunityVisit, []string{"უშგული"}, "community_visit+"},
		{"too long", program.EventInternship, []string{long}, "internship+"},
		{"space", program.EventMeeting, []string{"a b"}, "meeting+"},
		{"unsafe kind", program.EventKind("Bad Kind"), []string{"p-1"}, "event+"},
		{"long kind", program.EventKind(long), nil, "event+"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := UID(tt.kind, tt.parts...)
			hash, ok := strings.CutPrefix(got, tt.prefix)
			if !ok {
				t.Fatalf("UID(%q, %q) = %q, want prefix %q", tt.kind, tt.parts, got, tt.prefix)
			}
			hash, ok = strings.CutSuffix(hash, "@khidi")
			if !ok || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
				t.Errorf("UID(%q, %q) = %q, want %q, 64 hex digits, @khidi", tt.kind, tt.parts, got, tt.prefix)
			}
			checkUIDChars(t, got)
		})
	}
}

// checkUIDChars fails unless uid fits MaxUIDLen and uses only characters
// that RFC 5545 TEXT leaves unescaped and that are plain ASCII.
func checkUIDChars(t *testing.T, uid string) {
	t.Helper()
	if uid == "" || len(uid) > MaxUIDLen {
		t.Errorf("UID %q has %d bytes, want 1 to %d", uid, len(uid), MaxUIDLen)
	}
	for _, r := range uid {
		ok := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune(".-_/+@", r)
		if !ok {
			t.Errorf("UID %q contains %q", uid, r)
			return
		}
	}
}

// TestUIDStableAndUnique builds UIDs from many combinations of awkward parts,
// including ones that would collide under naive joining ("a/b"+"c" against
// "a"+"b/c"), case variants, and lists differing only by an empty part,
// and checks that no two combinations share a UID, that each is the same on
// a second call, and that every UID is RFC 5545-safe.
func TestUIDStableAndUnique(t *testing.T) {
	t.Parallel()
	atoms := []string{"", "a", "b", "A", "a/b", "b/c", "a/b/c", "c", "p-0042", "P-0042",
		"org-tbs-007", "x+y", "@", "უშგული", "sha256", strings.Repeat("z", 130), strings.Repeat("z", 131)}
	seen := map[string]string{} // UID → the arguments that gave it
	kinds := append(program.AllEventKinds(), "event", "Event", "")
	count := 0
	var walk func(kind program.EventKind, parts []string)
	walk = func(kind program.EventKind, parts []string) {
		count++
		uid := UID(kind, parts...)
		checkUIDChars(t, uid)
		if again := UID(kind, slices.Clone(parts)...); again != uid {
			t.Errorf("UID(%q, %q) = %q then %q", kind, parts, uid, again)
		}
		if other, dup := seen[uid]; dup {
			t.Errorf("UID(%q, %q) = %q, the same as for %s", kind, parts, uid, other)
		}
		seen[uid] = fmt.Sprintf("%q, %q", kind, parts)
		if len(parts) == 3 {
			return
		}
		for _, a := range atoms {
			walk(kind, append(slices.Clone(parts), a))
		}
	}
	for _, k := range kinds {
		walk(k, nil)
	}
	if want := len(kinds) * (1 + len(atoms) + len(atoms)*len(atoms) + len(atoms)*len(atoms)*len(atoms)); count != want {
		t.Fatalf("walked %d combinations, want %d", count, want)
	}
}

// newTestEvent returns a one-hour Tbilisi event on day d of June 2026 at
// hour h (UTC), with the given attendees' emails.
func newTestEvent(uid string, d, h int, emails ...string) program.Event {
	start := time.Date(2026, 6, d, h, 0, 0, 0, time.UTC)
	e := program.Event{
		Kind: program.EventStudyCircle, Title: "Circle " + uid,
		Start: start, End: start.Add(time.Hour),
		Zone: "Asia/Tbilisi", Location: "Tbilisi", UID: uid,
	}
	for _, m := range emails {
		e.Attendees = append(e.Attendees, program.Attendee{Email: m})
	}
	return e
}

// stored returns es with the given database ids and sequences, as the store
// would hold them.
func stored(es []program.Event, seq int) []program.Event {
	out := slices.Clone(es)
	for i := range out {
		out[i].ID = program.EventID(100 + i)
		out[i].Sequence = seq
		out[i].Status = program.EventScheduled
	}
	return out
}

func TestReconcile(t *testing.T) {
	t.Parallel()
	base := []program.Event{
		newTestEvent("c1", 2, 14, "a@x.ge", "b@x.ge"),
		newTestEvent("c2", 3, 14, "c@x.ge"),
		newTestEvent("c3", 4, 14),
	}
	prev := stored(base, 2) // ids 100, 101, 102; all SEQUENCE 2
	with := func(i int, f func(*program.Event)) []program.Event {
		next := slices.Clone(base)
		next[i].Attendees = slices.Clone(next[i].Attendees)
		f(&next[i])
		return next
	}
	type ev struct {
		uid string
		id  program.EventID
		seq int
	}
	tests := []struct {
		name                               string
		cancelledBefore                    []int // indices of prev stored as cancelled
		next                               []program.Event
		unchanged, moved, added, cancelled []ev
	}{
		{
			name:      "identical runs",
			next:      base,
			unchanged: []ev{{"c1", 100, 2}, {"c2", 101, 2}, {"c3", 102, 2}},
		},
		{
			name:      "one event moved a day",
			next:      with(1, func(e *program.Event) { e.Start = e.Start.AddDate(0, 0, 1); e.End = e.End.AddDate(0, 0, 1) }),
			unchanged: []ev{{"c1", 100, 2}, {"c3", 102, 2}},
			moved:     []ev{{"c2", 101, 3}},
		},
		{
			name:      "end only",
			next:      with(0, func(e *program.Event) { e.End = e.End.Add(30 * time.Minute) }),
			unchanged: []ev{{"c2", 101, 2}, {"c3", 102, 2}},
			moved:     []ev{{"c1", 100, 3}},
		},
		{
			name:      "zone",
			next:      with(2, func(e *program.Event) { e.Zone = "Europe/Warsaw" }),
			unchanged: []ev{{"c1", 100, 2}, {"c2", 101, 2}},
			moved:     []ev{{"c3", 102, 3}},
		},
		{
			name:      "location",
			next:      with(2, func(e *program.Event) { e.Location = "Kutaisi" }),
			unchanged: []ev{{"c1", 100, 2}, {"c2", 101, 2}},
			moved:     []ev{{"c3", 102, 3}},
		},
		{
			name:      "title",
			next:      with(0, func(e *program.Event) { e.Title += " (room 2)" }),
			unchanged: []ev{{"c2", 101, 2}, {"c3", 102, 2}},
			moved:     []ev{{"c1", 100, 3}},
		},
		{
			name:      "one attendee added",
			next:      with(1, func(e *program.Event) { e.Attendees = append(e.Attendees, program.Attendee{Email: "d@x.ge"}) }),
			unchanged: []ev{{"c1", 100, 2}, {"c3", 102, 2}},
			moved:     []ev{{"c2", 101, 3}},
		},
		{
			name:      "one attendee replaced",
			next:      with(0, func(e *program.Event) { e.Attendees[1].Email = "z@x.ge" }),
			unchanged: []ev{{"c2", 101, 2}, {"c3", 102, 2}},
			moved:     []ev{{"c1", 100, 3}},
		},
		{
			// Order, repetition, case, spaces, names and ids of attendees do
			// not make a change.
			name: "same attendee set",
			next: with(0, func(e *program.Event) {
				e.Attendees = []program.Attendee{{ID: "p-2", Name: "B", Email: " B@x.ge"}, {Email: "a@x.ge"}, {Email: "b@x.ge"}}
			}),
			unchanged: []ev{{"c1", 100, 2}, {"c2", 101, 2}, {"c3", 102, 2}},
		},
		{
			// Instants compare as instants, whatever their location.
			name:      "same instant in another location",
			next:      with(1, func(e *program.Event) { e.Start = e.Start.In(time.FixedZone("GET", 4*3600)) }),
			unchanged: []ev{{"c1", 100, 2}, {"c2", 101, 2}, {"c3", 102, 2}},
		},
		{
			name:      "source rule and kind are not compared",
			next:      with(2, func(e *program.Event) { e.SourceRule = "CRON_TZ=Asia/Tbilisi 0 18 * * 2" }),
			unchanged: []ev{{"c1", 100, 2}, {"c2", 101, 2}, {"c3", 102, 2}},
		},
		{
			name:      "one removed",
			next:      []program.Event{base[0], base[2]},
			unchanged: []ev{{"c1", 100, 2}, {"c3", 102, 2}},
			cancelled: []ev{{"c2", 101, 3}},
		},
		{
			// A layout's own Sequence is ignored.
			name:      "new event",
			next:      append([]program.Event{func() program.Event { e := newTestEvent("c0", 1, 9); e.Sequence = 7; return e }()}, base...),
			unchanged: []ev{{"c1", 100, 2}, {"c2", 101, 2}, {"c3", 102, 2}},
			added:     []ev{{"c0", 0, 0}},
		},
		{
			name:      "empty next cancels everything",
			next:      nil,
			cancelled: []ev{{"c1", 100, 3}, {"c2", 101, 3}, {"c3", 102, 3}},
		},
		{
			name:            "cancelled before and still absent: nothing to do",
			cancelledBefore: []int{1},
			next:            []program.Event{base[0], base[2]},
			unchanged:       []ev{{"c1", 100, 2}, {"c3", 102, 2}},
		},
		{
			// Back as it was, yet calendars hold it cancelled: resend it.
			name:            "cancelled before and back",
			cancelledBefore: []int{1},
			next:            base,
			unchanged:       []ev{{"c1", 100, 2}, {"c3", 102, 2}},
			moved:           []ev{{"c2", 101, 3}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prev := slices.Clone(prev)
			for _, i := range tt.cancelledBefore {
				prev[i].Status = program.EventCancelled
			}
			c := Reconcile(prev, tt.next)
			check := func(what string, got []program.Event, want []ev) {
				t.Helper()
				var g []ev
				for _, e := range got {
					g = append(g, ev{e.UID, e.ID, e.Sequence})
				}
				if !slices.Equal(g, want) {
					t.Errorf("Reconcile: %s = %v, want %v", what, g, want)
				}
			}
			check("Unchanged", c.Unchanged, tt.unchanged)
			check("Moved", c.Moved, tt.moved)
			check("New", c.New, tt.added)
			check("Cancelled", c.Cancelled, tt.cancelled)
			save := append(append(slices.Clone(tt.moved), tt.added...), tt.cancelled...)
			slices.SortFunc(save, func(a, b ev) int { return strings.Compare(a.uid, b.uid) }) // c0…c3 are also in start order
			check("Save()", c.Save(), save)
			for _, l := range [][]program.Event{c.Unchanged, c.Moved, c.New} {
				for _, e := range l {
					if e.Status != program.EventScheduled {
						t.Errorf("Reconcile: %s has status %q, want scheduled", e.UID, e.Status)
					}
				}
			}
			for _, e := range c.Cancelled {
				if e.Status != program.EventCancelled {
					t.Errorf("Reconcile: cancelled %s has status %q", e.UID, e.Status)
				}
			}
		})
	}
}

// TestReconcileData checks that the returned events carry the right data:
// next's for kept, moved and new events, prev's for cancelled ones, and no
// attendee slice shared with the input.
func TestReconcileData(t *testing.T) {
	t.Parallel()
	prev := stored([]program.Event{newTestEvent("c1", 2, 14, "a@x.ge"), newTestEvent("c2", 3, 14, "b@x.ge")}, 0)
	prev[0].Attendees[0].Name = "Ana"
	moved := newTestEvent("c1", 5, 10, "a@x.ge", "n@x.ge")
	added := newTestEvent("c9", 6, 10, "q@x.ge")
	c := Reconcile(prev, []program.Event{added, moved})

	if len(c.Moved) != 1 || len(c.New) != 1 || len(c.Cancelled) != 1 || len(c.Unchanged) != 0 {
		t.Fatalf("Reconcile = %+v, want one moved, one new, one cancelled", c)
	}
	if m := c.Moved[0]; !m.Start.Equal(moved.Start) || len(m.Attendees) != 2 || m.ID != 100 || m.Sequence != 1 {
		t.Errorf("Reconcile: Moved[0] = %+v, want next's data with id 100, sequence 1", m)
	}
	if n := c.New[0]; !n.Start.Equal(added.Start) || n.Title != added.Title || n.ID != 0 || n.Sequence != 0 {
		t.Errorf("Reconcile: New[0] = %+v, want %+v", n, added)
	}
	want := prev[1]
	want.Sequence = 1
	if x := c.Cancelled[0]; x.UID != want.UID || !x.Start.Equal(want.Start) || !x.End.Equal(want.End) ||
		x.Title != want.Title || x.Location != want.Location || x.Zone != want.Zone || x.ID != want.ID ||
		x.Sequence != 1 || x.Status != program.EventCancelled || len(x.Attendees) != 1 || x.Attendees[0].Email != "b@x.ge" {
		t.Errorf("Reconcile: Cancelled[0] = %+v, want %+v", x, want)
	}
	if prev[1].Sequence != 0 {
		t.Errorf("Reconcile changed prev: sequence %d, want 0", prev[1].Sequence)
	}
	c.Moved[0].Attendees[0].Email = "changed@x.ge"
	c.Cancelled[0].Attendees[0].Email = "changed@x.ge"
	if moved.Attendees[0].Email != "a@x.ge" || prev[1].Attendees[0].Email != "b@x.ge" {
		t.Errorf("Reconcile's result shares attendees with its input")
	}
}

// TestReconcileOrder checks that the result is sorted by start, then UID,
// whatever the order of the input, with events sharing a start.
func TestReconcileOrder(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 0))
	var prev, next []program.Event
	for i := range 60 {
		uid := fmt.Sprintf("e%02d", (i*37)%60) // UIDs not in start order
		e := newTestEvent(uid, 1+i%5, 8+i%3, "a@x.ge")
		switch i % 4 {
		case 0: // unchanged
			prev, next = append(prev, e), append(next, e)
		case 1: // moved
			prev = append(prev, e)
			e.Start, e.End = e.Start.Add(time.Hour), e.End.Add(time.Hour)
			next = append(next, e)
		case 2: // new
			next = append(next, e)
		case 3: // cancelled
			prev = append(prev, e)
		}
	}
	want := Reconcile(prev, next)
	for _, l := range [][]program.Event{want.Unchanged, want.Moved, want.New, want.Cancelled, want.Save()} {
		if len(l) == 0 {
			t.Fatal("Reconcile: a list is empty; the test needs every kind of change")
		}
		if !slices.IsSortedFunc(l, func(a, b program.Event) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return strings.Compare(a.UID, b.UID)
		}) {
			t.Errorf("Reconcile: %v not sorted by start, then UID", uids(l))
		}
	}
	for range 20 {
		rng.Shuffle(len(prev), func(i, j int) { prev[i], prev[j] = prev[j], prev[i] })
		rng.Shuffle(len(next), func(i, j int) { next[i], next[j] = next[j], next[i] })
		got := Reconcile(prev, next)
		for _, p := range []struct {
			what      string
			got, want []program.Event
		}{
			{"Unchanged", got.Unchanged, want.Unchanged},
			{"Moved", got.Moved, want.Moved},
			{"New", got.New, want.New},
			{"Cancelled", got.Cancelled, want.Cancelled},
		} {
			if !slices.Equal(uids(p.got), uids(p.want)) {
				t.Fatalf("Reconcile of shuffled input: %s = %v, want %v", p.what, uids(p.got), uids(p.want))
			}
		}
	}
}

func uids(es []program.Event) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = fmt.Sprintf("%s/%d", e.UID, e.Sequence)
	}
	return out
}

func TestReconcilePanics(t *testing.T) {
	t.Parallel()
	e := newTestEvent("c1", 2, 14)
	tests := []struct {
		name       string
		prev, next []program.Event
	}{
		{"repeated in prev", []program.Event{e, e}, nil},
		{"repeated in next", nil, []program.Event{e, e}},
		{"empty UID", nil, []program.Event{newTestEvent("", 2, 14)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Errorf("Reconcile(%v, %v) did not panic", uids(tt.prev), uids(tt.next))
				}
			}()
			Reconcile(tt.prev, tt.next)
		})
	}
}
