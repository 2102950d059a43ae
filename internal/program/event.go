package program

import (
	"slices"
	"time"
)

// EventID is the database id of a calendar event.
type EventID int64

// EventKind is what a calendar event is for.
type EventKind string

// The kinds of event: one per kind of round, and meetings and trainings
// that recur by rule outside any round.
const (
	EventInternship            EventKind = "internship"
	EventPeerExchange          EventKind = "peer_exchange"
	EventInternationalExchange EventKind = "international_exchange"
	EventStudyCircle           EventKind = "study_circle"
	EventCommunityVisit        EventKind = "community_visit"
	EventMeeting               EventKind = "meeting"
	EventTraining              EventKind = "training"
)

// AllEventKinds returns every EventKind in a fixed order.
func AllEventKinds() []EventKind {
	return []EventKind{EventInternship, EventPeerExchange, EventInternationalExchange,
		EventStudyCircle, EventCommunityVisit, EventMeeting, EventTraining}
}

// Valid reports whether k is one of AllEventKinds.
func (k EventKind) Valid() bool { return slices.Contains(AllEventKinds(), k) }

func (EventKind) choices() []string { return enumStrings(AllEventKinds()) }

// Attendee is a person invited to an event.
type Attendee struct {
	// ID is the participant's or organisation's id; empty for a guest.
	ID    string `json:"id,omitempty"`
	Name  string `json:"name" validate:"max=200"`
	Email string `json:"email" validate:"required,email"`
}

// Event is one occurrence on a calendar. Start and End are instants in UTC;
// Zone names the time zone in which the event is shown, since the same
// instant is a different wall-clock time for a host in Tbilisi and a
// visitor abroad.
type Event struct {
	ID        EventID    `json:"id" db:"id"`
	Kind      EventKind  `json:"kind" db:"kind" validate:"required,enum"`
	Title     string     `json:"title" db:"title" validate:"required,max=200"`
	Start     time.Time  `json:"start" db:"start_at" validate:"required"`
	End       time.Time  `json:"end" db:"end_at" validate:"required"`
	Zone      string     `json:"zone" db:"zone" validate:"required"`
	Location  string     `json:"location" db:"location" validate:"max=500"`
	Attendees []Attendee `json:"attendees" db:"-" validate:"dive"`
	// SourceRule is the cron rule the event was generated from; empty for a
	// one-off event.
	SourceRule string `json:"source_rule,omitempty" db:"source_rule"`
	// UID is the iCalendar UID: stable across reschedules so calendar
	// programs update the event rather than adding a second one.
	UID string `json:"uid" db:"uid" validate:"required,max=255"`
	// Sequence is the iCalendar SEQUENCE, raised on every reschedule.
	Sequence int `json:"sequence" db:"sequence" validate:"min=0"`
}

// Check reports an end not after the start, instants not in UTC, and a
// zone that does not load.
func (e *Event) Check() ErrorList {
	var l ErrorList
	if !e.Start.IsZero() && !e.End.IsZero() && !e.End.After(e.Start) {
		l.Add("end", "is not after start", "")
	}
	if !e.Start.IsZero() && e.Start.Location() != time.UTC {
		l.Add("start", "is not in UTC", "convert with Time.UTC before storing")
	}
	if !e.End.IsZero() && e.End.Location() != time.UTC {
		l.Add("end", "is not in UTC", "convert with Time.UTC before storing")
	}
	if e.Zone != "" {
		checkTimeZone(&l, "zone", e.Zone)
	}
	return l
}

func (e *Event) recordID() string { return e.UID }
