// Package service assembles khidi's HTTP service on one store: the server
// plumbing (internal/server), the manager API (internal/api), the host
// pages (internal/hostpage), the calendar feeds (internal/feed) and the
// metrics computed from the database. `khidi serve` builds it; tests build
// it the same way, so what they check is what runs.
package service

import (
	"errors"
	"net/http"
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
		cfg.Server.AuthorizeMetrics = func(r *http.Request) (bool, error) {
			_, err := access.CheckBearer(r.Context(), cfg.Store, r.Header.Get("Authorization"), program.TokenMetrics, cfg.Now())
			switch {
			case err == nil:
				return true, nil
			case errors.Is(err, access.ErrDenied):
				return false, nil
			}
			return false, err
		}
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
