package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Defaults for the zero fields of [Config].
const (
	// DefaultMaxBodyBytes leaves room for a spreadsheet import of a few
	// thousand participants, the largest body the service expects.
	DefaultMaxBodyBytes = 10 << 20

	// DefaultReadHeaderTimeout bounds the wait for a request's headers,
	// so that clients opening connections and sending nothing (slowloris)
	// cannot hold them.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultReadTimeout bounds reading a whole request, body included: a
	// 10 MiB import over a slow link still fits.
	DefaultReadTimeout = time.Minute
	// DefaultWriteTimeout bounds a request from the end of its headers to
	// the end of its response. Running a round or an import through the
	// API takes seconds; a handler that needs longer extends its own
	// deadline with http.ResponseController.SetWriteDeadline.
	DefaultWriteTimeout = 2 * time.Minute
	// DefaultIdleTimeout is how long a kept-alive connection may wait for
	// its next request.
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultShutdownTimeout is how long requests in flight may run after
	// the server has been told to stop.
	DefaultShutdownTimeout = 10 * time.Second
)

// readyTimeout bounds the database ping of GET /readyz: one second, the
// default timeout of a Kubernetes probe. A database slower than that to
// answer a ping would not serve the requests behind the probe either.
const readyTimeout = time.Second

// Pinger is what GET /readyz needs of the database: *store.DB satisfies it.
type Pinger interface {
	// Ping reports whether the database answers within ctx.
	Ping(ctx context.Context) error
}

// Config configures a [Server]. Logger and DB are required; a zero or
// negative limit or timeout means the matching Default… constant.
type Config struct {
	// Logger receives one line per request and the server's own events.
	Logger *slog.Logger
	// DB is pinged by GET /readyz.
	DB Pinger
	// BaseURL is the public address of the service, as [ParseBaseURL]
	// returns it, or nil when it is not known. When its scheme is https,
	// every response carries Strict-Transport-Security. Its origin is
	// trusted by the cross-origin check, which matters behind a proxy that
	// rewrites the Host header.
	BaseURL *url.URL

	// MaxBodyBytes is the largest request body accepted.
	MaxBodyBytes int64

	// AuthorizeMetrics decides who may read GET /metrics: true lets the
	// request through, false refuses it with a 401, an error (the check
	// could not be made) answers 500. Nil refuses every request, so that
	// the metrics are never public by omission.
	AuthorizeMetrics func(r *http.Request) (bool, error)

	// The http.Server timeouts of the same names.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout is how long [Server.Serve] lets requests in flight
	// finish once its context is done.
	ShutdownTimeout time.Duration
}

// Server is khidi's HTTP service: the routes registered on it, behind the
// middleware the package comment describes. It is an [http.Handler]; the
// zero value is not usable, call [New].
type Server struct {
	cfg      Config // with the defaults filled in
	mux      *http.ServeMux
	handler  http.Handler // the middleware chain around mux
	registry *prometheus.Registry
	metrics  httpMetrics
	routes   []string // patterns in registration order
}

// New returns a server answering GET /healthz, GET /readyz and GET
// /metrics, ready for more routes to be registered with [Server.Handle].
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Logger == nil:
		return nil, errors.New("server: Config.Logger is nil")
	case cfg.DB == nil:
		return nil, errors.New("server: Config.DB is nil")
	}
	cfg.MaxBodyBytes = orDefault(cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	cfg.ReadHeaderTimeout = orDefault(cfg.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	cfg.ReadTimeout = orDefault(cfg.ReadTimeout, DefaultReadTimeout)
	cfg.WriteTimeout = orDefault(cfg.WriteTimeout, DefaultWriteTimeout)
	cfg.IdleTimeout = orDefault(cfg.IdleTimeout, DefaultIdleTimeout)
	cfg.ShutdownTimeout = orDefault(cfg.ShutdownTimeout, DefaultShutdownTimeout)

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	s := &Server{cfg: cfg, mux: http.NewServeMux(), registry: reg, metrics: newHTTPMetrics(reg)}

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		WriteError(w, http.StatusForbidden, "cross_origin", "cross-origin request refused: send it from the service's own pages, or as an API client without browser headers")
	}))
	if u := cfg.BaseURL; u != nil {
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("server: base URL: %w", err)
		}
	}
	// Outermost first: headers go on every response, refusals and panics
	// included; observe sees every request with the status it really got;
	// the cross-origin check and the body limit answer before any handler.
	s.handler = s.secureHeaders(s.observe(cop.Handler(s.limitBody(http.HandlerFunc(s.dispatch)))))

	s.HandleFunc("GET /healthz", s.healthz)
	s.HandleFunc("GET /readyz", s.readyz)
	s.Handle("GET /metrics", s.authorizeMetrics(promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelError),
		Registry: reg, // counts its own failures in promhttp_metric_handler_errors_total
	})))
	return s, nil
}

// authorizeMetrics lets a request through to h when Config.AuthorizeMetrics
// allows it, and answers the rest with one 401 that tells nothing about
// why, as the manager API does.
func (s *Server) authorizeMetrics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allowed, err := false, error(nil)
		if s.cfg.AuthorizeMetrics != nil {
			allowed, err = s.cfg.AuthorizeMetrics(r)
		}
		switch {
		case err != nil:
			s.cfg.Logger.ErrorContext(r.Context(), "authorize metrics", "err", err)
			WriteError(w, http.StatusInternalServerError, "internal", "the metrics could not be authorised; see the service's log")
		case !allowed:
			w.Header().Set("WWW-Authenticate", `Bearer realm="khidi"`)
			WriteError(w, http.StatusUnauthorized, "unauthorized", "send a metrics token as Authorization: Bearer TOKEN; `khidi token create --metrics` makes one")
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// orDefault returns v, or def when v is not positive.
func orDefault[T int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Handle registers h for pattern, a ServeMux pattern that should name its
// method ("POST /api/rounds/{id}/publish"). The pattern is the route label
// of the request's log line and metrics, so wildcards, not values, must
// stand for secrets ("GET /host/{token}"). Like [http.ServeMux.Handle] it
// panics on an invalid pattern or one that conflicts with another: a
// programming error, found when the routes are registered at start-up.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.mux.Handle(pattern, h)
	s.routes = append(s.routes, pattern)
}

// HandleFunc registers the handler function h for pattern, as [Server.Handle].
func (s *Server) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	s.Handle(pattern, http.HandlerFunc(h))
}

// Routes returns every registered pattern, in registration order, so that
// tests can try each route (authorisation, documentation).
func (s *Server) Routes() []string { return slices.Clone(s.routes) }

// Registry returns the registry GET /metrics exposes, for other packages to
// register their own collectors (offers by state, job runs, outbox depth).
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// ServeHTTP answers r through the middleware and the registered routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve answers requests on ln until ctx is done, then stops accepting
// connections and waits up to Config.ShutdownTimeout for the requests in
// flight to finish. It closes ln. It returns nil after a clean shutdown,
// and an error if ln fails or requests were still running at the deadline
// (they are then cut off).
//
// Requests do not inherit ctx: they must not be cancelled the moment the
// server is told to stop, since letting them finish is the point.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	addr := ln.Addr().String()
	s.cfg.Logger.InfoContext(ctx, "listening", "addr", addr)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		// Serve returns only on failure until Shutdown is called.
		return fmt.Errorf("serve on %s: %w", addr, err)
	case <-ctx.Done():
	}

	s.cfg.Logger.InfoContext(ctx, "shutting down", "addr", addr, "grace", s.cfg.ShutdownTimeout)
	// ctx is done, so the grace period needs a deadline of its own.
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutCtx)
	<-served // http.ErrServerClosed, as soon as Shutdown began
	if err != nil {
		srv.Close()
		return fmt.Errorf("shut down %s: requests still running after %v were cut off: %w", addr, s.cfg.ShutdownTimeout, err)
	}
	s.cfg.Logger.InfoContext(ctx, "stopped", "addr", addr)
	return nil
}
