// Package ical writes khidi's calendars as iCalendar (RFC 5545): a feed for a
// person, an organisation or the whole programme (METHOD:PUBLISH), and the
// invitations and cancellations sent by email (METHOD:REQUEST and
// METHOD:CANCEL, RFC 5546). The caller chooses the events; Write only
// encodes them, reads no clock (DTSTAMP is Options.Stamp) and gives the same
// bytes for the same input.
//
// # What is written
//
// Each Entry becomes one VEVENT: UID and SEQUENCE from the program.Event,
// SUMMARY, LOCATION, DTSTART and DTEND in the event's zone (with TZID, or in
// UTC with a trailing Z when the zone is UTC), ORGANIZER, ATTENDEEs, STATUS
// (CONFIRMED, or CANCELLED for a cancelled entry and in every CANCEL), and for
// a recurring series the caller's RRULE with an EXDATE per skipped
// occurrence, written in the series' zone. Events are written in order of
// start, then UID, whatever order the caller passes them in.
//
// ATTENDEE lines are written in invitations (REQUEST, CANCEL). RFC 5546
// §3.2.1 forbids them in PUBLISH, and a feed is read by everyone holding its
// link, so feeds leave them out unless Options.Attendees is set. REQUEST and
// CANCEL carry one UID only, as RFC 5546 requires of those methods.
//
// # Time zones
//
// RFC 5545 requires a VTIMEZONE for every TZID used, and Go has no encoder
// for one, so this package derives it from Go's zone data (see vtimezone.go):
// it walks the zone's transitions with time.Time.ZoneBounds from the period
// in force at the calendar's first instant to two years past its last one,
// and writes each kind of transition (STANDARD or DAYLIGHT, with its offsets
// and name) as a yearly RRULE when every transition of that kind falls on
// the same weekday rule ("last Sunday of March at 02:00"), or else as one
// observance per transition. A zone without daylight-saving time, such as
// Asia/Tbilisi, gets a single STANDARD observance starting when its current
// offset began.
//
// # Encoding
//
// github.com/emersion/go-ical builds and encodes the components: it writes
// CRLF line ends and escapes backslashes, semicolons, commas and newlines in
// text. It does not fold long lines, so Write encodes into a buffer and then
// folds every line longer than 75 octets, as RFC 5545 §3.1 requires, never
// inside a UTF-8 sequence (Georgian letters take three octets each).
// Carriage returns in text become newlines and other control characters are
// dropped, since RFC 5545 text may not contain them.
package ical
