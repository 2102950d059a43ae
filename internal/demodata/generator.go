package demodata

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// generator holds what one Generate call has made so far.
type generator struct {
	year int
	orgs []program.Organization
	// orgTown is each organisation's home town, parallel to orgs; members
	// of an organisation live near it.
	orgTown []town
	// hostPop is each Tbilisi host's popularity with applicants, parallel
	// to the first len(hostPop) entries of orgs.
	hostPop []float64
	// hostEnd and regionalEnd are where the Tbilisi hosts and the regional
	// CSOs end in orgs.
	hostEnd, regionalEnd int
	// emails and names count how often an e-mail address or organisation
	// name has been used, so a repeat gets a number and all stay unique.
	emails map[string]int
	names  map[string]int
}

// uniqueName returns an organisation's name and the slug of its e-mail
// domain, numbered (" 2", "-2") when the name is taken, so that a national
// round's thousands of hosts stay distinguishable.
func (g *generator) uniqueName(name, slug string) (string, string) {
	g.names[name]++
	if k := g.names[name]; k > 1 {
		return name + " " + strconv.Itoa(k), slug + "-" + strconv.Itoa(k)
	}
	return name, slug
}

// uniqueEmail returns local@domain, numbering the local part ("nino.beridze2")
// when the address is taken.
func (g *generator) uniqueEmail(local, domain string) string {
	addr := local + "@" + domain
	g.emails[addr]++
	if k := g.emails[addr]; k > 1 {
		return local + strconv.Itoa(k) + "@" + domain
	}
	return addr
}

// id returns prefix followed by i (1-based) padded to the wider of digits
// and n's width, so ids sort in generation order whatever the size.
func id(prefix string, i, n, digits int) string {
	s := strconv.Itoa(i)
	width := max(digits, len(strconv.Itoa(n)))
	return prefix + strings.Repeat("0", width-len(s)) + s
}

// weighted draws indices with probability proportional to their weights,
// in O(log n) per draw.
type weighted struct {
	cum []float64 // running sums of the weights
}

// newWeighted returns a sampler over n items with weight(i).
func newWeighted(n int, weight func(i int) float64) weighted {
	cum := make([]float64, n)
	s := 0.0
	for i := range n {
		s += weight(i)
		cum[i] = s
	}
	return weighted{cum}
}

// draw returns an index; the sampler must not be empty.
func (w weighted) draw(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	i, _ := slices.BinarySearch(w.cum, x)
	// BinarySearch finds the first sum ≥ x; an item of weight zero shares
	// its sum with the one before and so is never found, as wanted.
	return min(i, len(w.cum)-1)
}

// themeSampler draws themes by popularity.
var themeSampler = newWeighted(len(themes), func(i int) float64 { return themes[i].weight })

// drawThemes returns between lo and hi distinct themes by popularity,
// starting with first when it is not empty.
func drawThemes(r *rand.Rand, lo, hi int, first string) []string {
	k := lo + r.IntN(hi-lo+1)
	out := make([]string, 0, k)
	if first != "" {
		out = append(out, first)
	}
	for tries := 0; len(out) < k && tries < 20; tries++ {
		t := themes[themeSampler.draw(r)].slug
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// addLang appends code to langs unless it is there already.
func addLang(langs []string, code string) []string {
	if slices.Contains(langs, code) {
		return langs
	}
	return append(langs, code)
}

// near returns a point within about radius degrees of (lat, lon), rounded
// to four decimals (about 10 m), as a spreadsheet would hold it, so that
// the programme survives a round trip through CSV unchanged.
func near(r *rand.Rand, lat, lon, radius float64) (float64, float64) {
	return round4(lat + (r.Float64()*2-1)*radius), round4(lon + (r.Float64()*2-1)*radius)
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// day returns the date d days after 1 January of the programme year, kept
// inside the year.
func (g *generator) day(d int) program.Date {
	last := g.daysInYear() - 1
	return program.DateOf(time.Date(g.year, time.January, 1+min(max(d, 0), last), 0, 0, 0, 0, time.UTC))
}

// dayOf returns the day of the programme year of the given month and day.
func (g *generator) dayOf(m time.Month, d int) int {
	return time.Date(g.year, m, d, 0, 0, 0, 0, time.UTC).YearDay() - 1
}

func (g *generator) daysInYear() int {
	return time.Date(g.year, time.December, 31, 0, 0, 0, 0, time.UTC).YearDay()
}

// window returns the window from day a to day b of the programme year.
func (g *generator) window(a, b int) program.Window {
	return program.Window{From: g.day(a), To: g.day(max(a, b))}
}

// blackouts returns up to most distinct dates inside windows (or anywhere
// in the year when there are none), in order: the organisation's own
// conferences and closures, which matter only where it would host.
func (g *generator) blackouts(r *rand.Rand, most int, windows []program.Window) []program.Date {
	k := r.IntN(most + 1)
	if k == 0 {
		return nil
	}
	out := make([]program.Date, 0, k)
	for range k {
		var d program.Date
		if len(windows) == 0 {
			d = g.day(r.IntN(g.daysInYear()))
		} else {
			w := windows[r.IntN(len(windows))]
			a, b := w.From.In(time.UTC).YearDay()-1, w.To.In(time.UTC).YearDay()-1
			d = g.day(a + r.IntN(b-a+1))
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, program.Date.Compare)
	return out
}
