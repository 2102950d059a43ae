package hostpage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/store"
)

// maxReason is the longest reason accepted with an answer, in characters:
// what program.Match's validation allows.
const maxReason = 2000

// Store is what the host pages read; *store.DB has it.
type Store interface {
	access.Store
	HostOffers(ctx context.Context, host program.OrgID) ([]program.Match, error)
	Match(ctx context.Context, id program.MatchID) (program.Match, error)
	ParticipantsByID(ctx context.Context, ids []program.ParticipantID) ([]program.Participant, error)
	Organization(ctx context.Context, id program.OrgID) (program.Organization, error)
	Round(ctx context.Context, id program.RoundID) (program.Round, error)
	RoundPlace(ctx context.Context, id program.RoundID, place string) (program.Place, error)
}

// Decider records a host's answer and repairs the round when the offer
// leaves it; *offers.Service is one.
type Decider interface {
	Decide(ctx context.Context, d store.Decision) (store.Outcome, error)
	// Prepare readies a round's repairs; the host page calls it in the
	// background for each round it shows open offers of, since answers
	// follow.
	Prepare(ctx context.Context, r program.Round) error
}

// Deps is what the host pages need. Store, Offers and Logger are required.
type Deps struct {
	// Store is the database, usually a *store.DB.
	Store Store
	// Offers records answers, usually an *offers.Service on the same
	// database.
	Offers Decider
	// Logger receives the details of failures, which pages do not show.
	Logger *slog.Logger
	// Now is the clock that tokens and deadlines are checked against; nil
	// means time.Now.
	Now func() time.Time
}

// Register adds the host pages' routes (see the package comment) to srv.
// It parses the embedded templates and checks every message key they use
// against both languages' catalogues; it panics when that fails or a
// required dependency is missing, since either is a programming error that
// must stop the service at start-up rather than break a page later.
func Register(srv *server.Server, d Deps) {
	if d.Store == nil || d.Offers == nil || d.Logger == nil {
		panic("hostpage: Deps.Store, Deps.Offers and Deps.Logger are required")
	}
	cats := map[string]catalogue{}
	for lang, msgs := range catalogues() {
		cats[lang] = msgs
	}
	pages, err := newRenderer(files, cats)
	if err != nil {
		panic(err)
	}
	h := &handler{store: d.Store, offers: d.Offers, log: d.Logger, now: d.Now, pages: pages}
	if h.now == nil {
		h.now = time.Now
	}
	srv.HandleFunc("GET /host/{token}", h.showHost)
	srv.HandleFunc("GET /host/{token}/offers/{id}", h.showOffer)
	srv.HandleFunc("POST /host/{token}/offers/{id}", h.answer)
	srv.HandleFunc("GET /assets/{file}", h.asset)
}

// handler serves the host pages.
type handler struct {
	store  Store
	offers Decider
	log    *slog.Logger
	now    func() time.Time
	pages  *renderer
}

// errNoPage is every request that must look like a link that does not
// exist: a bad token, or an offer that is not the host's. fail answers it
// with the one 404 page.
var errNoPage = errors.New("hostpage: no such page")

// showHost serves GET /host/{token}: the host's offers.
func (h *handler) showHost(w http.ResponseWriter, r *http.Request) {
	lang := language(w, r)
	v, err := h.host(r)
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	view, err := v.hostView(r.Context(), r.PathValue("token"))
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	for _, rv := range view.Rounds {
		if len(rv.Open) > 0 {
			go func() {
				if err := h.offers.Prepare(context.WithoutCancel(r.Context()), rv.Round); err != nil {
					h.log.Warn("prepare round", "round", rv.Round.ID, "err", err)
				}
			}()
		}
	}
	h.render(w, r, lang, http.StatusOK, "host.html", view)
}

// showOffer serves GET /host/{token}/offers/{id}: where an offer stands,
// which after an answer is its confirmation.
func (h *handler) showOffer(w http.ResponseWriter, r *http.Request) {
	lang := language(w, r)
	v, m, err := h.target(r)
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	// The repair's outcome is known only when the decline is recorded;
	// answer passes it on in the query. It chooses between two true
	// sentences shown to the link's holder only, so trusting it is safe,
	// and it spares reading the round's whole audit log for one page.
	h.renderOffer(w, r, lang, http.StatusOK, v, m, resultOf(m, v.now, r.URL.Query().Has("repaired")))
}

// answer serves POST /host/{token}/offers/{id}: records the host's
// decision and redirects to the offer's page, or explains on a 409 page why
// it could not be recorded.
func (h *handler) answer(w http.ResponseWriter, r *http.Request) {
	lang := language(w, r)
	v, m, err := h.target(r)
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	to, reason, err := readAnswer(r)
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	// The deadline is the expiry job's to enforce in the database; until
	// it runs, an offer past it is still stored as offered, and an answer
	// given too late must not count.
	if m.Status == program.OfferOffered && !answerable(m, v.now) {
		h.renderOffer(w, r, lang, http.StatusConflict, v, m, "late")
		return
	}
	out, err := h.offers.Decide(r.Context(), store.Decision{
		Match: m.ID, Host: v.host.ID, To: to, Reason: reason, Actor: access.Actor(v.token),
	})
	var result string
	switch {
	case errors.Is(err, program.ErrCapacity):
		result = "capacity"
	case errors.Is(err, program.ErrConflict):
		result = "closed"
	case errors.Is(err, program.ErrNotFound):
		h.fail(w, r, lang, fmt.Errorf("%w: %w", errNoPage, err))
		return
	case err != nil:
		h.fail(w, r, lang, err)
		return
	}
	if result != "" {
		// Show the offer as it now stands: someone else's answer may
		// have closed it.
		if m, err = h.store.Match(r.Context(), m.ID); err != nil {
			h.fail(w, r, lang, err)
			return
		}
		h.renderOffer(w, r, lang, http.StatusConflict, v, m, result)
		return
	}
	next := "/host/" + r.PathValue("token") + "/offers/" + strconv.FormatInt(int64(m.ID), 10)
	if len(out.Offered) > 0 {
		next += "?repaired=1"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// renderOffer renders the page of offer m with the given result.
func (h *handler) renderOffer(w http.ResponseWriter, r *http.Request, lang string, status int, v *hostData, m program.Match, result string) {
	view, err := v.offerPage(r.Context(), r.PathValue("token"), m, result)
	if err != nil {
		h.fail(w, r, lang, err)
		return
	}
	h.render(w, r, lang, status, "offer.html", view)
}

// host checks the request's token and loads the host it speaks for; a
// token that does not open a host's page is errNoPage.
func (h *handler) host(r *http.Request) (*hostData, error) {
	now := h.now()
	tok, err := access.Check(r.Context(), h.store, r.PathValue("token"), program.TokenHost, now)
	if errors.Is(err, access.ErrDenied) {
		return nil, errNoPage
	}
	if err != nil {
		return nil, err
	}
	return loadHost(r.Context(), h.store, tok, now)
}

// target checks the request's token and loads the offer its path names,
// which the link must open (the token's host's, in the link's round);
// anything else is errNoPage.
func (h *handler) target(r *http.Request) (*hostData, program.Match, error) {
	v, err := h.host(r)
	if err != nil {
		return nil, program.Match{}, err
	}
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		return nil, program.Match{}, errNoPage
	}
	m, err := h.store.Match(r.Context(), program.MatchID(n))
	if errors.Is(err, program.ErrNotFound) || (err == nil && !v.opens(m)) {
		return nil, program.Match{}, errNoPage
	}
	return v, m, err
}

// readAnswer reads the decision and the reason from the form posted with
// r. A form that cannot be read, a decision other than accept or decline
// and a reason over maxReason are errors matching program.ErrInvalid (or
// *http.MaxBytesError for a body over the server's limit).
func readAnswer(r *http.Request) (program.OfferStatus, string, error) {
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return "", "", fmt.Errorf("read the answer: %w", err)
		}
		return "", "", fmt.Errorf("read the answer: %w: %w", err, program.ErrInvalid)
	}
	var to program.OfferStatus
	switch d := r.PostForm.Get("decision"); d {
	case "accept":
		to = program.OfferAccepted
	case "decline":
		to = program.OfferDeclined
	default:
		return "", "", fmt.Errorf("decision %q: want accept or decline: %w", d, program.ErrInvalid)
	}
	reason := cleanReason(r.PostForm.Get("reason"))
	if n := utf8.RuneCountInString(reason); n > maxReason {
		return "", "", fmt.Errorf("reason of %d characters: the limit is %d: %w", n, maxReason, program.ErrInvalid)
	}
	return to, reason, nil
}

// cleanReason trims a reason and makes it storable: line breaks as one
// "\n" (a textarea posts "\r\n", which would also count twice against the
// limit the browser already applied with one), no NUL bytes and valid
// UTF-8, both of which PostgreSQL's text type refuses.
func cleanReason(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
}

// resultOf says where offer m stands at now, for its page: repaired tells
// a decline whose repair offered the place again.
func resultOf(m program.Match, now time.Time, repaired bool) string {
	switch m.Status {
	case program.OfferAccepted:
		return "accepted"
	case program.OfferDeclined:
		if repaired {
			return "repaired"
		}
		return "declined"
	case program.OfferOffered:
		if answerable(m, now) {
			return "open"
		}
		return "late"
	}
	return string(m.Status) // expired, withdrawn
}

// answerable reports whether offer m may be answered at now: it is open
// and its deadline, if any, has not passed.
func answerable(m program.Match, now time.Time) bool {
	return m.Status == program.OfferOffered && (m.Deadline.IsZero() || now.Before(m.Deadline))
}

// errorView is the data of the error page.
type errorView struct {
	// Kind is notfound, badrequest or internal.
	Kind      string
	MaxReason int
}

// fail answers r with the error page for err: 404 for errNoPage, 400 for
// input that breaks a rule, 413 for a body over the limit, and 500 for
// anything else, whose details go to the log only.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	status, kind := http.StatusInternalServerError, "internal"
	switch _, tooLarge := errors.AsType[*http.MaxBytesError](err); {
	case errors.Is(err, errNoPage):
		status, kind = http.StatusNotFound, "notfound"
	case tooLarge:
		status, kind = http.StatusRequestEntityTooLarge, "badrequest"
	case errors.Is(err, program.ErrInvalid):
		status, kind = http.StatusBadRequest, "badrequest"
	default:
		h.log.ErrorContext(r.Context(), "host page", "route", r.Pattern, "err", err)
	}
	h.render(w, r, lang, status, "error.html", errorView{Kind: kind, MaxReason: maxReason})
}

// render sends page in lang with data and status. The page is rendered in
// full first, so that a template failure becomes a clean 500 page rather
// than half a page under a 200.
func (h *handler) render(w http.ResponseWriter, r *http.Request, lang string, status int, page string, data any) {
	buf, err := h.pages.execute(lang, page, data)
	if err != nil {
		h.log.ErrorContext(r.Context(), "host page", "route", r.Pattern, "err", err)
		status = http.StatusInternalServerError
		if buf, err = h.pages.execute(lang, "error.html", errorView{Kind: "internal", MaxReason: maxReason}); err != nil {
			h.log.ErrorContext(r.Context(), "host page", "route", r.Pattern, "err", err)
			buf = bytes.NewBufferString("internal error\n")
		}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	// The address of these pages is the secret: no cache may keep them and
	// no Referer may carry it elsewhere. The server sets the same
	// Referrer-Policy on every response; the pages do not rely on it.
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	// The status is sent; a client gone away is all an error can mean.
	_, _ = buf.WriteTo(w)
}

// asset serves GET /assets/{file} from the embedded assets. A request with
// the current version (?v=, as pages link) may be cached for good; others
// revalidate with the ETag.
func (h *handler) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	a, ok := h.pages.assets[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("ETag", `"`+a.version+`"`)
	if r.URL.Query().Get("v") == a.version {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.data))
}
