package feed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/store"
)

// Route is the pattern [Register] serves: a feed token followed by ".ics".
// ServeMux wildcards are whole path segments, so the handler, not the
// pattern, requires the suffix; the wildcard keeps the token out of the
// route label of logs and metrics.
const Route = "GET /calendars/{file}"

// Headers of a feed.
const (
	// ContentType is the media type of a feed (RFC 5545, section 8.1).
	ContentType = "text/calendar; charset=utf-8"
	// CacheControl lets the subscriber's own calendar program, and no
	// shared cache, keep a feed for five minutes: a feed is one person's,
	// and five minutes is shorter than any calendar program's polling
	// interval, so nobody waits for a change longer than their program
	// already makes them.
	CacheControl = "private, max-age=300"
)

// formatVersion is part of every feed's ETag. Raise it when the same events
// are written differently (a new property, a changed name), so that every
// calendar program fetches the new form instead of being told its old copy
// is current.
const formatVersion = "1"

// Deps is what the feeds need.
type Deps struct {
	// Store holds the feed tokens, their subjects and their events.
	Store *store.DB
	// Logger receives the failures answered with 500.
	Logger *slog.Logger
	// Now is the clock: it decides whether a token has expired and which
	// years a feed covers. Nil means time.Now.
	Now func() time.Time
}

// Register serves the calendar feed of the participant or organisation a
// feed token speaks for at GET /calendars/TOKEN.ics (HEAD too), and with a
// programme token the programme's: every event.
//
// A feed holds the subject's events of last year, this year and next year
// (years in UTC, each widened by [yearplan.YearSpan] to every zone's
// version of it), cancelled ones included and marked STATUS:CANCELLED, so
// that subscribed calendars drop them. It is METHOD:PUBLISH without
// ATTENDEE lines: whoever holds the link must not learn other attendees'
// addresses.
//
// Calendar programs poll, so a feed carries an ETag and a Last-Modified
// computed from one aggregate query ([store.DB.EventsVersion]), and a
// request whose If-None-Match (which takes precedence, RFC 9110 section
// 13.2.2) or If-Modified-Since matches is answered 304 before any event is
// loaded. The ETag is strong: it changes whenever the written feed does,
// given that every change calendars must hear of raises an event's
// SEQUENCE, as RFC 5545 requires and the scheduler does. Last-Modified is
// the latest such change, or the moment the feed's years last moved on; it
// cannot see the subject taken off an event that goes on without them, so
// a client sending only If-Modified-Since learns of that at the next other
// change. Calendar programs send the ETag back.
//
// Every failure of the token (unknown, malformed, wrong kind, expired,
// revoked, its subject gone) and a path without ".ics" get the same 404 as
// a path the server does not serve, so the answer tells nothing about which
// links exist.
//
// Register panics when d.Store or d.Logger is nil: a wiring mistake, found
// at start-up like a conflicting route.
func Register(srv *server.Server, d Deps) {
	if d.Store == nil || d.Logger == nil {
		panic("feed: Register: Deps.Store and Deps.Logger are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	h := &handler{d}
	srv.HandleFunc(Route, h.serve)
}

// handler serves the feeds.
type handler struct{ d Deps }

// serve answers one feed request.
func (h *handler) serve(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	plain, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		http.NotFound(w, r)
		return
	}
	now := h.d.Now()
	tok, err := access.CheckAny(ctx, h.d.Store, plain, now, program.TokenFeed, program.TokenProgramme)
	if errors.Is(err, access.ErrDenied) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// A programme token's Subject is empty, which the store reads as every
	// event (EventsVersion, PersonEvents).
	name, err := h.subjectName(ctx, tok)
	if errors.Is(err, program.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}

	s := spanAt(now)
	// The version is read before the events: should a change land in
	// between, the body is newer than its ETag and the next poll fetches
	// it again, whereas the other order could pin an old body to a new
	// ETag until the next change.
	n, latest, err := h.d.Store.EventsVersion(ctx, tok.Subject, s.from, s.to)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	modified := latest
	if s.since.After(modified) {
		modified = s.since
	}
	// Last-Modified has whole seconds; DTSTAMP gets the same instant, so
	// that the body is a function of what the ETag is made of.
	modified = modified.UTC().Truncate(time.Second)
	etag := entityTag(tok.Subject, name, s.from, n, latest)
	hdr := w.Header()
	hdr.Set("ETag", etag)
	hdr.Set("Last-Modified", modified.Format(http.TimeFormat))
	hdr.Set("Cache-Control", CacheControl)
	// The server sets it on every response; a feed link must never leak
	// in a Referer header, whatever server it is registered on.
	hdr.Set("Referrer-Policy", "no-referrer")
	if notModified(r, etag, modified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}

	events, err := h.d.Store.PersonEvents(ctx, tok.Subject, s.from, s.to)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body bytes.Buffer
	// Write's calendar is METHOD:PUBLISH without ATTENDEE lines.
	if err := Write(&body, name, events, modified); err != nil {
		h.fail(w, r, fmt.Errorf("feed of %q: %w", tok.Subject, err))
		return
	}
	hdr.Set("Content-Type", ContentType)
	hdr.Set("Content-Length", strconv.Itoa(body.Len()))
	if r.Method == http.MethodHead {
		return
	}
	// The status is sent; a client gone away is all an error here can mean.
	_, _ = w.Write(body.Bytes())
}

// ProgrammeName is the calendar name of the programme's feed.
const ProgrammeName = "khidi · პროგრამა · programme"

// subjectName returns the feed's calendar name: ProgrammeName for a
// programme token, otherwise the name of the participant or organisation
// the token speaks for, or an error matching program.ErrNotFound when
// neither exists any more.
func (h *handler) subjectName(ctx context.Context, tok program.AccessToken) (string, error) {
	if tok.Kind == program.TokenProgramme {
		return ProgrammeName, nil
	}
	id := tok.Subject
	p, err := h.d.Store.Participant(ctx, program.ParticipantID(id))
	if err == nil {
		return p.Name, nil
	}
	if !errors.Is(err, program.ErrNotFound) {
		return "", err
	}
	o, err := h.d.Store.Organization(ctx, program.OrgID(id))
	if err != nil {
		return "", err
	}
	return o.Name, nil
}

// fail logs err and answers 500. The token is not logged: the store's
// errors name at most its public id.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.d.Logger.ErrorContext(r.Context(), "calendar feed", "route", Route, "err", err)
	// A 304's validators must not survive into an error.
	for _, k := range []string{"ETag", "Last-Modified", "Cache-Control"} {
		w.Header().Del(k)
	}
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// span is the instants a feed covers and when it began to cover them.
type span struct {
	from, to time.Time
	// since is when the span last moved on (1 January of the current
	// year, UTC): a feed changes then even if no event does.
	since time.Time
}

// spanAt returns the span of a feed served at now: last year to next year,
// the years taken in UTC and each widened by yearplan.YearSpan so that an
// event of the year anywhere on Earth is inside.
func spanAt(now time.Time) span {
	year := now.UTC().Year()
	from, _ := yearplan.YearSpan(year - 1)
	_, to := yearplan.YearSpan(year + 1)
	return span{from: from, to: to, since: time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)}
}

// entityTag returns the strong ETag of a feed: a hash of everything the
// written feed depends on besides the events' own fields, which change
// only with their SEQUENCE and so with latest. Hashed, so that it is short
// and shows nothing of the subject.
func entityTag(subject, name string, from time.Time, n int, latest time.Time) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%d\x00%d\x00%d",
		formatVersion, subject, name, from.Unix(), n, latest.UnixMicro()))
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// notModified reports whether r may be answered 304: If-None-Match, when
// present, decides (RFC 9110 section 13.2.2); otherwise If-Modified-Since
// does, with modified in whole seconds as Last-Modified gives it.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		for _, line := range inm {
			for tag := range strings.SplitSeq(line, ",") {
				// If-None-Match compares weakly: W/"x" matches "x".
				tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
				if tag == "*" || tag == etag {
					return true
				}
			}
		}
		return false
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !modified.After(since)
}
