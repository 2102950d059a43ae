package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/khidi/khidi/internal/logtest"
)

// fakeDB is a Pinger made of a function.
type fakeDB struct {
	PingFunc func(ctx context.Context) error
}

func (f fakeDB) Ping(ctx context.Context) error { return f.PingFunc(ctx) }

// okDB answers every ping.
var okDB = fakeDB{PingFunc: func(context.Context) error { return nil }}

// newTestServer returns a server with cfg's Logger writing text to the
// returned buffer and, unless cfg sets one, a database that always answers.
func newTestServer(t *testing.T, cfg Config) (*Server, *logtest.Buffer) {
	t.Helper()
	logs := new(logtest.Buffer)
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if cfg.DB == nil {
		cfg.DB = okDB
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, logs
}

// serve answers req in process.
func serve(s *Server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// mustBaseURL parses raw or fails the test.
func mustBaseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := ParseBaseURL(raw)
	if err != nil {
		t.Fatalf("ParseBaseURL(%q): %v", raw, err)
	}
	return u
}

// decodeError returns the code of a JSON error response, failing the test
// when the response is not one.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("error response Content-Type = %q, want application/json", ct)
	}
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error response %q is not JSON: %v", rec.Body, err)
	}
	if body.Error.Code == "" || body.Error.Message == "" {
		t.Errorf("error response %q lacks a code or a message", rec.Body)
	}
	return body.Error.Code
}

func TestSecurityHeaders(t *testing.T) {
	always := map[string]string{
		"Content-Security-Policy": contentSecurityPolicy,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	tests := []struct {
		name     string
		baseURL  string
		path     string
		wantHSTS bool
	}{
		{"no base URL", "", "/healthz", false},
		{"http base URL", "http://localhost:8080", "/healthz", false},
		{"https base URL", "https://khidi.example.org", "/healthz", true},
		{"not found", "https://khidi.example.org", "/nothing", true},
		{"API error", "https://khidi.example.org", "/api/nothing", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg Config
			if tt.baseURL != "" {
				cfg.BaseURL = mustBaseURL(t, tt.baseURL)
			}
			s, _ := newTestServer(t, cfg)
			rec := serve(s, httptest.NewRequest("GET", tt.path, nil))
			for name, want := range always {
				if got := rec.Header().Get(name); got != want {
					t.Errorf("GET %s: %s = %q, want %q", tt.path, name, got, want)
				}
			}
			if got := rec.Header().Get("Strict-Transport-Security"); (got != "") != tt.wantHSTS {
				t.Errorf("GET %s: Strict-Transport-Security = %q, want it set: %v", tt.path, got, tt.wantHSTS)
			}
		})
	}
	if strings.Contains(contentSecurityPolicy, "unsafe-inline") || !strings.Contains(contentSecurityPolicy, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q must be default-src 'self' without 'unsafe-inline'", contentSecurityPolicy)
	}
}

// secret is the token in the test's secret links; it must appear in no
// log line and no metric.
const secret = "s3cr3t-T0KEN"

// calendarRoute is registered like the real calendar feeds: the token is
// a wildcard of the pattern.
func calendarRoute(s *Server) {
	s.HandleFunc("GET /calendars/{token}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
	})
}

func TestRequestLogNamesTheRouteNotThePath(t *testing.T) {
	s, logs := newTestServer(t, Config{AuthorizeMetrics: scraper})
	calendarRoute(s)
	rec := serve(s, httptest.NewRequest("GET", "/calendars/"+secret+".ics?token="+secret, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET calendar: status %d, want 200", rec.Code)
	}
	log := logs.String()
	if strings.Count(log, "msg=request") != 1 {
		t.Errorf("want exactly one request line, got:\n%s", log)
	}
	for _, want := range []string{`method=GET`, `route="GET /calendars/{token}"`, `status=200`, `bytes=32`, `duration=`} {
		if !strings.Contains(log, want) {
			t.Errorf("request log %q lacks %s", log, want)
		}
	}
	if strings.Contains(log, secret) {
		t.Errorf("request log %q contains the secret token", log)
	}
	scrape := httptest.NewRequest("GET", "/metrics", nil)
	scrape.Header.Set("Authorization", "Bearer ok")
	if metrics := serve(s, scrape).Body.String(); !strings.Contains(metrics, "khidi_http_requests_total") || strings.Contains(metrics, secret) {
		t.Errorf("metrics lack the requests or contain the secret token:\n%s", metrics)
	}
}

func TestPanicIsA500AndTheServerGoesOn(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	s.HandleFunc("GET /boom/{token}", func(http.ResponseWriter, *http.Request) { panic("handler bug") })
	rec := serve(s, httptest.NewRequest("GET", "/boom/"+secret, nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("GET /boom: status %d, want 500", rec.Code)
	}
	if code := decodeError(t, rec); code != "internal" {
		t.Errorf("GET /boom: error code %q, want internal", code)
	}
	log := logs.String()
	for _, want := range []string{`msg=panic`, `panic="handler bug"`, `stack=`, `route="GET /boom/{token}" status=500`} {
		if !strings.Contains(log, want) {
			t.Errorf("log %q lacks %s", log, want)
		}
	}
	if strings.Contains(log, secret) {
		t.Errorf("log %q contains the secret token", log)
	}
	if rec := serve(s, httptest.NewRequest("GET", "/healthz", nil)); rec.Code != http.StatusOK {
		t.Errorf("GET /healthz after a panic: status %d, want 200", rec.Code)
	}
}

func TestPanicAfterTheStatusAbortsTheResponse(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	s.HandleFunc("GET /half", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "the first half")
		panic("handler bug")
	})
	// A 500 cannot follow a 200 already sent: the connection must be cut
	// (net/http does so on http.ErrAbortHandler) so the client does not
	// take half a body for a whole one.
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("panic after writing: ServeHTTP panicked with %v, want http.ErrAbortHandler", v)
		}
		if log := logs.String(); !strings.Contains(log, `msg=panic`) || !strings.Contains(log, `route="GET /half" status=200`) {
			t.Errorf("log %q lacks the panic or the request line", log)
		}
	}()
	serve(s, httptest.NewRequest("GET", "/half", nil))
}

func TestBodyLimit(t *testing.T) {
	const limit = 16
	s, _ := newTestServer(t, Config{MaxBodyBytes: limit})
	// The handler answers 413 when its read hits the limit, as API
	// handlers decoding a body do.
	s.HandleFunc("POST /api/import", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if maxErr := (*http.MaxBytesError)(nil); errors.As(err, &maxErr) {
			WriteError(w, http.StatusRequestEntityTooLarge, "body_too_large", "body too large")
			return
		}
		w.Write(body)
	})
	tests := []struct {
		name     string
		body     string
		chunked  bool // no Content-Length: the limit is met while reading
		wantCode int
	}{
		{"under the limit", strings.Repeat("x", limit), false, http.StatusOK},
		{"declared over the limit", strings.Repeat("x", limit+1), false, http.StatusRequestEntityTooLarge},
		{"chunked under the limit", strings.Repeat("x", limit), true, http.StatusOK},
		{"chunked over the limit", strings.Repeat("x", limit+1), true, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/import", strings.NewReader(tt.body))
			if tt.chunked {
				req.ContentLength = -1
			}
			rec := serve(s, req)
			if rec.Code != tt.wantCode {
				t.Fatalf("POST %d bytes: status %d, want %d", len(tt.body), rec.Code, tt.wantCode)
			}
			if tt.wantCode == http.StatusRequestEntityTooLarge {
				if code := decodeError(t, rec); code != "body_too_large" {
					t.Errorf("error code %q, want body_too_large", code)
				}
			} else if rec.Body.String() != tt.body {
				t.Errorf("handler read %q, want %q", rec.Body, tt.body)
			}
		})
	}
}

// scraper lets through requests with the header Authorization: Bearer ok.
func scraper(r *http.Request) (bool, error) { return r.Header.Get("Authorization") == "Bearer ok", nil }

func TestMetrics(t *testing.T) {
	s, _ := newTestServer(t, Config{AuthorizeMetrics: scraper})
	calendarRoute(s)
	// Later packages register their own collectors on the same registry.
	offers := prometheus.NewGauge(prometheus.GaugeOpts{Name: "khidi_test_offers", Help: "A collector registered by another package."})
	s.Registry().MustRegister(offers)
	offers.Set(3)

	serve(s, httptest.NewRequest("GET", "/calendars/"+secret, nil))
	serve(s, httptest.NewRequest("BREW", "/calendars/"+secret, nil))
	serve(s, httptest.NewRequest("GET", "/nothing/"+secret, nil))
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Authorization", "Bearer ok")
	rec := serve(s, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status %d, want 200", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`khidi_http_requests_total{method="GET",route="GET /calendars/{token}",status="200"} 1`,
		`khidi_http_request_duration_seconds_count{method="GET",route="GET /calendars/{token}"} 1`,
		// The mux answers 405 to a method no pattern names.
		`khidi_http_requests_total{method="OTHER",route="unmatched",status="405"} 1`,
		`khidi_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		"khidi_test_offers 3",
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("GET /metrics:\n%s", body)
	}
}

// TestMetricsRefused checks that the metrics are shown only to whom
// Config.AuthorizeMetrics lets through: without it nobody, and a check
// that fails is a 500, not a way in.
func TestMetricsRefused(t *testing.T) {
	broken := func(*http.Request) (bool, error) { return true, errors.New("database down") }
	tests := []struct {
		name      string
		authorize func(*http.Request) (bool, error)
		header    string
		want      int
	}{
		{"no authorizer", nil, "Bearer ok", http.StatusUnauthorized},
		{"no token", scraper, "", http.StatusUnauthorized},
		{"wrong token", scraper, "Bearer no", http.StatusUnauthorized},
		{"check failed", broken, "Bearer ok", http.StatusInternalServerError},
		{"right token", scraper, "Bearer ok", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t, Config{AuthorizeMetrics: tt.authorize})
			req := httptest.NewRequest("GET", "/metrics", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			rec := serve(s, req)
			body := rec.Body.String()
			if rec.Code != tt.want {
				t.Fatalf("GET /metrics: %d %q, want %d", rec.Code, body, tt.want)
			}
			if tt.want != http.StatusOK && (strings.Contains(body, "go_goroutines") || strings.Contains(body, "database down")) {
				t.Errorf("a refusal shows %q", body)
			}
			if tt.want == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("a 401 without WWW-Authenticate: Bearer")
			}
		})
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name     string
		ping     func(ctx context.Context) error
		wantCode int
	}{
		{"database answers", func(context.Context) error { return nil }, http.StatusOK},
		{"database fails", func(context.Context) error { return errors.New("connection refused by db.internal:5432") }, http.StatusServiceUnavailable},
		// The ping gives up at readyTimeout; synctest's clock makes the
		// wait instant.
		{"database hangs", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, logs := newTestServer(t, Config{DB: fakeDB{PingFunc: tt.ping}})
				rec := serve(s, httptest.NewRequest("GET", "/readyz", nil))
				if rec.Code != tt.wantCode {
					t.Fatalf("GET /readyz: status %d, want %d", rec.Code, tt.wantCode)
				}
				if tt.wantCode == http.StatusOK {
					if rec.Body.String() != "ok\n" {
						t.Errorf("GET /readyz: body %q, want ok", rec.Body)
					}
					return
				}
				if code := decodeError(t, rec); code != "unavailable" {
					t.Errorf("GET /readyz: error code %q, want unavailable", code)
				}
				if strings.Contains(rec.Body.String(), "db.internal") {
					t.Errorf("GET /readyz: body %q shows the driver's error; it belongs in the log", rec.Body)
				}
				if !strings.Contains(logs.String(), "not ready") {
					t.Errorf("log %q lacks the failed ping", logs)
				}
			})
		})
	}
}

func TestHealthz(t *testing.T) {
	failing := fakeDB{PingFunc: func(context.Context) error { return errors.New("down") }}
	s, _ := newTestServer(t, Config{DB: failing})
	// Liveness does not depend on the database: restarting the process
	// would not bring it back.
	rec := serve(s, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("GET /healthz with the database down: %d %q, want 200 ok", rec.Code, rec.Body)
	}
}

func TestCrossOriginProtection(t *testing.T) {
	s, _ := newTestServer(t, Config{BaseURL: mustBaseURL(t, "https://khidi.example.org")})
	s.HandleFunc("POST /api/offers/{id}/accept", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "accepted") })
	s.HandleFunc("GET /api/offers", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "[]") })
	tests := []struct {
		name     string
		method   string
		path     string
		header   map[string]string
		wantCode int
	}{
		{"cross-site form post", "POST", "/api/offers/1/accept", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site, other origin", "POST", "/api/offers/1/accept", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"old browser, foreign Origin", "POST", "/api/offers/1/accept", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"same origin", "POST", "/api/offers/1/accept", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK},
		{"API client with a bearer token", "POST", "/api/offers/1/accept", map[string]string{"Authorization": "Bearer xyz"}, http.StatusOK},
		{"no headers", "POST", "/api/offers/1/accept", nil, http.StatusOK},
		{"base URL origin behind a proxy", "POST", "/api/offers/1/accept", map[string]string{"Origin": "https://khidi.example.org"}, http.StatusOK},
		{"cross-site GET is safe", "GET", "/api/offers", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// httptest's Host is example.com, unlike the base URL's,
			// as behind a proxy that rewrites Host.
			req := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := serve(s, req)
			if rec.Code != tt.wantCode {
				t.Fatalf("%s %s with %v: status %d, want %d", tt.method, tt.path, tt.header, rec.Code, tt.wantCode)
			}
			if tt.wantCode == http.StatusForbidden {
				if code := decodeError(t, rec); code != "cross_origin" {
					t.Errorf("error code %q, want cross_origin", code)
				}
			}
		})
	}
}

func TestUnknownRoutes(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	s.HandleFunc("GET /api/rounds/{id}", func(w http.ResponseWriter, _ *http.Request) {
		WriteError(w, http.StatusNotFound, "round_not_found", "no round 7")
	})
	tests := []struct {
		name      string
		method    string
		path      string
		wantCode  int
		wantError string // the JSON error code, or "" for a plain-text answer
	}{
		{"unknown API path", "GET", "/api/nothing", http.StatusNotFound, "not_found"},
		{"wrong API method", "DELETE", "/api/rounds/7", http.StatusMethodNotAllowed, "method_not_allowed"},
		{"handler's own 404 untouched", "GET", "/api/rounds/7", http.StatusNotFound, "round_not_found"},
		{"unknown page", "GET", "/nothing", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(s, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantCode {
				t.Fatalf("%s %s: status %d, want %d", tt.method, tt.path, rec.Code, tt.wantCode)
			}
			if tt.wantError == "" {
				if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
					t.Errorf("%s %s: Content-Type %q, want the mux's plain text", tt.method, tt.path, ct)
				}
				return
			}
			if code := decodeError(t, rec); code != tt.wantError {
				t.Errorf("%s %s: error code %q, want %q", tt.method, tt.path, code, tt.wantError)
			}
		})
	}
	rec := serve(s, httptest.NewRequest("DELETE", "/api/rounds/7", nil))
	if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") {
		t.Errorf("405 Allow = %q, want it to list GET", allow)
	}
}

func TestWriteError(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, http.StatusConflict, "offer_closed", `the offer was "declined" already`)
	const want = `{"error":{"code":"offer_closed","message":"the offer was \"declined\" already"}}` + "\n"
	if rec.Code != http.StatusConflict || rec.Body.String() != want {
		t.Errorf("WriteError wrote %d %q, want 409 %q", rec.Code, rec.Body, want)
	}
}

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		raw    string
		wantOK bool
	}{
		{"https://khidi.example.org", true},
		{"http://localhost:8080", true},
		{"HTTPS://khidi.example.org/khidi/", true},
		{"khidi.example.org", false},
		{"/khidi", false},
		{"ftp://khidi.example.org", false},
		{"https://", false},
		{"https://user:pass@khidi.example.org", false},
		{"https://khidi.example.org/?x=1", false},
		{"https://khidi.example.org/#top", false},
		{"https://khidi.example.org:port", false},
		{"", false},
	}
	for _, tt := range tests {
		u, err := ParseBaseURL(tt.raw)
		if (err == nil) != tt.wantOK {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want ok: %v", tt.raw, u, err, tt.wantOK)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), "http:// or https://") {
			t.Errorf("ParseBaseURL(%q) error %q does not say what is accepted", tt.raw, err)
		}
	}
}

func TestNewNeedsLoggerAndDB(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	for _, cfg := range []Config{{DB: okDB}, {Logger: logger}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded, want an error naming the missing field", cfg)
		}
	}
}

// startServe runs s.Serve on a fresh loopback listener and returns its
// address, the function that stops it, and Serve's result.
func startServe(t *testing.T, s *Server) (addr string, stop context.CancelFunc, served <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	return ln.Addr().String(), cancel, done
}

// blockingRoute registers GET /slow, which reports on started and then
// waits for release before answering.
func blockingRoute(s *Server) (started <-chan struct{}, release chan<- struct{}) {
	start, rel := make(chan struct{}), make(chan struct{})
	s.HandleFunc("GET /slow", func(w http.ResponseWriter, _ *http.Request) {
		close(start)
		<-rel
		io.WriteString(w, "finished")
	})
	return start, rel
}

// get fetches url in the background.
func get(url string) <-chan *http.Response {
	out := make(chan *http.Response, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			out <- nil
			return
		}
		out <- resp
	}()
	return out
}

func TestServeFinishesRequestsInFlight(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	started, release := blockingRoute(s)
	addr, stop, served := startServe(t, s)
	answer := get("http://" + addr + "/slow")
	<-started
	stop()
	// Release the handler only once Serve is shutting down, so the
	// request really is one in flight.
	for !strings.Contains(logs.String(), "shutting down") {
		time.Sleep(time.Millisecond)
	}
	close(release)

	resp := <-answer
	if resp == nil {
		t.Fatal("the request in flight failed during shutdown")
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "finished" {
		t.Errorf("request in flight: %d %q, want 200 finished", resp.StatusCode, body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil after a clean shutdown", err)
	}
	log := logs.String()
	for _, want := range []string{"msg=listening addr=" + addr, "msg=stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log %q lacks %q", log, want)
		}
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Errorf("GET /healthz after Serve returned succeeded; want the listener closed")
	}
}

func TestServeCutsOffRequestsAfterTheGracePeriod(t *testing.T) {
	// A grace period of a nanosecond expires while the handler waits.
	s, _ := newTestServer(t, Config{ShutdownTimeout: 1})
	started, release := blockingRoute(s)
	defer close(release)
	addr, stop, served := startServe(t, s)
	answer := get("http://" + addr + "/slow")
	<-started
	stop()
	if err := <-served; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Serve = %v, want an error wrapping context.DeadlineExceeded", err)
	}
	if resp := <-answer; resp != nil {
		resp.Body.Close()
		t.Errorf("the request cut off got a response, status %d", resp.StatusCode)
	}
}
