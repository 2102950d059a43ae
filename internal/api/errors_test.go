package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// badParticipants is a participants file with a bad email on line 3 and an
// unknown organisation on line 4.
const badParticipants = "id,name,email,role,organization_id,region,city,lat,lon,themes,languages,experience_years,available_from,available_to,preferences\n" +
	"p-new-1,Nino,nino@example.ge,activist,,Imereti,Kutaisi,42.2,42.6,environment,ka,1,,,\n" +
	"p-new-2,Giorgi,not-an-address,activist,,Imereti,Kutaisi,42.2,42.6,environment,ka,1,,,\n" +
	"p-new-3,Mariam,mariam@example.ge,activist,o-9,Imereti,Kutaisi,42.2,42.6,environment,ka,1,,,\n"

// TestErrors checks that every kind of bad request gets its status, its
// stable code and, where there is one, the position of the problem, and
// that nothing is written.
func TestErrors(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, engine.DSN(t))
			e.importDemo(4)
			var run runResponse
			e.callJSON("POST", "/api/rounds", `{"kind":"community_visit"}`, http.StatusCreated, &run)
			round := fmt.Sprintf("/api/rounds/%d", run.Round.ID)
			future := clock.Add(24 * time.Hour).Format(time.RFC3339)
			before := e.snapshot()

			tests := []struct {
				name       string
				req        request
				wantStatus int
				wantCode   string
				wantIn     string    // in the message
				wantDetail []problem // each must be among the details (file, line, field compared)
			}{
				{"bad JSON", request{method: "POST", path: "/api/rounds", body: `{"kind": "internship",`},
					http.StatusBadRequest, "bad_request", "ends in the middle", nil},
				{"not JSON", request{method: "POST", path: "/api/rounds", body: `kind=internship`},
					http.StatusBadRequest, "bad_request", "not valid JSON", []problem{{}}},
				{"unknown field", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship","nmae":"x"}`},
					http.StatusBadRequest, "bad_request", `"nmae"`, nil},
				{"unknown nested field", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship","settings":{"treshold":0.3}}`},
					http.StatusBadRequest, "bad_request", `"treshold"`, nil},
				{"wrong type", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship","seed":-1}`},
					http.StatusBadRequest, "bad_request", "want a whole number ≥ 0", []problem{{Field: "seed"}}},
				{"two objects", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship"} {}`},
					http.StatusBadRequest, "bad_request", "more than one", nil},
				{"empty body", request{method: "POST", path: "/api/rounds"},
					http.StatusBadRequest, "bad_request", "empty", nil},
				{"bad pair", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship","settings":{"pins":["p-0001"]}}`},
					http.StatusBadRequest, "bad_request", "WHO:WHERE", nil},
				{"unknown kind", request{method: "POST", path: "/api/rounds", body: `{"kind":"picnic"}`},
					http.StatusUnprocessableEntity, "invalid", "1 problem", []problem{{Field: "kind"}}},
				{"unknown feature", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship","weights":{"charm":2,"theme":-1}}`},
					http.StatusUnprocessableEntity, "invalid", "2 problems", []problem{{Field: "weights.charm"}, {Field: "weights.theme"}}},
				{"threshold out of range", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship","settings":{"threshold":2}}`},
					http.StatusUnprocessableEntity, "invalid", "threshold", nil},
				{"pin naming nobody", request{method: "POST", path: "/api/rounds", body: `{"kind":"internship","settings":{"pins":["nobody:nowhere"]}}`},
					http.StatusUnprocessableEntity, "invalid", "nobody", nil},
				{"unknown round", request{method: "GET", path: "/api/rounds/999999"},
					http.StatusNotFound, "not_found", "999999", nil},
				{"round id not a number", request{method: "GET", path: "/api/rounds/abc"},
					http.StatusNotFound, "not_found", "abc", nil},
				{"publish an unknown round", request{method: "POST", path: "/api/rounds/999999/publish", body: fmt.Sprintf(`{"deadline":%q}`, future)},
					http.StatusNotFound, "not_found", "999999", nil},
				{"deadline not RFC 3339", request{method: "POST", path: round + "/publish", body: `{"deadline":"next Friday"}`},
					http.StatusUnprocessableEntity, "invalid", "RFC 3339", []problem{{Field: "deadline"}}},
				{"deadline past", request{method: "POST", path: round + "/publish", body: fmt.Sprintf(`{"deadline":%q}`, clock.Add(-time.Hour).Format(time.RFC3339))},
					http.StatusUnprocessableEntity, "invalid", "not in the future", []problem{{Field: "deadline"}}},
				{"unpin what is not pinned", request{method: "POST", path: round + "/rerun", body: `{"unpin":["p-0001:c-001"]}`},
					http.StatusUnprocessableEntity, "invalid", "1 problem", []problem{{Field: "unpin[0]"}}},
				{"close a proposed round", request{method: "POST", path: round + "/close"},
					http.StatusConflict, "conflict", "proposed", nil},
				{"withdraw a proposal", request{method: "POST", path: "/api/offers/1/withdraw"},
					http.StatusConflict, "conflict", "proposed", nil},
				{"import with bad rows", request{method: "POST", path: "/api/import", contentType: "text/csv; charset=utf-8", body: badParticipants},
					http.StatusUnprocessableEntity, "invalid", "2 problems", []problem{
						{File: "body.csv", Line: 3, Field: "email"}, {File: "body.csv", Line: 4, Field: "organization_id"}}},
				{"import of another format", request{method: "POST", path: "/api/import", contentType: "application/vnd.ms-excel", body: "PK"},
					http.StatusUnsupportedMediaType, "unsupported_media_type", "text/csv", nil},
				{"import of an unknown kind", request{method: "POST", path: "/api/import?kind=people", contentType: "text/csv", body: badParticipants},
					http.StatusBadRequest, "bad_request", "kind", []problem{{Field: "kind"}}},
				{"import dry_run not a boolean", request{method: "POST", path: "/api/import?dry_run=perhaps", contentType: "text/csv", body: badParticipants},
					http.StatusBadRequest, "bad_request", "dry_run", []problem{{Field: "dry_run"}}},
				{"body over the limit, sent chunked", request{method: "POST", path: "/api/import", contentType: "text/csv", chunked: true,
					body: badParticipants + strings.Repeat("x", testMaxBody)},
					http.StatusRequestEntityTooLarge, "body_too_large", "limit", nil},
				{"JSON body over the limit, sent chunked", request{method: "POST", path: "/api/rounds", chunked: true,
					body: `{"name":"` + strings.Repeat("x", testMaxBody) + `"}`},
					http.StatusRequestEntityTooLarge, "body_too_large", "limit", nil},
				{"schedule a year out of range", request{method: "POST", path: "/api/schedule", body: `{"year":1900}`},
					http.StatusUnprocessableEntity, "invalid", "1900", nil},
				{"schedule an unknown round", request{method: "POST", path: "/api/schedule", body: `{"year":2027,"round":999999}`},
					http.StatusNotFound, "not_found", "999999", nil},
				{"feed token for a stranger", request{method: "POST", path: "/api/tokens", body: `{"kind":"feed","subject":"nobody"}`},
					http.StatusUnprocessableEntity, "invalid", "nobody", nil},
				{"host token", request{method: "POST", path: "/api/tokens", body: `{"kind":"host","subject":"c-001"}`},
					http.StatusUnprocessableEntity, "invalid", "published", nil},
				{"token lifetime negative", request{method: "POST", path: "/api/tokens", body: `{"kind":"admin","expires_in_days":-3}`},
					http.StatusUnprocessableEntity, "invalid", "expires_in_days", []problem{{Field: "expires_in_days"}}},
				{"list admin tokens of a subject", request{method: "GET", path: "/api/tokens?kind=admin&subject=x"},
					http.StatusUnprocessableEntity, "invalid", "admin", nil},
				{"explain someone not in the round", request{method: "GET", path: round + "/explanations?who=nobody"},
					http.StatusNotFound, "not_found", "nobody", nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					tt.req.token = e.admin
					res := e.do(tt.req)
					var body apiError
					res.decode(t, &body)
					if res.status != tt.wantStatus || body.Error.Code != tt.wantCode || !strings.Contains(body.Error.Message, tt.wantIn) {
						t.Fatalf("%s %s: %d %+v; want %d, code %s, a message with %q", tt.req.method, tt.req.path, res.status, body.Error,
							tt.wantStatus, tt.wantCode, tt.wantIn)
					}
					if ct := res.header.Get("Content-Type"); ct != "application/json" {
						t.Errorf("Content-Type %q, want application/json", ct)
					}
					for _, want := range tt.wantDetail {
						if !slices.ContainsFunc(body.Error.Details, func(p problem) bool {
							return p.File == want.File && p.Line == want.Line && p.Field == want.Field && p.Message != ""
						}) {
							t.Errorf("details %+v lack %+v", body.Error.Details, want)
						}
					}
				})
			}
			if after := e.snapshot(); after != before {
				t.Errorf("failed requests changed the database")
			}
		})
	}
}
