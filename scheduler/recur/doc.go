// Package recur expands the recurring activities of a programme — weekly
// study circles, monthly meetings — into dated occurrences. A rule is a cron
// spec in the syntax of github.com/robfig/cron/v3 (five standard fields or a
// descriptor such as @monthly, with an optional CRON_TZ= or TZ= zone),
// optionally preceded by modifiers for the patterns cron cannot say.
// Occurrences are found with the library's Schedule.Next; the package does
// no I/O beyond resolving zone names with time.LoadLocation, reads no clock
// and keeps no mutable state, so the same rule and window always give the
// same occurrences.
//
// # Zones
//
// A spec that names no zone runs in the default zone its caller passes to
// Parse. The machine's local zone is never used, neither implicitly (as the
// cron library would) nor by name (CRON_TZ=Local, or time.Local as the
// default), because a schedule must not change with the server it runs on.
// Binaries and tests should import time/tzdata so that zones load on a
// machine without a zone database.
//
// # Daylight-saving time
//
// Cron speaks in local wall-clock times, and in zones that change their
// clocks (Europe/Warsaw, Europe/Kyiv, Europe/Chisinau, …) a wall-clock time
// may not exist, or may happen twice. The library's SpecSchedule.Next, run in
// such a zone, skips a 02:30 job on the day clocks spring forward and runs it
// twice on the day they fall back. This package instead runs Next on wall
// clock alone (in UTC, which has no transitions), so every nominal local
// time is found exactly once, and then turns each into an instant by one
// rule:
//
//   - a local time that happens once is that instant;
//   - a local time that happens twice (fall back) is its first occurrence,
//     the one still in summer time;
//   - a local time that does not exist (spring forward) runs at the first
//     valid instant after the gap, the instant of the change: a Warsaw
//     02:30 on the last Sunday of March runs at 03:00 CEST, and
//     Occurrence.Shifted reports the move.
//
// When two nominal times land on the same instant (02:30 moved to 03:00 on a
// rule that also fires at 03:00), the activity runs once.
//
// # Modifiers
//
// Programmes use patterns cron has no words for: every other Tuesday, the
// second Tuesday of the month, the first working day of the month. Rather
// than a second recurrence language, a rule may start with modifiers that
// filter the cron expansion, separated by commas and ended by a colon:
//
//	every 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2           every other Tuesday, 18:00
//	nth 2: CRON_TZ=Asia/Tbilisi 0 18 * * 2             the second Tuesday of each month
//	nth last: CRON_TZ=Europe/Warsaw 0 10 * * 5         the last Friday of each month
//	first weekday: CRON_TZ=Asia/Tbilisi 0 18 1-3 * *   the first Monday–Friday of each month
//	last weekday: CRON_TZ=Asia/Tbilisi 0 18 26-31 * *  the last Monday–Friday of each month
//
// "nth K" (K from 1 to 5, or "last") keeps an occurrence when its day is the
// K-th of its weekday in its month; "first weekday" and "last weekday" keep
// it when its day is the first or last Monday to Friday of its month (public
// holidays are not known here: the scheduler removes them). These day
// filters apply first; "every N" then keeps the 1st, (N+1)-th, (2N+1)-th …
// of what is left, counted from the first occurrence at or after the start
// of the window passed to Occurrences, so callers expand a series over its
// whole window rather than page by page. Each modifier may appear once.
//
// # Limits
//
// A spec such as "* * * * *" fires every minute; over a year that is
// half a million occurrences, surely a mistake in a programme. Occurrences
// examines at most MaxOccurrences candidate times per call and otherwise
// returns an error wrapping ErrTooMany.
package recur
