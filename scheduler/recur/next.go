package recur

import (
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// Next returns the rule's first occurrence that starts after after, by the
// package's rule for clock changes, so that a job scheduled at 02:30 in
// Warsaw runs once on every day of the year: at 03:00 on the day clocks
// spring forward over 02:30 and once, in summer time, on the day 02:30
// happens twice. It reports false when the rule has no occurrence in the
// five years after after. A rule with "every N" has no first occurrence
// without a window to count from, so it is refused.
func (r Rule) Next(after time.Time) (Occurrence, bool, error) {
	if r.Every() > 1 {
		return Occurrence{}, false, fmt.Errorf("recur: rule %q: \"every %d\" counts from a window's start and has no next run on its own; use a plain cron spec: %w",
			r, r.Every(), program.ErrInvalid)
	}
	const horizon = 5*366*24*time.Hour + 24*time.Hour
	from, end := after.Add(time.Nanosecond), after.Add(horizon)
	// Look a day ahead, then further each time, each window starting where
	// the last ended: a day holds a minutely rule's next run without
	// expanding a year of them.
	for width := 24 * time.Hour; from.Before(end); width *= 4 {
		to := from.Add(width)
		if to.After(end) {
			to = end
		}
		occ, err := r.Occurrences(from, to)
		if err != nil {
			return Occurrence{}, false, err
		}
		if len(occ) > 0 {
			return occ[0], true, nil
		}
		from = to
	}
	return Occurrence{}, false, nil
}
