package program

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// MatchID is the database id of a match.
type MatchID int64

// OfferStatus is where a match is in its life. A match is proposed by the
// matcher; publishing the round turns it into an offer to the host.
//
//	proposed ──► offered ──► accepted ──► withdrawn
//	   │            ├──► declined
//	   │            ├──► expired
//	   └────────────┴──► withdrawn
//
// Declined, expired and withdrawn are terminal. Accepted is not: a
// placement can still be withdrawn when the participant drops out.
type OfferStatus string

// The statuses of a match or offer.
const (
	OfferProposed  OfferStatus = "proposed"
	OfferOffered   OfferStatus = "offered"
	OfferAccepted  OfferStatus = "accepted"
	OfferDeclined  OfferStatus = "declined"
	OfferExpired   OfferStatus = "expired"
	OfferWithdrawn OfferStatus = "withdrawn"
)

// AllOfferStatuses returns every OfferStatus in life-cycle order.
func AllOfferStatuses() []OfferStatus {
	return []OfferStatus{OfferProposed, OfferOffered, OfferAccepted, OfferDeclined, OfferExpired, OfferWithdrawn}
}

// Valid reports whether s is one of AllOfferStatuses.
func (s OfferStatus) Valid() bool { return slices.Contains(AllOfferStatuses(), s) }

func (OfferStatus) choices() []string { return enumStrings(AllOfferStatuses()) }

// Leaves reports whether a match in status s has left its round for good
// (declined, expired or withdrawn), freeing its place: the decisions after
// which a round is repaired.
func (s OfferStatus) Leaves() bool {
	return s == OfferDeclined || s == OfferExpired || s == OfferWithdrawn
}

// CanMove reports whether a match may go from s to to. Staying put is not a
// move and reports false.
func (s OfferStatus) CanMove(to OfferStatus) bool {
	switch s {
	case OfferProposed:
		return to == OfferOffered || to == OfferWithdrawn
	case OfferOffered:
		return to == OfferAccepted || to == OfferDeclined || to == OfferExpired || to == OfferWithdrawn
	case OfferAccepted:
		return to == OfferWithdrawn
	}
	return false
}

// Match pairs who goes with where they go in a round. It is a proposal
// until the round is published, and an offer to the host afterwards; one
// record serves both so that the history of a pairing is one row.
//
// Who goes is a participant (internships, study circles, community visits)
// or, in exchanges between organisations, the visiting organisation: exactly
// one of ParticipantID and VisitorID is set. Where they go is a host
// organisation, a community (community visits) or a study circle of the
// round, numbered from 1: exactly one of HostID, CommunityID and Circle is
// set. Separate fields, rather than one untyped id, let the database check
// every reference.
type Match struct {
	ID            MatchID       `json:"id" db:"id"`
	RoundID       RoundID       `json:"round_id" db:"round_id" validate:"required"`
	ParticipantID ParticipantID `json:"participant_id,omitempty" db:"participant_id" validate:"max=64"`
	VisitorID     OrgID         `json:"visitor_id,omitempty" db:"visitor_id" validate:"max=64"`
	HostID        OrgID         `json:"host_id,omitempty" db:"host_id" validate:"max=64"`
	CommunityID   CommunityID   `json:"community_id,omitempty" db:"community_id" validate:"max=64"`
	Circle        int           `json:"circle,omitempty" db:"circle" validate:"min=0"`
	Status        OfferStatus   `json:"status" db:"status" validate:"required,enum"`
	// Score is the weighted sum of Breakdown, the matcher's feature scores.
	Score     float64            `json:"score" db:"score"`
	Breakdown map[string]float64 `json:"breakdown,omitempty" db:"-"`
	// Deadline is when an unanswered offer expires (UTC); zero: none.
	Deadline time.Time `json:"deadline,omitzero" db:"deadline"`
	// DecidedAt is when the host accepted or declined, or the offer
	// expired or was withdrawn (UTC); zero while undecided.
	DecidedAt time.Time `json:"decided_at,omitzero" db:"decided_at"`
	// Reason is the host's or manager's free-text reason for the decision.
	Reason string `json:"reason,omitempty" db:"reason" validate:"max=2000"`
}

// Place returns the id of where the match sends someone: the host
// organisation's id, the community's, or "circle-N" for study circle N.
func (m *Match) Place() string {
	switch {
	case m.HostID != "":
		return string(m.HostID)
	case m.CommunityID != "":
		return string(m.CommunityID)
	}
	return CirclePlace(m.Circle)
}

// CirclePlace returns the place id of study circle n of a round.
func CirclePlace(n int) string { return "circle-" + strconv.Itoa(n) }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Place is the number of people one host (or community) takes in a round,
// and how many of its offers are accepted. The store refuses an acceptance
// that would make Accepted exceed Capacity.
type Place struct {
	// ID is the host organisation's id, the community's in a
	// community-visit round, or CirclePlace(n) for a study circle.
	ID       string `json:"id" db:"place_id" validate:"required,max=64"`
	Capacity int    `json:"capacity" db:"capacity" validate:"min=0,max=10000"`
	Accepted int    `json:"accepted" db:"accepted" validate:"min=0"`
}

// Check reports who and where not set exactly once, and a score or
// breakdown entry that is not finite.
func (m *Match) Check() ErrorList {
	var l ErrorList
	if (m.ParticipantID == "") == (m.VisitorID == "") {
		l.Add("participant_id", "and visitor_id: exactly one must be set", "set participant_id for a person, visitor_id for a visiting organisation")
	}
	if n := btoi(m.HostID != "") + btoi(m.CommunityID != "") + btoi(m.Circle != 0); n != 1 {
		l.Add("host_id", "community_id and circle: exactly one must be set", "set host_id for an organisation, community_id for a community, circle for a study circle")
	}
	if math.IsNaN(m.Score) || math.IsInf(m.Score, 0) {
		l.Add("score", "is "+formatFloat(m.Score)+", not a finite number", "")
	}
	for _, name := range sortedKeys(m.Breakdown) {
		if v := m.Breakdown[name]; math.IsNaN(v) || math.IsInf(v, 0) {
			l.Add("breakdown."+name, "is "+formatFloat(v)+", not a finite number", "")
		}
	}
	return l
}
