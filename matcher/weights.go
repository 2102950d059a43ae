package matcher

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// Weights says how much each feature counts in a pair's score, indexed by
// Feature. A pair's score is the weighted mean Σ w_f·x_f / Σ w_f, so only
// the ratios between weights matter; a weight of 0 leaves a feature out.
// Weights are non-negative and finite, and at least one is positive.
type Weights [NumFeatures]float64

// DefaultWeights returns the weights a round of the given kind uses unless
// the manager overrides them:
//
//	kind                    theme language geography availability preference experience
//	internship                3      1        1           1            2          1
//	peer_exchange             3      1        1           1            0          0
//	international_exchange    3      2        0.5         1            0          1
//	study_circle              3      1        2           1            0          1
//	community_visit           3      0        2           1            0          0
//
// Themes lead everywhere: the programme exists to bring together people who
// work on the same things. Only internship applicants rank hosts, so
// preference is 0 elsewhere. Internships, international exchanges and study
// circles pair novices with experienced hosts or members; peers and
// communities are not matched for seniority. Language counts double abroad,
// where partners speak other languages; communities list none, so the
// feature would be 1 for every pair and is left out. Geography means
// different things per kind (see DefaultGeography): closeness for
// internships and circles (members must reach their circle every session,
// hence 2), a bonus for crossing regions for peer exchanges, and travel cost
// for community visits, where a leader's days on the road are the scarcest
// resource (hence 2). Abroad, distance matters little once a flight is
// needed (0.5).
//
// An unknown kind gets weight 1 for every feature but preference.
func DefaultWeights(kind program.RoundKind) Weights {
	switch kind {
	case program.RoundInternship:
		return Weights{3, 1, 1, 1, 2, 1}
	case program.RoundPeerExchange:
		return Weights{3, 1, 1, 1, 0, 0}
	case program.RoundInternationalExchange:
		return Weights{3, 2, 0.5, 1, 0, 1}
	case program.RoundStudyCircle:
		return Weights{3, 1, 2, 1, 0, 1}
	case program.RoundCommunityVisit:
		return Weights{3, 0, 2, 1, 0, 0}
	}
	return Weights{1, 1, 1, 1, 0, 1}
}

// Map returns the weights by feature name, every feature included, as
// program.Round.Weights stores them.
func (w Weights) Map() map[string]float64 {
	m := make(map[string]float64, NumFeatures)
	for f, v := range w {
		m[Feature(f).String()] = v
	}
	return m
}

// WeightsFromMap returns the weights a round stored with Map. A feature the
// map does not name gets weight 0, so a round stored before a feature
// existed scores as it did. Unknown names and negative or non-finite
// weights are reported together as a program.ErrorList, in name order.
func WeightsFromMap(m map[string]float64) (Weights, error) {
	var w Weights
	var errs program.ErrorList
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		f, ok := featureNamed(name)
		if !ok {
			errs = append(errs, unknownFeatureError(name))
			continue
		}
		if e := checkWeight(m[name]); e != nil {
			e.Field = name
			errs = append(errs, e)
			continue
		}
		w[f] = m[name]
	}
	if err := errs.Err(); err != nil {
		return Weights{}, fmt.Errorf("matcher: weights: %w", err)
	}
	return w, nil
}

// Check reports weights that are negative, NaN or infinite, or all zero
// (a weighted mean needs some weight). Its errors are program.InputErrors
// naming the feature.
func (w Weights) Check() error { return w.problems().Err() }

// problems lists what Check reports.
func (w Weights) problems() program.ErrorList {
	var errs program.ErrorList
	for f, v := range w {
		if e := checkWeight(v); e != nil {
			e.Field = Feature(f).String()
			errs = append(errs, e)
		}
	}
	if len(errs) == 0 && w.sum() == 0 {
		errs.Add("", "every weight is 0", "give at least one feature a positive weight")
	}
	return errs
}

// sum returns Σ w_f in feature order.
func (w Weights) sum() float64 {
	s := 0.0
	for _, v := range w {
		s += v
	}
	return s
}

// Contributions returns each feature's part of the score of a pair with
// breakdown b under w: value × weight over the sum of the weights, in
// feature order, summing to the pair's score.
func (w Weights) Contributions(b Breakdown) []Contribution {
	sum := w.sum()
	out := make([]Contribution, NumFeatures)
	for f := range NumFeatures {
		v := 0.0
		if sum != 0 {
			v = b[f] * w[f] / sum
		}
		out[f] = Contribution{Feature: Feature(f).String(), Value: v}
	}
	return out
}

// BreakdownFromMap returns the breakdown m holds by feature name, as
// program.Match stores it; features it lacks are 0.
func BreakdownFromMap(m map[string]float64) Breakdown {
	var b Breakdown
	for f := range NumFeatures {
		b[f] = m[Feature(f).String()]
	}
	return b
}

// String returns the weights as the comma-separated name=value list that
// Set reads, every feature included: "theme=3,language=1,…".
func (w Weights) String() string {
	var b strings.Builder
	for f, v := range w {
		if f > 0 {
			b.WriteByte(',')
		}
		b.WriteString(Feature(f).String())
		b.WriteByte('=')
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	return b.String()
}

// Set overrides some weights from a flag value, a comma-separated list of
// name=value pairs such as "theme=2,geography=0.5"; features not named keep
// their weight. With Set and String, *Weights is a flag.Value: start from
// DefaultWeights (or a file read by ParseWeights) and let flags override.
// On error w is unchanged.
func (w *Weights) Set(s string) error {
	next := *w
	var errs program.ErrorList
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, value, ok := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		if !ok {
			errs.Add(name, "has no value", "write name=value, e.g. theme=2")
			continue
		}
		f, known := featureNamed(name)
		if !known {
			errs = append(errs, unknownFeatureError(name))
			continue
		}
		value = strings.TrimSpace(value)
		v, err := strconv.ParseFloat(value, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			errs.Add(name, "weight "+value+" is out of range", "write a non-negative number such as 1.5")
			continue
		case err != nil:
			errs.Add(name, strconv.Quote(value)+" is not a number", "write a non-negative number such as 1.5")
			continue
		}
		if e := checkWeight(v); e != nil {
			e.Field = name
			errs = append(errs, e)
			continue
		}
		next[f] = v
	}
	if err := errs.Err(); err != nil {
		return err
	}
	*w = next
	return nil
}

// ParseWeights reads a weights file, one JSON object mapping feature names
// to weights, such as {"theme": 2, "geography": 0.5}, and returns base with
// the weights the file gives. name is the file's name for error messages.
//
// Every problem is reported, as a program.ErrorList of *program.InputError
// naming the file, the line and the feature: an unknown feature name, a
// feature given twice, a value that is not a number, a negative or
// non-finite weight, and a result whose weights are all 0 (or that keeps an
// invalid weight of base). A syntax error stops the reading; it is reported
// at its line, after any problem found before it.
func ParseWeights(name string, r io.Reader, base Weights) (Weights, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Weights{}, fmt.Errorf("matcher: read weights %s: %w", name, err)
	}
	w := base
	var errs program.ErrorList
	fail := func(line int, field, msg, hint string) {
		errs = append(errs, &program.InputError{File: name, Line: line, Field: field, Msg: msg, Hint: hint})
	}
	syntax := func(err error, at int64) (Weights, error) {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at = se.Offset
		}
		msg := "not a JSON object"
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			msg += ": " + strings.TrimPrefix(err.Error(), "json: ")
		} else if err != nil {
			msg += ": unexpected end of file"
		}
		fail(lineAt(data, at), "", msg, `write one object such as {"theme": 2, "geography": 0.5}`)
		return Weights{}, errs.Err()
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return syntax(err, dec.InputOffset())
	}
	if tok != json.Delim('{') {
		return syntax(nil, dec.InputOffset())
	}
	seen := map[string]int{} // feature name → line
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntax(err, dec.InputOffset())
		}
		key, _ := tok.(string) // json.Decoder returns an object's keys as strings
		line := lineAt(data, dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return syntax(err, dec.InputOffset())
		}
		if first, ok := seen[key]; ok {
			fail(line, key, "given twice", fmt.Sprintf("keep one of this line and line %d", first))
			continue
		}
		seen[key] = line
		f, known := featureNamed(key)
		if !known {
			e := unknownFeatureError(key)
			e.File, e.Line = name, line
			errs = append(errs, e)
			continue
		}
		if c := raw[0]; c != '-' && (c < '0' || c > '9') { // JSON numbers start so
			fail(line, key, string(raw)+" is not a number", "write a non-negative number such as 1.5")
			continue
		}
		v, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			fail(line, key, "weight "+string(raw)+" is out of range", "write a non-negative number such as 1.5")
			continue
		}
		if e := checkWeight(v); e != nil {
			e.File, e.Line, e.Field = name, line, key
			errs = append(errs, e)
			continue
		}
		w[f] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return syntax(err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		fail(lineAt(data, dec.InputOffset()), "", "more text after the object", "keep one JSON object in the file")
	}
	if len(errs) == 0 {
		// The file is well formed; what it leaves of base must be too.
		errs = w.problems().At(name, 0)
	}
	if err := errs.Err(); err != nil {
		return Weights{}, err
	}
	return w, nil
}

// lineAt returns the 1-based line of data holding byte offset at.
func lineAt(data []byte, at int64) int {
	at = min(max(at, 0), int64(len(data)))
	return 1 + bytes.Count(data[:at], []byte{'\n'})
}

// featureNamed returns the feature a weights file calls name.
func featureNamed(name string) (Feature, bool) {
	i := slices.Index(featureNames[:], name)
	return Feature(i), i >= 0
}

// unknownFeatureError reports a name that is not a feature, listing the
// names that are.
func unknownFeatureError(name string) *program.InputError {
	return &program.InputError{
		Field: name,
		Msg:   "unknown feature",
		Hint:  "use one of " + strings.Join(featureNames[:], ", "),
	}
}

// checkWeight reports a weight that is negative, NaN or infinite, with no
// position or field: callers fill them in.
func checkWeight(v float64) *program.InputError {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return &program.InputError{Msg: "weight " + strconv.FormatFloat(v, 'g', -1, 64) + " is not finite", Hint: "write a non-negative number such as 1.5"}
	case v < 0:
		return &program.InputError{Msg: "weight " + strconv.FormatFloat(v, 'g', -1, 64) + " is negative", Hint: "use 0 to leave the feature out"}
	}
	return nil
}
