package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/matcher"
)

// problem is one entry of an error's details: where in the request (or in
// an imported file) something is wrong, what, and what to do.
type problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Offset  int64  `json:"offset,omitempty"` // bytes into a JSON body
	Field   string `json:"field,omitempty"`
	ID      string `json:"id,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// requestError is a request the endpoint cannot read: a body that is not
// the JSON it takes, or a malformed query parameter. It is answered 400.
type requestError struct {
	msg     string
	details []problem
}

func (e *requestError) Error() string { return e.msg }

// mediaTypeError is a body in a format the endpoint does not read; it is
// answered 415.
type mediaTypeError struct{ msg string }

func (e *mediaTypeError) Error() string { return e.msg }

// unauthorized is the message of every 401: the same words whatever was
// wrong with the token, so the answer tells nothing about which tokens
// exist.
const unauthorized = "send a valid admin token as Authorization: Bearer TOKEN; `khidi token create --admin` makes one"

// fail answers err: the one mapping of the API's errors onto statuses and
// stable codes. The message of a 4xx is the error's own, which says what
// and where and carries no secret (tokens are never in errors); a 500 says
// only "internal error" and the cause goes to the log.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		tooBig  *http.MaxBytesError
		request *requestError
		media   *mediaTypeError
		list    program.ErrorList
		input   *program.InputError
	)
	switch {
	case errors.Is(err, access.ErrDenied):
		w.Header().Set("WWW-Authenticate", `Bearer realm="khidi"`)
		writeError(w, http.StatusUnauthorized, "unauthorized", unauthorized, nil)
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the request body is larger than the limit of %d bytes", tooBig.Limit), nil)
	case errors.As(err, &request):
		writeError(w, http.StatusBadRequest, "bad_request", request.msg, request.details)
	case errors.As(err, &media):
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", media.msg, nil)
	case errors.Is(err, program.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error(), nil)
	case errors.Is(err, program.ErrCapacity):
		writeError(w, http.StatusConflict, "capacity", err.Error(), nil)
	case errors.Is(err, program.ErrConflict):
		writeError(w, http.StatusConflict, "conflict", err.Error(), nil)
	case errors.Is(err, program.ErrForbidden):
		writeError(w, http.StatusForbidden, "forbidden", err.Error(), nil)
	case errors.As(err, &list):
		writeError(w, http.StatusUnprocessableEntity, "invalid",
			fmt.Sprintf("%d %s in the request; nothing was changed", len(list), plural(len(list), "problem", "problems")), problems(list))
	case errors.As(err, &input):
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error(), problems(program.ErrorList{input}))
	case errors.Is(err, program.ErrInvalid) || matcher.Refused(err):
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error(), nil)
	default:
		a.d.Logger.ErrorContext(r.Context(), "api request failed", "method", r.Method, "route", r.Pattern, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal error", nil)
	}
}

// problems returns l as error details.
func problems(l program.ErrorList) []problem {
	out := make([]problem, len(l))
	for i, e := range l {
		msg := e.Msg
		if msg == "" {
			msg = "invalid"
		}
		out[i] = problem{File: e.File, Line: e.Line, Field: e.Field, ID: e.ID, Message: msg, Hint: e.Hint}
	}
	return out
}

// writeError answers with an API error: server.WriteError's shape, with
// the details when there are any.
func writeError(w http.ResponseWriter, status int, code, message string, details []problem) {
	if len(details) == 0 {
		server.WriteError(w, status, code, message)
		return
	}
	server.WriteErrorDetails(w, status, code, message, details)
}

// plural returns one when n is 1 and many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
