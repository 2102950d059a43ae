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

// Programme is what reading the programme's records needs of the
// database; *store.DB has it.
type Programme interface {
	Organizations(ctx context.Context) ([]program.Organization, error)
	Participants(ctx context.Context) ([]program.Participant, error)
	Communities(ctx context.Context) ([]program.Community, error)
}

// Store is what running a round needs of the database; *store.DB has it.
type Store interface {
	Programme
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
	in := matcher.Input{Kind: req.Kind, Weights: req.Weights, Settings: req.Settings}
	sw := newStopwatch(now)
	prop, err := propose(ctx, st, in, sw)
	if err != nil {
		return nil, err
	}
	res := &Result{Proposal: prop}
	r := program.Round{Name: req.Name, Kind: req.Kind, Seed: req.Seed}
	if err := describe(&r, prop); err != nil {
		return nil, err
	}
	if r.Name == "" {
		r.Name = fmt.Sprintf("%s %s", req.Kind, sw.last.UTC().Format("2006-01-02 15:04"))
	}
	if req.DryRun {
		res.Round, res.Stages = r, sw.stages
		return res, nil
	}
	if res.Round, err = st.CreateProposedRound(ctx, r, proposalOf(prop)); err != nil {
		return nil, err
	}
	sw.stage("save")
	res.Stages = sw.stages
	return res, nil
}

// stopwatch times the stages of a run.
type stopwatch struct {
	now    func() time.Time
	last   time.Time // when the last stage ended
	stages []Stage
}

func newStopwatch(now func() time.Time) *stopwatch { return &stopwatch{now: now, last: now()} }

// stage records that the stage name ended now.
func (sw *stopwatch) stage(name string) {
	t := sw.now()
	sw.stages = append(sw.stages, Stage{name, t.Sub(sw.last)})
	sw.last = t
}

// propose loads the programme from st into in and runs the matcher,
// timing each stage on sw.
func propose(ctx context.Context, st Programme, in matcher.Input, sw *stopwatch) (*matcher.Proposal, error) {
	if err := load(ctx, st, &in); err != nil {
		return nil, err
	}
	sw.stage("load")
	in.Progress = sw.stage
	prop, err := matcher.Propose(in)
	if err != nil {
		return nil, err
	}
	if in.Kind == program.RoundStudyCircle {
		sw.stage("circles") // formed, scored and explained in one step
	}
	return prop, nil
}

// describe sets what r records of the proposal it stores: the weights
// and settings it was computed with (defaults filled in), so that a run
// can be repeated exactly, the input's hash and the matcher's version.
func describe(r *program.Round, prop *matcher.Proposal) error {
	settings, err := json.Marshal(prop.Settings)
	if err != nil {
		return fmt.Errorf("rounds: settings: %w", err)
	}
	r.Weights, r.Settings = prop.Weights.Map(), settings
	r.InputHash, r.SolverVersion = prop.InputHash, prop.Version
	return nil
}

// proposalOf returns what the store keeps of a proposal.
func proposalOf(prop *matcher.Proposal) store.Proposal {
	return store.Proposal{InputHash: prop.InputHash, SolverVersion: prop.Version, Places: prop.Places, Matches: prop.Matches}
}
