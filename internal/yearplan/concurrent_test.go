package yearplan_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/yearplan"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

// TestRunConcurrent runs two layouts of one year at the same moment, each
// on its own connection pool to one database as two replicas would: a
// manager's preview of the proposals (the API's Proposed layout, A), after
// a change that moves a visit, and the yearly job's layout of accepted
// matches only (B), which cancels every proposed event. A reads the stored
// events and computes; B runs to its end; only then does A save. A
// computed from events B has since changed: saved as it is, it would give
// the moved visit the SEQUENCE B gave its cancellation, and an attendee
// told of the cancellation would never hear that it is back. So A must be
// refused and lay out again from what B stored, leaving what B then A
// run one after the other leave.
func TestRunConcurrent(t *testing.T) {
	preview := yearplan.Request{Year: 2027, Proposed: true}
	job := yearplan.Request{Year: 2027}
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()

			// want: the same data, the same change, B then A in turn.
			ref, _ := newTestProgramme(t, engine.DSN(t))
			newTestChange(t, ref, mustRun(t, ref, preview).Plan)
			mustRun(t, ref, job)
			mustRun(t, ref, preview)
			want := storedEvents(t, ref)

			dsn := engine.DSN(t)
			db, _ := newTestProgramme(t, dsn)
			newTestChange(t, db, mustRun(t, db, preview).Plan)
			a := &interleaved{Store: storetest.Open(t, dsn), saving: make(chan struct{}), resume: make(chan struct{})}
			type result struct {
				res *yearplan.Result
				err error
			}
			done := make(chan result, 1)
			go func() {
				res, err := yearplan.Run(ctx, a, preview)
				done <- result{res, err}
			}()
			select {
			case <-a.saving: // A has read and computed
			case r := <-done:
				t.Fatalf("layout A ended before saving: %v", r.err)
			}
			mustRun(t, storetest.Open(t, dsn), job)
			close(a.resume)
			r := <-done
			if r.err != nil {
				t.Fatalf("layout A: %v", r.err)
			}
			if a.reads != 2 {
				t.Errorf("layout A read the events %d times, want 2: refused once, then laid out from B's events", a.reads)
			}
			got := storedEvents(t, db)
			if !slices.Equal(got, want) {
				t.Errorf("after layouts A and B at once, the stored events differ from A after B:\n%s", diffLines(got, want))
			}
			// A's result reports what its save changed: what B cancelled,
			// brought back.
			if c := r.res.Changes; len(c.Moved) != len(want)-1 || len(c.New)+len(c.Cancelled) != 0 {
				t.Errorf("layout A reports %d moved, %d new, %d cancelled; want the %d events B cancelled moved",
					len(c.Moved), len(c.New), len(c.Cancelled), len(want)-1)
			}
		})
	}
}

// TestRunGivesUp checks that Run lays out again only on a conflict, at most
// yearplan.Attempts times, and then says so. The database is not the point
// (the conflicts are a fake's), so one engine is enough.
func TestRunGivesUp(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, _ := newTestProgramme(t, engines[0].DSN(t))
	before := storedEvents(t, db)
	for _, tt := range []struct {
		name  string
		err   error
		saves int
	}{
		{"conflict", fmt.Errorf("another layout won: %w", program.ErrConflict), yearplan.Attempts},
		{"other", fmt.Errorf("disk full: %w", program.ErrInvalid), 1},
	} {
		st := &failing{Store: db, err: tt.err}
		_, err := yearplan.Run(ctx, st, yearplan.Request{Year: 2027, Proposed: true})
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: Run = %v, want an error wrapping %v", tt.name, err, tt.err)
		}
		if st.saves != tt.saves {
			t.Errorf("%s: Run tried to save %d times, want %d", tt.name, st.saves, tt.saves)
		}
	}
	if after := storedEvents(t, db); !slices.Equal(after, before) {
		t.Errorf("failed saves changed the stored events:\n%s", diffLines(after, before))
	}
}

// interleaved is a Store on which a layout stops before its first save
// until resume is closed, having closed saving, so that a test can run
// another layout in between. It counts the layout's reads of the events.
type interleaved struct {
	yearplan.Store
	saving, resume chan struct{}
	reads, saves   int // read by the test once the layout has returned
}

func (s *interleaved) EventsAt(ctx context.Context, from, to time.Time) ([]program.Event, int64, error) {
	s.reads++
	return s.Store.EventsAt(ctx, from, to)
}

func (s *interleaved) SaveEvents(ctx context.Context, es []program.Event, expect int64) ([]program.EventID, error) {
	s.saves++
	if s.saves == 1 {
		close(s.saving)
		select {
		case <-s.resume:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.Store.SaveEvents(ctx, es, expect)
}

// failing is a Store whose saves fail with err, writing nothing.
type failing struct {
	yearplan.Store
	err   error
	saves int
}

func (s *failing) SaveEvents(context.Context, []program.Event, int64) ([]program.EventID, error) {
	s.saves++
	return nil, s.err
}

// mustRun runs yearplan.Run and fails the test on an error.
func mustRun(t *testing.T, st yearplan.Store, req yearplan.Request) *yearplan.Result {
	t.Helper()
	res, err := yearplan.Run(t.Context(), st, req)
	if err != nil {
		t.Fatalf("Run(%+v): %v", req, err)
	}
	return res
}

// storedEvents returns db's events of 2027 as lines of what calendars see
// of them (ids differ between databases): UID, times, status, SEQUENCE and
// attendees.
func storedEvents(t *testing.T, db *store.DB) []string {
	t.Helper()
	from, to := yearplan.YearSpan(2027)
	es, err := db.Events(t.Context(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = fmt.Sprintf("%s %s–%s %s SEQUENCE %d %d attendees", e.UID, e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339),
			e.Status, e.Sequence, len(e.Attendees))
	}
	return lines
}

// diffLines lists the lines of got not in want and of want not in got,
// the first few of each.
func diffLines(got, want []string) string {
	const most = 5
	var out strings.Builder
	for _, d := range []struct {
		label    string
		of, from []string
	}{{"got ", got, want}, {"want", want, got}} {
		n := 0
		for _, l := range d.of {
			if slices.Contains(d.from, l) {
				continue
			}
			if n++; n <= most {
				fmt.Fprintf(&out, "  %s %s\n", d.label, l)
			}
		}
		if n > most {
			fmt.Fprintf(&out, "  %s (and %d more)\n", d.label, n-most)
		}
	}
	return out.String()
}
