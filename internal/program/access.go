package program

import (
	"slices"
	"time"
)

// TokenKind is what a secret token lets its holder do. Each kind grants
// the least a holder needs: a host's link shows and answers that host's
// offers (in one round, for the links rounds make), a feed token reads one
// calendar, a metrics token reads the service's metrics, a programme token
// reads the programme's calendar, and only an admin token reaches the
// manager API.
type TokenKind string

// The kinds of token.
const (
	// TokenAdmin authorises the manager API (Authorization: Bearer).
	TokenAdmin TokenKind = "admin"
	// TokenMetrics reads GET /metrics (Authorization: Bearer) and nothing
	// else, for a monitoring system.
	TokenMetrics TokenKind = "metrics"
	// TokenHost is a host organisation's link to its offers; Subject is the
	// organisation's id.
	TokenHost TokenKind = "host"
	// TokenFeed reads one calendar feed; Subject is the participant's or
	// organisation's id.
	TokenFeed TokenKind = "feed"
	// TokenProgramme reads the programme's calendar feed, every event
	// without attendees' addresses, for managers' calendar programs, which
	// subscribe by address and cannot send a header.
	TokenProgramme TokenKind = "programme"
)

// AllTokenKinds returns every TokenKind.
func AllTokenKinds() []TokenKind {
	return []TokenKind{TokenAdmin, TokenMetrics, TokenHost, TokenFeed, TokenProgramme}
}

// Personal reports whether a token of kind speaks for a participant or an
// organisation, its Subject; admin, metrics and programme tokens speak for
// the service's operators and have none.
func (k TokenKind) Personal() bool { return k == TokenHost || k == TokenFeed }

// Valid reports whether k is one of AllTokenKinds.
func (k TokenKind) Valid() bool { return slices.Contains(AllTokenKinds(), k) }

func (TokenKind) choices() []string { return enumStrings(AllTokenKinds()) }

// AccessToken is a stored token: its public ID and the hash of its secret,
// never the secret itself, so a copy of the database opens no link.
type AccessToken struct {
	ID   string    `json:"id" db:"id"`
	Kind TokenKind `json:"kind" db:"kind"`
	// Subject is whom the token speaks for: an organisation's id (host), a
	// participant's or organisation's id (feed), empty for the kinds that
	// are not Personal.
	Subject string `json:"subject,omitempty" db:"subject"`
	// Round, for a host link, is the round whose offers it opens; 0 for a
	// link to all its host's offers (links made before rounds had their
	// own) and for other kinds.
	Round      RoundID   `json:"round,omitempty" db:"round_id"`
	SecretHash []byte    `json:"-" db:"secret_hash"`
	Note       string    `json:"note,omitempty" db:"note"`
	CreatedAt  time.Time `json:"created_at" db:"created_at"`
	// ExpiresAt is when the token stops working; zero for never.
	ExpiresAt time.Time `json:"expires_at,omitzero" db:"expires_at"`
	// RevokedAt is when a manager revoked the token; zero while it works.
	RevokedAt time.Time `json:"revoked_at,omitzero" db:"revoked_at"`
}

// Usable reports whether the token works at now: not revoked, not expired.
func (t *AccessToken) Usable(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// AuditEntry records one change to offers or rounds: who made it, when,
// and what.
type AuditEntry struct {
	ID int64     `json:"id" db:"id"`
	At time.Time `json:"at" db:"at"`
	// Actor is who acted: "token:ID" for a link or API token, "job:NAME"
	// for a scheduled job, "cli" for the command line.
	Actor string `json:"actor" db:"actor"`
	// Action is what happened, such as "offer.accepted" or "round.published".
	Action string  `json:"action" db:"action"`
	Round  RoundID `json:"round,omitempty" db:"round_id"`
	Match  MatchID `json:"match,omitempty" db:"match_id"`
	Detail string  `json:"detail,omitempty" db:"detail"`
}
