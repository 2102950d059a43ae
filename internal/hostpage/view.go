package hostpage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
)

// maxReasons is how many features "why this match" names: the few that
// weighed most explain a match better than all six numbers.
const maxReasons = 3

// hostView is the data of the host's page.
type hostView struct {
	Token     string // the link's token, for the forms' addresses
	Host      string // the organisation's name
	Rounds    []roundView
	MaxReason int
}

// roundView is one round of the host's page.
type roundView struct {
	Round program.Round
	// Capacity is the host's places in the round, Left those not taken by
	// an accepted offer.
	Capacity, Left int
	// Open are the offers still offered (answerable or past their
	// deadline); Answered are the others, the host's history.
	Open, Answered []offerView
	// weights are the round's, which say why each person was offered.
	weights matcher.Weights
}

// offerView is one offer as the pages show it.
type offerView struct {
	ID         program.MatchID
	Status     program.OfferStatus
	Answerable bool // offered, and its deadline has not passed
	// Deadline and DecidedAt are in the host's zone; zero when unset.
	Deadline, DecidedAt time.Time
	// Reason is the reason given with an acceptance or a decline. Reasons
	// of expiries and withdrawals are the programme's notes, not the
	// host's, and are left out.
	Reason string
	Who    profile
	Why    []reason
	Score  int // the match's overall score, in percent
}

// profile is who an offer brings: a participant or, in exchanges between
// organisations, the visiting organisation.
type profile struct {
	Name, Region, City string
	Languages, Themes  []string
	// Person is set for a participant, who alone has years of experience
	// and one availability window.
	Person     bool
	Experience int
	From, To   program.Date
}

// reason is one feature that weighed in a match, with its value in percent.
type reason struct {
	Feature string // a matcher.Feature's name
	Percent int
}

// offerPageView is the data of an offer's page.
type offerPageView struct {
	Token string
	// Result is what the page reports: accepted, declined, repaired
	// (declined, and the place offered again), open, late (past the
	// deadline), expired, withdrawn, capacity (an acceptance refused for
	// want of places) or closed (an answer to an offer no longer open).
	Result string
	Round  program.Round
	Left   int // places left in the round
	Offer  offerView
}

// hostData is what one request knows of the host whose link it holds.
type hostData struct {
	store Store
	token program.AccessToken
	host  program.Organization
	loc   *time.Location // the host's zone, for deadlines and decisions
	now   time.Time      // the request's instant, for deadlines
	// people are the participants of the offers shown, loaded in one
	// query by the page that shows them.
	people map[program.ParticipantID]program.Participant
}

// loadHost loads from st the organisation tok speaks for. A token whose
// host is gone opens nothing: errNoPage.
func loadHost(ctx context.Context, st Store, tok program.AccessToken, now time.Time) (*hostData, error) {
	org, err := st.Organization(ctx, program.OrgID(tok.Subject))
	if errors.Is(err, program.ErrNotFound) {
		return nil, fmt.Errorf("%w: host of token %s: %w", errNoPage, tok.ID, err)
	}
	if err != nil {
		return nil, err
	}
	return &hostData{store: st, token: tok, host: org, loc: zone(org.TimeZone), now: now}, nil
}

// opens reports whether the link opens offer m: an offer to its host, in
// its round when the link is a round's.
func (v *hostData) opens(m program.Match) bool {
	return m.HostID == v.host.ID && (v.token.Round == 0 || m.RoundID == v.token.Round)
}

// zone returns the location named, or the programme's (Asia/Tbilisi) when
// the name is empty or unknown: a bad zone in the data must cost at most
// the offset shown, which every rendered time carries, not the page.
func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	if loc, err := time.LoadLocation(program.DefaultTimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// hostView builds the host's page: its offers grouped by round, newest
// round first, as the store returns them.
func (v *hostData) hostView(ctx context.Context, token string) (hostView, error) {
	ms, err := v.store.HostOffers(ctx, v.host.ID)
	if err != nil {
		return hostView{}, err
	}
	ms = slices.DeleteFunc(ms, func(m program.Match) bool { return !v.opens(m) })
	view := hostView{Token: token, Host: v.host.Name, MaxReason: maxReason}
	if err := v.loadPeople(ctx, ms); err != nil {
		return hostView{}, err
	}
	for _, m := range ms {
		if n := len(view.Rounds); n == 0 || view.Rounds[n-1].Round.ID != m.RoundID {
			rv, err := v.roundView(ctx, m.RoundID)
			if err != nil {
				return hostView{}, err
			}
			view.Rounds = append(view.Rounds, rv)
		}
		rv := &view.Rounds[len(view.Rounds)-1]
		ov, err := v.offer(ctx, m, *rv)
		if err != nil {
			return hostView{}, err
		}
		if m.Status == program.OfferOffered {
			rv.Open = append(rv.Open, ov)
		} else {
			rv.Answered = append(rv.Answered, ov)
		}
	}
	return view, nil
}

// roundView loads round id and the host's place in it, once per page.
func (v *hostData) roundView(ctx context.Context, id program.RoundID) (roundView, error) {
	r, err := v.store.Round(ctx, id)
	if err != nil {
		return roundView{}, err
	}
	w, _, err := rounds.Options(r)
	if err != nil {
		return roundView{}, err
	}
	rv := roundView{Round: r, weights: w}
	place, err := v.store.RoundPlace(ctx, id, string(v.host.ID))
	switch {
	case err == nil:
		rv.Capacity, rv.Left = place.Capacity, max(0, place.Capacity-place.Accepted)
	case !errors.Is(err, program.ErrNotFound):
		return roundView{}, err
	}
	return rv, nil
}

// loadPeople loads the participants of ms in one query.
func (v *hostData) loadPeople(ctx context.Context, ms []program.Match) error {
	var ids []program.ParticipantID
	for _, m := range ms {
		if m.ParticipantID != "" {
			ids = append(ids, m.ParticipantID)
		}
	}
	ps, err := v.store.ParticipantsByID(ctx, ids)
	if err != nil {
		return err
	}
	v.people = make(map[program.ParticipantID]program.Participant, len(ps))
	for _, p := range ps {
		v.people[p.ID] = p
	}
	return nil
}

// offerPage builds the page of offer m, reporting result.
func (v *hostData) offerPage(ctx context.Context, token string, m program.Match, result string) (offerPageView, error) {
	rv, err := v.roundView(ctx, m.RoundID)
	if err != nil {
		return offerPageView{}, err
	}
	ov, err := v.offer(ctx, m, rv)
	if err != nil {
		return offerPageView{}, err
	}
	return offerPageView{Token: token, Result: result, Round: rv.Round, Left: rv.Left, Offer: ov}, nil
}

// offer builds the view of offer m of round rv.
func (v *hostData) offer(ctx context.Context, m program.Match, rv roundView) (offerView, error) {
	who, err := v.profile(ctx, m)
	if err != nil {
		return offerView{}, err
	}
	ov := offerView{
		ID: m.ID, Status: m.Status, Answerable: answerable(m, v.now),
		Deadline: m.Deadline.In(v.loc), DecidedAt: m.DecidedAt.In(v.loc),
		Who: who, Why: why(m, rv.weights), Score: percent(m.Score),
	}
	if m.Status == program.OfferAccepted || m.Status == program.OfferDeclined {
		ov.Reason = m.Reason
	}
	return ov, nil
}

// profile loads who offer m brings.
func (v *hostData) profile(ctx context.Context, m program.Match) (profile, error) {
	if m.ParticipantID != "" {
		if _, ok := v.people[m.ParticipantID]; !ok {
			if err := v.loadPeople(ctx, []program.Match{m}); err != nil {
				return profile{}, fmt.Errorf("participant of offer %d: %w", m.ID, err)
			}
		}
		p, ok := v.people[m.ParticipantID]
		if !ok {
			return profile{}, fmt.Errorf("participant %s of offer %d: %w", m.ParticipantID, m.ID, program.ErrNotFound)
		}
		return profile{Name: p.Name, Region: p.Region, City: p.City, Languages: p.Languages, Themes: p.Themes,
			Person: true, Experience: p.ExperienceYears, From: p.AvailableFrom, To: p.AvailableTo}, nil
	}
	o, err := v.store.Organization(ctx, m.VisitorID)
	if err != nil {
		return profile{}, fmt.Errorf("visitor of offer %d: %w", m.ID, err)
	}
	return profile{Name: o.Name, Region: o.Region, City: o.City, Languages: o.Languages, Themes: o.Themes}, nil
}

// why returns the features that weighed most in match m under its
// round's weights w: by contribution to the score, highest first, ties in
// the matcher's feature order, leaving out features that counted for
// nothing.
func why(m program.Match, w matcher.Weights) []reason {
	var parts []matcher.Contribution
	for _, c := range w.Contributions(matcher.BreakdownFromMap(m.Breakdown)) {
		if c.Value > 0 {
			parts = append(parts, c)
		}
	}
	slices.SortStableFunc(parts, func(a, b matcher.Contribution) int { return cmp.Compare(b.Value, a.Value) })
	out := make([]reason, 0, min(len(parts), maxReasons))
	for _, c := range parts[:min(len(parts), maxReasons)] {
		out = append(out, reason{c.Feature, percent(m.Breakdown[c.Feature])})
	}
	return out
}

// percent returns a score in [0, 1] in whole percent.
func percent(x float64) int { return int(math.Round(100 * min(max(x, 0), 1))) }
