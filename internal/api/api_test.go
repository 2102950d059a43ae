package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

// engines are the databases every handler test runs on.
var engines = storetest.Engines()

// clock is the tests' fixed now: before demodata's programme year (2027),
// so that rounds are published ahead of it.
var clock = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func now() time.Time { return clock }

// testMaxBody is the server's body limit in the tests: above the demo
// programme's JSON (about 300 KB), low enough to exceed in a test.
const testMaxBody = 2 << 20

// testBase is the public address the tests' links start with; its path
// checks that links keep it.
const testBase = "https://khidi.example.org/k"

// testEnv is a running API on a fresh database, with an admin token.
type testEnv struct {
	t     *testing.T
	db    *store.DB
	url   string
	admin string // a usable admin token
}

// newTestEnv serves the API on a fresh database at dsn.
func newTestEnv(t *testing.T, dsn string) *testEnv {
	t.Helper()
	db, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = now
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	base, err := url.Parse(testBase)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Logger: logger, DB: db, BaseURL: base, MaxBodyBytes: testMaxBody})
	if err != nil {
		t.Fatal(err)
	}
	Register(srv, Deps{Store: db, Offers: &offers.Service{Store: db, Now: now}, Logger: logger, Now: now, BaseURL: base})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	admin, _, err := access.Issue(t.Context(), db, access.Grant{Kind: program.TokenAdmin, Lifetime: access.AdminLifetime, Note: "tests", Actor: "test"}, clock)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, db: db, url: ts.URL, admin: admin}
}

// response is an answer the tests read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// decode decodes the JSON body into v.
func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response body %.300s: %v", r.body, err)
	}
}

// apiError is the body of an error answer.
type apiError struct {
	Error struct {
		Code    string    `json:"code"`
		Message string    `json:"message"`
		Details []problem `json:"details"`
	} `json:"error"`
}

// request is one request to send.
type request struct {
	method, path string
	token        string // sent as Authorization: Bearer; "" sends none
	contentType  string // application/json when a body is given
	body         string
	header       http.Header // more headers
	chunked      bool        // send the body without a Content-Length
}

// do sends req and reads the whole answer.
func (e *testEnv) do(req request) *response {
	e.t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
		if req.chunked {
			body = io.MultiReader(body) // hides the length, so it is sent chunked
		}
	}
	hr, err := http.NewRequestWithContext(e.t.Context(), req.method, e.url+req.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range req.header {
		hr.Header[k] = vs
	}
	if req.body != "" {
		ct := req.contentType
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	if req.token != "" {
		hr.Header.Set("Authorization", "Bearer "+req.token)
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{res.StatusCode, res.Header, b}
}

// call sends an admin request with a JSON body (none when body is "") and
// fails the test unless the answer has status want.
func (e *testEnv) call(method, path, body string, want int) *response {
	e.t.Helper()
	res := e.do(request{method: method, path: path, token: e.admin, body: body})
	if res.status != want {
		e.t.Fatalf("%s %s %s: status %d, want %d; body %.600s", method, path, body, res.status, want, res.body)
	}
	return res
}

// callJSON is call, decoding the answer into v.
func (e *testEnv) callJSON(method, path, body string, want int, v any) {
	e.t.Helper()
	e.call(method, path, body, want).decode(e.t, v)
}

// mustJSON encodes v.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// demoJSON returns demodata's programme for seed as the JSON file
// `khidi import` reads.
func demoJSON(t *testing.T, seed uint64) (string, demodata.Programme) {
	t.Helper()
	p := demodata.Generate(demodata.Config{Seed: seed})
	return mustJSON(t, map[string]any{"organizations": p.Organizations, "participants": p.Participants, "communities": p.Communities}), p
}

// importDemo imports demodata's programme for seed through the API.
func (e *testEnv) importDemo(seed uint64) demodata.Programme {
	e.t.Helper()
	body, p := demoJSON(e.t, seed)
	var rep importReport
	e.callJSON("POST", "/api/import", body, http.StatusOK, &rep)
	if rep.Organizations != len(p.Organizations) || rep.Participants != len(p.Participants) || !rep.Written {
		e.t.Fatalf("import of the demo programme = %+v, want %d organisations, %d participants, written",
			rep, len(p.Organizations), len(p.Participants))
	}
	return p
}

// snapshot returns everything in the database that a request could
// change (storetest.Snapshot).
func (e *testEnv) snapshot() string {
	e.t.Helper()
	return string(storetest.Snapshot(e.t, e.db))
}
