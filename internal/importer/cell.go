package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/khidi/khidi/internal/program"
)

// Hints shared by the CSV and JSON readers, so that both say the same
// thing about the same mistake.
const (
	hintUTF8 = "save the file as UTF-8 (in Excel: CSV UTF-8; in LibreOffice: character set Unicode (UTF-8))"
	hintDate = "write the date as YYYY-MM-DD, such as 2026-06-01"
	// A spreadsheet rewrites dates in the locale's form on export unless
	// the column is text.
	hintDateCSV = hintDate + " (format the column as text so the spreadsheet exports it as written)"
)

// setCell parses one trimmed CSV cell into dst, a pointer to a record field.
// It returns what is wrong and what to do, or two empty strings.
func setCell(dst any, cell string) (msg, hint string) {
	if !utf8.ValidString(cell) {
		return "is not UTF-8 text", hintUTF8
	}
	switch p := dst.(type) {
	case *string:
		*p = cell
	case *program.OrgID:
		*p = program.OrgID(cell)
	case *program.ParticipantID:
		*p = program.ParticipantID(cell)
	case *program.CommunityID:
		*p = program.CommunityID(cell)
	case *program.Sector:
		*p = program.Sector(cell)
	case *program.Role:
		*p = program.Role(cell)
	case *float64:
		return parseFloat(p, cell)
	case *int:
		return parseInt(p, cell)
	case *bool:
		return parseBool(p, cell)
	case *program.Date:
		msg, hint = parseDate(p, cell)
		if hint == hintDate {
			hint = hintDateCSV
		}
		return msg, hint
	case *[]string:
		*p = splitList[string](cell)
	case *[]program.OrgID:
		*p = splitList[program.OrgID](cell)
	default:
		// Only a new column type in columns.go gets here; its test reads
		// every column, so this cannot reach a user.
		panic(fmt.Sprintf("importer: no CSV parser for %T", dst))
	}
	return "", ""
}

// missing reports an empty cell, or a JSON field left out or null, where a
// value is needed. Text and lists may be empty (Validate decides); numbers
// and yes/no may not, because their zero value is a real answer.
func missing(dst any) (msg, hint string, bad bool) {
	switch dst.(type) {
	case *float64:
		return "is missing", "write decimal degrees with a dot, such as 41.7151", true
	case *int:
		return "is missing", "write a whole number, 0 if there is none", true
	case *bool:
		return "is missing", "write true or false", true
	}
	return "", "", false
}

func parseFloat(p *float64, cell string) (msg, hint string) {
	if cell == "" {
		msg, hint, _ = missing(p)
		return msg, hint
	}
	f, err := strconv.ParseFloat(cell, 64)
	switch {
	case err == nil && !math.IsInf(f, 0) && !math.IsNaN(f):
		*p = f
		return "", ""
	case strings.Count(cell, ",") == 1 && !strings.Contains(cell, "."):
		// A spreadsheet in a locale with a decimal comma (Georgian, Russian,
		// most of Europe) writes 41,7: say so rather than "not a number".
		return strconv.Quote(cell) + " is not a number", "use a dot as the decimal separator: " + strings.Replace(cell, ",", ".", 1)
	}
	return strconv.Quote(cell) + " is not a number", "write decimal degrees with a dot, such as 41.7151"
}

func parseInt(p *int, cell string) (msg, hint string) {
	if cell == "" {
		msg, hint, _ = missing(p)
		return msg, hint
	}
	n, err := strconv.Atoi(cell)
	if err != nil {
		return strconv.Quote(cell) + " is not a whole number", "write a whole number, such as 3"
	}
	*p = n
	return "", ""
}

func parseBool(p *bool, cell string) (msg, hint string) {
	switch strings.ToLower(cell) {
	case "":
		msg, hint, _ = missing(p)
		return msg, hint
	case "true", "yes", "1":
		*p = true
	case "false", "no", "0":
		*p = false
	default:
		return strconv.Quote(cell) + " is not true or false", "write true or false (yes/no and 1/0 are read too)"
	}
	return "", ""
}

// parseDate reads YYYY-MM-DD; an empty cell is the zero Date, which the
// records read as "open" where they allow it.
func parseDate(p *program.Date, cell string) (msg, hint string) {
	if cell == "" {
		*p = program.Date{}
		return "", ""
	}
	d, err := program.ParseDate(cell)
	switch {
	case err == nil:
		*p = d
		return "", ""
	case len(cell) == 10 && cell[4] == '-' && cell[7] == '-':
		return strconv.Quote(cell) + " is not a day of the calendar", "check the month and the day"
	}
	return strconv.Quote(cell) + " is not a date", hintDate
}

// splitList splits a cell on ';', trims the items and drops empty ones, so
// "a; b;" is two items. An empty cell is a nil list, as an absent JSON field
// is, so that both formats give equal records.
func splitList[S ~string](cell string) []S {
	n := strings.Count(cell, ";") + 1
	if cell == "" {
		return nil
	}
	out := make([]S, 0, n)
	for item := range strings.SplitSeq(cell, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, S(item))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// cleanList trims the items of a JSON list and drops empty ones, as
// splitList does for a cell.
func cleanList[S ~string](items []string) []S {
	var out []S
	for _, item := range items {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, S(item))
		}
	}
	return out
}

// decodeField decodes one JSON value into dst, a pointer to a record field,
// and adds what is wrong with it to l. The value is typed as JSON is: a
// latitude in quotes is a string, not a number. Strings are trimmed and
// lists cleaned as CSV cells are, so both formats give equal records.
func decodeField(l *program.ErrorList, name string, dst any, raw []byte) {
	add := func(field, msg, hint string) {
		*l = append(*l, &program.InputError{Field: field, Msg: msg, Hint: hint})
	}
	var s string
	var list []string
	var err error
	switch p := dst.(type) {
	case *string:
		if err = json.Unmarshal(raw, &s); err == nil {
			*p = strings.TrimSpace(s)
		}
	case *program.OrgID:
		if err = json.Unmarshal(raw, &s); err == nil {
			*p = program.OrgID(strings.TrimSpace(s))
		}
	case *program.ParticipantID:
		if err = json.Unmarshal(raw, &s); err == nil {
			*p = program.ParticipantID(strings.TrimSpace(s))
		}
	case *program.CommunityID:
		if err = json.Unmarshal(raw, &s); err == nil {
			*p = program.CommunityID(strings.TrimSpace(s))
		}
	case *program.Sector:
		if err = json.Unmarshal(raw, &s); err == nil {
			*p = program.Sector(strings.TrimSpace(s))
		}
	case *program.Role:
		if err = json.Unmarshal(raw, &s); err == nil {
			*p = program.Role(strings.TrimSpace(s))
		}
	case *float64, *int, *bool:
		err = json.Unmarshal(raw, p)
	case *program.Date:
		if err = json.Unmarshal(raw, &s); err == nil {
			if msg, hint := parseDate(p, strings.TrimSpace(s)); msg != "" {
				add(name, msg, hint)
			}
		}
	case *[]string:
		if err = json.Unmarshal(raw, &list); err == nil {
			*p = cleanList[string](list)
		}
	case *[]program.OrgID:
		if err = json.Unmarshal(raw, &list); err == nil {
			*p = cleanList[program.OrgID](list)
		}
	case *[]program.Date:
		if err = json.Unmarshal(raw, &list); err == nil {
			*p = nil
			for i, item := range list {
				var d program.Date
				if msg, hint := parseDate(&d, strings.TrimSpace(item)); msg != "" {
					add(fmt.Sprintf("%s[%d]", name, i), msg, hint)
				} else if !d.IsZero() {
					*p = append(*p, d)
				}
			}
		}
	case *[]program.Window:
		var ws []struct {
			From string `json:"from"`
			To   string `json:"to"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		// A misspelt "till" must not silently leave a window open.
		dec.DisallowUnknownFields()
		if err = dec.Decode(&ws); err == nil {
			*p = nil
			for i, w := range ws {
				var win program.Window
				m1, h1 := parseDate(&win.From, strings.TrimSpace(w.From))
				m2, h2 := parseDate(&win.To, strings.TrimSpace(w.To))
				if m1 != "" {
					add(fmt.Sprintf("%s[%d].from", name, i), m1, h1)
				}
				if m2 != "" {
					add(fmt.Sprintf("%s[%d].to", name, i), m2, h2)
				}
				*p = append(*p, win)
			}
		}
	default:
		panic(fmt.Sprintf("importer: no JSON decoder for %T", dst))
	}
	if err != nil {
		msg, hint := jsonTypeProblem(err, dst)
		add(name, msg, hint)
	}
}

// jsonTypeProblem explains why a JSON value does not fit its field.
func jsonTypeProblem(err error, dst any) (msg, hint string) {
	want, item, example := jsonWant(dst)
	hint = "write it as " + example
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) && te.Field != "":
		// The "from" or "to" of an availability window.
		return fmt.Sprintf("has a window whose %q is %s, not a date string", te.Field, article(te.Value)), hint
	case errors.As(err, &te) && item != "" && te.Type.Kind() != reflect.Slice:
		return "has an item that is " + article(te.Value) + ", not " + item, hint
	case errors.As(err, &te):
		if num, ok := strings.CutPrefix(te.Value, "number "); ok {
			return num + " is not " + want, hint
		}
		return "is " + article(te.Value) + ", not " + want, hint
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no type for this error; its text is stable.
		return "has a window with " + strings.TrimPrefix(err.Error(), "json: "), hint
	}
	return "is not " + want + ": " + err.Error(), hint
}

// jsonWant describes the JSON a field takes, what each item is if it is a
// list, and an example.
func jsonWant(dst any) (want, item, example string) {
	switch dst.(type) {
	case *float64:
		return "a number", "", "a number without quotes, such as 41.7151"
	case *int:
		return "a whole number", "", "a whole number without quotes, such as 3"
	case *bool:
		return "true or false", "", "true or false, without quotes"
	case *program.Date:
		return "a date string", "", `a string such as "2026-06-01"`
	case *[]string, *[]program.OrgID:
		return "a list of strings", "a string", `a list such as ["youth-participation", "environment"]`
	case *[]program.Date:
		return "a list of date strings", "a date string", `a list such as ["2026-05-26", "2026-08-28"]`
	case *[]program.Window:
		return "a list of windows", "a window", `a list such as [{"from": "2026-06-01", "to": "2026-08-31"}]`
	}
	return "a string", "", `text in double quotes, such as "Kakheti"`
}

// article puts "a" or "an" before the JSON type names encoding/json uses.
func article(jsonType string) string {
	switch jsonType {
	case "array", "object":
		return "an " + jsonType
	case "bool":
		return "true or false"
	}
	return "a " + jsonType
}
