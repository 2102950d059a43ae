package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/khidi/khidi/internal/feed"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/scheduler/holidays"
)

// programmeCalendar answers GET /api/calendars/programme.ics[?year=Y]:
// every event of the programme's year.
func (a *api) programmeCalendar(w http.ResponseWriter, r *http.Request, _ string) error {
	return a.calendar(w, r, "programme", func(ctx context.Context, year int) ([]program.Event, string, error) {
		from, to := yearplan.YearSpan(year)
		events, err := a.d.Store.Events(ctx, from, to)
		return events, fmt.Sprintf("Programme %d", year), err
	})
}

// personCalendar answers GET /api/calendars/people/{id}.ics[?year=Y]: a
// participant's events.
func (a *api) personCalendar(w http.ResponseWriter, r *http.Request, _ string) error {
	return a.subjectCalendar(w, r, func(ctx context.Context, id string) error {
		_, err := a.d.Store.Participant(ctx, program.ParticipantID(id))
		return err
	})
}

// orgCalendar answers GET /api/calendars/orgs/{id}.ics[?year=Y]: an
// organisation's events.
func (a *api) orgCalendar(w http.ResponseWriter, r *http.Request, _ string) error {
	return a.subjectCalendar(w, r, func(ctx context.Context, id string) error {
		_, err := a.d.Store.Organization(ctx, program.OrgID(id))
		return err
	})
}

// subjectCalendar answers with the events of the participant or
// organisation the path's {file} names (ID.ics), once exists has found it.
func (a *api) subjectCalendar(w http.ResponseWriter, r *http.Request, exists func(ctx context.Context, id string) error) error {
	// ServeMux wildcards are whole segments, so the suffix is checked here.
	id, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || id == "" {
		return fmt.Errorf("calendar %q: want ID.ics: %w", r.PathValue("file"), program.ErrNotFound)
	}
	return a.calendar(w, r, id, func(ctx context.Context, year int) ([]program.Event, string, error) {
		if err := exists(ctx, id); err != nil {
			return nil, "", err
		}
		from, to := yearplan.YearSpan(year)
		events, err := a.d.Store.PersonEvents(ctx, id, from, to)
		return events, fmt.Sprintf("%s %d", id, year), err
	})
}

// calendar answers with the iCalendar file file.ics of the events load
// returns for the year the query asks for (this year by default), written
// whole before anything is sent.
func (a *api) calendar(w http.ResponseWriter, r *http.Request, file string, load func(ctx context.Context, year int) ([]program.Event, string, error)) error {
	year, err := queryYear(r, a.d.Now().Year())
	if err != nil {
		return err
	}
	events, name, err := load(r.Context(), year)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := feed.Write(&body, name, events, a.d.Now()); err != nil {
		return fmt.Errorf("api: calendar %s: %w", file, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file+".ics"))
	_, _ = body.WriteTo(w) // the status is sent; a client gone away is all an error can mean
	return nil
}

// queryYear returns the query parameter year, or def when it is absent.
func queryYear(r *http.Request, def int) (int, error) {
	y, err := queryInt(r, "year", holidays.FirstYear, holidays.LastYear, int64(def))
	return int(y), err
}
