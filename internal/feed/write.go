package feed

import (
	"io"
	"time"

	"github.com/khidi/khidi/internal/ical"
	"github.com/khidi/khidi/internal/program"
)

// Write writes events to w as one iCalendar file named name (the
// calendar's display name), grouped into entries by [Entries], stamped
// with stamp (DTSTAMP, to the second, in UTC). The command line, the
// manager API and the subscribed feeds all write calendars through it, so
// a person's calendar is the same file whichever way it is fetched.
func Write(w io.Writer, name string, events []program.Event, stamp time.Time) error {
	return ical.Write(w, Entries(events), ical.Options{Stamp: stamp.UTC().Truncate(time.Second), Name: name})
}
