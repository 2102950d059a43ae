package api

import (
	"net/http"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/yearplan"
)

// scheduleRequest is the body of POST /api/schedule.
type scheduleRequest struct {
	Year int `json:"year"`
	// Round restricts the layout to one round, as a preview: it needs
	// DryRun. 0 takes every round.
	Round program.RoundID `json:"round"`
	// Proposed also schedules matches not yet accepted, to preview a year.
	Proposed bool `json:"proposed"`
	DryRun   bool `json:"dry_run"`
}

// unplaced is an activity the layout could not place, and why.
type unplaced struct {
	Kind   program.EventKind `json:"kind"`
	ID     string            `json:"id"`
	Date   program.Date      `json:"date,omitzero"` // a skipped session's nominal date
	Reason string            `json:"reason"`
}

// scheduleReport is a laid-out year and how it differs from what was
// stored before.
type scheduleReport struct {
	Year       int          `json:"year"`
	Events     int          `json:"events"`
	New        int          `json:"new"`
	Moved      int          `json:"moved"`
	Unchanged  int          `json:"unchanged"`
	Cancelled  int          `json:"cancelled"`
	MeetingDay program.Date `json:"meeting_day,omitzero"`
	Unplaced   []unplaced   `json:"unplaced"`
	Written    bool         `json:"written"`
}

// schedule answers POST /api/schedule: lays out a programme year from the
// stored rounds, as `khidi schedule` does, and stores the events unless
// dry_run.
func (a *api) schedule(w http.ResponseWriter, r *http.Request, _ string) error {
	req := scheduleRequest{Year: a.d.Now().Year()}
	if err := decode(r, &req, true); err != nil {
		return err
	}
	res, err := yearplan.Run(r.Context(), a.d.Store, yearplan.Request{Year: req.Year, Round: req.Round, Proposed: req.Proposed, DryRun: req.DryRun})
	if err != nil {
		return err
	}
	c := res.Changes
	out := scheduleReport{Year: req.Year, Events: len(res.Plan.Events), New: len(c.New), Moved: len(c.Moved),
		Unchanged: len(c.Unchanged), Cancelled: len(c.Cancelled), MeetingDay: res.Plan.MeetingDay,
		Unplaced: make([]unplaced, len(res.Plan.Unplaced)), Written: !req.DryRun}
	for i, u := range res.Plan.Unplaced {
		out.Unplaced[i] = unplaced{u.Kind, u.ID, u.Date, u.Reason}
	}
	return writeJSON(w, http.StatusOK, out)
}
