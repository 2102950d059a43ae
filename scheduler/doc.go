// Package scheduler lays out a programme year: it expands recurring
// activities written as cron rules around Georgian holidays and people's
// availability into dated events, with no I/O and no global state. The
// layout arrives with issue 5; until then the package holds only this
// description of its role.
package scheduler
