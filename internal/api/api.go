package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/store"
)

// Deps is what the API needs.
type Deps struct {
	// Store holds the programme, the rounds, the events and the tokens.
	Store *store.DB
	// Offers publishes rounds and decides offers, repairing rounds when
	// an offer leaves them.
	Offers *offers.Service
	// Logger receives the failures answered with 500.
	Logger *slog.Logger
	// Now is the clock: token expiry, publication deadlines, default
	// years. Nil means time.Now.
	Now func() time.Time
	// BaseURL is the service's public address, which the links handed out
	// (hosts' pages, calendar feeds) start with; nil gives links as paths
	// from the service's root.
	BaseURL *url.URL
}

// Register adds the manager API's routes, and GET /openapi.json, to srv.
// It panics when d.Store, d.Offers or d.Logger is nil: a wiring mistake,
// found at start-up like a conflicting route.
func Register(srv *server.Server, d Deps) {
	if d.Store == nil || d.Offers == nil || d.Logger == nil {
		panic("api: Register: Deps.Store, Deps.Offers and Deps.Logger are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	a := &api{d}
	for _, rt := range a.routes() {
		srv.Handle(rt.pattern, a.handler(rt))
	}
}

// api serves the routes.
type api struct{ d Deps }

// handlerFunc answers one request for actor, the holder of the admin token
// it carried ("" on the public route). An error it returns is answered by
// fail, so a handler either writes its response or returns an error,
// never both.
type handlerFunc func(w http.ResponseWriter, r *http.Request, actor string) error

// route is one entry of the route table.
type route struct {
	pattern string // a ServeMux pattern with its method
	handle  handlerFunc
	public  bool // served without a token: only the API's description
}

// routes returns the route table: Register serves it, and the tests read it
// to check it against openapi.json and to try every route without a token.
func (a *api) routes() []route {
	return []route{
		{pattern: "GET /api/rounds", handle: a.listRounds},
		{pattern: "POST /api/rounds", handle: a.createRound},
		{pattern: "GET /api/rounds/{id}", handle: a.getRound},
		{pattern: "GET /api/rounds/{id}/explanations", handle: a.explainRound},
		{pattern: "POST /api/rounds/{id}/rerun", handle: a.rerunRound},
		{pattern: "POST /api/rounds/{id}/publish", handle: a.publishRound},
		{pattern: "GET /api/rounds/{id}/state", handle: a.roundState},
		{pattern: "POST /api/rounds/{id}/close", handle: a.closeRound},
		{pattern: "POST /api/offers/{id}/withdraw", handle: a.withdrawOffer},
		{pattern: "POST /api/import", handle: a.importRecords},
		{pattern: "POST /api/schedule", handle: a.schedule},
		{pattern: "GET /api/calendars/programme.ics", handle: a.programmeCalendar},
		{pattern: "GET /api/calendars/people/{file}", handle: a.personCalendar},
		{pattern: "GET /api/calendars/orgs/{file}", handle: a.orgCalendar},
		{pattern: "POST /api/tokens", handle: a.createToken},
		{pattern: "GET /api/tokens", handle: a.listTokens},
		{pattern: "DELETE /api/tokens/{id}", handle: a.revokeToken},
		{pattern: "GET /api/audit", handle: a.auditLog},
		{pattern: "GET /openapi.json", handle: a.openAPI, public: true},
	}
}

// handler wraps rt's handler with the token check and the error answer.
func (a *api) handler(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var actor string
		if !rt.public {
			// API answers hold programme data and links shown once:
			// no cache may keep them.
			w.Header().Set("Cache-Control", "no-store")
			tok, err := a.authenticate(r)
			if err != nil {
				a.fail(w, r, err)
				return
			}
			actor = access.Actor(tok)
		}
		if err := rt.handle(w, r, actor); err != nil {
			a.fail(w, r, err)
		}
	})
}

// authenticate returns the admin token r carries as Authorization: Bearer
// TOKEN, or access.ErrDenied for every way of not carrying a usable one
// (the store's own failure is returned as it is).
func (a *api) authenticate(r *http.Request) (program.AccessToken, error) {
	return access.CheckBearer(r.Context(), a.d.Store, r.Header.Get("Authorization"), program.TokenAdmin, a.d.Now())
}

// writeJSON answers with status and v as JSON. v is encoded before the
// status is sent, so a value that cannot be encoded is still a 500.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("api: encode the response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status is sent; a client gone away is all an error here can mean.
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// decode reads r's body, one JSON object, into v, which holds the values
// of the fields the body leaves out. Unknown fields, values of the wrong
// type and anything after the object are refused with a *requestError
// naming the field; an empty body is refused too unless optional. A body
// over the server's limit gives the *http.MaxBytesError.
func decode(r *http.Request, v any, optional bool) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		if optional {
			return nil
		}
		return &requestError{msg: "the request body is empty; send a JSON object (/openapi.json describes it)"}
	}
	if err != nil {
		return jsonError(err, dec.InputOffset())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return &requestError{msg: "the request body holds more than one JSON value; send one object",
			details: []problem{{Offset: dec.InputOffset(), Message: "unexpected data after the object"}}}
	}
	return nil
}

// jsonError describes a decoding error of the body: where, which field,
// and what was expected.
func jsonError(err error, offset int64) error {
	var (
		tooBig  *http.MaxBytesError
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return err
	case errors.As(err, &syntax):
		return &requestError{msg: "the request body is not valid JSON",
			details: []problem{{Offset: syntax.Offset, Message: syntax.Error()}}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &requestError{msg: "the request body ends in the middle of a JSON value",
			details: []problem{{Offset: offset, Message: "unexpected end of the body"}}}
	case errors.As(err, &typeErr):
		msg := fmt.Sprintf("got a JSON %s, want %s", typeErr.Value, jsonKind(typeErr.Type.Kind().String()))
		if typeErr.Field == "" {
			return &requestError{msg: "the request body must be a JSON object", details: []problem{{Offset: typeErr.Offset, Message: msg}}}
		}
		return &requestError{msg: fmt.Sprintf("field %q: %s", typeErr.Field, msg),
			details: []problem{{Offset: typeErr.Offset, Field: typeErr.Field, Message: msg}}}
	}
	// DisallowUnknownFields and the text decoders of the fields (a pair
	// "who:where", a date) report plain errors that name the field or the
	// value themselves.
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return &requestError{msg: "the request body does not fit the endpoint: " + msg,
		details: []problem{{Offset: offset, Message: msg, Hint: "/openapi.json lists the fields the endpoint takes"}}}
}

// jsonKind names, for a person, the JSON a Go kind is read from.
func jsonKind(kind string) string {
	switch {
	case kind == "struct" || kind == "map":
		return "an object"
	case kind == "slice" || kind == "array":
		return "an array"
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case strings.HasPrefix(kind, "uint"):
		return "a whole number ≥ 0"
	case strings.HasPrefix(kind, "int"):
		return "a whole number"
	}
	return "a number"
}

// pathID returns r's {id} wildcard as a database id. An id that is not a
// positive number names nothing, so it is not found, like an unknown one.
func pathID(r *http.Request, what string) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s %q: %w", what, s, program.ErrNotFound)
	}
	return id, nil
}

// queryBool returns the query parameter name as a boolean, false when
// absent.
func queryBool(r *http.Request, name string) (bool, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, &requestError{msg: fmt.Sprintf("query parameter %s=%q: want true or false", name, s),
			details: []problem{{Field: name, Message: "not a boolean", Hint: "write true or false"}}}
	}
	return b, nil
}

// queryInt returns the query parameter name as a whole number from lo to
// hi, or def when it is absent.
func queryInt(r *http.Request, name string, lo, hi, def int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, &requestError{msg: fmt.Sprintf("query parameter %s=%q: want a whole number from %d to %d", name, s, lo, hi),
			details: []problem{{Field: name, Message: "out of range or not a number", Hint: fmt.Sprintf("write a number from %d to %d", lo, hi)}}}
	}
	return n, nil
}

// link returns the public address of the service's path elems: under
// BaseURL when it is known, otherwise from the service's root.
func (a *api) link(elems ...string) string {
	if a.d.BaseURL == nil {
		return (&url.URL{Path: "/"}).JoinPath(elems...).String()
	}
	return a.d.BaseURL.JoinPath(elems...).String()
}
