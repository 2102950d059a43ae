package access

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/khidi/khidi/internal/program"
)

// AdminLifetime is how long an admin token works unless its maker says
// otherwise: 90 days, so that a token pasted into a script and forgotten
// stops opening the manager API on its own.
const AdminLifetime = 90 * 24 * time.Hour

// MaxLifetimeDays bounds a token's lifetime, in days, wherever one is
// asked for: ten years, far beyond any programme, so that the days cannot
// overflow a duration.
const MaxLifetimeDays = 3650

// Issued is a token just made, as the API and the command line show it:
// the record as stored, the token itself, shown this once, and for a feed
// token its address. Fields are only ever added.
type Issued struct {
	program.AccessToken
	Token   string `json:"token"`
	FeedURL string `json:"feed_url,omitempty"`
}

// maxNote bounds a token's note, in characters: a reminder of whom or what
// it is for, not a document.
const maxNote = 200

// DefaultLifetime returns how long a token of kind works unless its maker
// says otherwise; 0 means it never expires. Feed and metrics tokens do not
// expire by default: calendar programs poll a subscription for years, and
// a monitoring system scrapes for as long as the service runs, and either
// would silently stop working; each reads one thing. Programme tokens
// are feeds too.
func DefaultLifetime(kind program.TokenKind) time.Duration {
	if kind == program.TokenAdmin {
		return AdminLifetime
	}
	return 0
}

// Issuer is what issuing a token needs of the database; *store.DB has it.
type Issuer interface {
	Store
	SaveTokens(ctx context.Context, actor string, ts []program.AccessToken) error
	Participant(ctx context.Context, id program.ParticipantID) (program.Participant, error)
	Organization(ctx context.Context, id program.OrgID) (program.Organization, error)
}

// Grant is a token a manager asks for.
type Grant struct {
	Kind program.TokenKind
	// Subject is the participant or organisation a feed token reads the
	// calendar of; empty for the other kinds.
	Subject string
	// Lifetime is how long the token works from now; 0 for ever.
	Lifetime time.Duration
	// Note says whom or what the token is for.
	Note string
	// Actor is who asks, for the audit log ("token:ID", "cli").
	Actor string
}

// Issue makes the token g asks for — admin, metrics, programme, or a feed
// token for a stored participant or organisation — stores it, recording g.Actor in the
// audit log, and returns the token to hand out, once, with the record as
// stored. Host tokens are refused: each round's publication makes its
// hosts' links. Input that cannot make a token gives an error matching
// program.ErrInvalid.
func Issue(ctx context.Context, st Issuer, g Grant, now time.Time) (string, program.AccessToken, error) {
	op := fmt.Sprintf("access: issue a %s token", g.Kind)
	switch {
	case g.Kind == program.TokenHost || !g.Kind.Valid():
		return "", program.AccessToken{}, fmt.Errorf("%s: want kind admin, metrics, programme or feed (host links are made when a round is published): %w", op, program.ErrInvalid)
	case !g.Kind.Personal() && g.Subject != "":
		return "", program.AccessToken{}, fmt.Errorf("%s: subject %q: an %s token speaks for no one; leave the subject out: %w", op, g.Subject, g.Kind, program.ErrInvalid)
	case g.Lifetime < 0:
		return "", program.AccessToken{}, fmt.Errorf("%s: lifetime %v: want a positive duration, or 0 for a token that never expires: %w", op, g.Lifetime, program.ErrInvalid)
	case utf8.RuneCountInString(g.Note) > maxNote:
		return "", program.AccessToken{}, fmt.Errorf("%s: the note has %d characters; keep it to %d: %w", op, utf8.RuneCountInString(g.Note), maxNote, program.ErrInvalid)
	}
	if g.Kind == program.TokenFeed {
		if err := checkSubject(ctx, st, g.Subject); err != nil {
			return "", program.AccessToken{}, fmt.Errorf("%s: %w", op, err)
		}
	}
	var expires time.Time
	if g.Lifetime > 0 {
		expires = now.Add(g.Lifetime)
	}
	plain, t, err := New(g.Kind, g.Subject, expires, g.Note)
	if err != nil {
		return "", program.AccessToken{}, err
	}
	if err := st.SaveTokens(ctx, g.Actor, []program.AccessToken{t}); err != nil {
		return "", program.AccessToken{}, fmt.Errorf("%s: %w", op, err)
	}
	// Read back for the creation stamp, which the store sets.
	if t, err = st.Token(ctx, t.ID); err != nil {
		return "", program.AccessToken{}, fmt.Errorf("%s: %w", op, err)
	}
	return plain, t, nil
}

// checkSubject reports a feed subject that is neither a stored participant
// nor a stored organisation.
func checkSubject(ctx context.Context, st Issuer, subject string) error {
	if subject == "" {
		return fmt.Errorf("a feed token needs a subject, the id of a participant or organisation: %w", program.ErrInvalid)
	}
	_, err := st.Participant(ctx, program.ParticipantID(subject))
	if errors.Is(err, program.ErrNotFound) {
		_, err = st.Organization(ctx, program.OrgID(subject))
	}
	if errors.Is(err, program.ErrNotFound) {
		return fmt.Errorf("subject %q is neither a participant nor an organisation; import them first: %w", subject, program.ErrInvalid)
	}
	return err
}

// Lister is what listing tokens needs of the database; *store.DB has it.
type Lister interface {
	Tokens(ctx context.Context, kind program.TokenKind, subject string) ([]program.AccessToken, error)
}

// List returns the tokens a manager asks to review, revoked and expired
// ones included: with neither kind nor subject, the admin, metrics and
// programme tokens; with a
// subject alone, the subject's host and feed tokens; otherwise those of
// kind for subject. They are ordered oldest first. A kind that cannot go
// with the subject (an admin token has none, others need one) gives an
// error matching program.ErrInvalid.
func List(ctx context.Context, st Lister, kind program.TokenKind, subject string) ([]program.AccessToken, error) {
	kinds := []program.TokenKind{kind}
	switch {
	case kind == "" && subject == "":
		kinds = []program.TokenKind{program.TokenAdmin, program.TokenMetrics, program.TokenProgramme}
	case kind == "":
		kinds = []program.TokenKind{program.TokenHost, program.TokenFeed}
	case !kind.Valid():
		return nil, fmt.Errorf("access: list tokens: kind %q: want one of %v: %w", kind, program.AllTokenKinds(), program.ErrInvalid)
	case kind.Personal() == (subject == ""):
		return nil, fmt.Errorf("access: list %s tokens of %q: admin, metrics and programme tokens have no subject, host and feed tokens need one: %w", kind, subject, program.ErrInvalid)
	}
	var all []program.AccessToken
	for _, k := range kinds {
		ts, err := st.Tokens(ctx, k, subject)
		if err != nil {
			return nil, err
		}
		all = append(all, ts...)
	}
	slices.SortStableFunc(all, func(a, b program.AccessToken) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return all, nil
}
