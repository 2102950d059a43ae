package hostpage

import (
	"bytes"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher"
)

// testCatalogues returns the catalogues as Register loads them.
func testCatalogues() map[string]catalogue {
	cats := map[string]catalogue{}
	for lang, msgs := range catalogues() {
		cats[lang] = msgs
	}
	return cats
}

// verbs matches a printf verb, with an optional argument index.
var verbs = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

func TestCataloguesAgree(t *testing.T) {
	cats := testCatalogues()
	if got := slices.Sorted(maps.Keys(cats)); !slices.Equal(got, []string{langEn, langKa}) {
		t.Fatalf("catalogues for %v, want en and ka", got)
	}
	en, ka := cats[langEn], cats[langKa]
	for key, msg := range en {
		other, ok := ka[key]
		if !ok {
			t.Errorf("%q is in English but not in Georgian", key)
			continue
		}
		if strings.TrimSpace(msg) == "" || strings.TrimSpace(other) == "" {
			t.Errorf("%q is empty in a language", key)
		}
		// The same arguments are passed whatever the language, so the
		// verbs must be the same (in any order, when indexed).
		ve, vk := verbs.FindAllString(msg, -1), verbs.FindAllString(other, -1)
		slices.Sort(ve)
		slices.Sort(vk)
		if !slices.Equal(ve, vk) {
			t.Errorf("%q: English has verbs %v, Georgian %v", key, ve, vk)
		}
	}
	for key := range ka {
		if _, ok := en[key]; !ok {
			t.Errorf("%q is in Georgian but not in English", key)
		}
	}
}

// TestCataloguesNameTheData checks the labels looked up by value: every
// feature, round kind and status a page can show, the months, and the
// themes, regions and languages of the demo programme, which are those
// the programme uses.
func TestCataloguesNameTheData(t *testing.T) {
	want := []string{"feature", "kind", "status", "month", "theme", "region", "language"}
	keys := map[string][]string{}
	for f := range matcher.NumFeatures {
		keys["feature"] = append(keys["feature"], matcher.Feature(f).String())
	}
	for _, k := range program.AllRoundKinds() {
		keys["kind"] = append(keys["kind"], string(k))
	}
	for _, s := range program.AllOfferStatuses() {
		if s != program.OfferProposed { // hosts never see proposals
			keys["status"] = append(keys["status"], string(s))
		}
	}
	for m := range 12 {
		keys["month"] = append(keys["month"], strconv.Itoa(m+1))
	}
	keys["theme"] = demodata.Themes()
	p := demodata.Generate(demodata.Config{Seed: 5})
	for _, person := range p.Participants {
		keys["region"] = append(keys["region"], person.Region)
		keys["language"] = append(keys["language"], person.Languages...)
	}
	for _, prefix := range want {
		slices.Sort(keys[prefix])
		keys[prefix] = slices.Compact(keys[prefix])
		if len(keys[prefix]) == 0 {
			t.Fatalf("no %s values to check", prefix)
		}
	}
	for lang, cat := range testCatalogues() {
		for _, prefix := range want {
			for _, v := range keys[prefix] {
				if _, ok := cat[prefix+"."+v]; !ok {
					t.Errorf("%s catalogue has no %q", lang, prefix+"."+v)
				}
			}
		}
	}
}

func TestTemplatesUseKnownKeys(t *testing.T) {
	rd, err := newRenderer(files, testCatalogues())
	if err != nil {
		t.Fatalf("newRenderer on the embedded templates: %v", err)
	}
	for _, lang := range []string{langEn, langKa} {
		if got := slices.Sorted(maps.Keys(rd.pages[lang])); !slices.Equal(got, []string{"error.html", "host.html", "offer.html"}) {
			t.Errorf("pages in %s: %v", lang, got)
		}
	}
	// The check found the calls, in the templates as written (the pages
	// have their constant messages folded in): a walker that missed them
	// would pass anything.
	uses := 0
	for page := range rd.pages[langEn] {
		written, err := template.New("").Funcs(rd.funcs("", nil)).ParseFS(files, "templates/"+layoutFile, "templates/"+page)
		if err != nil {
			t.Fatal(err)
		}
		uses += len(messageUses(written))
	}
	if uses < 50 {
		t.Errorf("found %d uses of messages in the templates; the walker misses some", uses)
	}
	// Folding left no constant message to look up.
	for _, page := range rd.pages[langEn] {
		for _, use := range messageUses(page) {
			if _, call, _ := strings.Cut(use.where, ": "); constantMessage.MatchString("{{" + call + "}}") {
				t.Errorf("%s: a constant message left unfolded", use.where)
			}
		}
	}
}

func TestTemplateKeyCheck(t *testing.T) {
	const layout = `<!doctype html><html lang="{{lang}}"><title>{{template "title" .}}</title><main>{{template "content" .}}</main></html>`
	cats := map[string]catalogue{"en": {"known": "Known", "n.one": "%d thing", "n.other": "%d things"}}
	tests := []struct {
		name    string
		page    string
		wantErr string // "" when the page must pass
	}{
		{"known keys", `{{define "title"}}{{t "known"}}{{end}}{{define "content"}}{{tn "n" 2}}{{end}}`, ""},
		{"missing key", `{{define "title"}}{{t "known"}}{{end}}{{define "content"}}{{if true}}{{t "missing"}}{{end}}{{end}}`, `no message "missing"`},
		{"missing plural form", `{{define "title"}}{{t "known"}}{{end}}{{define "content"}}{{tn "known" 2}}{{end}}`, `no message "known.one"`},
		{"key in parentheses", `{{define "title"}}{{t "known"}}{{end}}{{define "content"}}{{printf "%s" (t "absent")}}{{end}}`, `no message "absent"`},
		{"key not literal", `{{define "title"}}{{t "known"}}{{end}}{{define "content"}}{{range .}}{{t .}}{{end}}{{end}}`, "literal string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"templates/layout.html": {Data: []byte(layout)},
				"templates/page.html":   {Data: []byte(tt.page)},
				"assets/style.css":      {Data: []byte("main{}")},
			}
			_, err := newRenderer(fsys, cats)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("newRenderer: %v, want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("newRenderer: %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

// TestRenderFailure checks that a page failing halfway sends a whole 500
// page, not the half already rendered.
func TestRenderFailure(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/layout.html": {Data: []byte(`<!doctype html><html lang="{{lang}}"><main>{{template "content" .}}</main></html>`)},
		"templates/broken.html": {Data: []byte(`{{define "content"}}<p>half a page</p>{{asset "missing.css"}}{{end}}`)},
		"templates/error.html":  {Data: []byte(`{{define "content"}}<h1 data-error="{{.Kind}}">error</h1>{{end}}`)},
		"assets/style.css":      {Data: []byte("main{}")},
	}
	rd, err := newRenderer(fsys, map[string]catalogue{"en": {}})
	if err != nil {
		t.Fatal(err)
	}
	h := &handler{pages: rd, log: slog.New(slog.DiscardHandler)}
	rec := httptest.NewRecorder()
	h.render(rec, httptest.NewRequest("GET", "/", nil), "en", http.StatusOK, "broken.html", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || strings.Contains(body, "half a page") || !strings.Contains(body, `data-error="internal"`) {
		t.Errorf("failed page: %d %q, want 500 with the error page only", rec.Code, body)
	}
}

func TestAcceptLanguage(t *testing.T) {
	tests := []struct {
		header, want string
	}{
		{"", ""},
		{"en", "en"},
		{"ka-GE", "ka"},
		{"EN-us", "en"},
		{"ru-RU, ru;q=0.9, en-US;q=0.8, en;q=0.7", "en"},
		{"en;q=0.5, ka;q=0.9", "ka"},
		{"en, ka", "en"},
		{"ka;q=0, en;q=0.1", "en"},
		{"ka;q=0", ""},
		{"ka;q=abc, en;q=0.2", "en"},
		{"*", ""},
		{"de, fr;q=0.9", ""},
	}
	for _, tt := range tests {
		if got := acceptLanguage(tt.header); got != tt.want {
			t.Errorf("acceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	cats := testCatalogues()
	tbilisi, err := time.LoadLocation("Asia/Tbilisi")
	if err != nil {
		t.Fatal(err)
	}
	// Georgian month names as written in Georgian calendars.
	kaMonths := []string{"იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი",
		"ივლისი", "აგვისტო", "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი"}
	for i, name := range kaMonths {
		d := program.Date{Year: 2026, Month: time.Month(i + 1), Day: 5}
		if got, want := cats[langKa].date(d), "5 "+name+" 2026"; got != want {
			t.Errorf("Georgian date(%v) = %q, want %q", d, got, want)
		}
	}
	at := time.Date(2026, time.January, 31, 14, 5, 0, 0, time.UTC).In(tbilisi)
	tests := []struct {
		lang string
		got  string
		want string
	}{
		{langEn, cats[langEn].date(program.Date{Year: 2026, Month: time.March, Day: 5}), "5 March 2026"},
		{langEn, cats[langEn].instant(at), "31 January 2026, 18:05 (UTC+04:00)"},
		{langKa, cats[langKa].instant(at), "31 იანვარი 2026, 18:05 (UTC+04:00)"},
		{langEn, cats[langEn].instant(at.In(time.UTC)), "31 January 2026, 14:05 (UTC+00:00)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang, tt.got, tt.want)
		}
	}
}

func TestWhy(t *testing.T) {
	breakdown := map[string]float64{"theme": 0.5, "language": 1, "geography": 0.9, "availability": 0.2, "preference": 0, "experience": 0.8}
	tests := []struct {
		name    string
		weights map[string]float64
		want    []reason
	}{
		{"equal weights: by value, ties in feature order", map[string]float64{"theme": 1, "language": 1, "geography": 1, "availability": 1, "preference": 1, "experience": 1},
			[]reason{{"language", 100}, {"geography", 90}, {"experience", 80}}},
		{"weights reorder", map[string]float64{"theme": 4, "language": 1, "geography": 1, "availability": 1, "preference": 1, "experience": 0.1},
			[]reason{{"theme", 50}, {"language", 100}, {"geography", 90}}},
		{"weight zero leaves a feature out", map[string]float64{"theme": 1, "language": 0, "geography": 0, "availability": 1, "preference": 1, "experience": 0},
			[]reason{{"theme", 50}, {"availability", 20}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := matcher.WeightsFromMap(tt.weights)
			if err != nil {
				t.Fatal(err)
			}
			if got := why(program.Match{Breakdown: breakdown}, w); !slices.Equal(got, tt.want) {
				t.Errorf("why = %v, want %v", got, tt.want)
			}
		})
	}
	if got := why(program.Match{}, matcher.DefaultWeights(program.RoundInternship)); len(got) != 0 {
		t.Errorf("why of a match without a breakdown = %v, want none", got)
	}
}

func TestResultOf(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		m        program.Match
		repaired bool
		want     string
	}{
		{program.Match{Status: program.OfferAccepted}, false, "accepted"},
		{program.Match{Status: program.OfferDeclined}, false, "declined"},
		{program.Match{Status: program.OfferDeclined}, true, "repaired"},
		{program.Match{Status: program.OfferOffered}, false, "open"},
		{program.Match{Status: program.OfferOffered, Deadline: now.Add(time.Second)}, false, "open"},
		{program.Match{Status: program.OfferOffered, Deadline: now}, false, "late"},
		{program.Match{Status: program.OfferExpired}, false, "expired"},
		{program.Match{Status: program.OfferWithdrawn}, true, "withdrawn"},
	}
	for _, tt := range tests {
		if got := resultOf(tt.m, now, tt.repaired); got != tt.want {
			t.Errorf("resultOf(%s, deadline %v, repaired %v) = %q, want %q", tt.m.Status, tt.m.Deadline, tt.repaired, got, tt.want)
		}
	}
}

func TestCleanReason(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  fine  ", "fine"},
		{"line one\r\nline two\r\n", "line one\nline two"},
		{"nul\x00byte", "nulbyte"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{"ქართული", "ქართული"},
	}
	for _, tt := range tests {
		if got := cleanReason(tt.in); got != tt.want {
			t.Errorf("cleanReason(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// sampleHostView is the page of a host with 25 open offers and 10 answered
// ones, as under load.
func sampleHostView() hostView {
	offer := func(i int, status program.OfferStatus) offerView {
		return offerView{
			ID: program.MatchID(i), Status: status, Answerable: status == program.OfferOffered,
			Deadline: time.Date(2027, 3, 15, 18, 0, 0, 0, time.UTC), Reason: "ადგილი აღარ გვაქვს",
			Who: profile{Name: fmt.Sprintf("ნინო ბერიძე %d", i), Region: "Imereti", City: "ქუთაისი",
				Languages: []string{"ka", "en", "ru"}, Themes: []string{"environment", "youth", "media"},
				Person: true, Experience: 2, From: program.Date{Year: 2027, Month: 3, Day: 1}, To: program.Date{Year: 2027, Month: 9, Day: 1}},
			Why:   []reason{{"theme", 92}, {"language", 100}, {"geography", 40}},
			Score: 81,
		}
	}
	rv := roundView{Round: program.Round{ID: 7, Kind: program.RoundInternship, Name: "Spring internships"}, Capacity: 25, Left: 20}
	for i := range 25 {
		rv.Open = append(rv.Open, offer(i+1, program.OfferOffered))
	}
	for i := range 10 {
		rv.Answered = append(rv.Answered, offer(i+100, program.OfferDeclined))
	}
	return hostView{Token: strings.Repeat("ab", 24), Host: "თბილისის სათემო ცენტრი", Rounds: []roundView{rv}, MaxReason: maxReason}
}

// TestFoldedPagesRenderAsWritten renders every page in both languages with
// its constant messages folded in at start-up and with the templates as
// written, where html/template escapes each message in its context: the
// bytes must be the same, so folding never skips an escaping the context
// needed (a message in a URL, say).
func TestFoldedPagesRenderAsWritten(t *testing.T) {
	rd, err := newRenderer(files, testCatalogues())
	if err != nil {
		t.Fatal(err)
	}
	host := sampleHostView()
	data := map[string]any{
		"host.html":  host,
		"offer.html": offerPageView{Token: host.Token, Result: "repaired", Round: host.Rounds[0].Round, Left: 3, Offer: host.Rounds[0].Open[0]},
		"error.html": errorView{Kind: "notfound", MaxReason: maxReason},
	}
	for lang, cat := range testCatalogues() {
		for page, v := range data {
			folded, err := rd.execute(lang, page, v)
			if err != nil {
				t.Fatal(err)
			}
			written, err := template.New(layoutFile).Funcs(rd.funcs(lang, cat)).ParseFS(files, "templates/"+layoutFile, "templates/"+page)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := written.ExecuteTemplate(&want, layoutFile, v); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(folded.Bytes(), want.Bytes()) {
				t.Errorf("%s in %s renders differently with its messages folded in:\n%s\nwant:\n%s", page, lang, folded, &want)
			}
		}
	}
}

// BenchmarkRenderHostPage renders, in Georgian, the page of a host with 25
// open offers and 10 answered ones, as under load: the templates' share of
// a page's cost.
func BenchmarkRenderHostPage(b *testing.B) {
	rd, err := newRenderer(files, testCatalogues())
	if err != nil {
		b.Fatal(err)
	}
	view := sampleHostView()
	for b.Loop() {
		if _, err := rd.execute("ka", "host.html", view); err != nil {
			b.Fatal(err)
		}
	}
}
