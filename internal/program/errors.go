package program

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Sentinel errors that every layer tests for with errors.Is. The store maps
// database failures onto them and the web package maps them onto HTTP
// statuses.
var (
	// ErrNotFound reports that a record with the given id does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid reports input that breaks a rule; InputError unwraps to it.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict reports a clash with the stored state: a duplicate id, or a
	// status change that is no longer allowed.
	ErrConflict = errors.New("conflict")
	// ErrForbidden reports a caller acting outside its rights, such as a host
	// deciding another host's offer.
	ErrForbidden = errors.New("forbidden")
	// ErrCapacity reports that a host has no seat left for an offer.
	ErrCapacity = errors.New("capacity exhausted")
)

// InputError is one problem found in input, with its position. Empty parts
// are left out of the message. It unwraps to ErrInvalid.
type InputError struct {
	File  string // input file name, e.g. "participants.csv"
	Line  int    // 1-based line in File; 0 when unknown
	Field string // CSV column / JSON name, e.g. "email" or "availability[0].to"
	ID    string // id of the record, when known
	Msg   string // what is wrong, in plain words
	Hint  string // what to do about it
}

// Error formats e like
//
//	participants.csv:14: id "p-7": field "email": "x@" is not an address; fix the cell or remove the row
func (e *InputError) Error() string {
	var parts []string
	switch {
	case e.File != "" && e.Line > 0:
		parts = append(parts, e.File+":"+strconv.Itoa(e.Line))
	case e.File != "":
		parts = append(parts, e.File)
	case e.Line > 0:
		parts = append(parts, "line "+strconv.Itoa(e.Line))
	}
	if e.ID != "" {
		parts = append(parts, fmt.Sprintf("id %q", e.ID))
	}
	if e.Field != "" {
		parts = append(parts, fmt.Sprintf("field %q", e.Field))
	}
	msg := e.Msg
	if msg == "" {
		msg = "invalid"
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	parts = append(parts, msg)
	return strings.Join(parts, ": ")
}

// Unwrap returns ErrInvalid, so errors.Is(err, ErrInvalid) holds for every
// input error.
func (e *InputError) Unwrap() error { return ErrInvalid }

// ErrorList is every input problem found in one pass, so that a user fixes
// a file once rather than once per error. The zero value is an empty list.
type ErrorList []*InputError

// Add appends an error with the given field, message and hint.
func (l *ErrorList) Add(field, msg, hint string) {
	*l = append(*l, &InputError{Field: field, Msg: msg, Hint: hint})
}

// At sets the file and line of every entry that has none, and returns l.
// The importer calls it on the errors of one row.
func (l ErrorList) At(file string, line int) ErrorList {
	for _, e := range l {
		if e.File == "" && e.Line == 0 {
			e.File, e.Line = file, line
		}
	}
	return l
}

// Sort orders l by file, line and field (then id and message, so the order
// is total and the output reproducible).
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *InputError) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.ID, b.ID),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}

// Error prints the first entry and how many more there are. Callers that
// show errors to a person should print every entry on its own line.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", l[0].Error(), len(l)-1)
}

// Err returns l as an error, or nil when l is empty. Return l.Err(), never
// l itself, so that an empty list is not a non-nil error.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the entries, so errors.Is(list, ErrInvalid) and errors.As
// into *InputError work on a list.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}
