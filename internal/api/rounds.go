package api

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
)

// maxRoundName is the longest round name, in characters, as
// program.Round's validation allows.
const maxRoundName = 200

// listRounds answers GET /api/rounds: every round, oldest first.
func (a *api) listRounds(w http.ResponseWriter, r *http.Request, _ string) error {
	rs, err := a.d.Store.Rounds(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Rounds []program.Round `json:"rounds"`
	}{nonNil(rs)})
}

// runRequest is the body of POST /api/rounds.
type runRequest struct {
	Kind program.RoundKind `json:"kind"`
	Name string            `json:"name"`
	// Weights override the kind's default weights, feature by feature.
	Weights  map[string]float64 `json:"weights"`
	Settings matcher.Settings   `json:"settings"`
	Seed     uint64             `json:"seed"`
	DryRun   bool               `json:"dry_run"`
}

// runResponse is a round just proposed: what a manager reads first.
type runResponse struct {
	Round   program.Round   `json:"round"`
	Summary matcher.Summary `json:"summary"`
	Stages  []rounds.Stage  `json:"stages"`
}

// createRound answers POST /api/rounds: runs a round and stores its
// proposal (201), or with dry_run only proposes it (200).
func (a *api) createRound(w http.ResponseWriter, r *http.Request, _ string) error {
	var req runRequest
	if err := decode(r, &req, false); err != nil {
		return err
	}
	var problems program.ErrorList
	if !req.Kind.Valid() {
		problems = append(problems, &program.InputError{Field: "kind", Msg: fmt.Sprintf("%q is not a kind of round", req.Kind),
			Hint: fmt.Sprintf("use one of %v", program.AllRoundKinds())})
	}
	if n := utf8.RuneCountInString(req.Name); n > maxRoundName {
		problems = append(problems, &program.InputError{Field: "name", Msg: fmt.Sprintf("has %d characters", n),
			Hint: fmt.Sprintf("keep it to %d", maxRoundName)})
	}
	if err := problems.Err(); err != nil {
		return err
	}
	weights, err := overrideWeights(matcher.DefaultWeights(req.Kind).Map(), req.Weights)
	if err != nil {
		return err
	}
	res, err := rounds.Run(r.Context(), a.d.Store, rounds.Request{Kind: req.Kind, Name: req.Name, Weights: weights,
		Settings: req.Settings, Seed: req.Seed, DryRun: req.DryRun}, a.d.Now)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !req.DryRun {
		status = http.StatusCreated
		w.Header().Set("Location", a.link("api", "rounds", strconv.FormatInt(int64(res.Round.ID), 10)))
	}
	return writeJSON(w, status, runResponse{res.Round, res.Proposal.Summary, res.Stages})
}

// overrideWeights returns base with the weights of over put in its place,
// checked: unknown features and weights that are negative or not finite
// are reported together, each naming its field.
func overrideWeights(base, over map[string]float64) (matcher.Weights, error) {
	maps.Copy(base, over)
	w, err := matcher.WeightsFromMap(base)
	var l program.ErrorList
	if errors.As(err, &l) {
		for _, e := range l {
			e.Field = "weights." + e.Field
		}
	}
	return w, err
}

// matchView is a stored match with each feature's part of its score.
type matchView struct {
	program.Match
	// Contributions are Breakdown[f]·w_f / Σw under the round's weights,
	// feature by feature; they add up to the score.
	Contributions []matcher.Contribution `json:"contributions,omitempty"`
}

// roundView is a round as stored: its places and every match or offer.
type roundView struct {
	Round   program.Round   `json:"round"`
	Places  []program.Place `json:"places"`
	Matches []matchView     `json:"matches"`
}

// getRound answers GET /api/rounds/{id}: the round, its places and its
// matches, each with the features that made its score. Why someone got no
// match is not stored; GET /api/rounds/{id}/explanations computes it.
func (a *api) getRound(w http.ResponseWriter, r *http.Request, _ string) error {
	round, err := a.round(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	places, err := a.d.Store.RoundPlaces(ctx, round.ID)
	if err != nil {
		return err
	}
	ms, err := a.d.Store.RoundMatches(ctx, round.ID)
	if err != nil {
		return err
	}
	weights, _, err := rounds.Options(round)
	if err != nil {
		return err
	}
	view := roundView{Round: round, Places: nonNil(places), Matches: make([]matchView, len(ms))}
	for i, m := range ms {
		view.Matches[i] = matchView{Match: m, Contributions: contributions(weights, m.Breakdown)}
	}
	return writeJSON(w, http.StatusOK, view)
}

// contributions returns each feature's part of a score with the given
// breakdown under w; nil when the match has no breakdown (study circles'
// matches are scored as circles).
func contributions(w matcher.Weights, breakdown map[string]float64) []matcher.Contribution {
	if len(breakdown) == 0 {
		return nil
	}
	return w.Contributions(matcher.BreakdownFromMap(breakdown))
}

// explanationsView is a round's proposal computed again, with why each
// person got their match or none.
type explanationsView struct {
	Round        program.Round            `json:"round"`
	Summary      matcher.Summary          `json:"summary"`
	Explanations []matcher.Explanation    `json:"explanations"`
	Stability    *matcher.StabilityReport `json:"stability,omitempty"`
	Cover        *matcher.PeerCover       `json:"cover,omitempty"`
	Circles      []matcher.StudyCircle    `json:"circles,omitempty"`
}

// explainRound answers GET /api/rounds/{id}/explanations[?who=ID]: the
// matcher's explanation of every person (or only of who) in the round as
// proposed. The matcher runs again, deterministically, on the stored
// input; when the programme has changed since, it is a conflict.
func (a *api) explainRound(w http.ResponseWriter, r *http.Request, _ string) error {
	round, err := a.round(r)
	if err != nil {
		return err
	}
	prop, err := rounds.Explain(r.Context(), a.d.Store, round)
	if err != nil {
		return err
	}
	view := explanationsView{Round: round, Summary: prop.Summary, Explanations: nonNil(prop.Explanations),
		Stability: prop.Stability, Cover: prop.Cover, Circles: prop.Circles}
	if who := r.URL.Query().Get("who"); who != "" {
		view.Explanations = slices.DeleteFunc(view.Explanations, func(e matcher.Explanation) bool { return e.LeftID != who })
		if len(view.Explanations) == 0 {
			return fmt.Errorf("%q is not among the people round %d could match: %w", who, round.ID, program.ErrNotFound)
		}
	}
	return writeJSON(w, http.StatusOK, view)
}

// rerunRequest is the body of POST /api/rounds/{id}/rerun: changes to the
// round's weights and settings. Fields left out keep the round's values.
type rerunRequest struct {
	// Weights override the round's weights, feature by feature.
	Weights map[string]float64 `json:"weights"`
	// Settings fields given replace the round's (pins and exclusions too,
	// as whole lists).
	Settings matcher.Settings `json:"settings"`
	// Pin and Exclude add pairs to the round's pins and exclusions, after
	// Settings; Unpin and Unexclude remove pairs from them.
	Pin       []matcher.Pair `json:"pin"`
	Unpin     []matcher.Pair `json:"unpin"`
	Exclude   []matcher.Pair `json:"exclude"`
	Unexclude []matcher.Pair `json:"unexclude"`
}

// rerunRound answers POST /api/rounds/{id}/rerun: proposes a draft or
// proposed round again with the changes asked for, on the programme as it
// is now, and stores the new proposal and settings in place of the old.
// A published round is a conflict: hosts hold its offers.
func (a *api) rerunRound(w http.ResponseWriter, r *http.Request, _ string) error {
	round, err := a.round(r)
	if err != nil {
		return err
	}
	weights, settings, err := rounds.Options(round)
	if err != nil {
		return err
	}
	// Decoding onto the round's own values leaves those the body does not
	// name as they are. The lists are copied: decoding reuses a slice's
	// array.
	settings.Pins, settings.Exclusions, settings.Quotas = slices.Clone(settings.Pins), slices.Clone(settings.Exclusions), slices.Clone(settings.Quotas)
	req := rerunRequest{Settings: settings}
	if err := decode(r, &req, true); err != nil {
		return err
	}
	newWeights, err := overrideWeights(weights.Map(), req.Weights)
	if err != nil {
		return err
	}
	s := req.Settings
	var problems program.ErrorList
	s.Pins = editPairs(s.Pins, req.Pin, req.Unpin, "unpin", "pin", &problems)
	s.Exclusions = editPairs(s.Exclusions, req.Exclude, req.Unexclude, "unexclude", "exclusion", &problems)
	if err := problems.Err(); err != nil {
		return err
	}
	res, err := rounds.Rerun(r.Context(), a.d.Store, round, newWeights, s, a.d.Now)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, runResponse{res.Round, res.Proposal.Summary, res.Stages})
}

// editPairs returns list without the pairs of remove and with those of add
// that it lacks. A pair to remove that list does not hold is reported in
// problems under field, since it is most likely a typing mistake.
func editPairs(list, add, remove []matcher.Pair, field, noun string, problems *program.ErrorList) []matcher.Pair {
	for i, p := range remove {
		j := slices.Index(list, p)
		if j < 0 {
			*problems = append(*problems, &program.InputError{Field: fmt.Sprintf("%s[%d]", field, i),
				Msg: fmt.Sprintf("the round has no %s %s", noun, p), Hint: "GET /api/rounds/{id} shows the round's settings"})
			continue
		}
		list = slices.Delete(list, j, j+1)
	}
	for _, p := range add {
		if !slices.Contains(list, p) {
			list = append(list, p)
		}
	}
	return list
}

// publishRequest is the body of POST /api/rounds/{id}/publish.
type publishRequest struct {
	// Deadline is when unanswered offers expire, in RFC 3339.
	Deadline string `json:"deadline"`
}

// hostLink is a host's secret link to its offers, shown once.
type hostLink struct {
	Host  program.OrgID `json:"host"`
	Token string        `json:"token"`
	URL   string        `json:"url"`
}

// publishRound answers POST /api/rounds/{id}/publish: turns the proposal
// into offers expiring at the deadline and returns each host's link. Only
// the links' hashes are stored, so this answer is the one chance to read
// them.
func (a *api) publishRound(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := pathID(r, "round")
	if err != nil {
		return err
	}
	var req publishRequest
	if err := decode(r, &req, false); err != nil {
		return err
	}
	deadline, err := time.Parse(time.RFC3339, req.Deadline)
	if err != nil {
		return &program.InputError{Field: "deadline", Msg: fmt.Sprintf("%q is not an RFC 3339 instant", req.Deadline),
			Hint: "write it like 2027-03-15T18:00:00+04:00"}
	}
	if now := a.d.Now(); !deadline.After(now) {
		return &program.InputError{Field: "deadline", Msg: fmt.Sprintf("%s is not in the future", req.Deadline),
			Hint: "give hosts time to answer, a week is usual"}
	}
	ctx := r.Context()
	round, links, err := a.d.Offers.Publish(ctx, program.RoundID(id), deadline.UTC(), actor)
	if err != nil {
		return err
	}
	out := make([]hostLink, len(links))
	for i, l := range links {
		out[i] = hostLink{Host: l.Host, Token: l.Token, URL: a.link("host", l.Token)}
	}
	return writeJSON(w, http.StatusOK, struct {
		Round program.Round `json:"round"`
		Links []hostLink    `json:"links"`
	}{round, out})
}

// roundState answers GET /api/rounds/{id}/state: each place's capacity
// and its offers by status.
func (a *api) roundState(w http.ResponseWriter, r *http.Request, _ string) error {
	round, err := a.round(r)
	if err != nil {
		return err
	}
	places, err := a.d.Offers.State(r.Context(), round.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Round  program.Round      `json:"round"`
		Places []offers.HostState `json:"places"`
	}{round, nonNil(places)})
}

// reasonRequest is the body of the endpoints that end something: why,
// recorded with the change. The body may be left out.
type reasonRequest struct {
	Reason string `json:"reason"`
}

// maxReason is the longest reason, in characters, as program.Match's
// validation allows.
const maxReason = 2000

// readReason decodes an optional reasonRequest, defaulting the reason to
// def.
func readReason(r *http.Request, def string) (string, error) {
	req := reasonRequest{Reason: def}
	if err := decode(r, &req, true); err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(req.Reason); n > maxReason {
		return "", &program.InputError{Field: "reason", Msg: fmt.Sprintf("has %d characters", n), Hint: fmt.Sprintf("keep it to %d", maxReason)}
	}
	return req.Reason, nil
}

// closeRound answers POST /api/rounds/{id}/close: withdraws the offers
// still open, keeps the accepted ones and closes the round.
func (a *api) closeRound(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := pathID(r, "round")
	if err != nil {
		return err
	}
	reason, err := readReason(r, "the round was closed")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := a.d.Store.CloseRound(ctx, program.RoundID(id), reason, actor); err != nil {
		return err
	}
	round, err := a.d.Store.Round(ctx, program.RoundID(id))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Round program.Round `json:"round"`
	}{round})
}

// round loads the round r's path names.
func (a *api) round(r *http.Request) (program.Round, error) {
	id, err := pathID(r, "round")
	if err != nil {
		return program.Round{}, err
	}
	return a.d.Store.Round(r.Context(), program.RoundID(id))
}

// nonNil returns s, or an empty slice for nil, so that JSON shows an empty
// list as [] and not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
