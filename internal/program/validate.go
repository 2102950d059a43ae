package program

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-playground/validator/v10"
)

// enum is what every enum type in this package implements; the "enum"
// validation tag calls Valid, and the message lists choices, so the list of
// values is written once, in the All… function.
type enum interface {
	Valid() bool
	choices() []string
}

func enumStrings[E ~string](all []E) []string {
	s := make([]string, len(all))
	for i, e := range all {
		s[i] = string(e)
	}
	return s
}

// validate is built once: building a validator parses and caches every
// struct's tags, and the instance is safe for concurrent use.
var validate = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their JSON name, which is also the CSV column name.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	err := v.RegisterValidation("enum", func(fl validator.FieldLevel) bool {
		e, ok := fl.Field().Interface().(enum)
		return ok && e.Valid()
	})
	if err != nil {
		panic(err) // only on a bad tag name, fixed in this file
	}
	return v
})

// Validate checks v, a struct or pointer to a struct from this package,
// against its validate tags and then, if it has a Check method, its
// cross-field rules. It returns nil or an ErrorList holding every problem
// found, each naming the field by its CSV/JSON name and the record by its
// id; errors.Is(err, ErrInvalid) holds. File and line are left empty for
// the caller to fill in with ErrorList.At.
//
// Validate does not normalise: call the record's Normalize method first if
// defaults and canonical themes are wanted.
func Validate(v any) error {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() == reflect.Pointer && rv.IsNil() {
		return fmt.Errorf("validate %T: nil record", v)
	}
	if rv.Kind() != reflect.Pointer {
		// Check methods have pointer receivers; validate a copy.
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		v = p.Interface()
	}
	var l ErrorList
	if err := validate().Struct(v); err != nil {
		var verrs validator.ValidationErrors
		if !errors.As(err, &verrs) {
			return fmt.Errorf("validate %T: %w", v, err)
		}
		for _, fe := range verrs {
			l = append(l, fieldError(fe))
		}
	}
	if c, ok := v.(interface{ Check() ErrorList }); ok {
		l = append(l, c.Check()...)
	}
	if r, ok := v.(interface{ recordID() string }); ok {
		for _, e := range l {
			if e.ID == "" {
				e.ID = r.recordID()
			}
		}
	}
	l.Sort()
	return l.Err()
}

// fieldError turns one validator failure into an InputError in plain words.
func fieldError(fe validator.FieldError) *InputError {
	// Namespace is "Organization.availability[0].from": drop the type.
	field := fe.Namespace()
	if _, rest, ok := strings.Cut(field, "."); ok {
		field = rest
	}
	e := &InputError{Field: field, Hint: "fix the cell or remove the row"}
	val := fe.Value()
	shown := fmt.Sprintf("%v", val)
	if s, ok := val.(fmt.Stringer); ok {
		shown = s.String()
	}
	quoted := strconv.Quote(shown)
	isText := fe.Kind() == reflect.String
	isList := fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map
	switch fe.Tag() {
	case "required":
		e.Msg, e.Hint = "is missing", "fill in the cell"
	case "email":
		e.Msg = quoted + " is not an address"
	case "enum":
		var choices []string
		if en, ok := val.(enum); ok {
			choices = en.choices()
		}
		e.Msg = quoted + " is not one of " + strings.Join(choices, ", ")
	case "oneof":
		e.Msg = quoted + " is not one of " + strings.Join(strings.Fields(fe.Param()), ", ")
	case "min":
		switch {
		case isText:
			e.Msg = quoted + " is shorter than " + fe.Param() + " characters"
		case isList:
			e.Msg = "has fewer than " + fe.Param() + " entries"
		default:
			e.Msg = shown + " is less than " + fe.Param()
		}
	case "max":
		switch {
		case isText:
			e.Msg = "is longer than " + fe.Param() + " characters"
		case isList:
			e.Msg = "has more than " + fe.Param() + " entries"
		default:
			e.Msg = shown + " is more than " + fe.Param()
		}
	case "len":
		e.Msg = quoted + " is not " + fe.Param() + " characters long"
	case "latitude":
		e.Msg = shown + " is not a latitude between -90 and 90"
	case "longitude":
		e.Msg = shown + " is not a longitude between -180 and 180"
	case "hexadecimal":
		e.Msg = quoted + " is not hexadecimal"
	default:
		e.Msg = quoted + " breaks rule " + strconv.Quote(fe.Tag())
	}
	return e
}

// checkID reports an id with white space or the list separator ';', which
// would make it impossible to name in a preferences cell.
func checkID(l *ErrorList, id string) {
	if strings.ContainsFunc(id, func(r rune) bool { return r == ';' || r == ',' || r <= ' ' || r == 0x7f }) {
		l.Add("id", strconv.Quote(id)+" contains a space, a control character, ';' or ','", "use letters, digits, '-' or '_'")
	}
}

// checkCountry accepts the shape of an ISO 3166-1 alpha-2 code (two
// upper-case ASCII letters) or empty, meaning DefaultCountry. The list of
// assigned codes is not checked: the programme only needs a stable key.
func checkCountry(l *ErrorList, c string) {
	if c == "" {
		return
	}
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		l.Add("country", strconv.Quote(c)+" is not a two-letter ISO 3166-1 code", "write it like GE, in capitals")
	}
}

// checkTimeZone accepts empty (the default) or a name time.LoadLocation
// knows. LoadLocation reads the zone database, from the system or from the
// copy cmd/khidi embeds with time/tzdata; it has no other effect.
func checkTimeZone(l *ErrorList, field, name string) {
	if name == "" {
		return
	}
	// "Local" and "UTC" load without the database but name no real place.
	if _, err := time.LoadLocation(name); err != nil || name == "Local" {
		l.Add(field, strconv.Quote(name)+" is not a known time zone", "use an IANA name such as Asia/Tbilisi")
	}
}

func checkThemes(l *ErrorList, field string, themes []string) {
	seen := map[string]bool{}
	for i, t := range themes {
		f := fmt.Sprintf("%s[%d]", field, i)
		n, why := normalizeTheme(t)
		switch {
		case why != "":
			l.Add(f, strconv.Quote(t)+" is not a theme: "+why, "use English words, digits and '-'")
		case n != t:
			l.Add(f, strconv.Quote(t)+" is not in canonical form", "write it as "+strconv.Quote(n))
		case seen[t]:
			l.Add(f, strconv.Quote(t)+" is listed twice", "list each theme once")
		}
		seen[t] = true
	}
}

func checkLanguages(l *ErrorList, langs []string) {
	for i, c := range langs {
		if !ValidLanguage(c) {
			l.Add(fmt.Sprintf("languages[%d]", i), strconv.Quote(c)+" is not an ISO 639-1 language code", "use two lower-case letters, such as ka or en")
		}
	}
}

func checkWindow(l *ErrorList, field string, w Window) {
	if !w.Ordered() {
		l.Add(field, "ends ("+w.To.String()+") before it starts ("+w.From.String()+")", "swap the dates")
	}
}

func normalizeThemes(themes []string) []string {
	for i, t := range themes {
		if n, why := normalizeTheme(t); why == "" {
			themes[i] = n
		}
	}
	return themes
}

func normalizeLanguages(langs []string) []string {
	for i, c := range langs {
		langs[i] = strings.ToLower(strings.TrimSpace(c))
	}
	return langs
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func quote(s string) string { return strconv.Quote(s) }
