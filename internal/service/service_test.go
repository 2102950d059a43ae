package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"testing"
	"time"
	_ "time/tzdata" // the pages show times in Asia/Tbilisi, on any machine

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/internal/service"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

// testService is the whole service, as `khidi serve` assembles it, on a
// fresh database holding the demo programme and a published internship
// round, listening on a loopback port of its own.
type testService struct {
	t     *testing.T
	db    *store.DB
	svc   *service.Service
	url   string // http://127.0.0.1:PORT, also the service's base URL
	round program.Round
	links map[program.OrgID]string // host → its link's token
}

// newTestService builds and serves the service on dsn. The round is run on
// the demo programme, where more novices apply than hosts have places, so
// that a decline's repair has someone to offer the place to. Its offers
// are open for two days.
func newTestService(t *testing.T, dsn string) *testService {
	t.Helper()
	ctx := t.Context()
	db := storetest.Open(t, dsn)
	storetest.Seed(t, db, demodata.Config{Seed: 5})
	res, err := rounds.Run(ctx, db, rounds.Request{Kind: program.RoundInternship, Seed: 5}, time.Now)
	if err != nil {
		t.Fatal(err)
	}

	// The base URL is the real listening address, so that the server's
	// cross-origin protection trusts the pages' own form posts as it
	// trusts a production origin.
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base, err := server.ParseBaseURL("http://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	// Warnings and errors only: one line per request would bury a
	// failure's cause under hundreds of lines.
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc, err := service.New(service.Config{Store: db, Server: server.Config{Logger: logger, BaseURL: base}})
	if err != nil {
		t.Fatal(err)
	}
	_, links, err := svc.Offers.Publish(ctx, res.Round.ID, time.Now().Add(48*time.Hour), "cli")
	if err != nil {
		t.Fatal(err)
	}
	round, err := db.Round(ctx, res.Round.ID)
	if err != nil {
		t.Fatal(err)
	}

	// Serve on a context of its own, which the cleanup ends and then
	// waits for Serve to return: the database, whose cleanup was
	// registered first and so runs last, must outlive every request.
	serveCtx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- svc.Serve(serveCtx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})

	s := &testService{t: t, db: db, svc: svc, url: base.String(), round: round, links: map[program.OrgID]string{}}
	for _, l := range links {
		s.links[l.Host] = l.Token
	}
	return s
}

// matches returns the round's matches, oldest first.
func (s *testService) matches() []program.Match {
	s.t.Helper()
	ms, err := s.db.RoundMatches(s.t.Context(), s.round.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return ms
}

// openOffers returns host's offers that are still open, oldest first.
func (s *testService) openOffers(host program.OrgID) []program.Match {
	s.t.Helper()
	var open []program.Match
	for _, m := range s.matches() {
		if m.HostID == host && m.Status == program.OfferOffered {
			open = append(open, m)
		}
	}
	return open
}

// busiestHosts returns the two hosts with the most open offers (ties to
// the lower id), so that a test has several offers of one host to answer
// and another host to compare with.
func (s *testService) busiestHosts() (first, second program.OrgID) {
	s.t.Helper()
	count := map[program.OrgID]int{}
	for _, m := range s.matches() {
		if m.Status == program.OfferOffered {
			count[m.HostID]++
		}
	}
	better := func(a, b program.OrgID) bool {
		return b == "" || count[a] > count[b] || (count[a] == count[b] && a < b)
	}
	for h := range count {
		switch {
		case better(h, first):
			first, second = h, first
		case better(h, second):
			second = h
		}
	}
	if second == "" || count[first] < 2 {
		s.t.Fatalf("round %d: want two hosts with offers, one with at least two; got %v", s.round.ID, count)
	}
	return first, second
}

// match loads match id.
func (s *testService) match(id program.MatchID) program.Match {
	s.t.Helper()
	m, err := s.db.Match(s.t.Context(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return m
}

// audited returns the round's audit entries with action, for match id
// (any match when id is 0).
func (s *testService) audited(id program.MatchID, action string) []program.AuditEntry {
	s.t.Helper()
	log, err := s.db.Audit(s.t.Context(), store.AuditQuery{Round: s.round.ID})
	if err != nil {
		s.t.Fatal(err)
	}
	var out []program.AuditEntry
	for _, e := range log {
		if (id == 0 || e.Match == id) && e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// saveToken stores a token of kind for subject that expires at expires
// (zero: never) and returns it; revoked revokes it at once. access.Issue
// cannot make these: it refuses host tokens and past expiries.
func (s *testService) saveToken(kind program.TokenKind, subject string, expires time.Time, revoked bool) string {
	s.t.Helper()
	plain, tok, err := access.New(kind, subject, expires, "tests")
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.db.SaveTokens(s.t.Context(), "test", []program.AccessToken{tok}); err != nil {
		s.t.Fatal(err)
	}
	if revoked {
		if err := s.db.RevokeToken(s.t.Context(), tok.ID, "tests"); err != nil {
			s.t.Fatal(err)
		}
	}
	return plain
}

// snapshot returns everything in the database that a request could
// change (storetest.Snapshot).
func (s *testService) snapshot() []byte {
	s.t.Helper()
	return storetest.Snapshot(s.t, s.db)
}

// hostURL returns the address of token's host page, or of its offer id
// when id is not 0, with the query q (none when nil).
func (s *testService) hostURL(token string, id program.MatchID, q url.Values) string {
	u := s.url + "/host/" + token
	if id != 0 {
		u += fmt.Sprintf("/offers/%d", id)
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}
