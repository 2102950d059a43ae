package main

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store/storetest"
)

// TestToken makes, lists and revokes tokens on each engine, and checks
// them with access.Check as the service does.
func TestToken(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			dsn := engine.DSN(t)
			ctx := t.Context()
			if code, _, errOut := runKhidi(t, append([]string{"import", "--db", dsn}, examples...)...); code != exitOK {
				t.Fatalf("khidi import: exit %d: %s", code, errOut)
			}
			tokenOK := func(args ...string) string {
				t.Helper()
				code, out, errOut := runKhidi(t, append([]string{"token", args[0], "--db", dsn}, args[1:]...)...)
				if code != exitOK {
					t.Fatalf("khidi token %v: exit %d, stderr %q", args, code, errOut)
				}
				return out
			}
			db := storetest.Open(t, dsn)

			// An admin token: the token alone on stdout, working, for 90 days.
			out := tokenOK("create", "--admin", "--note", "ci")
			admin := strings.TrimSuffix(out, "\n")
			tok, err := access.Check(ctx, db, admin, program.TokenAdmin, time.Now())
			if err != nil || strings.Count(out, "\n") != 1 {
				t.Fatalf("create --admin printed %q; Check = %v; want one line with a working admin token", out, err)
			}
			if d := time.Until(tok.ExpiresAt); d < 89*24*time.Hour || d > 90*24*time.Hour || tok.Note != "ci" {
				t.Errorf("admin token %+v: want it to expire in 90 days, with note ci", tok)
			}

			// A metrics token: never expiring, reads the metrics only.
			metrics := strings.TrimSuffix(tokenOK("create", "--metrics", "--note", "prometheus"), "\n")
			mtok, err := access.Check(ctx, db, metrics, program.TokenMetrics, time.Now())
			if err != nil || !mtok.ExpiresAt.IsZero() {
				t.Errorf("metrics token %+v, %v: want a working token that never expires", mtok, err)
			}
			if _, err := access.Check(ctx, db, metrics, program.TokenAdmin, time.Now()); !errors.Is(err, access.ErrDenied) {
				t.Errorf("the metrics token opens the manager API: %v", err)
			}

			// A programme token with the programme's feed URL.
			out = tokenOK("create", "--programme", "--base-url", "https://khidi.example.org")
			if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || lines[1] != "https://khidi.example.org/calendars/"+lines[0]+".ics" {
				t.Errorf("create --programme printed %q, want the token and its feed URL", out)
			} else if _, err := access.Check(ctx, db, lines[0], program.TokenProgramme, time.Now()); err != nil {
				t.Errorf("the programme token does not check: %v", err)
			}

			// A feed token with its URL, as JSON.
			var feed access.Issued
			out = tokenOK("create", "--feed", "p-001", "--base-url", "https://khidi.example.org/k", "--expires", "never", "--json")
			if err := json.Unmarshal([]byte(out), &feed); err != nil {
				t.Fatalf("create --json printed %q: %v", out, err)
			}
			if feed.FeedURL != "https://khidi.example.org/k/calendars/"+feed.Token+".ics" || !feed.ExpiresAt.IsZero() || feed.Subject != "p-001" {
				t.Errorf("feed token %+v: want p-001's, never expiring, with its URL under the base", feed)
			}
			if _, err := access.Check(ctx, db, feed.Token, program.TokenFeed, time.Now()); err != nil {
				t.Errorf("the feed token does not check: %v", err)
			}
			out = tokenOK("create", "--feed", "org-kakheti-rdf", "--expires", "2160h", "--base-url", "https://khidi.example.org")
			if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.HasSuffix(lines[1], "/calendars/"+lines[0]+".ics") {
				t.Errorf("create --feed printed %q, want the token and its feed URL", out)
			}

			// List: records, never secrets.
			out = tokenOK("list")
			if !strings.Contains(out, tok.ID) || !strings.Contains(out, mtok.ID) || strings.Contains(out, admin[16:]) || !strings.Contains(out, "active") {
				t.Errorf("list printed %q, want the admin and metrics tokens' records, active, without their secrets", out)
			}
			var listed []program.AccessToken
			if err := json.Unmarshal([]byte(tokenOK("list", "--subject", "p-001", "--json")), &listed); err != nil {
				t.Fatal(err)
			}
			if len(listed) != 1 || listed[0].ID != feed.ID {
				t.Errorf("list --subject p-001 = %+v, want the feed token", listed)
			}

			// Revoke: the token stops working, and list says so.
			if out := tokenOK("revoke", tok.ID); out != "revoked token "+tok.ID+"\n" {
				t.Errorf("revoke printed %q", out)
			}
			if _, err := access.Check(ctx, db, admin, program.TokenAdmin, time.Now()); !errors.Is(err, access.ErrDenied) {
				t.Errorf("Check after revoke = %v, want access.ErrDenied", err)
			}
			if out := tokenOK("list"); !strings.Contains(out, "revoked") {
				t.Errorf("list after revoke printed %q, want the token shown revoked", out)
			}
		})
	}
}

func TestTokenUsage(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "khidi.db")
	if code, _, errOut := runKhidi(t, append([]string{"import", "--db", dsn}, examples...)...); code != exitOK {
		t.Fatalf("khidi import: exit %d: %s", code, errOut)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no subcommand", []string{"token"}, exitUsage, "usage: khidi token"},
		{"unknown subcommand", []string{"token", "mint"}, exitUsage, `unknown subcommand "mint"`},
		{"no kind", []string{"token", "create", "--db", dsn}, exitUsage, "exactly one of --admin, --metrics, --programme and --feed"},
		{"both admin and feed", []string{"token", "create", "--db", dsn, "--admin", "--feed", "p-001"}, exitUsage, "exactly one of --admin, --metrics, --programme and --feed"},
		{"both metrics and programme", []string{"token", "create", "--db", dsn, "--metrics", "--programme"}, exitUsage, "exactly one of --admin, --metrics, --programme and --feed"},
		{"zero days", []string{"token", "create", "--db", dsn, "--admin", "--expires", "0d"}, exitUsage, `--expires "0d"`},
		{"lifetime in words", []string{"token", "create", "--db", dsn, "--admin", "--expires", "soon"}, exitUsage, "90d"},
		{"negative duration", []string{"token", "create", "--db", dsn, "--admin", "--expires", "-5h"}, exitUsage, "positive"},
		{"feed of a stranger", []string{"token", "create", "--db", dsn, "--feed", "nobody"}, exitUsage, `"nobody" is neither a participant nor an organisation`},
		{"bad base URL", []string{"token", "create", "--db", dsn, "--feed", "p-001", "--base-url", "ftp://x"}, exitUsage, "--base-url"},
		{"stray argument", []string{"token", "create", "--db", dsn, "--admin", "extra"}, exitUsage, "unexpected arguments"},
		{"admin tokens have no subject", []string{"token", "list", "--db", dsn, "--kind", "admin", "--subject", "p-001"}, exitUsage, "admin, metrics and programme tokens have no subject"},
		{"unknown kind", []string{"token", "list", "--db", dsn, "--kind", "root"}, exitUsage, `kind "root"`},
		{"revoke without ID", []string{"token", "revoke", "--db", dsn}, exitUsage, "expected exactly one token ID"},
		{"revoke an unknown token", []string{"token", "revoke", "--db", dsn, "0123456789abcdef"}, exitUsage, "not found"},
		{"bad flag", []string{"token", "list", "--db", dsn, "--colour"}, exitUsage, "colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runKhidi(t, tt.args...)
			if code != tt.wantCode || out != "" || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("khidi %v: exit %d, stdout %q, stderr %q; want exit %d, nothing on stdout, %q on stderr",
					tt.args, code, out, errOut, tt.wantCode, tt.wantErr)
			}
		})
	}
}
