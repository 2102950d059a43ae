package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/program"
)

// kind is a kind of request a host makes.
type kind int

const (
	getPage     kind = iota // GET /host/TOKEN: the host's open offers
	postAccept              // POST /host/TOKEN/offers/ID decision=accept
	postDecline             // POST /host/TOKEN/offers/ID decision=decline
	getConfirm              // GET the confirmation the 303 leads to
	kinds                   // the number of kinds
)

// String names k in the report.
func (k kind) String() string {
	switch k {
	case getPage:
		return "GET host page"
	case postAccept:
		return "POST accept"
	case postDecline:
		return "POST decline"
	case getConfirm:
		return "GET confirmation"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Timing of a request, and of a host with nothing left to answer.
const (
	// requestTimeout bounds one request. Requests are not cut off when
	// the run's time is up: an answer the service recorded but the host
	// never saw would make the checks' comparison of the two meaningless.
	requestTimeout = time.Minute
	// idlePause is how long a host with no open offer waits before it
	// looks again, as a person reloading the page would, rather than
	// flooding the service with page views that stand for nobody.
	idlePause = time.Second
	// maxTransportErrors is how many transport errors the report quotes.
	maxTransportErrors = 5
)

// answer is what a host saw of one of its answers.
type answer struct {
	to     program.OfferStatus // what it posted: accepted or declined
	result string              // the confirmation's data-result
}

// tally is one host's record of the run, merged into results at the end.
type tally struct {
	latency         [kinds][]time.Duration
	statuses        [kinds]map[int]int // status → count; 0 is no answer
	transportErrors []string
	answered        map[program.MatchID]answer // offers answered with a 303
	// unanswered holds the offers whose answer got no reply at all (a
	// time-out): the service may have recorded it without the host
	// knowing.
	unanswered map[program.MatchID]bool
	exhausted  bool // no open offer at the last look
}

// results is the whole run.
type results struct {
	elapsed time.Duration
	tally
	exhausted int // hosts with no open offer at the end
}

// pages reads what the hosts need from the pages: the markup is the
// contract the README documents (forms of open offers, data-result).
type pages struct {
	form   *regexp.Regexp // an open offer's answer form; group 1 is its id
	result *regexp.Regexp // the confirmation's result; group 1
}

// newPages compiles the patterns once for all hosts.
func newPages() pages {
	return pages{
		form:   regexp.MustCompile(`<form class="answer" method="post" action="/host/[0-9a-f]+/offers/(\d+)">`),
		result: regexp.MustCompile(`<h1 id="result" data-result="([a-z]+)"`),
	}
}

// load runs one goroutine per link for cfg.duration and merges their
// tallies. Each host's choices come from its own PCG stream, seeded from
// cfg.seed and its place in links, so a run's choices depend on what the
// pages show and nothing else.
func load(ctx context.Context, base string, links []offers.Link, cfg *config) *results {
	transport := &http.Transport{MaxIdleConns: len(links), MaxIdleConnsPerHost: len(links), IdleConnTimeout: time.Minute}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport: transport,
		Timeout:   requestTimeout,
		// The 303 is measured on its own, then followed as a second
		// request, as a browser's network panel would show it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	p := newPages()
	runCtx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()

	tallies := make([]*tally, len(links))
	var wg sync.WaitGroup
	start := time.Now()
	for i, l := range links {
		h := &host{client: client, pages: p, base: base, token: l.Token, decline: cfg.decline,
			rand: rand.New(rand.NewPCG(cfg.seed, uint64(i))), tally: newTally(), think: cfg.think}
		tallies[i] = h.tally
		wg.Go(func() { h.run(runCtx) })
	}
	wg.Wait()
	res := &results{elapsed: time.Since(start), tally: *newTally()}
	for _, t := range tallies {
		res.merge(t)
	}
	return res
}

// newTally returns an empty tally.
func newTally() *tally {
	t := &tally{answered: map[program.MatchID]answer{}, unanswered: map[program.MatchID]bool{}}
	for k := range kinds {
		t.statuses[k] = map[int]int{}
	}
	return t
}

// merge adds t to res.
func (res *results) merge(t *tally) {
	for k := range kinds {
		res.latency[k] = append(res.latency[k], t.latency[k]...)
		for s, n := range t.statuses[k] {
			res.statuses[k][s] += n
		}
	}
	maps.Copy(res.answered, t.answered)
	maps.Copy(res.unanswered, t.unanswered)
	if n := maxTransportErrors - len(res.transportErrors); n > 0 {
		res.transportErrors = append(res.transportErrors, t.transportErrors[:min(n, len(t.transportErrors))]...)
	}
	if t.exhausted {
		res.exhausted++
	}
}

// failed counts the requests answered with a 5xx or not at all.
func (res *results) failed() int {
	n := 0
	for k := range kinds {
		for s, c := range res.statuses[k] {
			if s == 0 || s >= 500 {
				n += c
			}
		}
	}
	return n
}

// row is one line of the report.
type row struct {
	name               string
	count              int
	rate               float64 // per second of the run
	p50, p90, p99, max time.Duration
	statuses           string
}

// rows summarises each kind of request, then all answers (accepts and
// declines) together.
func (res *results) rows() []row {
	var rows []row
	add := func(name string, ds []time.Duration, statuses map[int]int) {
		ds = slices.Clone(ds)
		slices.Sort(ds)
		r := row{name: name, count: len(ds), rate: float64(len(ds)) / res.elapsed.Seconds(),
			p50: percentile(ds, 0.50), p90: percentile(ds, 0.90), p99: percentile(ds, 0.99), statuses: formatStatuses(statuses)}
		if len(ds) > 0 {
			r.max = ds[len(ds)-1]
		}
		rows = append(rows, r)
	}
	for k := range kinds {
		add(k.String(), res.latency[k], res.statuses[k])
	}
	posts := map[int]int{}
	for _, k := range []kind{postAccept, postDecline} {
		for s, n := range res.statuses[k] {
			posts[s] += n
		}
	}
	add("all POSTs", append(slices.Clone(res.latency[postAccept]), res.latency[postDecline]...), posts)
	return rows
}

// percentile returns the nearest-rank q-quantile of sorted ds (0 if empty).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1 // ceil(q·n), 1-based
	return sorted[max(0, min(i, len(sorted)-1))]
}

// formatStatuses lists statuses by code: "303: 120, 409: 3"; "none" is
// no answer at all.
func formatStatuses(m map[int]int) string {
	codes := make([]int, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		name := strconv.Itoa(c)
		if c == 0 {
			name = "none"
		}
		parts[i] = fmt.Sprintf("%s: %d", name, m[c])
	}
	return strings.Join(parts, ", ")
}

// host is one simulated host organisation with its link.
type host struct {
	client  *http.Client
	pages   pages
	base    string
	token   string
	decline float64
	rand    *rand.Rand
	tally   *tally
	think   time.Duration // mean pause after an answer
}

// run answers offers until ctx ends: look at the page, answer one open
// offer, read the confirmation, again.
func (h *host) run(ctx context.Context) {
	// Requests outlive the run's deadline; see requestTimeout.
	reqCtx := context.WithoutCancel(ctx)
	if h.think > 0 {
		// Hosts that read between answers also start at different times,
		// as people opening an email do, rather than all at once.
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(h.rand.Int64N(int64(h.think)))):
		}
	}
	for ctx.Err() == nil {
		page, ok := h.do(reqCtx, getPage, http.MethodGet, "/host/"+h.token, nil)
		var open [][]string
		if ok {
			open = h.pages.form.FindAllStringSubmatch(page.body, -1)
			h.tally.exhausted = len(open) == 0
		}
		if len(open) == 0 {
			select {
			case <-ctx.Done():
			case <-time.After(idlePause):
			}
			continue
		}
		id, _ := strconv.ParseInt(open[h.rand.IntN(len(open))][1], 10, 64)
		k, to, decision := postAccept, program.OfferAccepted, "accept"
		if h.rand.Float64() < h.decline {
			k, to, decision = postDecline, program.OfferDeclined, "decline"
		}
		form := url.Values{"decision": {decision}, "reason": {"hostload: " + decision}}
		res, ok := h.do(reqCtx, k, http.MethodPost, fmt.Sprintf("/host/%s/offers/%d", h.token, id), form)
		if res.status == 0 {
			h.tally.unanswered[program.MatchID(id)] = true
		}
		if !ok || res.status != http.StatusSeeOther {
			continue // a 409 (closed, capacity) is counted; the host looks again
		}
		a := answer{to: to}
		if conf, ok := h.do(reqCtx, getConfirm, http.MethodGet, res.location, nil); ok {
			if m := h.pages.result.FindStringSubmatch(conf.body); m != nil {
				a.result = m[1]
			}
		}
		h.tally.answered[program.MatchID(id)] = a
		if h.think > 0 {
			// Uniform over [0.5, 1.5) of the mean, so hosts do not move
			// in step.
			select {
			case <-ctx.Done():
			case <-time.After(h.think/2 + time.Duration(h.rand.Int64N(int64(h.think)))):
			}
		}
	}
}

// page is an answer read whole.
type page struct {
	status   int
	location string
	body     string
}

// do sends one request of kind k, timing it from sending to the last byte
// of the answer, and records it. ok is false when there was no answer or
// it was not a success or a redirect.
func (h *host) do(ctx context.Context, k kind, method, path string, form url.Values) (p page, ok bool) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, h.base+path, body)
	if err != nil {
		panic(err) // the paths are built here and always parse
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	start := time.Now()
	res, err := h.client.Do(req)
	if err == nil {
		var b []byte
		b, err = io.ReadAll(res.Body)
		res.Body.Close()
		p = page{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b)}
	}
	h.tally.latency[k] = append(h.tally.latency[k], time.Since(start))
	h.tally.statuses[k][p.status]++ // 0 when there was no answer
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err // without the URL, which holds the link
		}
		if len(h.tally.transportErrors) < maxTransportErrors {
			h.tally.transportErrors = append(h.tally.transportErrors, fmt.Sprintf("%s: %v", k, err))
		}
		return p, false
	}
	return p, p.status < 400
}
