package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
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

// createToken answers POST /api/tokens: makes an admin token or a
// participant's or organisation's feed token.
func (a *api) createToken(w http.ResponseWriter, r *http.Request, _ string) error {
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
	plain, tok, err := access.Issue(r.Context(), a.d.Store, req.Kind, req.Subject, lifetime, req.Note, a.d.Now())
	if err != nil {
		return err
	}
	out := access.Issued{AccessToken: tok, Token: plain}
	if tok.Kind == program.TokenFeed {
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
