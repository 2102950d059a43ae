// Package service assembles khidi's HTTP service on one store: the server
// plumbing (internal/server), the manager API (internal/api), the host
// pages (internal/hostpage), the calendar feeds (internal/feed) and the
// metrics computed from the database. `khidi serve` builds it; tests build
// it the same way, so what they check is what runs.
package service

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/api"
	"github.com/khidi/khidi/internal/feed"
	"github.com/khidi/khidi/internal/hostpage"
	"github.com/khidi/khidi/internal/jobs"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/store"
)

// Config is the service's configuration. Server.DB may be left nil: it is
// the store. Server.AuthorizeMetrics may be left nil: GET /metrics then
// wants a metrics token (program.TokenMetrics) as Authorization: Bearer.
type Config struct {
	Server server.Config
	Store  *store.DB
	// Now is the clock of tokens, deadlines and feeds; nil means time.Now.
	Now func() time.Time
	// OfferWindow is how long offers made by a repair stay open
	// (offers.DefaultWindow when 0).
	OfferWindow time.Duration
}

// Service is the assembled service.
type Service struct {
	*server.Server
	// Offers is the offers service the routes share, for the jobs to use
	// too.
	Offers *offers.Service
}

// New builds the service and registers every route and collector.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("service: Config.Store is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Server.DB == nil {
		cfg.Server.DB = cfg.Store
	}
	if cfg.Server.AuthorizeMetrics == nil {
		cfg.Server.AuthorizeMetrics = (&metricsGate{store: cfg.Store, now: cfg.Now}).allow
	}
	srv, err := server.New(cfg.Server)
	if err != nil {
		return nil, err
	}
	o := &offers.Service{Store: cfg.Store, Now: cfg.Now, Window: cfg.OfferWindow}
	log := cfg.Server.Logger
	api.Register(srv, api.Deps{Store: cfg.Store, Offers: o, Logger: log, Now: cfg.Now, BaseURL: cfg.Server.BaseURL})
	hostpage.Register(srv, hostpage.Deps{Store: cfg.Store, Offers: o, Logger: log, Now: cfg.Now})
	feed.Register(srv, feed.Deps{Store: cfg.Store, Logger: log, Now: cfg.Now})
	srv.Registry().MustRegister(offers.NewCollector(cfg.Store), jobs.OutboxCollector(cfg.Store))
	return &Service{Server: srv, Offers: o}, nil
}

// metricsGrace is how long a metrics token that checked out is let
// through again without asking the database: scrapes then go on through a
// database outage, when the metrics matter most, and a revoked metrics
// token stops working within this time.
const metricsGrace = time.Minute

// metricsGate lets requests for GET /metrics through with a metrics token
// as Authorization: Bearer, remembering for metricsGrace the tokens that
// checked out, by the SHA-256 of the header that carried them.
type metricsGate struct {
	store access.Store
	now   func() time.Time // the tokens' clock

	mu sync.Mutex
	ok map[[sha256.Size]byte]time.Time // when each token last checked out
}

// maxRemembered bounds the tokens metricsGate remembers: a scraper or two
// each use one.
const maxRemembered = 16

// allow implements server.Config.AuthorizeMetrics.
func (g *metricsGate) allow(r *http.Request) (bool, error) {
	header := r.Header.Get("Authorization")
	key := sha256.Sum256([]byte(header))
	now := time.Now() // the cache's own time, not the tokens' clock
	g.mu.Lock()
	at, ok := g.ok[key]
	g.mu.Unlock()
	if ok && now.Sub(at) < metricsGrace {
		return true, nil
	}
	_, err := access.CheckBearer(r.Context(), g.store, header, program.TokenMetrics, g.now())
	switch {
	case errors.Is(err, access.ErrDenied):
		return false, nil
	case err != nil:
		return false, err
	}
	g.mu.Lock()
	if g.ok == nil || len(g.ok) >= maxRemembered {
		g.ok = map[[sha256.Size]byte]time.Time{}
	}
	g.ok[key] = now
	g.mu.Unlock()
	return true, nil
}
