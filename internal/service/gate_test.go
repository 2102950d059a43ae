package service

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
)

// tokenStore holds one token, counts lookups, and fails while down.
type tokenStore struct {
	tok     program.AccessToken
	lookups int
	down    bool
}

func (s *tokenStore) Token(_ context.Context, id string) (program.AccessToken, error) {
	s.lookups++
	if s.down {
		return program.AccessToken{}, errors.New("database down")
	}
	if id != s.tok.ID {
		return program.AccessToken{}, program.ErrNotFound
	}
	return s.tok, nil
}

// TestMetricsGate checks that the metrics open to a metrics token only,
// that a token that checked out is let through again for metricsGrace
// without the database (so scrapes go on through an outage), and that a
// token never seen is not let through while the database is down.
func TestMetricsGate(t *testing.T) {
	metrics, tok, err := access.New(program.TokenMetrics, "", time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	admin, _, err := access.New(program.TokenAdmin, "", time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	st := &tokenStore{tok: tok}
	g := &metricsGate{store: st, now: time.Now}
	scrape := func(token string) (bool, error) {
		r := httptest.NewRequest("GET", "/metrics", nil)
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		return g.allow(r)
	}
	for _, tt := range []struct {
		name  string
		token string
		want  bool
	}{{"no token", "", false}, {"an admin token", admin, false}, {"the metrics token", metrics, true}} {
		if got, err := scrape(tt.token); got != tt.want || err != nil {
			t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	st.down = true
	lookups := st.lookups
	if ok, err := scrape(metrics); !ok || err != nil || st.lookups != lookups {
		t.Errorf("the metrics token with the database down: %v, %v, %d lookups; want let through from memory", ok, err, st.lookups-lookups)
	}
	if ok, err := scrape(admin); ok || err == nil {
		t.Errorf("an unchecked token with the database down: %v, %v; want refused with the store's error", ok, err)
	}
	for key := range g.ok {
		g.ok[key] = time.Now().Add(-metricsGrace)
	}
	if ok, _ := scrape(metrics); ok {
		t.Error("after metricsGrace, with the database down, the metrics token was let through")
	}
}
