// Package rounds runs a matching round end to end for the command line and
// the service: it loads the programme from the store, asks the matcher for
// a proposal, saves it as a proposed round in one transaction, and renders
// it for a programme manager. The matcher stays pure; the store stays the
// only package that speaks SQL; this package joins them and keeps time.
package rounds

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
)

// Store is what running a round needs of the database; *store.DB has it.
type Store interface {
	Organizations(ctx context.Context) ([]program.Organization, error)
	Participants(ctx context.Context) ([]program.Participant, error)
	Communities(ctx context.Context) ([]program.Community, error)
	CreateProposedRound(ctx context.Context, r program.Round, p store.Proposal) (program.Round, error)
}

// Request is a round to run.
type Request struct {
	Kind     program.RoundKind
	Name     string          // "" names it after the kind and date
	Weights  matcher.Weights // all zero: the kind's defaults
	Settings matcher.Settings
	Seed     uint64 // recorded with the round
	// DryRun proposes without saving.
	DryRun bool
}

// Stage is one timed step of a run.
type Stage struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
}

// Result is a run's outcome.
type Result struct {
	Round    program.Round     `json:"round"` // as stored (zero ID on a dry run)
	Proposal *matcher.Proposal `json:"proposal"`
	Stages   []Stage           `json:"stages"`
}

// Run loads the programme from st, proposes a round of req.Kind and saves
// it as a proposed round. Nothing is stored when the matcher refuses the
// input (no eligible pairs, a pin breaking a rule, an infeasible quota): the
// error says why. now stamps the default name and times the stages.
func Run(ctx context.Context, st Store, req Request, now func() time.Time) (*Result, error) {
	res := &Result{}
	stage := func(name string, start time.Time) time.Time {
		t := now()
		res.Stages = append(res.Stages, Stage{name, t.Sub(start)})
		return t
	}
	t := now()
	in := matcher.Input{Kind: req.Kind, Weights: req.Weights, Settings: req.Settings}
	var err error
	if in.Organizations, err = st.Organizations(ctx); err != nil {
		return nil, err
	}
	if in.Participants, err = st.Participants(ctx); err != nil {
		return nil, err
	}
	if in.Communities, err = st.Communities(ctx); err != nil {
		return nil, err
	}
	t = stage("load", t)
	in.Progress = func(name string) { t = stage(name, t) }
	if res.Proposal, err = matcher.Propose(in); err != nil {
		return nil, err
	}
	if in.Kind == program.RoundStudyCircle {
		t = stage("circles", t) // formed, scored and explained in one step
	}
	settings, err := json.Marshal(req.Settings)
	if err != nil {
		return nil, fmt.Errorf("rounds: settings: %w", err)
	}
	r := program.Round{
		Name: req.Name, Kind: req.Kind, Weights: res.Proposal.Weights.Map(), Settings: settings, Seed: req.Seed,
		InputHash: res.Proposal.InputHash, SolverVersion: res.Proposal.Version,
	}
	if r.Name == "" {
		r.Name = fmt.Sprintf("%s %s", req.Kind, t.UTC().Format("2006-01-02 15:04"))
	}
	if req.DryRun {
		res.Round = r
		return res, nil
	}
	p := store.Proposal{InputHash: res.Proposal.InputHash, SolverVersion: res.Proposal.Version,
		Places: res.Proposal.Places, Matches: res.Proposal.Matches}
	if res.Round, err = st.CreateProposedRound(ctx, r, p); err != nil {
		return nil, err
	}
	stage("save", t)
	return res, nil
}
