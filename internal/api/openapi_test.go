package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// openAPIOperation is what the tests read of an operation.
type openAPIOperation struct {
	Responses  map[string]json.RawMessage `json:"responses"`
	Security   *[]map[string][]string     `json:"security"`
	Parameters []openAPIParameter         `json:"parameters"`
}

// openAPIParameter is what the tests read of a parameter.
type openAPIParameter struct {
	Name string `json:"name"`
	In   string `json:"in"`
}

// readOpenAPI parses the embedded document's paths: path → method → operation.
func readOpenAPI(t *testing.T) map[string]map[string]openAPIOperation {
	t.Helper()
	var doc struct {
		OpenAPI string                                 `json:"openapi"`
		Paths   map[string]map[string]openAPIOperation `json:"paths"`
	}
	if err := json.Unmarshal([]byte(openAPIDoc), &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("openapi.json declares OpenAPI %q, want 3.1.x", doc.OpenAPI)
	}
	return doc.Paths
}

// TestOpenAPIMatchesRoutes fails when a route is registered but not
// documented, or documented but not registered, or documented without its
// answers, its security or its path parameters.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	paths := readOpenAPI(t)
	registered := map[string]route{}
	for _, rt := range (&api{}).routes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok {
			t.Fatalf("route %q names no method", rt.pattern)
		}
		registered[strings.ToLower(method)+" "+path] = rt
		if _, ok := paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %q is not in openapi.json", rt.pattern)
		}
	}
	wildcard := regexp.MustCompile(`\{([^}]+)\}`)
	for path, ops := range paths {
		for method, op := range ops {
			name := method + " " + path
			rt, ok := registered[name]
			if !ok {
				t.Errorf("openapi.json documents %s, which Register does not serve", name)
				continue
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses documented", name)
			}
			switch {
			case op.Security == nil:
				t.Errorf("%s: no security documented (a public operation says \"security\": [])", name)
			case rt.public != (len(*op.Security) == 0):
				t.Errorf("%s: security %v, but the route is public=%v", name, *op.Security, rt.public)
			}
			if _, ok := op.Responses["401"]; !rt.public && !ok {
				t.Errorf("%s: the 401 of a missing token is not documented", name)
			}
			for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
				if !slices.Contains(op.Parameters, openAPIParameter{Name: m[1], In: "path"}) {
					t.Errorf("%s: path parameter %s is not documented", name, m[1])
				}
			}
		}
	}
}

// TestOpenAPIRefsResolve fails on a $ref to a component the document lacks.
func TestOpenAPIRefsResolve(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal([]byte(openAPIDoc), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "$ref" {
					if !resolves(doc, s) {
						t.Errorf("$ref %q resolves to nothing", s)
					}
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

// resolves reports whether the local reference ref ("#/a/b") names a
// member of doc.
func resolves(doc map[string]any, ref string) bool {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	var cur any = doc
	for part := range strings.SplitSeq(rest, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// TestOpenAPIServed checks that the document is public and served whole.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, engines[0].DSN(t))
	res := e.do(request{method: "GET", path: "/openapi.json"})
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || string(res.body) != openAPIDoc {
		t.Fatalf("GET /openapi.json without a token: %d %q, %d bytes; want 200, JSON, the embedded document",
			res.status, res.header.Get("Content-Type"), len(res.body))
	}
}
