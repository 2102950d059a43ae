// Package offers runs the life of a published round for the service and
// the scheduled jobs: it publishes a proposal as offers with a secret link
// for each host, records hosts' answers and expiries, and repairs the round
// when an offer leaves it, inside the answer's transaction, so that the
// places freed are offered again at once and nobody is offered twice. The
// matcher computes the repair; the store applies it; this package joins
// them and keeps time.
package offers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/matcher"
	"github.com/khidi/khidi/store"
)

// Defaults of a published round.
const (
	// DefaultWindow is how long a host has to answer an offer a repair
	// makes: a week, as for the round's first offers.
	DefaultWindow = 7 * 24 * time.Hour
	// LinkLifetime is how long a host's link works after its offers'
	// deadline, so that hosts can still see whom they accepted.
	LinkLifetime = 90 * 24 * time.Hour
)

// Store is what running offers needs of the database; *store.DB has it.
type Store interface {
	Organizations(ctx context.Context) ([]program.Organization, error)
	Participants(ctx context.Context) ([]program.Participant, error)
	Communities(ctx context.Context) ([]program.Community, error)
	Round(ctx context.Context, id program.RoundID) (program.Round, error)
	Match(ctx context.Context, id program.MatchID) (program.Match, error)
	RoundMatches(ctx context.Context, id program.RoundID) ([]program.Match, error)
	RoundPlaces(ctx context.Context, id program.RoundID) ([]program.Place, error)
	PublishRound(ctx context.Context, id program.RoundID, deadline time.Time, actor string,
		links func(hosts []program.OrgID) ([]program.AccessToken, error)) (program.Round, error)
	DecideOffer(ctx context.Context, d store.Decision) (store.Outcome, error)
	ProgrammeVersion(ctx context.Context) (int64, error)
}

// Service publishes rounds and decides offers. It is safe for concurrent
// use.
type Service struct {
	Store Store
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Window is how long a repair's new offers stay open; 0 means
	// DefaultWindow.
	Window time.Duration

	mu sync.Mutex
	// plans keeps each round's scored candidates for its next repairs, at
	// the programme version they were computed from.
	plans map[program.RoundID]*cachedPlan
	// turns lets one repair per round run at a time in this process.
	turns map[program.RoundID]chan struct{}
}

// cachedPlan is a round's repair plan, made once for the programme version
// it holds for: answers arriving while it is made wait for it (ready)
// rather than each scoring the round again.
type cachedPlan struct {
	version int64
	ready   chan struct{} // closed when plan or err is set
	plan    *matcher.RepairPlan
	err     error
	// failed is when making the plan failed: the failure is the answer
	// for planRetry, rather than every answer loading the programme again.
	failed time.Time
	// used is when the plan was last asked for, to evict the least
	// recently used; guarded by Service.mu.
	used time.Time

	// ledger is where the round's pairs stood after the last repair this
	// process stored, at the round's revision: a repair finding the round
	// still at that revision refills the freed place from it instead of
	// reading every match. Only the repair holding the round's turn uses
	// them.
	ledger   *matcher.Ledger
	revision int64
}

// made reports whether c is made (or failed).
func (c *cachedPlan) made() bool {
	select {
	case <-c.ready:
		return true
	default:
		return false
	}
}

// The plan cache's bounds.
const (
	// maxPlans bounds the plans kept: a plan of a national round holds its
	// scored candidates, tens of megabytes, and only the rounds being
	// answered now need one.
	maxPlans = 4
	// planRetry is how long a plan that failed is not made again.
	planRetry = 30 * time.Second
)

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Link is a host's secret link to its offers in a round, and to nothing
// else. Token is shown once, when the round is published: only its hash is
// stored.
type Link struct {
	Host  program.OrgID `json:"host"`
	Token string        `json:"token"`
}

// Publish turns round id's proposal into offers that expire at deadline
// and makes one link per host organisation offered someone, all in one
// transaction. It returns the round as published and the links, ordered
// by host.
func (s *Service) Publish(ctx context.Context, id program.RoundID, deadline time.Time, actor string) (program.Round, []Link, error) {
	expires := cmp.Or(deadline, s.now()).Add(LinkLifetime)
	var links []Link
	r, err := s.Store.PublishRound(ctx, id, deadline, actor, func(hosts []program.OrgID) ([]program.AccessToken, error) {
		links = make([]Link, len(hosts))
		tokens := make([]program.AccessToken, len(hosts))
		for i, h := range hosts {
			plain, t, err := access.New(program.TokenHost, string(h), expires, fmt.Sprintf("round %d", id))
			if err != nil {
				return nil, err
			}
			t.Round = id // the link opens this round's offers only
			links[i], tokens[i] = Link{Host: h, Token: plain}, t
		}
		return tokens, nil
	})
	if err != nil {
		return r, nil, err
	}
	go s.Prepare(context.WithoutCancel(ctx), r) // a failure is the first answer's to report
	return r, links, nil
}

// Prepare makes published round r's repair plan, or waits for the one
// being made, so that the round's first decline does not wait while the
// round is scored. Publish starts it in the background, and the host pages
// do when a host opens a round's offers, which is how a round published by
// another process or before a restart gets its plan. Rounds whose kind is
// not repaired are left alone.
func (s *Service) Prepare(ctx context.Context, r program.Round) error {
	if !repaired(r.Kind) || r.Status != program.RoundPublished {
		return nil
	}
	s.mu.Lock()
	c, ok := s.plans[r.ID]
	s.mu.Unlock()
	if ok {
		// Made or being made; whether it is still current is checked when
		// an answer needs it.
		select {
		case <-c.ready:
			return c.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	_, err := s.plan(ctx, r, false)
	return err
}

// repaired reports whether a round of kind is repaired when an offer
// leaves it: the kinds that keep pairs.
func repaired(kind program.RoundKind) bool {
	switch kind {
	case program.RoundInternship, program.RoundInternationalExchange, program.RoundCommunityVisit:
		return true
	}
	return false
}

// Decide records d. When the offer leaves its round (declined, expired,
// withdrawn) and the round's kind keeps pairs (internships, international
// exchanges, community visits), the round is repaired in the same
// transaction: places freed go to people without an offer, and the new
// offers are open for the service's Window. Peer exchanges and study
// circles are whole structures that one answer breaks; their managers run
// the round again instead.
func (s *Service) Decide(ctx context.Context, d store.Decision) (store.Outcome, error) {
	if !d.To.Leaves() {
		return s.Store.DecideOffer(ctx, d)
	}
	rep, err := s.repairer(ctx, d.Match)
	if err != nil || rep == nil {
		if err != nil {
			return store.Outcome{}, err
		}
		return s.Store.DecideOffer(ctx, d)
	}
	defer func() { <-rep.turn }()
	d.Repair = rep.run
	out, err := s.Store.DecideOffer(ctx, d)
	rep.settle(out, err)
	return out, err
}

// repair is one decision's repair of a round: it holds the round's turn
// from before the decision's transaction until the ledger is settled.
// Repairs of one round take turns here, in the process: waiting for the
// round's lock in the database would hold a connection each, and a burst of
// declines would take the whole pool from every other request.
type repair struct {
	c        *cachedPlan
	turn     chan struct{}
	deadline time.Time
	reason   string
	// record updates the ledger once the repair run is stored.
	record func(store.Outcome)
}

// repairer returns the repair of match id's round, holding the round's
// turn, or nil for a round whose kind is not repaired.
func (s *Service) repairer(ctx context.Context, id program.MatchID) (*repair, error) {
	m, err := s.matchRound(ctx, id)
	if err != nil || m == nil {
		return nil, err
	}
	c, err := s.plan(ctx, *m, true)
	if err != nil {
		return nil, err
	}
	turn := s.turn(m.ID)
	select {
	case turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &repair{c: c, turn: turn, deadline: s.now().Add(cmp.Or(s.Window, DefaultWindow)),
		reason: fmt.Sprintf("round %d repaired after offer %d", m.ID, id)}, nil
}

// run computes the repair inside the decision's transaction: from the
// ledger when the round is still at its revision and the answer only freed
// a place, otherwise from every match of the round.
func (r *repair) run(in store.RepairInput) (store.Repair, error) {
	c := r.c
	fix := store.Repair{Deadline: r.deadline, Reason: r.reason}
	r.record = nil
	if c.ledger != nil && c.revision == in.Revision {
		offers, ok, err := c.ledger.Refill(in.Left)
		if err != nil {
			return fix, err
		}
		if ok {
			fix.Offers = offers
			r.record = func(out store.Outcome) { c.ledger.Record([]program.Match{in.Left}, out.Offered) }
			return fix, nil
		}
	}
	all, err := in.Matches()
	if err != nil {
		return fix, err
	}
	rep, err := c.plan.Repair(all)
	if err != nil {
		return fix, err
	}
	fix.Offers = rep.New
	for _, w := range rep.Withdrawn {
		fix.Withdraw = append(fix.Withdraw, w.ID)
	}
	r.record = func(out store.Outcome) {
		withdrawn := make(map[program.MatchID]bool, len(out.Withdrawn))
		for _, id := range out.Withdrawn {
			withdrawn[id] = true
		}
		for i := range all {
			if withdrawn[all[i].ID] {
				all[i].Status = program.OfferWithdrawn
			}
		}
		c.ledger = c.plan.Ledger(append(all, out.Offered...))
	}
	return fix, nil
}

// settle keeps the ledger current after the decision's transaction: the
// repair stored is recorded at the round's new revision; a decision that
// changed nothing leaves it as it was; after a failure, whose effect on the
// round is not known for certain, it is dropped, and the next repair reads
// the round again.
func (r *repair) settle(out store.Outcome, err error) {
	switch {
	case err == nil && r.record != nil:
		r.record(out)
		r.c.revision = out.Revision
	case err == nil && out.Revision == 0:
	default:
		r.c.ledger = nil
	}
}

// turn returns round id's turn: a channel of one slot that a repair fills
// while it runs.
func (s *Service) turn(id program.RoundID) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.turns == nil {
		s.turns = map[program.RoundID]chan struct{}{}
	}
	t, ok := s.turns[id]
	if !ok {
		t = make(chan struct{}, 1)
		s.turns[id] = t
	}
	return t
}

// plan returns round r's repair plan: the one kept while the programme has
// not changed since it was made, otherwise a new one, loaded and scored
// here, before the decision's transaction holds the round, since scoring
// does not depend on the answers. When the cache is full, a new plan takes
// the place of the least recently used one that is made if evict is set (an
// answer needs it now); otherwise (Prepare, which only guesses that answers
// will come) none is made, and plan returns nil and no error.
func (s *Service) plan(ctx context.Context, r program.Round, evict bool) (*cachedPlan, error) {
	version, err := s.Store.ProgrammeVersion(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now() // the cache's own time, not the service's clock
	s.mu.Lock()
	c, ok := s.plans[r.ID]
	if !ok || c.version != version || (c.made() && c.err != nil && now.Sub(c.failed) >= planRetry) {
		if !ok && !s.makeRoom(evict) {
			s.mu.Unlock()
			return nil, nil
		}
		c = &cachedPlan{version: version, ready: make(chan struct{})}
		s.plans[r.ID] = c
		go s.makePlan(context.WithoutCancel(ctx), r, c)
	}
	c.used = now
	s.mu.Unlock()
	select {
	case <-c.ready:
		return c, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// makeRoom makes room in the plan cache for one more plan, evicting the
// least recently used plan that is made when evict is set and the cache is
// full, and reports whether there is room. A plan still being made is not
// evicted: answers wait for it. s.mu is held.
func (s *Service) makeRoom(evict bool) bool {
	if s.plans == nil {
		s.plans = map[program.RoundID]*cachedPlan{}
	}
	if len(s.plans) < maxPlans {
		return true
	}
	if !evict {
		return false
	}
	var oldest program.RoundID
	for id, c := range s.plans {
		if c.made() && (oldest == 0 || c.used.Before(s.plans[oldest].used)) {
			oldest = id
		}
	}
	if oldest != 0 {
		delete(s.plans, oldest)
	}
	return true // over the bound for a while when every plan is being made
}

// makePlan loads and scores round r into c.
func (s *Service) makePlan(ctx context.Context, r program.Round, c *cachedPlan) {
	defer close(c.ready)
	in, err := rounds.Input(ctx, s.Store, r)
	if err == nil {
		c.plan, err = matcher.PrepareRepair(in)
	}
	if err != nil {
		c.err, c.failed = err, time.Now()
	}
}

// matchRound returns the round of match id when its kind is repaired, or
// nil. A match that does not exist is left for DecideOffer to report.
func (s *Service) matchRound(ctx context.Context, id program.MatchID) (*program.Round, error) {
	m, err := s.Store.Match(ctx, id)
	if errors.Is(err, program.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := s.Store.Round(ctx, m.RoundID)
	if err != nil {
		return nil, err
	}
	if repaired(r.Kind) {
		return &r, nil
	}
	return nil, nil
}

// HostState is one host's or community's offers in a round, by status.
type HostState struct {
	Place     string `json:"place"`
	Capacity  int    `json:"capacity"`
	Offered   int    `json:"offered"`
	Accepted  int    `json:"accepted"`
	Declined  int    `json:"declined"`
	Expired   int    `json:"expired"`
	Withdrawn int    `json:"withdrawn"`
}

// State returns round id's live state: for each place, its capacity and
// its offers by status, ordered by place.
func (s *Service) State(ctx context.Context, id program.RoundID) ([]HostState, error) {
	places, err := s.Store.RoundPlaces(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.RoundMatches(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]HostState, len(places))
	index := make(map[string]int, len(places))
	for i, p := range places {
		out[i] = HostState{Place: p.ID, Capacity: p.Capacity}
		index[p.ID] = i
	}
	for _, m := range ms {
		i, ok := index[m.Place()]
		if !ok {
			continue
		}
		h := &out[i]
		switch m.Status {
		case program.OfferOffered:
			h.Offered++
		case program.OfferAccepted:
			h.Accepted++
		case program.OfferDeclined:
			h.Declined++
		case program.OfferExpired:
			h.Expired++
		case program.OfferWithdrawn:
			h.Withdrawn++
		}
	}
	return out, nil
}
