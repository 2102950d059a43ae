package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/khidi/khidi/internal/atomicfile"
	"github.com/khidi/khidi/internal/feed"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/store"
)

const calendarHelp = `usage: khidi calendar [--db DSN] (--person ID | --org ID | --all) [--year Y] --out DIR

Writes the stored events of one participant, one organisation, or the whole
programme as an iCalendar file (RFC 5545) that calendar applications import
or subscribe to: DIR/ID.ics, or DIR/programme.ics with --all. Times carry
their zone (with a VTIMEZONE), so a visit in Warsaw shows at its local time
anywhere. A study circle's sessions are one recurring event (RRULE, with
EXDATE for sessions skipped or moved and RDATE for where they moved);
cancelled events are kept, marked cancelled, so subscribed calendars drop
them. The file is written whole or not at all.

  --year Y   the programme year to include (default: this year)

Exit status: 0 written, 1 the database or the file failed, 2 bad flags.
`

func cmdCalendar(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("calendar", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, calendarHelp) }
	dsn := dbFlag(fs, e)
	person := fs.String("person", "", "a participant's `ID`")
	org := fs.String("org", "", "an organisation's `ID`")
	all := fs.Bool("all", false, "the whole programme")
	year := fs.Int("year", time.Now().Year(), "the programme year")
	out := fs.String("out", "", "the folder to write to")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "khidi calendar: "+format+"\n", a...)
		return code
	}
	chosen := 0
	for _, set := range []bool{*person != "", *org != "", *all} {
		if set {
			chosen++
		}
	}
	switch {
	case fs.NArg() > 0:
		return fail(exitUsage, "unexpected arguments %q", fs.Args())
	case chosen != 1:
		return fail(exitUsage, "give exactly one of --person ID, --org ID and --all")
	case *out == "":
		return fail(exitUsage, "--out DIR is required")
	case *year < 1991 || *year > 2100:
		return fail(exitUsage, "--year %d: want a year from 1991 to 2100", *year)
	}
	from, to := yearplan.YearSpan(*year)

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	defer db.Close()
	var (
		events []program.Event
		name   string
		file   string
	)
	switch {
	case *all:
		events, err = db.Events(ctx, from, to)
		name, file = fmt.Sprintf("Programme %d", *year), "programme.ics"
	case *person != "":
		if _, err = db.Participant(ctx, program.ParticipantID(*person)); err == nil {
			events, err = db.PersonEvents(ctx, *person, from, to)
		}
		name, file = fmt.Sprintf("%s %d", *person, *year), *person+".ics"
	default:
		if _, err = db.Organization(ctx, program.OrgID(*org)); err == nil {
			events, err = db.PersonEvents(ctx, *org, from, to)
		}
		name, file = fmt.Sprintf("%s %d", *org, *year), *org+".ics"
	}
	if errors.Is(err, program.ErrNotFound) {
		return fail(exitUsage, "%v", err)
	}
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	path := filepath.Join(*out, file)
	if err := writeCalendar(path, name, events); err != nil {
		return fail(exitFailure, "%v", err)
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d events\n", path, len(events))
	return exitOK
}

// writeCalendar writes events as an iCalendar feed named name at path,
// creating its folder, whole or not at all.
func writeCalendar(path, name string, events []program.Event) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		return feed.Write(w, name, events, time.Now())
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
