package access

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// issuer is an Issuer over a memStore that knows one participant and one
// organisation, stamping saved tokens with created and noting who made
// each in actors.
type issuer struct {
	memStore
	created time.Time
	actors  map[string]string
}

func (s issuer) SaveTokens(_ context.Context, actor string, ts []program.AccessToken) error {
	for _, t := range ts {
		t.CreatedAt = s.created
		s.memStore[t.ID] = t
		s.actors[t.ID] = actor
	}
	return nil
}

func (issuer) Participant(_ context.Context, id program.ParticipantID) (program.Participant, error) {
	if id == "p-1" {
		return program.Participant{ID: id}, nil
	}
	return program.Participant{}, program.ErrNotFound
}

func (issuer) Organization(_ context.Context, id program.OrgID) (program.Organization, error) {
	if id == "o-1" {
		return program.Organization{ID: id}, nil
	}
	return program.Organization{}, program.ErrNotFound
}

func TestIssue(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		kind        program.TokenKind
		subject     string
		lifetime    time.Duration
		note        string
		wantExpires time.Time
		wantErr     error
	}{
		{"admin", program.TokenAdmin, "", AdminLifetime, "ci", now.Add(AdminLifetime), nil},
		{"feed of a participant, forever", program.TokenFeed, "p-1", 0, "", time.Time{}, nil},
		{"feed of an organisation", program.TokenFeed, "o-1", time.Hour, "", now.Add(time.Hour), nil},
		{"feed of a stranger", program.TokenFeed, "p-9", 0, "", time.Time{}, program.ErrInvalid},
		{"feed without subject", program.TokenFeed, "", 0, "", time.Time{}, program.ErrInvalid},
		{"admin with subject", program.TokenAdmin, "p-1", 0, "", time.Time{}, program.ErrInvalid},
		{"metrics, forever", program.TokenMetrics, "", 0, "prometheus", time.Time{}, nil},
		{"metrics with subject", program.TokenMetrics, "o-1", 0, "", time.Time{}, program.ErrInvalid},
		{"host", program.TokenHost, "o-1", 0, "", time.Time{}, program.ErrInvalid},
		{"negative lifetime", program.TokenAdmin, "", -time.Hour, "", time.Time{}, program.ErrInvalid},
		{"long note", program.TokenAdmin, "", 0, strings.Repeat("ა", maxNote+1), time.Time{}, program.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := issuer{memStore{}, now, map[string]string{}}
			g := Grant{Kind: tt.kind, Subject: tt.subject, Lifetime: tt.lifetime, Note: tt.note, Actor: "cli"}
			plain, tok, err := Issue(t.Context(), st, g, now)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || len(st.memStore) != 0 {
					t.Fatalf("Issue = %v with %d stored, want %v and nothing stored", err, len(st.memStore), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tok.ExpiresAt.Equal(tt.wantExpires) || !tok.CreatedAt.Equal(now) || tok.Note != tt.note || st.actors[tok.ID] != "cli" {
				t.Errorf("Issue stored %+v by %q, want expiry %v, creation %v, note %q, by cli", tok, st.actors[tok.ID], tt.wantExpires, now, tt.note)
			}
			if got, err := Check(t.Context(), st, plain, tt.kind, now); err != nil || got.ID != tok.ID {
				t.Errorf("Check(issued token) = %+v, %v; want the token", got, err)
			}
		})
	}
}

// lister is a Lister over a fixed list of tokens.
type lister []program.AccessToken

func (l lister) Tokens(_ context.Context, kind program.TokenKind, subject string) ([]program.AccessToken, error) {
	var out []program.AccessToken
	for _, t := range l {
		if t.Kind == kind && t.Subject == subject {
			out = append(out, t)
		}
	}
	return out, nil
}

func TestList(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return time.Date(2027, 3, 1, h, 0, 0, 0, time.UTC) }
	st := lister{
		{ID: "a1", Kind: program.TokenAdmin, CreatedAt: at(2)},
		{ID: "f1", Kind: program.TokenFeed, Subject: "o-1", CreatedAt: at(3)},
		{ID: "h1", Kind: program.TokenHost, Subject: "o-1", CreatedAt: at(1)},
		{ID: "f2", Kind: program.TokenFeed, Subject: "p-1", CreatedAt: at(1)},
	}
	tests := []struct {
		name    string
		kind    program.TokenKind
		subject string
		want    string // ids, in order
		wantErr bool
	}{
		{"default: admin tokens", "", "", "a1", false},
		{"a subject's tokens of every kind, oldest first", "", "o-1", "h1 f1", false},
		{"one kind of a subject", program.TokenFeed, "o-1", "f1", false},
		{"admin with subject", program.TokenAdmin, "o-1", "", true},
		{"feed without subject", program.TokenFeed, "", "", true},
		{"unknown kind", "root", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := List(t.Context(), st, tt.kind, tt.subject)
			if tt.wantErr {
				if !errors.Is(err, program.ErrInvalid) {
					t.Fatalf("List(%q, %q) = %v, want program.ErrInvalid", tt.kind, tt.subject, err)
				}
				return
			}
			var ids []string
			for _, tok := range ts {
				ids = append(ids, tok.ID)
			}
			if got := strings.Join(ids, " "); err != nil || got != tt.want {
				t.Errorf("List(%q, %q) = %q, %v; want %q", tt.kind, tt.subject, got, err, tt.want)
			}
		})
	}
}
