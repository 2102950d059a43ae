// Package scheduler lays out a programme year: it expands recurring
// activities written as cron rules around Georgian holidays and people's
// availability into dated events, with no I/O and no global state.
//
// PlanYear lays out a whole programme year and turns it into events with
// attendees; the layouts it runs can also be called one by one:
// study-circle session series (LayoutSessions: holidays
// skipped or shifted per series, nobody in two circles' sessions at once),
// exchange visits (PlaceExchanges: in the host's local time, return visits
// of mutual pairs some weeks later, nobody in two visits at once),
// community visits (PlaceVisits: evenly spaced, no leader
// double-booked, solved exactly by branch and bound over matcher/lap
// assignments), internships (PlaceInternship, PlaceInternships) and the
// yearly self-reflection meeting (MeetingDay, Invite). Holidays and
// blackouts arrive as a Blocked function, so the layout does not depend on
// how they are computed. What cannot be placed is reported with the reason,
// never dropped. Events get stable UIDs (UID), and Reconcile compares a
// re-run with the stored events: unchanged ones keep their SEQUENCE, moved
// ones raise it, and the ones that disappeared are cancelled. Given the
// stored events as the previous layout (YearInput.Previous), every layout
// keeps each item where it was while that is still valid, so that a re-run
// after a small change moves few events.
package scheduler
