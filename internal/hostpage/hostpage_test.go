package hostpage

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the pages show times in Asia/Tbilisi, on any machine

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/store"
	"github.com/khidi/khidi/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, storetest.Migrate)) }

// engines are the databases every test that touches one runs on.
var engines = storetest.Engines()

// forEngines runs test on each engine, in parallel: each owns its database.
func forEngines(t *testing.T, test func(t *testing.T, dsn string)) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			test(t, engine.DSN(t))
		})
	}
}

// fixture is a published round in a database, with the hosts' links.
type fixture struct {
	db    *store.DB
	svc   *offers.Service
	round program.Round
	links map[program.OrgID]string // host → its link's token
}

// newTestDB opens dsn and stores the demo programme in it.
func newTestDB(t *testing.T, dsn string) (*store.DB, demodata.Programme) {
	t.Helper()
	db, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := storetest.Seed(t, db, demodata.Config{Seed: 5})
	return db, p
}

// publish publishes round id, open for two days, and returns the fixture.
func publish(t *testing.T, db *store.DB, id program.RoundID) *fixture {
	t.Helper()
	svc := &offers.Service{Store: db}
	_, links, err := svc.Publish(t.Context(), id, time.Now().Add(48*time.Hour), "cli")
	if err != nil {
		t.Fatal(err)
	}
	round, err := db.Round(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, svc: svc, round: round, links: map[program.OrgID]string{}}
	for _, l := range links {
		f.links[l.Host] = l.Token
	}
	return f
}

// newDemoRound runs and publishes an internship round on the demo
// programme, where more novices apply than hosts have places, so that a
// decline's repair has someone to offer the place to.
func newDemoRound(t *testing.T, dsn string) *fixture {
	t.Helper()
	db, _ := newTestDB(t, dsn)
	res, err := rounds.Run(t.Context(), db, rounds.Request{Kind: program.RoundInternship, Seed: 5}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return publish(t, db, res.Round.ID)
}

// newCrowdedRound publishes a round in which one host with capacity
// places is offered n people, more than it can take: the proposal is
// written by hand, since the matcher never offers a host more people than
// it has places, and only such a round can show the database refusing an
// acceptance.
func newCrowdedRound(t *testing.T, dsn string, capacity, n int) (*fixture, program.OrgID) {
	t.Helper()
	db, p := newTestDB(t, dsn)
	host := p.Organizations[0].ID
	prop := store.Proposal{Places: []program.Place{{ID: string(host), Capacity: capacity}}}
	for _, person := range p.Participants[:n] {
		prop.Matches = append(prop.Matches, program.Match{ParticipantID: person.ID, HostID: host, Status: program.OfferProposed,
			Score: 0.7, Breakdown: map[string]float64{"theme": 0.9, "language": 1, "geography": 0.4}})
	}
	r, err := db.CreateProposedRound(t.Context(), program.Round{Kind: program.RoundInternship, Name: "crowded"}, prop)
	if err != nil {
		t.Fatal(err)
	}
	return publish(t, db, r.ID), host
}

// handler returns the server with the host pages registered, on the
// fixture's database, with the clock now (nil: time.Now).
func (f *fixture) handler(t *testing.T, now func() time.Time) http.Handler {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	srv, err := server.New(server.Config{Logger: logger, DB: f.db})
	if err != nil {
		t.Fatal(err)
	}
	Register(srv, Deps{Store: f.db, Offers: f.svc, Logger: logger, Now: now})
	return srv
}

// offersTo returns the round's matches, those to host and the others.
func (f *fixture) offersTo(t *testing.T, host program.OrgID) (mine, others []program.Match) {
	t.Helper()
	ms, err := f.db.RoundMatches(t.Context(), f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.HostID == host {
			mine = append(mine, m)
		} else {
			others = append(others, m)
		}
	}
	return mine, others
}

// busiestHost returns the host with the most offers in the round, so
// that tests have several of one host's offers to answer.
func (f *fixture) busiestHost(t *testing.T) program.OrgID {
	t.Helper()
	ms, err := f.db.RoundMatches(t.Context(), f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[program.OrgID]int{}
	var best program.OrgID
	for _, m := range ms {
		count[m.HostID]++
		if c := count[m.HostID]; c > count[best] || (c == count[best] && m.HostID < best) {
			best = m.HostID
		}
	}
	return best
}

// match loads match id.
func (f *fixture) match(t *testing.T, id program.MatchID) program.Match {
	t.Helper()
	m, err := f.db.Match(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// place returns host's place in the round.
func (f *fixture) place(t *testing.T, host program.OrgID) program.Place {
	t.Helper()
	places, err := f.db.RoundPlaces(t.Context(), f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range places {
		if p.ID == string(host) {
			return p
		}
	}
	t.Fatalf("no place for host %s in round %d", host, f.round.ID)
	return program.Place{}
}

// audited returns the audit entries of the round for match id.
func (f *fixture) audited(t *testing.T, id program.MatchID, action string) []program.AuditEntry {
	t.Helper()
	log, err := f.db.Audit(t.Context(), store.AuditQuery{Round: f.round.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out []program.AuditEntry
	for _, e := range log {
		if e.Match == id && e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// request is one request to send to the pages.
type request struct {
	method, target string
	form           url.Values // posted as a form when not nil
	header         map[string]string
}

// do sends rq to h and returns the response.
func do(h http.Handler, rq request) *httptest.ResponseRecorder {
	var body io.Reader
	if rq.form != nil {
		body = strings.NewReader(rq.form.Encode())
	}
	req := httptest.NewRequest(rq.method, rq.target, body)
	if rq.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// get fetches target in English, the language most assertions read.
func get(h http.Handler, target string) *httptest.ResponseRecorder {
	return do(h, request{method: "GET", target: target, header: map[string]string{"Accept-Language": "en"}})
}

// answer posts decision and reason for offer id with token.
func answer(h http.Handler, token string, id program.MatchID, decision, reason string) *httptest.ResponseRecorder {
	return do(h, request{method: "POST", target: offerPath(token, id),
		form: url.Values{"decision": {decision}, "reason": {reason}}, header: map[string]string{"Accept-Language": "en"}})
}

// offerPath is the address of offer id's page under token.
func offerPath(token string, id program.MatchID) string {
	return fmt.Sprintf("/host/%s/offers/%d", token, id)
}

// attr returns the value of the first attribute name="…" in body.
func attr(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(name) + `="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no %s attribute:\n%s", name, body)
	}
	return m[1]
}

// checkPage checks what every page must be: HTML in a known language,
// never cached, with no Referer, one main and one h1, the key containers
// closed as often as opened, and a label for every textarea.
func checkPage(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	h := rec.Header()
	for k, want := range map[string]string{
		"Content-Type":    "text/html; charset=utf-8",
		"Cache-Control":   "no-store",
		"Referrer-Policy": "no-referrer",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, "<!doctype html>\n<html lang=\"") {
		t.Errorf("page does not start with the doctype and <html lang>:\n%.200s", body)
	}
	for _, tag := range []string{"main", "h1"} {
		if n := len(regexp.MustCompile(`<`+tag+`[\s>]`).FindAllString(body, -1)); n != 1 {
			t.Errorf("page has %d <%s>, want 1", n, tag)
		}
	}
	for _, tag := range []string{"html", "head", "body", "header", "nav", "main", "section", "article", "form", "fieldset",
		"ol", "ul", "li", "dl", "div", "p", "h1", "h2", "h3", "h4", "h5", "a", "button", "textarea", "label", "time"} {
		open := len(regexp.MustCompile(`<`+tag+`[\s>]`).FindAllString(body, -1))
		if closed := strings.Count(body, "</"+tag+">"); open != closed {
			t.Errorf("page opens <%s> %d times and closes it %d times", tag, open, closed)
		}
	}
	for _, m := range regexp.MustCompile(`<textarea id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `<label for="`+m[1]+`">`) {
			t.Errorf("textarea %s has no label", m[1])
		}
	}
	if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
		t.Errorf("page has inline script or style, which the Content-Security-Policy blocks")
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
	}
}

func TestHostPageShowsOnlyTheHostsOffers(t *testing.T) {
	forEngines(t, func(t *testing.T, dsn string) {
		f := newDemoRound(t, dsn)
		h := f.handler(t, nil)
		host := f.busiestHost(t)
		mine, others := f.offersTo(t, host)

		// One offer answered, so the page has a history too.
		if rec := answer(h, f.links[host], mine[0].ID, "accept", "ready in May"); rec.Code != http.StatusSeeOther {
			t.Fatalf("accept: status %d, want 303", rec.Code)
		}
		rec := get(h, "/host/"+f.links[host])
		if rec.Code != http.StatusOK {
			t.Fatalf("GET host page: status %d, want 200\n%s", rec.Code, rec.Body)
		}
		checkPage(t, rec)
		body := rec.Body.String()
		text := html.UnescapeString(body) // html/template writes "+" as "&#43;"
		for i, m := range mine {
			p, err := f.db.Participant(t.Context(), m.ParticipantID)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, p.Name) {
				t.Errorf("page lacks %s, offered to the host", p.Name)
			}
			want := fmt.Sprintf(`<li class="offer" id="offer-%d"`, m.ID)
			if i == 0 {
				want = fmt.Sprintf(`<li id="offer-%d" data-offer-id="%d" data-status="accepted">`, m.ID, m.ID)
			}
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		for _, m := range others {
			if strings.Contains(body, fmt.Sprintf(`data-offer-id="%d"`, m.ID)) {
				t.Errorf("page shows offer %d, to host %s", m.ID, m.HostID)
			}
		}
		place := f.place(t, host)
		if got, want := attr(t, body, "data-places-left"), fmt.Sprint(place.Capacity-1); got != want {
			t.Errorf("places left %s, want %s (capacity %d, one accepted)", got, want, place.Capacity)
		}
		for _, want := range []string{
			"Offers for ", "Why this match", "Overall fit: ", "Shared themes: ", "(UTC+04:00)",
			"Reason: ready in May", `data-action="accept"`, `data-action="decline"`, "Answered",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if n := strings.Count(body, "<fieldset>"); n != len(mine)-1 {
			t.Errorf("page has %d answer forms, want %d (one per open offer)", n, len(mine)-1)
		}
	})
}

func TestLanguage(t *testing.T) {
	forEngines(t, testLanguage)
}

func testLanguage(t *testing.T, dsn string) {
	f := newDemoRound(t, dsn)
	h := f.handler(t, nil)
	page := "/host/" + f.links[f.busiestHost(t)]
	tests := []struct {
		name       string
		query      string
		header     map[string]string
		want       string
		wantCookie string // the Set-Cookie expected, "" for none
	}{
		{"default", "", nil, "ka", ""},
		{"Accept-Language English", "", map[string]string{"Accept-Language": "en-GB,en;q=0.9"}, "en", ""},
		{"Accept-Language ranks English above Georgian", "", map[string]string{"Accept-Language": "ru, ka;q=0.5, en;q=0.8"}, "en", ""},
		{"Accept-Language with no supported language", "", map[string]string{"Accept-Language": "ru, de;q=0.5"}, "ka", ""},
		{"cookie beats Accept-Language", "", map[string]string{"Cookie": "lang=en", "Accept-Language": "ka"}, "en", ""},
		{"unknown cookie ignored", "", map[string]string{"Cookie": "lang=xx", "Accept-Language": "en"}, "en", ""},
		{"query beats cookie and sets it", "?lang=ka", map[string]string{"Cookie": "lang=en"}, "ka", "lang=ka; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"},
		{"query to English", "?lang=en", nil, "en", "lang=en; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"},
		{"query over https", "?lang=en", map[string]string{"X-Forwarded-Proto": "https"}, "en", "lang=en; Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax"},
		{"unknown query ignored", "?lang=fr", map[string]string{"Accept-Language": "en"}, "en", ""},
	}
	// Strings of each language that the host page must show.
	known := map[string][]string{
		"ka": {"შეთავაზებები", "რატომ შეირჩა", ">მიღება</button>", ">უარის თქმა</button>", "მიზეზი (არასავალდებულო)", `hreflang="en"`},
		"en": {"Offers for ", "Why this match", ">Accept</button>", ">Decline</button>", "Reason (optional)", `hreflang="ka"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, request{method: "GET", target: page + tt.query, header: tt.header})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200", rec.Code)
			}
			checkPage(t, rec)
			body := rec.Body.String()
			if got := attr(t, body, "<html lang"); got != tt.want {
				t.Errorf("<html lang=%q>, want %q", got, tt.want)
			}
			for _, s := range known[tt.want] {
				if !strings.Contains(body, s) {
					t.Errorf("page in %s lacks %q", tt.want, s)
				}
			}
			if got := rec.Header().Get("Set-Cookie"); got != tt.wantCookie {
				t.Errorf("Set-Cookie %q, want %q", got, tt.wantCookie)
			}
		})
	}
}

func TestAccept(t *testing.T) {
	forEngines(t, func(t *testing.T, dsn string) {
		f := newDemoRound(t, dsn)
		h := f.handler(t, nil)
		host := f.busiestHost(t)
		token := f.links[host]
		mine, _ := f.offersTo(t, host)
		m := mine[0]
		before := f.place(t, host)

		// A double click posts twice: both answers lead to the same
		// confirmation, and the offer is accepted once.
		for i := range 2 {
			rec := answer(h, token, m.ID, "accept", "  we have a desk for her \r\n")
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("accept #%d: status %d, want 303\n%s", i+1, rec.Code, rec.Body)
			}
			if loc := rec.Header().Get("Location"); loc != offerPath(token, m.ID) {
				t.Fatalf("accept #%d: Location %q, want %q", i+1, loc, offerPath(token, m.ID))
			}
		}
		rec := get(h, offerPath(token, m.ID))
		if rec.Code != http.StatusOK {
			t.Fatalf("confirmation: status %d, want 200", rec.Code)
		}
		checkPage(t, rec)
		left := before.Capacity - 1
		want := fmt.Sprintf("Accepted — %d places left in this round.", left)
		switch left {
		case 0:
			want = "Accepted — all your places in this round are now taken."
		case 1:
			want = "Accepted — 1 place left in this round."
		}
		if body := rec.Body.String(); attr(t, body, "data-result") != "accepted" || !strings.Contains(body, want) {
			t.Errorf("confirmation lacks data-result=accepted and %q:\n%s", want, body)
		}

		got := f.match(t, m.ID)
		if got.Status != program.OfferAccepted || got.Reason != "we have a desk for her" || got.DecidedAt.IsZero() {
			t.Errorf("offer %d after accepting: %s %q at %v, want accepted with the trimmed reason", m.ID, got.Status, got.Reason, got.DecidedAt)
		}
		if p := f.place(t, host); p.Accepted != before.Accepted+1 {
			t.Errorf("host's accepted count %d, want %d", p.Accepted, before.Accepted+1)
		}
		log := f.audited(t, m.ID, "offer.accepted")
		if len(log) != 1 || log[0].Actor != "token:"+token[:16] || log[0].Detail != "we have a desk for her" {
			t.Errorf("audit of the acceptance: %+v, want one entry by token:%s", log, token[:16])
		}

		// Declining what was accepted is refused, and changes nothing.
		rec = answer(h, token, m.ID, "decline", "")
		if rec.Code != http.StatusConflict || attr(t, rec.Body.String(), "data-result") != "closed" {
			t.Errorf("decline after accept: status %d, want 409 with data-result=closed", rec.Code)
		}
		checkPage(t, rec)
		if got := f.match(t, m.ID); got.Status != program.OfferAccepted {
			t.Errorf("offer %d after a refused decline: %s, want accepted", m.ID, got.Status)
		}
	})
}

func TestDeclineRepairsTheRound(t *testing.T) {
	forEngines(t, func(t *testing.T, dsn string) {
		f := newDemoRound(t, dsn)
		h := f.handler(t, nil)
		host := f.busiestHost(t)
		token := f.links[host]
		mine, others := f.offersTo(t, host)
		m := mine[0]
		const reason = "ამ პერიოდში ადგილი არ გვაქვს"

		rec := answer(h, token, m.ID, "decline", reason)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("decline: status %d, want 303\n%s", rec.Code, rec.Body)
		}
		loc := rec.Header().Get("Location")
		if loc != offerPath(token, m.ID)+"?repaired=1" {
			t.Fatalf("decline: Location %q, want the offer's page marked repaired", loc)
		}
		rec = get(h, loc)
		checkPage(t, rec)
		body := rec.Body.String()
		if attr(t, body, "data-result") != "repaired" || !strings.Contains(body, "Declined — the place was offered to someone else.") {
			t.Errorf("confirmation does not say the place was offered again:\n%s", body)
		}

		if got := f.match(t, m.ID); got.Status != program.OfferDeclined || got.Reason != reason {
			t.Errorf("offer %d after declining: %s %q, want declined with the reason", m.ID, got.Status, got.Reason)
		}
		after, err := f.db.RoundMatches(t.Context(), f.round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) <= len(mine)+len(others) {
			t.Errorf("round has %d matches after the decline, %d before: the repair made no offer", len(after), len(mine)+len(others))
		}
		if log := f.audited(t, m.ID, "offer.declined"); len(log) != 1 || log[0].Actor != "token:"+token[:16] || log[0].Detail != reason {
			t.Errorf("audit of the decline: %+v", log)
		}
	})
}

func TestCapacity(t *testing.T) {
	forEngines(t, func(t *testing.T, dsn string) {
		f, host := newCrowdedRound(t, dsn, 1, 3)
		h := f.handler(t, nil)
		token := f.links[host]
		mine, _ := f.offersTo(t, host)

		if rec := answer(h, token, mine[0].ID, "accept", ""); rec.Code != http.StatusSeeOther {
			t.Fatalf("first acceptance: status %d, want 303", rec.Code)
		}
		if rec := get(h, offerPath(token, mine[0].ID)); !strings.Contains(rec.Body.String(), "Accepted — all your places in this round are now taken.") {
			t.Errorf("confirmation of the last place:\n%s", rec.Body)
		}
		rec := answer(h, token, mine[1].ID, "accept", "")
		if rec.Code != http.StatusConflict {
			t.Fatalf("acceptance beyond capacity: status %d, want 409", rec.Code)
		}
		checkPage(t, rec)
		if body := rec.Body.String(); attr(t, body, "data-result") != "capacity" || !strings.Contains(body, "all your places in this round are taken") {
			t.Errorf("409 page does not explain the places are taken:\n%s", body)
		}
		if got := f.match(t, mine[1].ID); got.Status != program.OfferOffered || !got.DecidedAt.IsZero() {
			t.Errorf("offer refused for capacity: %s, want still offered", got.Status)
		}
		if p := f.place(t, host); p.Accepted != 1 {
			t.Errorf("accepted %d, want 1", p.Accepted)
		}
		if log := f.audited(t, mine[1].ID, "offer.accepted"); len(log) != 0 {
			t.Errorf("a refused acceptance is in the audit log: %+v", log)
		}
	})
}

// TestConcurrentAccepts sends many acceptances at once: a host never takes
// more people than its places, and a burst of clicks on one offer accepts
// it once.
func TestConcurrentAccepts(t *testing.T) {
	const capacity, n = 2, 12
	forEngines(t, func(t *testing.T, dsn string) {
		f, host := newCrowdedRound(t, dsn, capacity, n)
		h := f.handler(t, nil)
		token := f.links[host]
		mine, _ := f.offersTo(t, host)

		// Each offer is clicked twice, all at once.
		codes := make([]int, 2*n)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Go(func() { codes[i] = answer(h, token, mine[i/2].ID, "accept", "").Code })
		}
		wg.Wait()

		count := map[int]int{}
		for _, c := range codes {
			count[c]++
		}
		if count[http.StatusSeeOther]+count[http.StatusConflict] != len(codes) {
			t.Errorf("statuses %v: want only 303 and 409", count)
		}
		accepted := 0
		for _, m := range mine {
			switch got := f.match(t, m.ID); got.Status {
			case program.OfferAccepted:
				accepted++
				if log := f.audited(t, m.ID, "offer.accepted"); len(log) != 1 {
					t.Errorf("offer %d accepted %d times in the audit log", m.ID, len(log))
				}
			case program.OfferOffered:
			default:
				t.Errorf("offer %d is %s", m.ID, got.Status)
			}
		}
		if p := f.place(t, host); accepted != capacity || p.Accepted != capacity {
			t.Errorf("%d offers accepted (place counts %d), want exactly the capacity %d", accepted, p.Accepted, capacity)
		}
	})
}

func TestNotFoundRevealsNothing(t *testing.T) {
	forEngines(t, func(t *testing.T, dsn string) {
		f := newDemoRound(t, dsn)
		h := f.handler(t, nil)
		host := f.busiestHost(t)
		token := f.links[host]
		mine, others := f.offersTo(t, host)
		theirs := others[0]
		revoked := f.links[theirs.HostID]
		if err := f.db.RevokeToken(t.Context(), revoked[:16], "cli"); err != nil {
			t.Fatal(err)
		}
		// A well-formed token that was never issued.
		unknown := strings.Repeat("0123456789abcdef", 3)

		// Every request below asks in the default language, as this one.
		reference := do(h, request{method: "GET", target: "/host/" + unknown})
		if reference.Code != http.StatusNotFound {
			t.Fatalf("unknown token: status %d, want 404", reference.Code)
		}
		checkPage(t, reference)
		if attr(t, reference.Body.String(), "data-error") != "notfound" {
			t.Errorf("404 page lacks data-error=notfound")
		}

		expired := f.handler(t, func() time.Time { return time.Now().Add(offers.LinkLifetime + 30*24*time.Hour) })
		tests := []struct {
			name string
			h    http.Handler
			rq   request
		}{
			{"unknown token, offer", h, request{method: "GET", target: offerPath(unknown, mine[0].ID)}},
			{"malformed token", h, request{method: "GET", target: "/host/not-a-token"}},
			{"wrong secret", h, request{method: "GET", target: "/host/" + token[:16] + strings.Repeat("0", 32)}},
			{"another host's offer", h, request{method: "GET", target: offerPath(token, theirs.ID)}},
			{"answering another host's offer", h, request{method: "POST", target: offerPath(token, theirs.ID), form: url.Values{"decision": {"decline"}}}},
			{"no such offer", h, request{method: "GET", target: offerPath(token, 1<<40)}},
			{"offer id not a number", h, request{method: "GET", target: "/host/" + token + "/offers/x1"}},
			{"negative offer id", h, request{method: "POST", target: "/host/" + token + "/offers/-1", form: url.Values{"decision": {"accept"}}}},
			{"revoked token", h, request{method: "GET", target: "/host/" + revoked}},
			{"revoked token, answer", h, request{method: "POST", target: offerPath(revoked, theirs.ID), form: url.Values{"decision": {"accept"}}}},
			{"expired token", expired, request{method: "GET", target: "/host/" + token}},
			{"expired token, answer", expired, request{method: "POST", target: offerPath(token, mine[0].ID), form: url.Values{"decision": {"accept"}}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := do(tt.h, tt.rq)
				if rec.Code != http.StatusNotFound {
					t.Fatalf("status %d, want 404", rec.Code)
				}
				if rec.Body.String() != reference.Body.String() {
					t.Errorf("404 body differs from an unknown token's:\n%s\nwant:\n%s", rec.Body, reference.Body)
				}
			})
		}
		for _, m := range []program.Match{theirs, mine[0]} {
			if got := f.match(t, m.ID); got.Status != program.OfferOffered {
				t.Errorf("offer %d is %s after refused answers, want offered", m.ID, got.Status)
			}
		}
	})
}

// TestRefusedAnswers checks answers refused before the offer changes:
// cross-site posts (by the server), malformed forms, and answers past the
// offer's deadline.
func TestRefusedAnswers(t *testing.T) {
	forEngines(t, func(t *testing.T, dsn string) {
		f := newDemoRound(t, dsn)
		h := f.handler(t, nil)
		late := f.handler(t, func() time.Time { return time.Now().Add(72 * time.Hour) })
		host := f.busiestHost(t)
		token := f.links[host]
		mine, _ := f.offersTo(t, host)
		target := offerPath(token, mine[0].ID)
		accept := url.Values{"decision": {"accept"}}
		tests := []struct {
			name       string
			h          http.Handler
			rq         request
			wantCode   int
			wantResult string // data-result or data-error of the page; "" for the server's JSON refusal
		}{
			{"cross-site", h, request{method: "POST", target: target, form: accept, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, http.StatusForbidden, ""},
			{"another origin", h, request{method: "POST", target: target, form: accept, header: map[string]string{"Origin": "https://evil.example"}}, http.StatusForbidden, ""},
			{"no decision", h, request{method: "POST", target: target, form: url.Values{"reason": {"why not"}}}, http.StatusBadRequest, "badrequest"},
			{"unknown decision", h, request{method: "POST", target: target, form: url.Values{"decision": {"maybe"}}}, http.StatusBadRequest, "badrequest"},
			{"reason too long", h, request{method: "POST", target: target, form: url.Values{"decision": {"decline"}, "reason": {strings.Repeat("ა", maxReason+1)}}}, http.StatusBadRequest, "badrequest"},
			{"decision in the query only", h, request{method: "POST", target: target + "?decision=accept", form: url.Values{}}, http.StatusBadRequest, "badrequest"},
			{"past the deadline", late, request{method: "POST", target: target, form: accept}, http.StatusConflict, "late"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := do(tt.h, tt.rq)
				if rec.Code != tt.wantCode {
					t.Fatalf("status %d, want %d\n%s", rec.Code, tt.wantCode, rec.Body)
				}
				if tt.wantResult == "" {
					return
				}
				checkPage(t, rec)
				body := rec.Body.String()
				if got := regexp.MustCompile(`data-(?:result|error)="([^"]*)"`).FindStringSubmatch(body); got == nil || got[1] != tt.wantResult {
					t.Errorf("page reports %v, want %q", got, tt.wantResult)
				}
			})
		}
		if got := f.match(t, mine[0].ID); got.Status != program.OfferOffered || !got.DecidedAt.IsZero() {
			t.Errorf("offer %d after refused answers: %s, want offered", mine[0].ID, got.Status)
		}
		if log := f.audited(t, mine[0].ID, "offer.accepted"); len(log) != 0 {
			t.Errorf("refused answers are in the audit log: %+v", log)
		}

		// Past its deadline the page offers no form for it.
		rec := get(late, "/host/"+token)
		checkPage(t, rec)
		if body := rec.Body.String(); strings.Contains(body, "<form") || !strings.Contains(body, "The time to answer has passed.") {
			t.Errorf("host page past the deadline still offers an answer:\n%s", body)
		}
	})
}

func TestAssets(t *testing.T) {
	db, _ := newTestDB(t, "sqlite:"+filepath.Join(t.TempDir(), "khidi.db"))
	h := (&fixture{db: db, svc: &offers.Service{Store: db}}).handler(t, nil)
	page := get(h, "/host/"+strings.Repeat("ab", 24))
	href := attr(t, page.Body.String(), `<link rel="stylesheet" href`)
	if !strings.HasPrefix(href, "/assets/style.css?v=") {
		t.Fatalf("stylesheet link %q, want a versioned /assets/style.css", href)
	}
	tests := []struct {
		target    string
		wantCode  int
		wantCache string
	}{
		{html.UnescapeString(href), http.StatusOK, "public, max-age=31536000, immutable"},
		{"/assets/style.css", http.StatusOK, "no-cache"},
		{"/assets/nothing.css", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		rec := get(h, tt.target)
		if rec.Code != tt.wantCode {
			t.Errorf("GET %s: status %d, want %d", tt.target, rec.Code, tt.wantCode)
			continue
		}
		if tt.wantCode != http.StatusOK {
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/css; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", tt.target, ct)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != tt.wantCache {
			t.Errorf("GET %s: Cache-Control %q, want %q", tt.target, cc, tt.wantCache)
		}
		if !strings.Contains(rec.Body.String(), ":focus-visible") {
			t.Errorf("GET %s: the stylesheet has no focus style", tt.target)
		}
	}
}

// TestLinkOpensItsRoundOnly publishes two internship rounds to the same
// hosts: the link a round's publication gives a host shows and answers
// that round's offers only, and any offer of the other round answers the
// same 404 as an unknown link. A host link made without a round (as before
// links had one) still opens both.
func TestLinkOpensItsRoundOnly(t *testing.T) {
	forEngines(t, func(t *testing.T, dsn string) {
		first := newDemoRound(t, dsn)
		res, err := rounds.Run(t.Context(), first.db, rounds.Request{Kind: program.RoundInternship, Seed: 6}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		second := publish(t, first.db, res.Round.ID)
		h := first.handler(t, nil)
		var host program.OrgID
		for hst := range first.links {
			if _, ok := second.links[hst]; ok {
				host = hst
				break
			}
		}
		if host == "" {
			t.Fatal("no host is offered people in both rounds; the test needs one")
		}
		mineFirst, _ := first.offersTo(t, host)
		mineSecond, _ := second.offersTo(t, host)
		plain, wide, err := access.New(program.TokenHost, string(host), time.Now().Add(time.Hour), "every round")
		if err != nil {
			t.Fatal(err)
		}
		if err := first.db.SaveTokens(t.Context(), "test", []program.AccessToken{wide}); err != nil {
			t.Fatal(err)
		}
		reference := do(h, request{method: "GET", target: "/host/" + strings.Repeat("0123456789abcdef", 3)})

		for _, tt := range []struct {
			name   string
			token  string
			rounds []program.RoundID
		}{
			{"first round's link", first.links[host], []program.RoundID{first.round.ID}},
			{"second round's link", second.links[host], []program.RoundID{second.round.ID}},
			{"a link to every round", plain, []program.RoundID{second.round.ID, first.round.ID}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				page := get(h, "/host/"+tt.token)
				var shown []program.RoundID
				for _, part := range strings.Split(page.Body.String(), `data-round-id="`)[1:] {
					id, err := strconv.ParseInt(part[:strings.IndexByte(part, '"')], 10, 64)
					if err != nil {
						t.Fatal(err)
					}
					shown = append(shown, program.RoundID(id))
				}
				if page.Code != http.StatusOK || !slices.Equal(shown, tt.rounds) {
					t.Errorf("the page shows rounds %v (status %d), want %v", shown, page.Code, tt.rounds)
				}
				for _, m := range []program.Match{mineFirst[0], mineSecond[0]} {
					opens := slices.Contains(tt.rounds, m.RoundID)
					if opens {
						if rec := get(h, offerPath(tt.token, m.ID)); rec.Code != http.StatusOK {
							t.Errorf("GET its own offer %d: %d, want 200", m.ID, rec.Code)
						}
						continue
					}
					for _, rq := range []request{
						{method: "GET", target: offerPath(tt.token, m.ID)},
						{method: "POST", target: offerPath(tt.token, m.ID), form: url.Values{"decision": {"decline"}}},
					} {
						if rec := do(h, rq); rec.Code != http.StatusNotFound || rec.Body.String() != reference.Body.String() {
							t.Errorf("%s %s, an offer of round %d: %d, want the 404 of an unknown link", rq.method, rq.target, m.RoundID, rec.Code)
						}
					}
				}
			})
		}
		for _, m := range []program.Match{mineFirst[0], mineSecond[0]} {
			if got := first.match(t, m.ID); got.Status != program.OfferOffered {
				t.Errorf("offer %d is %s; only refused answers were sent, want offered", m.ID, got.Status)
			}
		}
	})
}
