package server

import (
	"encoding/json"
	"net/http"
)

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details any    `json:"details,omitempty"`
	} `json:"error"`
}

// WriteError answers with status and the JSON body
// {"error":{"code":code,"message":message}}. code is stable, snake_case and
// meant for programs ("not_found", "offer_closed"); message is for people
// and must not carry secrets, since it is shown to whoever asked.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	WriteErrorDetails(w, status, code, message, nil)
}

// WriteErrorDetails is WriteError with details, a list of what was wrong
// (each problem's field, line, hint…), encoded as "details" unless nil.
func WriteErrorDetails(w http.ResponseWriter, status int, code, message string, details any) {
	var body errorBody
	body.Error.Code, body.Error.Message, body.Error.Details = code, message, details
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Del("Content-Length") // a length set for a body that will not be sent
	w.WriteHeader(status)
	// The status is sent; a client gone away is all an error here can mean.
	_ = json.NewEncoder(w).Encode(body)
}
