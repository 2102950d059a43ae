// Package access makes and checks the secret tokens in khidi's links and
// API keys. A token is 48 hexadecimal digits: a 64-bit public id, by which
// the store finds it, and a 128-bit secret, of which the store keeps only
// the SHA-256 hash. Checking compares hashes in constant time, and every
// failure (unknown id, wrong secret, wrong kind, expired,
// revoked, malformed) is the same ErrDenied, so a caller learns nothing
// about which links exist.
package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// Sizes of a token's parts, in bytes.
const (
	idBytes     = 8
	secretBytes = 16
	// Length is the length of a token as written: hexadecimal id and secret.
	Length = 2 * (idBytes + secretBytes)
)

// ErrDenied is every failed check.
var ErrDenied = errors.New("access denied")

// Store is what checking a token needs of the database; *store.DB has it.
type Store interface {
	Token(ctx context.Context, id string) (program.AccessToken, error)
}

// New makes a token of kind for subject ("" for an admin token) that
// expires at expires (zero: never). It returns the token to hand out, once,
// and the record to store, which holds only the secret's hash.
func New(kind program.TokenKind, subject string, expires time.Time, note string) (string, program.AccessToken, error) {
	if !kind.Valid() {
		return "", program.AccessToken{}, fmt.Errorf("access: kind %q: want one of %v: %w", kind, program.AllTokenKinds(), program.ErrInvalid)
	}
	if kind.Personal() == (subject == "") {
		return "", program.AccessToken{}, fmt.Errorf("access: a %s token with subject %q: admin, metrics and programme tokens have none, host and feed tokens need one: %w", kind, subject, program.ErrInvalid)
	}
	var b [idBytes + secretBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", program.AccessToken{}, fmt.Errorf("access: random: %w", err)
	}
	sum := sha256.Sum256(b[idBytes:])
	t := program.AccessToken{ID: hex.EncodeToString(b[:idBytes]), Kind: kind, Subject: subject,
		SecretHash: sum[:], ExpiresAt: expires.UTC(), Note: note}
	return hex.EncodeToString(b[:]), t, nil
}

// Check finds the token plain in st and returns it when it is of kind,
// usable at now and its secret matches; otherwise ErrDenied (or the store's
// error when the store fails).
func Check(ctx context.Context, st Store, plain string, kind program.TokenKind, now time.Time) (program.AccessToken, error) {
	return CheckAny(ctx, st, plain, now, kind)
}

// CheckAny is Check for a route that more than one kind opens: the token
// must be of one of kinds.
func CheckAny(ctx context.Context, st Store, plain string, now time.Time, kinds ...program.TokenKind) (program.AccessToken, error) {
	if len(plain) != Length {
		return program.AccessToken{}, ErrDenied
	}
	raw, err := hex.DecodeString(plain)
	if err != nil {
		return program.AccessToken{}, ErrDenied
	}
	t, err := st.Token(ctx, plain[:2*idBytes])
	if errors.Is(err, program.ErrNotFound) {
		return program.AccessToken{}, ErrDenied
	}
	if err != nil {
		return program.AccessToken{}, fmt.Errorf("access: %w", err)
	}
	sum := sha256.Sum256(raw[idBytes:])
	if subtle.ConstantTimeCompare(sum[:], t.SecretHash) != 1 || !slices.Contains(kinds, t.Kind) || !t.Usable(now) {
		return program.AccessToken{}, ErrDenied
	}
	return t, nil
}

// CheckBearer checks, as Check does, the token that an Authorization
// header's value carries as "Bearer TOKEN"; a header of any other form is
// ErrDenied.
func CheckBearer(ctx context.Context, st Store, header string, kind program.TokenKind, now time.Time) (program.AccessToken, error) {
	scheme, plain, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return program.AccessToken{}, ErrDenied
	}
	return Check(ctx, st, strings.TrimSpace(plain), kind, now)
}

// Actor names a token's holder in the audit log: "token:ID".
func Actor(t program.AccessToken) string { return "token:" + t.ID }
