package recur

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/robfig/cron/v3"
)

// MaxOccurrences is the most candidate times one call to Occurrences
// examines. A weekly rule over a century fires about 5,200 times and an
// hourly one over a year 8,760, so 100,000 leaves room for every real
// programme while stopping a "* * * * *" typo (525,600 a year) before it
// fills memory.
const MaxOccurrences = 100_000

// ErrTooMany reports a rule and window with more than MaxOccurrences
// candidate times. Errors wrapping it also wrap program.ErrInvalid, since
// the request, not the system, is at fault.
var ErrTooMany = errors.New("too many occurrences")

// accepted is quoted in every spec error so that the reader learns what to
// write instead.
const accepted = `accepted: five cron fields "MIN HOUR DOM MONTH DOW" or a descriptor ` +
	`(@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly), ` +
	`optionally after CRON_TZ=ZONE and after modifiers ` +
	`("every N", "nth 1".."nth 5", "nth last", "first weekday", "last weekday") ended by a colon`

// cronParser returns the cron parser for rules: the five standard fields and
// descriptors, as crontab(5) users expect. It is a function rather than a
// package variable so that the package keeps no mutable state.
func cronParser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// dayFilter names the day-of-month filters a modifier can ask for.
type dayFilter int

const (
	noDayFilter dayFilter = iota
	firstWeekday
	lastWeekday
)

// Rule is a parsed recurrence: a cron schedule, the zone its wall-clock
// times are read in, the modifiers of the package's extension, and how long
// each occurrence lasts. Build one with Parse; the zero Rule has no schedule
// and Occurrences reports that.
type Rule struct {
	// Duration is how long each occurrence lasts, as elapsed time: End is
	// Start plus Duration even across a clock change. It is zero after
	// Parse (occurrences are instants) and must not be negative.
	Duration time.Duration

	sched  cron.SpecSchedule // in UTC: runs on wall-clock time, see package doc
	loc    *time.Location
	every  int       // keep every every-th occurrence; 1 keeps all
	nth    int       // 1..5: keep the nth weekday of the month; -1: the last; 0: no filter
	days   dayFilter // first or last Monday–Friday of the month
	spec   string    // the cron part as written, without its zone
	prefix []string  // the modifiers, in canonical spelling
}

// Parse reads a rule: optional modifiers ended by a colon (see the package
// doc), then a cron spec with an optional CRON_TZ= or TZ= zone. A spec that
// names no zone is read in defaultZone, which may then not be nil; the
// machine's local zone is refused both as a name and as the default, so a
// schedule never depends on the server. Errors quote the bad part, say what
// is accepted and wrap program.ErrInvalid.
func Parse(text string, defaultZone *time.Location) (Rule, error) {
	r := Rule{every: 1}
	mods, cronText, hasMods := strings.Cut(text, ":")
	if !hasMods {
		cronText, mods = text, ""
	}
	if hasMods {
		if err := r.parseModifiers(text, mods); err != nil {
			return Rule{}, err
		}
	}
	fields := strings.Fields(cronText)
	if len(fields) == 0 {
		return Rule{}, fmt.Errorf("recur: rule %q has no cron spec; %s: %w", text, accepted, program.ErrInvalid)
	}
	loc := defaultZone
	if name, ok := zonePrefix(fields[0]); ok {
		if name == "" || name == "Local" {
			return Rule{}, fmt.Errorf("recur: rule %q: zone %q is not accepted: name an IANA zone such as CRON_TZ=Asia/Tbilisi, never the machine's local zone: %w",
				text, name, program.ErrInvalid)
		}
		l, err := time.LoadLocation(name)
		if err != nil {
			return Rule{}, fmt.Errorf("recur: rule %q: unknown zone %q in %s: name an IANA zone such as Asia/Tbilisi or Europe/Warsaw: %w",
				text, name, fields[0], program.ErrInvalid)
		}
		loc = l
		fields = fields[1:]
		if len(fields) == 0 {
			return Rule{}, fmt.Errorf("recur: rule %q has a zone but no cron spec after it; %s: %w", text, accepted, program.ErrInvalid)
		}
	} else {
		switch defaultZone {
		case nil:
			return Rule{}, fmt.Errorf("recur: rule %q names no zone and no default zone was given: write CRON_TZ=ZONE before the spec or pass a default zone: %w",
				text, program.ErrInvalid)
		case time.Local:
			return Rule{}, fmt.Errorf("recur: rule %q: the default zone is the machine's local zone, which is never used: pass a named zone such as Asia/Tbilisi: %w",
				text, program.ErrInvalid)
		}
	}
	r.spec = strings.Join(fields, " ")
	if strings.HasPrefix(r.spec, "@every") {
		return Rule{}, fmt.Errorf("recur: rule %q: %q is not accepted, since its dates would depend on where the window starts rather than on the calendar: write a cron spec, with the \"every N\" modifier for every other week: %w",
			text, r.spec, program.ErrInvalid)
	}
	s, err := cronParser().Parse(r.spec)
	if err != nil {
		return Rule{}, fmt.Errorf("recur: rule %q: %v; %s: %w", text, err, accepted, program.ErrInvalid)
	}
	spec, ok := s.(*cron.SpecSchedule)
	if !ok {
		// Only @every yields another Schedule, and it was refused above.
		panic(fmt.Sprintf("recur: cron returned %T for %q", s, r.spec))
	}
	r.sched = *spec
	r.sched.Location = time.UTC
	r.loc = loc
	// A spec such as "0 0 30 2 *" (30 February) is valid to the parser but
	// never fires; say so now rather than return an empty calendar later.
	// Next looks five years ahead, which covers 29 February.
	if r.sched.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return Rule{}, fmt.Errorf("recur: rule %q: spec %q never fires (no such day in any month): %w", text, r.spec, program.ErrInvalid)
	}
	return r, nil
}

// zonePrefix reports whether field is a CRON_TZ= or TZ= zone and returns the
// zone name. The zone is read here rather than by the cron library, which
// would fall back to the machine's zone and also accepts "Local".
func zonePrefix(field string) (string, bool) {
	for _, p := range []string{"CRON_TZ=", "TZ="} {
		if name, ok := strings.CutPrefix(field, p); ok {
			return name, true
		}
	}
	return "", false
}

// parseModifiers reads the comma-separated modifiers before the colon.
func (r *Rule) parseModifiers(text, mods string) error {
	seen := map[string]bool{}
	for _, m := range strings.Split(mods, ",") {
		words := strings.Fields(strings.ToLower(m))
		bad := func(why string) error {
			return fmt.Errorf("recur: rule %q: modifier %q %s; accepted modifiers: \"every N\" (N ≥ 1), \"nth 1\"..\"nth 5\", \"nth last\", \"first weekday\", \"last weekday\", each once, comma-separated and ended by a colon: %w",
				text, strings.TrimSpace(m), why, program.ErrInvalid)
		}
		if len(words) != 2 {
			return bad("is not understood")
		}
		kind := words[0]
		if words[1] == "weekday" {
			kind = "weekday"
		}
		if seen[kind] {
			return bad("repeats an earlier one")
		}
		seen[kind] = true
		switch {
		case words[0] == "every":
			n, err := strconv.Atoi(words[1])
			if err != nil || n < 1 {
				return bad("needs a whole number N ≥ 1")
			}
			r.every = n
			r.prefix = append(r.prefix, "every "+strconv.Itoa(n))
		case words[0] == "nth":
			if words[1] == "last" {
				r.nth = -1
			} else if n, err := strconv.Atoi(words[1]); err == nil && n >= 1 && n <= 5 {
				r.nth = n
			} else {
				return bad("needs 1 to 5 or \"last\"")
			}
			r.prefix = append(r.prefix, "nth "+words[1])
		case words[1] == "weekday" && words[0] == "first":
			r.days = firstWeekday
			r.prefix = append(r.prefix, "first weekday")
		case words[1] == "weekday" && words[0] == "last":
			r.days = lastWeekday
			r.prefix = append(r.prefix, "last weekday")
		default:
			return bad("is not understood")
		}
	}
	return nil
}

// Zone returns the zone the rule's wall-clock times are read in; nil for
// the zero Rule.
func (r Rule) Zone() *time.Location { return r.loc }

// Every returns N of the "every N" modifier, 1 when there is none.
func (r Rule) Every() int { return max(r.every, 1) }

// String returns the rule in canonical form — modifiers in the order
// written, the zone always explicit — which Parse reads back to the same
// rule whatever default zone it is given, so it is what to store. (That
// holds for zones time.LoadLocation knows, as every zone it returned does;
// a time.FixedZone default has a name Parse cannot load.)
func (r Rule) String() string {
	if r.loc == nil {
		return ""
	}
	s := "CRON_TZ=" + r.loc.String() + " " + r.spec
	if len(r.prefix) > 0 {
		s = strings.Join(r.prefix, ", ") + ": " + s
	}
	return s
}
