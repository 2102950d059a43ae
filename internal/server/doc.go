// Package server is the HTTP plumbing of `khidi serve`: one [Server] that
// owns the standard [http.ServeMux], the middleware every response passes
// through, the service's own Prometheus registry, the health endpoints and
// graceful shutdown. The JSON API, the host pages and the calendar feeds are
// registered on it by other packages with [Server.Handle]; none of them
// needs to repeat what is done here.
//
// # Every request
//
// Outermost first, a request meets:
//
//   - security headers: a Content-Security-Policy that allows only the
//     service's own scripts, styles and images (no inline script),
//     X-Content-Type-Options nosniff, X-Frame-Options DENY,
//     Referrer-Policy no-referrer, because host pages and calendar feeds
//     are reached through secret links that must not leak to other sites
//     in the Referer header, and Strict-Transport-Security when the base
//     URL is https;
//   - observation: one log line per request and the request metrics, both
//     labelled with the route pattern that matched ("GET /calendars/{token}"),
//     never with the raw path or query, which carry secret tokens; a panic
//     in a handler is logged with its stack and answered with a JSON 500,
//     and the server goes on serving;
//   - cross-origin protection ([http.CrossOriginProtection]): a browser's
//     cross-site POST, PUT, PATCH or DELETE is refused with 403, while API
//     clients, which send neither Sec-Fetch-Site nor Origin, pass;
//   - a request body limit: a declared Content-Length over the limit is
//     refused with 413 at once; a body of undeclared length (chunked)
//     fails the handler's read with [*http.MaxBytesError] past the limit,
//     and the handler answers 413;
//   - the mux. Unknown paths and wrong methods under /api/ are answered in
//     JSON like every other API error; elsewhere the mux's plain-text
//     answers stand.
//
// Handlers that flush or extend their write deadline do so with
// [http.ResponseController]: the writers the middleware wraps around the
// connection's unwrap to it.
//
// # Errors
//
// API errors are JSON, {"error":{"code":"…","message":"…"}}, written by
// [WriteError]. The code is stable and meant for programs; the message is
// for people and may change. The plumbing itself answers with the codes
// not_found, method_not_allowed, cross_origin, body_too_large, unavailable
// (GET /readyz) and internal (a panic).
//
// # Metrics
//
// GET /metrics exposes, in the Prometheus text format, the registry
// [Server.Registry] returns: khidi_http_requests_total{route,method,status},
// khidi_http_request_duration_seconds{route,method}, and the Go runtime's
// and the process's collectors. The registry is the server's own, not
// Prometheus's global default, so two servers in one test binary do not
// collide and nothing registers behind the service's back. Requests that
// matched no route (unknown paths, wrong methods, requests refused before
// routing) are labelled route="unmatched", so that clients cannot create
// series at will; methods outside the standard ones are labelled OTHER.
package server
