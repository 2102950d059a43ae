package service_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

// guard is what a route asks of its caller.
type guard int

const (
	// public routes answer anyone: probes, the API's description and the
	// pages' stylesheet.
	public guard = iota
	// adminKey routes, the manager API, want an admin token as
	// Authorization: Bearer TOKEN.
	adminKey
	// metricsKey routes, the metrics, want a metrics token as
	// Authorization: Bearer TOKEN.
	metricsKey
	// hostLink routes, the host pages, carry a host's token in the path.
	hostLink
	// feedLink routes, the calendar feeds, carry a feed token in the path
	// as TOKEN.ics.
	feedLink
)

// routeCase is how the matrix calls one registered route.
type routeCase struct {
	guard guard
	// id replaces {id}: a real id of the kind the route names.
	id string
	// file replaces {file} where it is not the credential.
	file string
	// owner is the credential that opens the route, tried last to show
	// that the refusals were the guard's; "" on a public route.
	owner string
}

// credential is one way of calling a route.
type credential struct {
	name  string
	token string // "" carries none
}

// probeBody is sent with every API request that may have a body: an
// unknown field, which the API refuses (400) once past the token check,
// so the positive controls reach the handlers without running a round or a
// schedule.
const probeBody = `{"probe":true}`

// TestEveryRouteRefusesBadCredentials calls every route the service
// registers with every credential that must not open it: none, a malformed
// token, a well-formed unknown one, one of the wrong kind (an admin token
// on a link, a link on the API), host A's link on host B's offer, and an
// expired and a revoked token of the right kind. The API answers each with
// one identical 401, the host pages with one identical 404 page, the feeds
// with the server's plain 404, and the public routes answer everyone. The
// database must not change. A route missing from the table fails the test,
// so every new route has to say who may call it.
func TestEveryRouteRefusesBadCredentials(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			s := newTestService(t, engine.DSN(t))
			hostA, hostB := s.busiestHosts()
			offerB := s.openOffers(hostB)[0]
			person := string(offerB.ParticipantID)
			now := time.Now()
			past, later := now.Add(-time.Minute), now.Add(time.Hour)
			admin := s.saveToken(program.TokenAdmin, "", later, false)
			feed := s.saveToken(program.TokenFeed, person, time.Time{}, false)
			revokedAdmin := s.saveToken(program.TokenAdmin, "", later, true)
			metrics := s.saveToken(program.TokenMetrics, "", time.Time{}, false)
			programme := s.saveToken(program.TokenProgramme, "", time.Time{}, false)
			credentials := []credential{
				{"no credential", ""},
				{"malformed token", "not-a-token"},
				{"unknown token", strings.Repeat("0123456789abcdef", 3)},
				{"admin token", admin},
				{"metrics token", metrics},
				{"programme token", programme},
				{"revoked metrics token", s.saveToken(program.TokenMetrics, "", time.Time{}, true)},
				{"host A's link", s.links[hostA]},
				{"feed token", feed},
				{"expired admin token", s.saveToken(program.TokenAdmin, "", past, false)},
				{"revoked admin token", revokedAdmin},
				{"expired link of host B", s.saveToken(program.TokenHost, string(hostB), past, false)},
				{"revoked link of host B", s.saveToken(program.TokenHost, string(hostB), later, true)},
				{"expired feed token", s.saveToken(program.TokenFeed, person, past, false)},
				{"revoked feed token", s.saveToken(program.TokenFeed, person, time.Time{}, true)},
			}

			// An event of the person and host B, so that their calendars
			// have something to show.
			start := now.Add(7 * 24 * time.Hour).UTC().Truncate(time.Hour)
			if _, err := s.db.SaveEvents(t.Context(), []program.Event{{
				Kind: program.EventInternship, Title: "Internship", Start: start, End: start.Add(8 * time.Hour),
				Zone: "Asia/Tbilisi", UID: "auth-matrix@khidi.test", Status: program.EventScheduled,
				Attendees: []program.Attendee{{ID: person, Email: "person@example.ge"}, {ID: string(hostB), Email: "host@example.ge"}},
			}}, store.AnyRevision); err != nil {
				t.Fatal(err)
			}

			round := fmt.Sprint(s.round.ID)
			cases := map[string]routeCase{
				"GET /healthz":                      {guard: public},
				"GET /readyz":                       {guard: public},
				"GET /metrics":                      {guard: metricsKey, owner: metrics},
				"GET /openapi.json":                 {guard: public},
				"GET /assets/{file}":                {guard: public, file: "style.css"},
				"GET /api/rounds":                   {guard: adminKey, owner: admin},
				"POST /api/rounds":                  {guard: adminKey, owner: admin},
				"GET /api/rounds/{id}":              {guard: adminKey, id: round, owner: admin},
				"GET /api/rounds/{id}/explanations": {guard: adminKey, id: round, owner: admin},
				"POST /api/rounds/{id}/rerun":       {guard: adminKey, id: round, owner: admin},
				"POST /api/rounds/{id}/publish":     {guard: adminKey, id: round, owner: admin},
				"GET /api/rounds/{id}/state":        {guard: adminKey, id: round, owner: admin},
				"POST /api/rounds/{id}/close":       {guard: adminKey, id: round, owner: admin},
				"POST /api/offers/{id}/withdraw":    {guard: adminKey, id: fmt.Sprint(offerB.ID), owner: admin},
				"POST /api/import":                  {guard: adminKey, owner: admin},
				"POST /api/schedule":                {guard: adminKey, owner: admin},
				"GET /api/calendars/programme.ics":  {guard: adminKey, owner: admin},
				"GET /api/calendars/people/{file}":  {guard: adminKey, file: person + ".ics", owner: admin},
				"GET /api/calendars/orgs/{file}":    {guard: adminKey, file: string(hostB) + ".ics", owner: admin},
				"POST /api/tokens":                  {guard: adminKey, owner: admin},
				"GET /api/tokens":                   {guard: adminKey, owner: admin},
				// Revoking a revoked token changes nothing, so the
				// positive control leaves the other tokens working.
				"DELETE /api/tokens/{id}": {guard: adminKey, id: revokedAdmin[:16], owner: admin},
				"GET /api/audit":          {guard: adminKey, owner: admin},
				// Host A opens its own page; on the offer routes, whose
				// offer is host B's, only host B's link may.
				"GET /host/{token}":              {guard: hostLink, owner: s.links[hostA]},
				"GET /host/{token}/offers/{id}":  {guard: hostLink, id: fmt.Sprint(offerB.ID), owner: s.links[hostB]},
				"POST /host/{token}/offers/{id}": {guard: hostLink, id: fmt.Sprint(offerB.ID), owner: s.links[hostB]},
				"GET /calendars/{file}":          {guard: feedLink, owner: feed},
			}
			routes := s.svc.Routes()
			registered := map[string]bool{}
			for _, p := range routes {
				registered[p] = true
				if _, ok := cases[p]; !ok {
					t.Errorf("route %q is not in this test's table: say who may call it and with which ids", p)
				}
			}
			for p := range cases {
				if !registered[p] {
					t.Errorf("the table lists %q, which the service does not register", p)
				}
			}

			// What a refusal must look like, byte for byte.
			hostRefusal := s.call("GET", "/host/"+strings.Repeat("f", 48), "", nil)
			notServed := s.call("GET", "/no/such/page", "", nil)
			if hostRefusal.status != http.StatusNotFound || notServed.status != http.StatusNotFound {
				t.Fatalf("reference 404s: host page %d, unknown path %d", hostRefusal.status, notServed.status)
			}
			var apiRefusal, metricsRefusal *response

			before := s.snapshot()
			for _, pattern := range routes {
				rc, ok := cases[pattern]
				if !ok {
					continue
				}
				for _, c := range credentials {
					if rc.guard != public && c.token == rc.owner {
						continue // the positive control, below
					}
					if rc.guard == feedLink && c.token == programme {
						continue // the programme's feed: a positive control too
					}
					res := s.callRoute(pattern, rc, c.token)
					what := fmt.Sprintf("%s with %s", pattern, c.name)
					switch rc.guard {
					case public:
						if res.status != http.StatusOK {
							t.Errorf("%s: status %d, want 200: the route is public", what, res.status)
						}
					case adminKey, metricsKey:
						first := map[guard]**response{adminKey: &apiRefusal, metricsKey: &metricsRefusal}[rc.guard]
						if *first == nil {
							*first = res
						}
						var body apiError
						if err := json.Unmarshal(res.body, &body); err != nil || res.status != http.StatusUnauthorized ||
							body.Error.Code != "unauthorized" || !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
							t.Errorf("%s: %d %q, WWW-Authenticate %q; want a 401 unauthorized JSON error asking for a Bearer token",
								what, res.status, res.body, res.header.Get("WWW-Authenticate"))
						}
						res.mustEqual(t, what, *first)
					case hostLink:
						if c.token == "" {
							// No token is no path the pages serve: the
							// server's own 404 (on the offer routes after
							// the redirect that cleans the empty segment
							// away).
							res.mustEqual(t, what, notServed)
						} else {
							res.mustEqual(t, what, hostRefusal)
						}
					case feedLink:
						res.mustEqual(t, what, notServed)
					}
				}
			}
			if after := s.snapshot(); !bytes.Equal(after, before) {
				t.Fatalf("requests with credentials that must not open their routes changed the database")
			}

			// Each guarded route opens to its owner, so the refusals were
			// the guard's. The API goes last: closing the round and
			// withdrawing host B's offer would change what the pages show.
			for _, api := range []bool{false, true} {
				for _, pattern := range routes {
					rc := cases[pattern]
					if rc.guard == public || (rc.guard == adminKey) != api {
						continue
					}
					// An API request ends at its handler, which refuses
					// the probe body or answers; a page or a feed is
					// served (an answer after its redirect).
					owners := []string{rc.owner}
					if rc.guard == feedLink {
						owners = append(owners, programme)
					}
					for _, owner := range owners {
						res := s.callRoute(pattern, rc, owner)
						if (api && res.status == http.StatusUnauthorized) || (!api && res.status != http.StatusOK) {
							t.Errorf("%s with its owner's credential: %d %.300s; want it past the guard", pattern, res.status, res.body)
						}
					}
				}
			}
		})
	}
}

// apiError is the body of the API's errors.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// response is an answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// mustEqual fails t unless res is want's status, content type and body:
// a refusal must not tell one bad credential from another.
func (res *response) mustEqual(t *testing.T, what string, want *response) {
	t.Helper()
	if res.status != want.status || res.header.Get("Content-Type") != want.header.Get("Content-Type") || !bytes.Equal(res.body, want.body) {
		t.Errorf("%s: %d %s %.200q; want the same answer as every refusal: %d %s %.200q", what,
			res.status, res.header.Get("Content-Type"), res.body, want.status, want.header.Get("Content-Type"), want.body)
	}
}

// callRoute calls the route pattern with its ids from rc and the
// credential token, carried where the route's guard looks for it.
func (s *testService) callRoute(pattern string, rc routeCase, token string) *response {
	s.t.Helper()
	method, path, _ := strings.Cut(pattern, " ")
	file := rc.file
	if rc.guard == feedLink {
		file = token + ".ics"
	}
	path = strings.NewReplacer("{id}", rc.id, "{file}", file, "{token}", token).Replace(path)
	if strings.Contains(path, "{") {
		s.t.Fatalf("route %q: the table gives no value for a wildcard in %q", pattern, path)
	}
	var header http.Header
	if rc.guard == public || rc.guard == adminKey || rc.guard == metricsKey {
		header = http.Header{}
		if token != "" {
			header.Set("Authorization", "Bearer "+token)
		}
	}
	var body string
	switch {
	case method != http.MethodPost:
	case rc.guard == hostLink:
		// An answer that would change the offer, were the link accepted.
		body = url.Values{"decision": {"accept"}, "reason": {"matrix"}}.Encode()
		header = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	default:
		body = probeBody
		header.Set("Content-Type", "application/json")
	}
	return s.call(method, path, body, header)
}

// call sends one request to the service and reads the answer. Redirects are
// followed, as a browser would: a refused request must not end anywhere
// else than its refusal.
func (s *testService) call(method, path, body string, header http.Header) *response {
	s.t.Helper()
	req, err := http.NewRequestWithContext(s.t.Context(), method, s.url+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read the answer: %v", method, path, err)
	}
	return &response{res.StatusCode, res.Header, b}
}
