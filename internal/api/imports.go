package api

import (
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/khidi/khidi/internal/importer"
	"github.com/khidi/khidi/internal/ingest"
	"github.com/khidi/khidi/internal/program"
)

// importReport is the answer to an import: how many records of each kind
// were checked, and whether they were written.
type importReport struct {
	Organizations int  `json:"organizations"`
	Participants  int  `json:"participants"`
	Communities   int  `json:"communities"`
	Written       bool `json:"written"`
}

// importRecords answers POST /api/import[?kind=K][&dry_run=true]: the body
// is one file as `khidi import` reads it, CSV (text/csv) or JSON
// (application/json). Every record is checked, references included, and
// either all are written in one transaction or none: a problem anywhere
// is a 422 listing every problem at its line and field.
func (a *api) importRecords(w http.ResponseWriter, r *http.Request, _ string) error {
	name, err := importName(r.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	var kind importer.Kind
	if s := r.URL.Query().Get("kind"); s != "" {
		if kind, err = importer.ParseKind(s); err != nil {
			return &requestError{msg: fmt.Sprintf("query parameter kind=%q: %v", s, err),
				details: []problem{{Field: "kind", Message: err.Error()}}}
		}
	}
	dryRun, err := queryBool(r, "dry_run")
	if err != nil {
		return err
	}
	var (
		set  importer.Set
		read program.ErrorList
	)
	if err := set.Read(name, r.Body, kind); err != nil && !errors.As(err, &read) {
		return err // the body could not be read (too large, cut off)
	}
	recs, err := ingest.Save(r.Context(), a.d.Store, &set, read, dryRun)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, importReport{len(recs.Organizations), len(recs.Participants), len(recs.Communities), !dryRun})
}

// importName returns the name the body is read under, whose extension
// tells the importer the format, and under which problems are reported.
func importName(contentType string) (string, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	switch {
	case err == nil && mt == "text/csv":
		return "body.csv", nil
	case err == nil && mt == "application/json":
		return "body.json", nil
	}
	return "", &mediaTypeError{fmt.Sprintf("Content-Type %q: send the file as text/csv or application/json", contentType)}
}
