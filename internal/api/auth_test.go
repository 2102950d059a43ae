package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
)

// TestUnauthorized sends every route of the table every kind of bad
// credentials and checks that each gets the same 401, and that the
// database does not change. Each route is sent a request that would change
// something, were the token accepted.
func TestUnauthorized(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, engine.DSN(t))
			ctx := t.Context()
			e.importDemo(5)
			var proposed, published runResponse
			e.callJSON("POST", "/api/rounds", `{"kind":"community_visit"}`, http.StatusCreated, &proposed)
			e.callJSON("POST", "/api/rounds", `{"kind":"internship"}`, http.StatusCreated, &published)
			deadline := clock.Add(7 * 24 * time.Hour).Format(time.RFC3339)
			e.call("POST", fmt.Sprintf("/api/rounds/%d/publish", published.Round.ID), fmt.Sprintf(`{"deadline":%q}`, deadline), http.StatusOK)
			offer := e.readRound(published.Round.ID).Matches[0]

			// saveToken stores a token made with access.New and returns it.
			saveToken := func(kind program.TokenKind, subject string, expires time.Time) string {
				plain, tok, err := access.New(kind, subject, expires, "")
				if err != nil {
					t.Fatal(err)
				}
				if err := e.db.SaveTokens(ctx, "test", []program.AccessToken{tok}); err != nil {
					t.Fatal(err)
				}
				return plain
			}
			spare := saveToken(program.TokenAdmin, "", time.Time{})

			// A request per route that would change or reveal something.
			samples := map[string]request{
				"GET /api/rounds":                   {path: "/api/rounds"},
				"POST /api/rounds":                  {path: "/api/rounds", body: `{"kind":"internship"}`},
				"GET /api/rounds/{id}":              {path: fmt.Sprintf("/api/rounds/%d", proposed.Round.ID)},
				"GET /api/rounds/{id}/explanations": {path: fmt.Sprintf("/api/rounds/%d/explanations", proposed.Round.ID)},
				"POST /api/rounds/{id}/rerun":       {path: fmt.Sprintf("/api/rounds/%d/rerun", proposed.Round.ID), body: `{"settings":{"threshold":0.5}}`},
				"POST /api/rounds/{id}/publish":     {path: fmt.Sprintf("/api/rounds/%d/publish", proposed.Round.ID), body: fmt.Sprintf(`{"deadline":%q}`, deadline)},
				"GET /api/rounds/{id}/state":        {path: fmt.Sprintf("/api/rounds/%d/state", published.Round.ID)},
				"POST /api/rounds/{id}/close":       {path: fmt.Sprintf("/api/rounds/%d/close", published.Round.ID)},
				"POST /api/offers/{id}/withdraw":    {path: fmt.Sprintf("/api/offers/%d/withdraw", offer.ID)},
				"POST /api/import":                  {path: "/api/import", contentType: "text/csv", body: "id,name,region,lat,lon,needs,visits_per_year\nc-new,New,Guria,41.9,42.0,environment,2\n"},
				"POST /api/schedule":                {path: "/api/schedule", body: `{"year":2027,"proposed":true}`},
				"GET /api/calendars/programme.ics":  {path: "/api/calendars/programme.ics?year=2027"},
				"GET /api/calendars/people/{file}":  {path: "/api/calendars/people/" + string(offer.ParticipantID) + ".ics"},
				"GET /api/calendars/orgs/{file}":    {path: "/api/calendars/orgs/" + string(offer.HostID) + ".ics"},
				"POST /api/tokens":                  {path: "/api/tokens", body: `{"kind":"admin"}`},
				"GET /api/tokens":                   {path: "/api/tokens"},
				"DELETE /api/tokens/{id}":           {path: "/api/tokens/" + spare[:16]},
				"GET /api/audit":                    {path: "/api/audit"},
			}

			// Every kind of credentials that must not open the API.
			revoked := saveToken(program.TokenAdmin, "", time.Time{})
			if err := e.db.RevokeToken(ctx, revoked[:16], "tests"); err != nil {
				t.Fatal(err)
			}
			wrongSecret := e.admin[:16] + strings.Repeat("0", access.Length-16)
			if wrongSecret == e.admin {
				wrongSecret = e.admin[:16] + strings.Repeat("1", access.Length-16)
			}
			credentials := []struct {
				name   string
				header string // the Authorization header; "" sends none
			}{
				{"no token", ""},
				{"empty bearer", "Bearer "},
				{"another scheme", "Basic " + e.admin},
				{"malformed token", "Bearer not-a-token"},
				{"right length, not hexadecimal", "Bearer " + strings.Repeat("z", access.Length)},
				{"unknown token", "Bearer " + strings.Repeat("ab", access.Length/2)},
				{"wrong secret", "Bearer " + wrongSecret},
				{"expired admin token", "Bearer " + saveToken(program.TokenAdmin, "", clock.Add(-time.Minute))},
				{"revoked admin token", "Bearer " + revoked},
				{"host token", "Bearer " + saveToken(program.TokenHost, string(offer.HostID), clock.Add(time.Hour))},
				{"feed token", "Bearer " + saveToken(program.TokenFeed, string(offer.ParticipantID), time.Time{})},
				{"metrics token", "Bearer " + saveToken(program.TokenMetrics, "", time.Time{})},
			}

			before := e.snapshot()
			var message string
			for _, rt := range (&api{}).routes() {
				if rt.public {
					continue
				}
				sample, ok := samples[rt.pattern]
				if !ok {
					t.Errorf("route %q has no sample request in this test; add one", rt.pattern)
					continue
				}
				sample.method, _, _ = strings.Cut(rt.pattern, " ")
				for _, c := range credentials {
					req := sample
					if c.header != "" {
						req.header = http.Header{"Authorization": {c.header}}
					}
					res := e.do(req)
					var body apiError
					res.decode(t, &body)
					if res.status != http.StatusUnauthorized || body.Error.Code != "unauthorized" ||
						!strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("%s with %s: %d %+v, WWW-Authenticate %q; want 401 unauthorized with Bearer",
							rt.pattern, c.name, res.status, body.Error, res.header.Get("WWW-Authenticate"))
					}
					if message == "" {
						message = body.Error.Message
					}
					if body.Error.Message != message {
						t.Errorf("%s with %s: message %q differs from %q: a 401 must not tell what was wrong", rt.pattern, c.name, body.Error.Message, message)
					}
				}
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("requests without a usable admin token changed the database")
			}

			// The same requests with the admin token get past the check, so
			// the refusals above were the check's.
			for _, rt := range (&api{}).routes() {
				sample, ok := samples[rt.pattern]
				if !ok {
					continue
				}
				sample.method, _, _ = strings.Cut(rt.pattern, " ")
				sample.token = e.admin
				if res := e.do(sample); res.status == http.StatusUnauthorized {
					t.Errorf("%s with the admin token: 401 %s", rt.pattern, res.body)
				}
			}
		})
	}
}
