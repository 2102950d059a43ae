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

// EventStatus says whether an event takes place. A cancelled event stays
// stored, with its SEQUENCE raised, so that feeds and invitations can tell
// calendar programs to remove it (STATUS:CANCELLED, METHOD:CANCEL) rather
// than leaving a stale copy in someone's calendar.
type EventStatus string

// The statuses of an event.
const (
	EventScheduled EventStatus = "scheduled"
	EventCancelled EventStatus = "cancelled"
)

// AllEventStatuses returns every EventStatus.
func AllEventStatuses() []EventStatus { return []EventStatus{EventScheduled, EventCancelled} }

// Valid reports whether s is one of AllEventStatuses.
func (s EventStatus) Valid() bool { return slices.Contains(AllEventStatuses(), s) }

func (EventStatus) choices() []string { return enumStrings(AllEventStatuses()) }

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
	// Status is EventScheduled or EventCancelled.
	Status EventStatus `json:"status" db:"status" validate:"required,enum"`
	// Series is the UID of the recurring series the event is one occurrence
	// of (a study circle's sessions), so that calendars can show the series
	// as one event with a recurrence rule; empty for a one-off event.
	Series string `json:"series,omitempty" db:"series" validate:"max=255"`
	// Nominal is, for an occurrence of a series, the start its rule gave
	// (UTC): it differs from Start when the occurrence was moved. Zero for a
	// one-off event.
	Nominal time.Time `json:"nominal,omitzero" db:"nominal_at"`
}

// Cancelled reports whether the event no longer takes place.
func (e *Event) Cancelled() bool { return e.Status == EventCancelled }

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
	switch {
	case e.Series == "" && !e.Nominal.IsZero():
		l.Add("nominal", "is set on an event of no series", "set series, or leave nominal zero")
	case e.Series != "" && e.Nominal.IsZero():
		l.Add("nominal", "is missing on an occurrence of series "+e.Series, "give the start the series' rule gave")
	case !e.Nominal.IsZero() && e.Nominal.Location() != time.UTC:
		l.Add("nominal", "is not in UTC", "convert with Time.UTC before storing")
	}
	return l
}

func (e *Event) recordID() string { return e.UID }
