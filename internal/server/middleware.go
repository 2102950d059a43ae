package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// contentSecurityPolicy lets pages load scripts, styles, images and fonts
// from the service itself only; without 'unsafe-inline', inline scripts and
// event-handler attributes do not run, so injected markup cannot execute.
// Forms may post only to the service, and no other site may frame it.
const contentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

// hsts tells browsers to reach the service over https only, for a year.
// includeSubDomains is left out: the service's host may share a domain
// with sites the programme does not run.
const hsts = "max-age=31536000"

// secureHeaders sets the headers every response carries, before the
// handler runs, so that error responses have them too.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	https := s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Secret links (host pages, calendar feeds) must not travel to
		// other sites in the Referer header, not even as an origin.
		h.Set("Referrer-Policy", "no-referrer")
		if https {
			h.Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}

// unmatched is the route label of requests that reached no handler.
const unmatched = "unmatched"

// routeKey is the context key under which observe leaves a slot for
// dispatch to report the route pattern that matched.
type routeKey struct{}

// observe logs each request once and counts it in the metrics, labelled by
// the route pattern and never by the path, and turns a handler's panic into
// a 500.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// The mux sets r.Pattern on the request it is handed, which the
		// middleware in between may have copied; dispatch writes it here.
		route := new(string)
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, route))
		rec := &recorder{ResponseWriter: w}
		defer func() {
			v := recover()
			// A panic after the status was sent cannot become a 500;
			// http.ErrAbortHandler makes net/http cut the connection, so
			// the client sees a broken response, not a short one.
			abort := v == http.ErrAbortHandler || (v != nil && rec.status != 0)
			if v != nil && v != http.ErrAbortHandler {
				s.cfg.Logger.ErrorContext(r.Context(), "panic", "method", r.Method, "route", routeLabel(*route),
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.status == 0 {
					WriteError(rec, http.StatusInternalServerError, "internal", "internal error")
				}
			}
			status := rec.status
			if status == 0 && v == nil {
				status = http.StatusOK // what net/http sends for a handler that wrote nothing
			}
			s.record(r, routeLabel(*route), status, rec.bytes, time.Since(start))
			if abort {
				panic(http.ErrAbortHandler)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// record writes the request's log line and metrics. A status of 0 means
// the connection was cut before any status was sent.
func (s *Server) record(r *http.Request, route string, status int, bytes int64, d time.Duration) {
	level := slog.LevelInfo
	if status >= 500 || status == 0 {
		level = slog.LevelError
	}
	s.cfg.Logger.LogAttrs(r.Context(), level, "request",
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.Int64("bytes", bytes),
	)
	s.metrics.observe(route, r.Method, status, d)
}

// routeLabel names a request's route for logs and metrics.
func routeLabel(pattern string) string {
	if pattern == "" {
		return unmatched
	}
	return pattern
}

// limitBody refuses bodies larger than Config.MaxBodyBytes: at once when
// the request declares its length, otherwise when the handler reads past
// the limit.
func (s *Server) limitBody(next http.Handler) http.Handler {
	limited := http.MaxBytesHandler(next, s.cfg.MaxBodyBytes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBodyBytes {
			WriteError(w, http.StatusRequestEntityTooLarge, "body_too_large",
				fmt.Sprintf("the request body is %d bytes; the limit is %d", r.ContentLength, s.cfg.MaxBodyBytes))
			return
		}
		limited.ServeHTTP(w, r)
	})
}

// dispatch hands r to the mux, reports the matched pattern to observe, and
// makes the mux's own 404 and 405 answers under /api/ JSON.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	route := r.Context().Value(routeKey{}).(*string)
	// Deferred, so that a panicking handler is still logged by its route.
	defer func() { *route = r.Pattern }()
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w = &apiMissWriter{ResponseWriter: w, r: r}
	}
	s.mux.ServeHTTP(w, r)
}

// recorder remembers the status and the body size of a response.
type recorder struct {
	http.ResponseWriter
	status int   // the final status sent, 0 until then
	bytes  int64 // body bytes written
}

func (rec *recorder) WriteHeader(code int) {
	// 1xx responses are informational; the final status follows.
	if rec.status == 0 && code >= 200 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer, for
// flushing and per-request deadlines.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// apiMissWriter rewrites the mux's plain-text 404 and 405, which it sends
// only when no pattern matched (r.Pattern is empty), as JSON errors, so API
// clients always get one error shape. What handlers write passes untouched.
type apiMissWriter struct {
	http.ResponseWriter
	r        *http.Request
	replaced bool // the mux's body is dropped
}

func (w *apiMissWriter) WriteHeader(code int) {
	if w.r.Pattern == "" && !w.replaced {
		switch code {
		case http.StatusNotFound:
			w.replaced = true
			WriteError(w.ResponseWriter, code, "not_found", "no such API endpoint")
			return
		case http.StatusMethodNotAllowed:
			w.replaced = true
			// The mux has set the Allow header already.
			WriteError(w.ResponseWriter, code, "method_not_allowed", "the endpoint does not accept this method; the Allow header lists those it does")
			return
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *apiMissWriter) Write(p []byte) (int, error) {
	if w.replaced {
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *apiMissWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
