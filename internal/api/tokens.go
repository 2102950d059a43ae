package api

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// tokenRequest is the body of POST /api/tokens.
type tokenRequest struct {
	Kind    program.TokenKind `json:"kind"`
	Subject string            `json:"subject"`
	// ExpiresInDays is the token's lifetime; left out, the kind's default
	// (access.DefaultLifetime), and 0 for a token that never expires.
	ExpiresInDays *int   `json:"expires_in_days"`
	Note          string `json:"note"`
}

// createToken answers POST /api/tokens: makes an admin, metrics or
// programme token, or a participant's or organisation's feed token.
func (a *api) createToken(w http.ResponseWriter, r *http.Request, actor string) error {
	var req tokenRequest
	if err := decode(r, &req, false); err != nil {
		return err
	}
	lifetime := access.DefaultLifetime(req.Kind)
	if d := req.ExpiresInDays; d != nil {
		if *d < 0 || *d > access.MaxLifetimeDays {
			return &program.InputError{Field: "expires_in_days", Msg: fmt.Sprintf("%d days", *d),
				Hint: fmt.Sprintf("want 1 to %d days, or 0 for a token that never expires", access.MaxLifetimeDays)}
		}
		lifetime = time.Duration(*d) * 24 * time.Hour
	}
	g := access.Grant{Kind: req.Kind, Subject: req.Subject, Lifetime: lifetime, Note: req.Note, Actor: actor}
	plain, tok, err := access.Issue(r.Context(), a.d.Store, g, a.d.Now())
	if err != nil {
		return err
	}
	out := access.Issued{AccessToken: tok, Token: plain}
	if tok.Kind == program.TokenFeed || tok.Kind == program.TokenProgramme {
		out.FeedURL = a.link("calendars", plain+".ics")
	}
	return writeJSON(w, http.StatusCreated, out)
}

// listTokens answers GET /api/tokens[?kind=K][&subject=ID]: the tokens'
// records, never their secrets (only hashes are stored).
func (a *api) listTokens(w http.ResponseWriter, r *http.Request, _ string) error {
	q := r.URL.Query()
	ts, err := access.List(r.Context(), a.d.Store, program.TokenKind(q.Get("kind")), q.Get("subject"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Tokens []program.AccessToken `json:"tokens"`
	}{nonNil(ts)})
}

// revokeToken answers DELETE /api/tokens/{id}: the token stops working at
// once. Revoking a revoked token changes nothing.
func (a *api) revokeToken(w http.ResponseWriter, r *http.Request, actor string) error {
	if err := a.d.Store.RevokeToken(r.Context(), r.PathValue("id"), actor); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// maxAuditPage bounds a page of the audit log: a national round's
// publication alone writes thousands of entries.
const maxAuditPage = 1000

// auditLog answers GET /api/audit[?round=ID][&after=ID][&limit=N]: the
// audit log, oldest first, a page at a time (limit, default and at most
// maxAuditPage). next is the id to pass as after for the page that
// follows, 0 when this one is the last.
func (a *api) auditLog(w http.ResponseWriter, r *http.Request, _ string) error {
	var q store.AuditQuery
	round, err := queryInt(r, "round", 1, math.MaxInt64, 0)
	if err != nil {
		return err
	}
	if q.After, err = queryInt(r, "after", 0, math.MaxInt64, 0); err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 1, maxAuditPage, maxAuditPage)
	if err != nil {
		return err
	}
	q.Round, q.Limit = program.RoundID(round), int(limit)
	es, err := a.d.Store.Audit(r.Context(), q)
	if err != nil {
		return err
	}
	var next int64
	if len(es) == q.Limit {
		next = es[len(es)-1].ID
	}
	return writeJSON(w, http.StatusOK, struct {
		Entries []program.AuditEntry `json:"entries"`
		Next    int64                `json:"next"`
	}{nonNil(es), next})
}
