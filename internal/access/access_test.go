package access

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// memStore is a map of tokens by id.
type memStore map[string]program.AccessToken

func (m memStore) Token(_ context.Context, id string) (program.AccessToken, error) {
	t, ok := m[id]
	if !ok {
		return t, program.ErrNotFound
	}
	return t, nil
}

func TestCheck(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	st := memStore{}
	issue := func(kind program.TokenKind, subject string, expires time.Time) string {
		plain, tok, err := New(kind, subject, expires, "")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(tok.SecretHash), plain[16:]) || len(tok.SecretHash) != 32 {
			t.Fatalf("stored hash %x looks like the secret", tok.SecretHash)
		}
		st[tok.ID] = tok
		return plain
	}
	host := issue(program.TokenHost, "o-1", now.Add(time.Hour))
	admin := issue(program.TokenAdmin, "", time.Time{})
	expired := issue(program.TokenHost, "o-2", now.Add(-time.Second))
	revoked := issue(program.TokenFeed, "p-1", time.Time{})
	r := st[revoked[:16]]
	r.RevokedAt = now.Add(-time.Minute)
	st[r.ID] = r
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] = "01"[map[bool]int{true: 1, false: 0}[b[i] == '0']]
		return string(b)
	}

	tests := []struct {
		name  string
		plain string
		kind  program.TokenKind
		want  string // subject, or "" for ErrDenied
	}{
		{"host link", host, program.TokenHost, "o-1"},
		{"admin key", admin, program.TokenAdmin, ""},
		{"admin key as host", admin, program.TokenHost, "denied"},
		{"host link as admin", host, program.TokenAdmin, "denied"},
		{"secret changed", flip(host, 40), program.TokenHost, "denied"},
		{"id changed", flip(host, 3), program.TokenHost, "denied"},
		{"expired", expired, program.TokenHost, "denied"},
		{"revoked", revoked, program.TokenFeed, "denied"},
		{"too short", host[:47], program.TokenHost, "denied"},
		{"not hex", strings.Repeat("z", Length), program.TokenHost, "denied"},
		{"empty", "", program.TokenHost, "denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Check(t.Context(), st, tt.plain, tt.kind, now)
			switch {
			case tt.want == "denied" && !errors.Is(err, ErrDenied):
				t.Errorf("Check = %+v, %v; want ErrDenied", got, err)
			case tt.want != "denied" && (err != nil || got.Subject != tt.want):
				t.Errorf("Check = %+v, %v; want subject %q", got, err, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		plain, tok, err := New(program.TokenFeed, "p-1", time.Time{}, "")
		if err != nil || len(plain) != Length || tok.ID != plain[:16] || seen[plain] {
			t.Fatalf("New = %q, %+v, %v", plain, tok, err)
		}
		seen[plain] = true
	}
	for _, bad := range []struct {
		kind    program.TokenKind
		subject string
	}{{"root", ""}, {program.TokenAdmin, "o-1"}, {program.TokenHost, ""}} {
		if _, _, err := New(bad.kind, bad.subject, time.Time{}, ""); !errors.Is(err, program.ErrInvalid) {
			t.Errorf("New(%q, %q): %v, want program.ErrInvalid", bad.kind, bad.subject, err)
		}
	}
}
