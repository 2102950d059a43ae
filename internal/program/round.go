package program

import (
	"encoding/json"
	"math"
	"slices"
	"time"
)

// RoundID is the database id of a matching round.
type RoundID int64

// RoundKind is the activity a round matches people for.
type RoundKind string

// The kinds of round.
const (
	RoundInternship            RoundKind = "internship"
	RoundPeerExchange          RoundKind = "peer_exchange"
	RoundInternationalExchange RoundKind = "international_exchange"
	RoundStudyCircle           RoundKind = "study_circle"
	RoundCommunityVisit        RoundKind = "community_visit"
)

// AllRoundKinds returns every RoundKind in a fixed order.
func AllRoundKinds() []RoundKind {
	return []RoundKind{RoundInternship, RoundPeerExchange, RoundInternationalExchange, RoundStudyCircle, RoundCommunityVisit}
}

// Valid reports whether k is one of AllRoundKinds.
func (k RoundKind) Valid() bool { return slices.Contains(AllRoundKinds(), k) }

func (RoundKind) choices() []string { return enumStrings(AllRoundKinds()) }

// RoundStatus is where a round is in its life.
//
//	draft ──► proposed ──► published ──► closed
//	  ▲          │
//	  └──────────┘  (discard the proposal and re-run the matcher)
//
// A proposal may be sent back to draft because nobody outside the
// programme has seen it yet. Once published, offers are out with hosts, so
// the round only moves on to closed.
type RoundStatus string

// The statuses of a round.
const (
	RoundDraft     RoundStatus = "draft"
	RoundProposed  RoundStatus = "proposed"
	RoundPublished RoundStatus = "published"
	RoundClosed    RoundStatus = "closed"
)

// AllRoundStatuses returns every RoundStatus in life-cycle order.
func AllRoundStatuses() []RoundStatus {
	return []RoundStatus{RoundDraft, RoundProposed, RoundPublished, RoundClosed}
}

// Valid reports whether s is one of AllRoundStatuses.
func (s RoundStatus) Valid() bool { return slices.Contains(AllRoundStatuses(), s) }

func (RoundStatus) choices() []string { return enumStrings(AllRoundStatuses()) }

// CanMove reports whether a round may go from s to to. Staying put is not a
// move and reports false.
func (s RoundStatus) CanMove(to RoundStatus) bool {
	switch s {
	case RoundDraft:
		return to == RoundProposed
	case RoundProposed:
		return to == RoundPublished || to == RoundDraft
	case RoundPublished:
		return to == RoundClosed
	}
	return false
}

// Round is one run of the matcher for one kind of activity.
type Round struct {
	ID     RoundID     `json:"id" db:"id"`
	Name   string      `json:"name" db:"name" validate:"max=200"`
	Kind   RoundKind   `json:"kind" db:"kind" validate:"required,enum"`
	Status RoundStatus `json:"status" db:"status" validate:"required,enum"`
	// Weights maps a score feature name to its weight. The matcher owns the
	// feature names, so they are strings here rather than struct fields.
	Weights map[string]float64 `json:"weights" db:"-"`
	// Seed makes the matcher's tie-breaking and any sampling reproducible.
	Seed uint64 `json:"seed" db:"seed"`
	// Settings are the matcher's other options for the round (threshold,
	// pins, exclusions, quotas, …) as JSON, kept so that a run can be
	// repeated exactly. The matcher owns their shape.
	Settings json.RawMessage `json:"settings,omitempty" db:"-"`
	// InputHash is the hex SHA-256 of the canonical input snapshot the
	// round was computed from, so a re-run can show the input changed.
	InputHash string `json:"input_hash" db:"input_hash" validate:"omitempty,hexadecimal,len=64"`
	// SolverVersion names the matcher that computed the proposal, so that
	// a result that differs after an upgrade can be told apart.
	SolverVersion string    `json:"solver_version,omitempty" db:"solver_version" validate:"max=100"`
	CreatedAt     time.Time `json:"created_at" db:"created_at"` // UTC
	UpdatedAt     time.Time `json:"updated_at" db:"updated_at"` // UTC
}

// Check reports weights that are negative, NaN or infinite.
func (r *Round) Check() ErrorList {
	var l ErrorList
	for _, name := range sortedKeys(r.Weights) {
		w := r.Weights[name]
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			l.Add("weights."+name, "is "+formatFloat(w)+", not a finite number ≥ 0", "use 0 to switch the feature off")
		}
	}
	return l
}
