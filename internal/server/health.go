package server

import (
	"context"
	"io"
	"net/http"
)

// healthz answers 200 while the process runs: a liveness probe restarts
// the process when it stops answering, so it checks nothing else.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeOK(w)
}

// readyz answers 200 when the database answers a ping, and 503 otherwise,
// so that a load balancer stops sending requests to a replica that has lost
// its database instead of letting each of them fail.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.cfg.DB.Ping(ctx); err != nil {
		// The cause (host names, driver messages) goes to the log only.
		s.cfg.Logger.WarnContext(ctx, "not ready", "err", err)
		w.Header().Set("Cache-Control", "no-store")
		WriteError(w, http.StatusServiceUnavailable, "unavailable", "the database does not answer")
		return
	}
	writeOK(w)
}

// writeOK writes the plain "ok" of a passing probe, never cached.
func writeOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, "ok\n")
}
