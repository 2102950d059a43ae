package demodata

import (
	"math"
	"slices"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

// TestTowns checks the town table: every region has at least three towns,
// each inside Georgia, and the minority shares are shares.
func TestTowns(t *testing.T) {
	t.Parallel()
	perRegion := map[string]int{}
	for _, tw := range slices.Concat(tbilisiTowns, regionalTowns) {
		perRegion[tw.region]++
		if tw.lat < 41.0 || tw.lat > 43.6 || tw.lon < 40.0 || tw.lon > 46.8 {
			t.Errorf("%s at (%v, %v) is outside Georgia", tw.name, tw.lat, tw.lon)
		}
		if tw.weight <= 0 || tw.hy < 0 || tw.az < 0 || tw.hy+tw.az > 1 {
			t.Errorf("%s: weight %v, hy %v, az %v", tw.name, tw.weight, tw.hy, tw.az)
		}
	}
	for _, r := range append([]string{regTbilisi}, regionNames...) {
		if perRegion[r] < 3 {
			t.Errorf("%s has %d towns, want at least 3", r, perRegion[r])
		}
	}
	if len(perRegion) != 1+len(regionNames) {
		t.Errorf("towns name %d regions, want %d", len(perRegion), 1+len(regionNames))
	}
}

// TestCommunitySites checks that the demo's forty communities reach every
// highland area named in the programme, and that each known need is a
// theme.
func TestCommunitySites(t *testing.T) {
	t.Parallel()
	regions := map[string]bool{}
	for i, c := range communitySites {
		if themeIndex(c.need) < 0 {
			t.Errorf("%s: need %q is not a theme", c.name, c.need)
		}
		if i < DemoCommunities {
			regions[c.region] = true
		}
		for _, d := range communitySites[:i] {
			if d.name == c.name {
				t.Errorf("community %s listed twice", c.name)
			}
		}
	}
	if len(communitySites) < DemoCommunities {
		t.Errorf("%d community sites, want at least %d", len(communitySites), DemoCommunities)
	}
	for _, r := range regionNames {
		if !regions[r] {
			t.Errorf("no community in %s among the first %d", r, DemoCommunities)
		}
	}
}

func TestPartnerSites(t *testing.T) {
	t.Parallel()
	for _, c := range partnerCountries {
		n := 0
		for _, s := range partnerSites {
			if s.country == c {
				n++
			}
		}
		if n < 2 {
			t.Errorf("%s has %d partner templates, want at least 2", c.code, n)
		}
		if !program.ValidLanguage(c.lang) {
			t.Errorf("%s: %q is not a language code", c.code, c.lang)
		}
		for _, l := range c.extra {
			if !program.ValidLanguage(l.code) {
				t.Errorf("%s: %q is not a language code", c.code, l.code)
			}
		}
	}
	// The demo's partners must not need a template twice.
	for i := range DemoPartners {
		c := partnerCountries[i%len(partnerCountries)]
		n := 0
		for _, s := range partnerSites {
			if s.country == c {
				n++
			}
		}
		if i/len(partnerCountries) >= n {
			t.Errorf("demo partner %d repeats a template of %s", i+1, c.code)
		}
	}
}

func TestGenitive(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"ქუთაისი", "ქუთაისის"},
		{"მცხეთა", "მცხეთის"},
		{"ახალციხე", "ახალციხის"},
		{"საგარეჯო", "საგარეჯოს"},
		{"ამბროლაური", "ამბროლაურის"},
	}
	for _, tt := range tests {
		if got := genitive(tt.in); got != tt.want {
			t.Errorf("genitive(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want counts
	}{
		{"zero", Config{}, counts{60, 80, 25, 400, 40}},
		{"national", National(1), counts{4500, 400, 100, 100_000, 1000}},
		{"infinite scale is capped", Config{Scale: math.Inf(1)}, counts{MaxCount, MaxCount, MaxCount, MaxCount, MaxCount}},
		{"huge count is capped", Config{Participants: math.MaxInt}, counts{60, 80, 25, MaxCount, 40}},
		{"rounded", Config{Scale: 0.25}, counts{15, 20, 6, 100, 10}},
	}
	for _, tt := range tests {
		if got := tt.cfg.resolve(); got != tt.want {
			t.Errorf("%s: %+v.resolve() = %+v, want %+v", tt.name, tt.cfg, got, tt.want)
		}
	}
}

func TestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		prefix       string
		i, n, digits int
		want         string
	}{
		{"p-", 1, 400, 4, "p-0001"},
		{"p-", 400, 400, 4, "p-0400"},
		{"p-", 7, 100_000, 4, "p-000007"},
		{"org-tbs-", 12, 60, 3, "org-tbs-012"},
		{"c-", 1000, 1000, 3, "c-1000"},
	}
	for _, tt := range tests {
		if got := id(tt.prefix, tt.i, tt.n, tt.digits); got != tt.want {
			t.Errorf("id(%q, %d, %d, %d) = %q, want %q", tt.prefix, tt.i, tt.n, tt.digits, got, tt.want)
		}
	}
}
