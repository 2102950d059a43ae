package importer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// Kind is the kind of record a file holds. Its values are the names of the
// keys of a JSON file and of the conventional file names, so that one word
// means the same thing everywhere. The empty Kind asks Read to detect it.
type Kind string

// The kinds of record the programme imports.
const (
	Organizations Kind = "organizations"
	Participants  Kind = "participants"
	Communities   Kind = "communities"
)

// Kinds returns every Kind in the order the records depend on each other:
// organisations first, since participants name them.
func Kinds() []Kind { return []Kind{Organizations, Participants, Communities} }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	return k == Organizations || k == Participants || k == Communities
}

// kindAliases are the other spellings ParseKind accepts: the singular, and
// the British spelling the programme's own documents use.
var kindAliases = map[string]Kind{
	"organization": Organizations, "organisation": Organizations, "organisations": Organizations,
	"participant": Participants,
	"community":   Communities,
}

// ParseKind validates the value of a --kind flag. It ignores case and
// surrounding spaces and accepts the singular and the British spelling
// ("organisation"), since a manager typing a flag should not fail on
// either. The error wraps program.ErrInvalid.
func ParseKind(s string) (Kind, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if k := Kind(t); k.Valid() {
		return k, nil
	}
	if k, ok := kindAliases[t]; ok {
		return k, nil
	}
	return "", fmt.Errorf("kind %s is not organizations, participants or communities: %w", strconv.Quote(s), program.ErrInvalid)
}

// Position is where a record starts: the file and the 1-based line of its
// CSV row or of its JSON object's opening brace.
type Position struct {
	File string
	Line int
}

// String returns p as FILE:LINE, the form editors and the CLI's error
// lines use.
func (p Position) String() string { return p.File + ":" + strconv.Itoa(p.Line) }
