package api

import (
	_ "embed"
	"io"
	"net/http"
)

// openAPIDoc describes every route of the table in OpenAPI 3.1; the tests
// check that the two agree. A string, so that nothing can change it.
//
//go:embed openapi.json
var openAPIDoc string

// openAPI answers GET /openapi.json, the API's description, which anyone
// may read: it holds no programme data.
func (a *api) openAPI(w http.ResponseWriter, _ *http.Request, _ string) error {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, openAPIDoc) // a client gone away is all an error can mean
	return nil
}
