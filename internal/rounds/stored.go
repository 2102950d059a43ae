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

// load reads the programme's records from st into in.
func load(ctx context.Context, st Programme, in *matcher.Input) error {
	var err error
	if in.Organizations, err = st.Organizations(ctx); err != nil {
		return err
	}
	if in.Participants, err = st.Participants(ctx); err != nil {
		return err
	}
	in.Communities, err = st.Communities(ctx)
	return err
}

// Options returns the weights and settings round r was computed with, as
// it stored them; stored without weights, the round was computed with its
// kind's defaults, which are returned.
func Options(r program.Round) (matcher.Weights, matcher.Settings, error) {
	var s matcher.Settings
	w, err := matcher.WeightsFromMap(r.Weights)
	if err != nil {
		return w, s, fmt.Errorf("rounds: round %d: %w", r.ID, err)
	}
	if w == (matcher.Weights{}) {
		w = matcher.DefaultWeights(r.Kind)
	}
	if len(r.Settings) > 0 {
		if err := json.Unmarshal(r.Settings, &s); err != nil {
			return w, s, fmt.Errorf("rounds: round %d: settings: %w", r.ID, err)
		}
	}
	return w, s, nil
}

// Input returns round r's matcher input: its kind, weights and settings
// as stored, and the programme as st holds it now.
func Input(ctx context.Context, st Programme, r program.Round) (matcher.Input, error) {
	in := matcher.Input{Kind: r.Kind}
	var err error
	if in.Weights, in.Settings, err = Options(r); err != nil {
		return in, err
	}
	return in, load(ctx, st, &in)
}

// Explain computes round r's proposal again, for the explanations the
// store does not keep (why each person got their match, or none). The
// matcher is deterministic, so the same input gives the same proposal;
// when the programme changed after r was proposed, the input differs and
// Explain refuses with an error matching program.ErrConflict rather than
// explain a proposal other than r's. A published round is explained as it
// was proposed, before hosts answered and repairs changed it.
func Explain(ctx context.Context, st Programme, r program.Round) (*matcher.Proposal, error) {
	in, err := Input(ctx, st, r)
	if err != nil {
		return nil, err
	}
	if h := in.Hash(); h != r.InputHash {
		return nil, fmt.Errorf("rounds: round %d was computed from input %.12s…, and the programme as stored now gives %.12s…; "+
			"re-run the round to explain it: %w", r.ID, r.InputHash, h, program.ErrConflict)
	}
	return matcher.Propose(in)
}

// RerunStore is what re-running a round needs of the database; *store.DB
// has it.
type RerunStore interface {
	Programme
	Round(ctx context.Context, id program.RoundID) (program.Round, error)
	ReproposeRound(ctx context.Context, id program.RoundID, weights map[string]float64, settings json.RawMessage, p store.Proposal) error
}

// Rerun proposes round r again on the programme as st holds it now, with
// weights w and settings s in place of the round's, and stores the new
// proposal in place of the old one together with w and s, in one
// transaction. Only a draft or proposed round can run again: once
// published, hosts hold its offers, and the error matches
// program.ErrConflict. As with Run, nothing is stored when the matcher
// refuses the input. now times the stages.
func Rerun(ctx context.Context, st RerunStore, r program.Round, w matcher.Weights, s matcher.Settings, now func() time.Time) (*Result, error) {
	// Checked before the matcher runs, which may take seconds; the store
	// checks again under the round's lock.
	if r.Status != program.RoundDraft && r.Status != program.RoundProposed {
		return nil, fmt.Errorf("rounds: round %d is %s; only a draft or proposed round can run again: %w", r.ID, r.Status, program.ErrConflict)
	}
	sw := newStopwatch(now)
	prop, err := propose(ctx, st, matcher.Input{Kind: r.Kind, Weights: w, Settings: s}, sw)
	if err != nil {
		return nil, err
	}
	if err := describe(&r, prop); err != nil {
		return nil, err
	}
	if err := st.ReproposeRound(ctx, r.ID, r.Weights, r.Settings, proposalOf(prop)); err != nil {
		return nil, err
	}
	sw.stage("save")
	stored, err := st.Round(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	return &Result{Round: stored, Proposal: prop, Stages: sw.stages}, nil
}
