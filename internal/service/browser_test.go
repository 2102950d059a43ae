package service_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store/storetest"
)

// browserTimeout bounds the whole browser test, start-up included, so that
// a browser that hangs fails the test instead of holding it until go
// test's own ten-minute limit.
const browserTimeout = 60 * time.Second

// screenshotDirEnv names the folder that, when set, receives a copy of
// each screenshot the browser test takes, for a person (or CI) to look at.
const screenshotDirEnv = "KHIDI_SCREENSHOT_DIR"

// TestBrowserAcceptAndDecline opens a host's link in a real headless
// Chromium, accepts one offer and declines another with a typed reason,
// and checks each confirmation, the database and the audit log, and that
// the decline repaired the round. It runs on SQLite: the browser is the
// point, and both engines are covered by the host pages' own tests.
func TestBrowserAcceptAndDecline(t *testing.T) {
	chromium := findChromium(t)
	sqlite := storetest.Engines()[0] // SQLite, then PostgreSQL
	s := newTestService(t, sqlite.DSN(t))
	host, _ := s.busiestHosts()
	token := s.links[host]
	open := s.openOffers(host)
	org, err := s.db.Organization(t.Context(), host)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), browserTimeout)
	defer cancel()
	ctx = newBrowser(t, ctx, chromium)

	// The host's page lists exactly its open offers.
	page := s.hostURL(token, 0, url.Values{"lang": {"en"}})
	if res, err := chromedp.Run(ctx, chromedp.NavigateResponse(page)); err != nil {
		t.Fatalf("open the host's page: %v", err)
	} else if res.Status != http.StatusOK {
		t.Fatalf("host's page: status %d, want 200", res.Status)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Offers for " + org.Name; heading != want {
		t.Errorf("page heading %q, want %q", heading, want)
	}
	shown, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll("li.offer[data-offer-id]")))
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, a := range shown {
		got = append(got, a["data-offer-id"])
	}
	for _, m := range open {
		want = append(want, fmt.Sprint(m.ID))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("page shows offers %v, want the host's open offers %v", got, want)
	}
	saveScreenshot(t, ctx, "offers.png")

	actor := "token:" + token[:16]
	accepted, declined := open[0], open[1]
	const acceptReason = "We have a desk for her from May — ნინო will mentor."
	if result := answer(t, ctx, s.hostURL(token, accepted.ID, nil), accepted.ID, "accept", acceptReason); result != "accepted" {
		t.Errorf("confirmation of the acceptance: data-result %q, want accepted", result)
	}
	saveScreenshot(t, ctx, "accepted.png")
	if m := s.match(accepted.ID); m.Status != program.OfferAccepted || m.Reason != acceptReason {
		t.Errorf("offer %d after accepting in the browser: %s %q, want accepted %q", m.ID, m.Status, m.Reason, acceptReason)
	}
	if log := s.audited(accepted.ID, "offer.accepted"); len(log) != 1 || log[0].Actor != actor || log[0].Detail != acceptReason {
		t.Errorf("audit of the acceptance: %+v, want one entry by %s with the reason", log, actor)
	}

	// Back to the list, which no longer offers the accepted person, and
	// decline the next offer.
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	before := len(s.matches())
	const declineReason = "No place in the summer."
	if result := answer(t, ctx, s.hostURL(token, declined.ID, url.Values{"repaired": {"1"}}), declined.ID, "decline", declineReason); result != "repaired" {
		t.Errorf("confirmation of the decline: data-result %q, want repaired (the place offered to someone else)", result)
	}
	saveScreenshot(t, ctx, "declined.png")
	if m := s.match(declined.ID); m.Status != program.OfferDeclined || m.Reason != declineReason {
		t.Errorf("offer %d after declining in the browser: %s %q, want declined %q", m.ID, m.Status, m.Reason, declineReason)
	}
	if log := s.audited(declined.ID, "offer.declined"); len(log) != 1 || log[0].Actor != actor {
		t.Errorf("audit of the decline: %+v, want one entry by %s", log, actor)
	}
	// The repair offered the freed place to someone, in the decline's
	// transaction and on the decliner's account.
	var repairs int
	for _, e := range s.audited(0, "offer.offered") {
		if e.Actor == actor && e.Detail == "repair" {
			repairs++
		}
	}
	if after := len(s.matches()); repairs == 0 || after != before+repairs {
		t.Errorf("after the decline: %d repair offers in the audit log, %d matches (%d before); want new offers, each logged", repairs, after, before)
	}
}

// findChromium returns the path of Debian's chromium, which .ci/run
// installs. Without it the test is skipped, unless CI is set: there a
// missing browser is a broken machine, not a reason to pass.
func findChromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set and there is no chromium on PATH (%v): .ci/run installs Debian's chromium package", err)
	}
	t.Skipf("no chromium on PATH (%v): install it (Debian: apt-get install chromium) to run the browser test", err)
	return ""
}

// newBrowser starts a headless Chromium at path that lives as long as ctx
// and returns the context of its first tab. The browser is stopped, and
// waited for, when t ends.
func newBrowser(t *testing.T, ctx context.Context, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], // headless, no first-run dialogs
		chromedp.ExecPath(path),
		chromedp.DisableGPU, // no GPU on CI machines
		chromedp.WindowSize(1024, 768),
	)
	if os.Geteuid() == 0 {
		// Chromium refuses to start its sandbox as root, and CI runs as
		// root. The pages the test opens are its own.
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, stopAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(stopAlloc) // after the tab's: waits for the browser to exit
	tabCtx, stopTab := chromedp.NewContext(allocCtx)
	t.Cleanup(stopTab)
	return tabCtx
}

// answer types reason into offer id's box on the open page, clicks the
// offer's button for action (accept or decline), and returns the result the
// confirmation page reports, after checking that the browser landed on want.
func answer(t *testing.T, ctx context.Context, want string, id program.MatchID, action, reason string) string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(fmt.Sprintf("textarea#reason-%d", id)), reason)); err != nil {
		t.Fatalf("type the reason for offer %d: %v", id, err)
	}
	// The click submits the form, and the page goes on to the
	// confirmation through a 303. RunResponse listens to the tab before it
	// clicks and returns once the page the click led to has fired its load
	// event: reading the page any sooner races the navigation, and finds
	// either the old page or no document at all.
	button := chromedp.CSS(fmt.Sprintf(`#offer-%d button[data-action=%q]`, id, action))
	res, err := chromedp.RunResponse(ctx, chromedp.Click(button))
	if err != nil {
		t.Fatalf("%s offer %d: %v", action, id, err)
	}
	if res.Status != http.StatusOK || res.URL != want {
		t.Fatalf("%s offer %d: landed on %s with status %d, want %s with 200", action, id, res.URL, res.Status, want)
	}
	result, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("h1#result"), "data-result"))
	if err != nil {
		t.Fatalf("%s offer %d: read the confirmation: %v", action, id, err)
	}
	return result.Value
}

// saveScreenshot saves a full-page screenshot of the tab as name in a
// temporary folder, and in $KHIDI_SCREENSHOT_DIR when that is set, and
// checks that it is a PNG of a page with something on it.
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	size, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](
		`[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`))
	if err != nil {
		t.Fatalf("screenshot %s: page size: %v", name, err)
	}
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	checkScreenshot(t, name, b, size)
	dirs := []string{t.TempDir()}
	if dir := os.Getenv(screenshotDirEnv); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("%s: %v", screenshotDirEnv, err)
		}
		dirs = append(dirs, dir)
	}
	for _, dir := range dirs {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s (%d bytes)", path, len(b))
	}
}

// checkScreenshot fails t unless b is a whole PNG of the whole page, whose
// size is given in CSS pixels (one device pixel each in headless
// Chromium), in more than a few colours: a blank or cut-off capture is a
// failure, not a picture.
func checkScreenshot(t *testing.T, name string, b []byte, page [2]int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot %s is not a valid PNG: %v", name, err)
	}
	r := img.Bounds()
	if r.Dx() != page[0] || r.Dy() != page[1] || r.Dx() < 320 || r.Dy() < 320 {
		t.Errorf("screenshot %s is %d×%d; want the whole %d×%d page", name, r.Dx(), r.Dy(), page[0], page[1])
	}
	// Text, buttons and the stylesheet's colours give hundreds of colours
	// once anti-aliased; an empty page has one.
	colours := map[[4]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y && len(colours) < 64; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			r, g, b, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, b, a}] = true
		}
	}
	if len(colours) < 64 {
		t.Errorf("screenshot %s has only %d colours: the page looks blank", name, len(colours))
	}
}
