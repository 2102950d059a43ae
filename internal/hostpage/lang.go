package hostpage

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// The languages of the pages. Georgian is the default: the programme runs
// in Georgia, and a host that sends no preference is most likely Georgian.
const (
	langKa      = "ka"
	langEn      = "en"
	defaultLang = langKa
)

// langCookie remembers a language chosen with ?lang=, so that the next page
// (the confirmation after an answer, say) stays in it.
const (
	langCookie    = "lang"
	langCookieAge = 365 * 24 * 60 * 60 // seconds: a year, a round's life and then some
)

// supported reports whether code is a language the pages are written in.
func supported(code string) bool { return code == langKa || code == langEn }

// language chooses the language of the response to r: ?lang= wins (and is
// remembered in a cookie), then the cookie, then the browser's
// Accept-Language, then Georgian.
func language(w http.ResponseWriter, r *http.Request) string {
	if code := r.URL.Query().Get("lang"); supported(code) {
		http.SetCookie(w, &http.Cookie{
			Name: langCookie, Value: code, Path: "/", MaxAge: langCookieAge,
			// Lax: the cookie follows a host opening the link from mail,
			// which is a cross-site navigation; HttpOnly: no script needs it.
			SameSite: http.SameSiteLaxMode, HttpOnly: true,
			// Behind a TLS-terminating proxy r.TLS is nil; the proxy says
			// https in X-Forwarded-Proto. A client forging the header only
			// makes its own cookie https-only.
			Secure: r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"),
		})
		return code
	}
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value
	}
	if code := acceptLanguage(r.Header.Get("Accept-Language")); code != "" {
		return code
	}
	return defaultLang
}

// acceptLanguage returns the supported language an Accept-Language header
// (RFC 9110, section 12.5.4) ranks highest, or "" when it names none.
// Regional variants count for their language ("en-GB" is English); among
// equal weights the first listed wins.
func acceptLanguage(header string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
		code := strings.ToLower(primary)
		if !supported(code) {
			continue
		}
		q := 1.0
		if name, value, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(name) == "q" {
			v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			if err != nil || v < 0 || v > 1 {
				continue // a malformed weight: ignore the entry, as browsers never send one
			}
			q = v
		}
		if q > bestQ {
			best, bestQ = code, q
		}
	}
	return best
}

// catalogue is one language's messages, with the formatting the pages need.
type catalogue map[string]string

// text returns the message key formatted with args; the key itself when
// the catalogue lacks it, which the start-up check makes impossible for
// the literal keys of templates.
func (c catalogue) text(key string, args ...any) string {
	msg, ok := c[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// plural returns key's ".one" form when n is 1 and its ".other" form
// otherwise, formatted with n.
func (c catalogue) plural(key string, n int) string {
	if n == 1 {
		return c.text(key+".one", n)
	}
	return c.text(key+".other", n)
}

// label names a value of programme data (a feature, region, theme,
// language, status or round kind) in the language, or returns the value
// as stored when the catalogue has no name for it.
func (c catalogue) label(prefix string, value any) string {
	v := fmt.Sprint(value)
	if msg, ok := c[prefix+"."+v]; ok {
		return msg
	}
	return v
}

// date writes a civil date with the month's name: "5 March 2026",
// "5 მარტი 2026".
func (c catalogue) date(d program.Date) string {
	return c.text("format.date", d.Day, c.text("month."+strconv.Itoa(int(d.Month))), d.Year)
}

// instant writes t in its own location with the zone's offset, since
// DESIGN.md wants every rendered time to carry its zone: "5 March 2026,
// 18:00 (UTC+04:00)".
func (c catalogue) instant(t time.Time) string {
	return c.text("format.time", c.date(program.DateOf(t)), t.Format("15:04"), t.Format("-07:00"))
}
