package demodata_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the partners' zones load on a machine without a zone database

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/program"
)

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  demodata.Config
	}{
		{"demo", demodata.Config{Seed: 1}},
		{"seed zero", demodata.Config{}},
		{"half scale", demodata.Config{Seed: 7, Scale: 0.5}},
		{"explicit counts", demodata.Config{Seed: 3, Hosts: 200, Participants: 2000, Partners: -1}},
		{"other year", demodata.Config{Seed: 1, Year: 2028}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := demodata.Generate(tt.cfg), demodata.Generate(tt.cfg)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("Generate(%+v) differs between two calls", tt.cfg)
			}
			other := tt.cfg
			other.Seed++
			c := demodata.Generate(other)
			for _, part := range []struct {
				name string
				x, y any
			}{
				{"organisations", a.Organizations, c.Organizations},
				{"participants", a.Participants, c.Participants},
				{"communities", a.Communities, c.Communities},
			} {
				if reflect.DeepEqual(part.x, part.y) && reflect.ValueOf(part.x).Len() > 0 {
					t.Errorf("Generate with seeds %d and %d: same %s, want different", tt.cfg.Seed, other.Seed, part.name)
				}
			}
		})
	}
}

// TestGenerateStreamsIndependent checks that asking for more participants
// leaves the organisations and communities as they were, so a benchmark can
// vary one size without changing the rest.
func TestGenerateStreamsIndependent(t *testing.T) {
	t.Parallel()
	a := demodata.Generate(demodata.Config{Seed: 5})
	b := demodata.Generate(demodata.Config{Seed: 5, Participants: 3 * demodata.DemoParticipants})
	if !reflect.DeepEqual(a.Organizations, b.Organizations) {
		t.Error("organisations changed with the number of participants")
	}
	if !reflect.DeepEqual(a.Communities, b.Communities) {
		t.Error("communities changed with the number of participants")
	}
}

func TestGenerateCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                                                 string
		cfg                                                  demodata.Config
		hosts, regional, partners, participants, communities int
	}{
		{"zero config is the demo", demodata.Config{}, 60, 80, 25, 400, 40},
		{"scale 2", demodata.Config{Scale: 2}, 120, 160, 50, 800, 80},
		{"negative scale means 1", demodata.Config{Scale: -3}, 60, 80, 25, 400, 40},
		{"NaN scale means 1", demodata.Config{Scale: math.NaN()}, 60, 80, 25, 400, 40},
		{"tiny scale keeps one of each", demodata.Config{Scale: 0.001}, 1, 1, 1, 1, 1},
		{"explicit counts win", demodata.Config{Scale: 2, Hosts: 7, Participants: 33}, 7, 160, 50, 33, 80},
		{"negative means none", demodata.Config{Hosts: -1, RegionalCSOs: -1, Partners: -1, Communities: -1}, 0, 0, 0, 400, 0},
		{"nobody", demodata.Config{Participants: -1}, 60, 80, 25, 0, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := demodata.Generate(tt.cfg)
			var hosts, regional, partners int
			for _, o := range p.Organizations {
				switch {
				case strings.HasPrefix(string(o.ID), "org-tbs-"):
					hosts++
				case strings.HasPrefix(string(o.ID), "org-reg-"):
					regional++
				case strings.HasPrefix(string(o.ID), "org-abr-"):
					partners++
				}
			}
			got := []int{hosts, regional, partners, len(p.Participants), len(p.Communities)}
			want := []int{tt.hosts, tt.regional, tt.partners, tt.participants, tt.communities}
			if !slices.Equal(got, want) {
				t.Errorf("Generate(%+v) counts (hosts, regional, partners, participants, communities) = %v, want %v", tt.cfg, got, want)
			}
		})
	}
}

func TestGenerateIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                                 string
		cfg                                  demodata.Config
		host, regional, partner, person, com string // the first id of each kind
	}{
		{"demo", demodata.Config{Seed: 1}, "org-tbs-001", "org-reg-001", "org-abr-001", "p-0001", "c-001"},
		{"wider when larger", demodata.Config{Seed: 1, Hosts: 1000, Participants: 10000, Communities: 1000}, "org-tbs-0001", "org-reg-001", "org-abr-001", "p-00001", "c-0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := demodata.Generate(tt.cfg)
			first := map[string]string{}
			byKind := map[string][]string{}
			for _, o := range p.Organizations {
				kind := string(o.ID)[:len("org-xxx-")]
				if first[kind] == "" {
					first[kind] = string(o.ID)
				}
				byKind[kind] = append(byKind[kind], string(o.ID))
			}
			got := []string{first["org-tbs-"], first["org-reg-"], first["org-abr-"], string(p.Participants[0].ID), string(p.Communities[0].ID)}
			want := []string{tt.host, tt.regional, tt.partner, tt.person, tt.com}
			if !slices.Equal(got, want) {
				t.Errorf("first ids = %v, want %v", got, want)
			}
			// Zero padding keeps every kind sorted in generation order.
			for kind, ids := range byKind {
				if !slices.IsSorted(ids) {
					t.Errorf("%s… ids are not sorted in generation order", kind)
				}
			}
			if !slices.IsSortedFunc(p.Participants, func(a, b program.Participant) int { return strings.Compare(string(a.ID), string(b.ID)) }) {
				t.Error("participant ids are not sorted in generation order")
			}
			if !slices.IsSortedFunc(p.Communities, func(a, b program.Community) int { return strings.Compare(string(a.ID), string(b.ID)) }) {
				t.Error("community ids are not sorted in generation order")
			}
		})
	}
}

func partners(p demodata.Programme) int {
	n := 0
	for _, o := range p.Organizations {
		if o.Country != program.DefaultCountry {
			n++
		}
	}
	return n
}

// TestGenerateValid checks every record the way `khidi import` would:
// Validate after Normalize, unique ids and e-mail addresses, and every
// reference naming a generated organisation.
func TestGenerateValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  demodata.Config
	}{
		{"demo seed 1", demodata.Config{Seed: 1}},
		{"demo seed 2", demodata.Config{Seed: 2}},
		{"demo seed 3 in a leap year", demodata.Config{Seed: 3, Year: 2028}},
		{"tiny", demodata.Config{Seed: 4, Scale: 0.05}},
		{"no regional CSOs", demodata.Config{Seed: 5, RegionalCSOs: -1}},
		{"no organisations", demodata.Config{Seed: 6, Hosts: -1, RegionalCSOs: -1, Partners: -1}},
		{"beyond the tables", demodata.Config{Seed: 7, Partners: 70, Communities: 120, RegionalCSOs: 300}},
		{"ten times the demo", demodata.Config{Seed: 8, Scale: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := demodata.Generate(tt.cfg)
			year := p.Year
			if tt.cfg.Year == 0 && year != demodata.DefaultYear {
				t.Errorf("Year = %d, want %d", year, demodata.DefaultYear)
			}
			vocab := demodata.Themes()
			ids := map[string]bool{}
			emails := map[string]bool{}
			unique := func(kind, id, email string) {
				if ids[kind+id] {
					t.Errorf("%s id %q repeated", kind, id)
				}
				ids[kind+id] = true
				if email != "" {
					if emails[email] {
						t.Errorf("%s %q: e-mail %q repeated", kind, id, email)
					}
					emails[email] = true
				}
			}
			checkThemes := func(id string, ts []string) {
				if len(ts) < 1 || len(ts) > 3 {
					t.Errorf("%s: %d themes, want 1 to 3", id, len(ts))
				}
				for _, th := range ts {
					if !slices.Contains(vocab, th) {
						t.Errorf("%s: theme %q not in Themes()", id, th)
					}
				}
			}
			inYear := func(id string, d program.Date) {
				if !d.IsZero() && d.Year != year {
					t.Errorf("%s: date %s outside the programme year %d", id, d, year)
				}
			}
			for i := range p.Organizations {
				o := p.Organizations[i]
				mustValid(t, &p.Organizations[i], &o)
				unique("organisation", string(o.ID), o.Email)
				checkThemes(string(o.ID), o.Themes)
				for _, w := range o.Availability {
					inYear(string(o.ID), w.From)
					inYear(string(o.ID), w.To)
				}
				for _, d := range o.Blackouts {
					inYear(string(o.ID), d)
				}
				if !slices.IsSortedFunc(o.Blackouts, program.Date.Compare) {
					t.Errorf("%s: blackout dates %v not in order", o.ID, o.Blackouts)
				}
			}
			for i := range p.Participants {
				x := p.Participants[i]
				mustValid(t, &p.Participants[i], &x)
				unique("participant", string(x.ID), x.Email)
				checkThemes(string(x.ID), x.Themes)
				inYear(string(x.ID), x.AvailableFrom)
				inYear(string(x.ID), x.AvailableTo)
				if len(x.Preferences) > 5 {
					t.Errorf("%s: %d preferences, want at most 5", x.ID, len(x.Preferences))
				}
				for _, pref := range x.Preferences {
					if !strings.HasPrefix(string(pref), "org-tbs-") {
						t.Errorf("%s: preference %q is not a Tbilisi host", x.ID, pref)
					}
				}
			}
			for i := range p.Communities {
				c := p.Communities[i]
				mustValid(t, &p.Communities[i], &c)
				unique("community", string(c.ID), "")
				checkThemes(string(c.ID), c.Needs)
				if c.VisitsPerYear < 2 || c.VisitsPerYear > 12 {
					t.Errorf("%s: %d visits per year, want 2 to 12", c.ID, c.VisitsPerYear)
				}
			}
			orgs := map[program.OrgID]bool{}
			for _, o := range p.Organizations {
				orgs[o.ID] = true
			}
			known := func(id program.OrgID) bool { return orgs[id] }
			if errs := program.CheckPreferences(p.Participants, known); len(errs) > 0 {
				t.Errorf("CheckPreferences: %d problems, the first: %v", len(errs), errs[0])
			}
		})
	}
}

// normalizer is a record of package program.
type normalizer interface{ Normalize() }

// mustValid checks that Normalize leaves the generated record *rec as it
// is (Generate writes canonical records), then that Validate accepts it.
// orig is a copy of the record before Normalize.
func mustValid[T any, P interface {
	*T
	normalizer
}](t *testing.T, rec P, orig *T) {
	t.Helper()
	rec.Normalize()
	if !reflect.DeepEqual(*rec, *orig) {
		t.Errorf("Normalize changed %+v into %+v", *orig, *rec)
	}
	if err := program.Validate(rec); err != nil {
		t.Errorf("Validate(%+v) = %v", *rec, err)
	}
}

// Georgia's bounding box, with a little room at the borders.
const (
	minLat, maxLat = 41.0, 43.65
	minLon, maxLon = 39.9, 46.8
)

func inGeorgia(lat, lon float64) bool {
	return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon
}

func TestGenerateGeography(t *testing.T) {
	t.Parallel()
	p := demodata.Generate(demodata.Config{Seed: 1, Scale: 5})
	regions := map[string]bool{}
	for _, o := range p.Organizations {
		if o.Country == program.DefaultCountry {
			if !inGeorgia(o.Lat, o.Lon) {
				t.Errorf("%s in %s at (%v, %v): outside Georgia", o.ID, o.City, o.Lat, o.Lon)
			}
			if strings.HasPrefix(string(o.ID), "org-reg-") {
				regions[o.Region] = true
			}
		}
	}
	// Every region outside the capital has regional CSOs for peer
	// exchanges.
	want := []string{"Adjara", "Guria", "Imereti", "Kakheti", "Kvemo Kartli", "Mtskheta-Mtianeti",
		"Racha-Lechkhumi and Kvemo Svaneti", "Samegrelo-Zemo Svaneti", "Samtskhe-Javakheti", "Shida Kartli"}
	for _, r := range want {
		if !regions[r] {
			t.Errorf("no regional CSO in %s", r)
		}
	}
	// People live near a town of their region: the spread of participants
	// giving one city stays within a few kilometres of the others.
	type box struct{ lat0, lat1, lon0, lon1 float64 }
	cities := map[string]*box{}
	for _, x := range p.Participants {
		if !inGeorgia(x.Lat, x.Lon) {
			t.Errorf("%s in %s at (%v, %v): outside Georgia", x.ID, x.City, x.Lat, x.Lon)
		}
		if !slices.Contains(want, x.Region) && x.Region != "Tbilisi" {
			t.Errorf("%s: region %q is not a region of Georgia", x.ID, x.Region)
		}
		b := cities[x.City]
		if b == nil {
			b = &box{x.Lat, x.Lat, x.Lon, x.Lon}
			cities[x.City] = b
		}
		b.lat0, b.lat1 = min(b.lat0, x.Lat), max(b.lat1, x.Lat)
		b.lon0, b.lon1 = min(b.lon0, x.Lon), max(b.lon1, x.Lon)
	}
	for city, b := range cities {
		limit := 0.061 // degrees: twice the jitter of about 3 km, and rounding
		if city == "Tbilisi" {
			limit = 0.17 // the districts' centres spread people over the city
		}
		if b.lat1-b.lat0 > limit || b.lon1-b.lon0 > limit {
			t.Errorf("participants in %s spread over %.3f° × %.3f°, want within %.2f°", city, b.lat1-b.lat0, b.lon1-b.lon0, limit)
		}
	}
	for _, c := range p.Communities {
		if !inGeorgia(c.Lat, c.Lon) {
			t.Errorf("%s %s at (%v, %v): outside Georgia", c.ID, c.Name, c.Lat, c.Lon)
		}
	}
}

// TestGeneratePartners checks that partners abroad spread over at least six
// countries with their own zones (which must load) and languages.
func TestGeneratePartners(t *testing.T) {
	t.Parallel()
	countries := map[string]struct{ zone, lang string }{
		"UA": {"Europe/Kyiv", "uk"}, "PL": {"Europe/Warsaw", "pl"}, "MD": {"Europe/Chisinau", "ro"},
		"LT": {"Europe/Vilnius", "lt"}, "LV": {"Europe/Riga", "lv"}, "EE": {"Europe/Tallinn", "et"},
		"CZ": {"Europe/Prague", "cs"}, "SK": {"Europe/Bratislava", "sk"}, "RO": {"Europe/Bucharest", "ro"},
		"AM": {"Asia/Yerevan", "hy"},
	}
	p := demodata.Generate(demodata.Config{Seed: 1})
	seen := map[string]int{}
	for _, o := range p.Organizations {
		if o.Country == program.DefaultCountry {
			if o.TimeZone != program.DefaultTimeZone {
				t.Errorf("%s in Georgia: zone %q, want %q", o.ID, o.TimeZone, program.DefaultTimeZone)
			}
			continue
		}
		seen[o.Country]++
		want, ok := countries[o.Country]
		switch {
		case !ok:
			t.Errorf("%s: unexpected country %q", o.ID, o.Country)
			continue
		case o.TimeZone != want.zone:
			t.Errorf("%s in %s: zone %q, want %q", o.ID, o.Country, o.TimeZone, want.zone)
		case !slices.Contains(o.Languages, want.lang) || !slices.Contains(o.Languages, "en"):
			t.Errorf("%s in %s: languages %v, want %s and en among them", o.ID, o.Country, o.Languages, want.lang)
		case o.Sector != program.SectorCSO && o.Sector != program.SectorInternational:
			t.Errorf("%s: sector %q, want cso or international", o.ID, o.Sector)
		case o.VisitorCapacity < 1:
			t.Errorf("%s: no visitor places", o.ID)
		}
		if _, err := time.LoadLocation(o.TimeZone); err != nil {
			t.Errorf("%s: time.LoadLocation(%q): %v", o.ID, o.TimeZone, err)
		}
	}
	if len(seen) < 6 {
		t.Errorf("partners in %d countries %v, want at least 6", len(seen), seen)
	}
	if n := partners(p); n != demodata.DemoPartners {
		t.Errorf("%d partners, want %d", n, demodata.DemoPartners)
	}
}

// TestGenerateDemoRounds checks that the demo gives every kind of round
// something real to do.
func TestGenerateDemoRounds(t *testing.T) {
	t.Parallel()
	for seed := range uint64(5) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			t.Parallel()
			p := demodata.Generate(demodata.Config{Seed: seed})
			orgs := map[program.OrgID]program.Organization{}
			var internPlaces, experiencedHosts int
			for _, o := range p.Organizations {
				orgs[o.ID] = o
				switch id := string(o.ID); {
				case strings.HasPrefix(id, "org-tbs-"):
					if o.InternCapacity < 1 || o.InternCapacity > 5 {
						t.Errorf("%s: %d intern places, want 1 to 5", o.ID, o.InternCapacity)
					}
					if !slices.Contains(o.Languages, "ka") || len(o.Availability) < 1 || len(o.Availability) > 2 {
						t.Errorf("%s: languages %v, %d windows; want ka and 1 or 2 windows", o.ID, o.Languages, len(o.Availability))
					}
					internPlaces += o.InternCapacity
					if o.Experienced && o.Sector == program.SectorCSO {
						experiencedHosts++
					}
				case strings.HasPrefix(id, "org-reg-"):
					if o.VisitorCapacity < 1 || o.Sector != program.SectorCSO {
						t.Errorf("%s: sector %s with %d visitor places, want a CSO with at least 1", o.ID, o.Sector, o.VisitorCapacity)
					}
				}
			}
			roles := map[program.Role]int{}
			var withPrefs, withoutKa, ranked int
			for _, x := range p.Participants {
				roles[x.Role]++
				if !slices.Contains(x.Languages, "ka") {
					withoutKa++
				}
				switch x.Role {
				case program.RoleActivist:
					if len(x.Preferences) > 0 {
						withPrefs++
						ranked += len(x.Preferences)
					}
				case program.RoleCSOLeader:
					o, ok := orgs[x.OrganizationID]
					if !ok || o.Sector != program.SectorCSO || o.Country != program.DefaultCountry {
						t.Errorf("%s: leader of %q, want a Georgian CSO", x.ID, x.OrganizationID)
					}
					if x.ExperienceYears < 5 || x.ExperienceYears > 20 {
						t.Errorf("%s: leader with %d years of experience, want 5 to 20", x.ID, x.ExperienceYears)
					}
				}
			}
			if experiencedHosts < 30 {
				t.Errorf("%d experienced Tbilisi CSO hosts, want at least 30", experiencedHosts)
			}
			if roles[program.RoleActivist] <= internPlaces {
				t.Errorf("%d activists for %d intern places: want more applicants than places", roles[program.RoleActivist], internPlaces)
			}
			for _, r := range program.AllRoles() {
				if roles[r] == 0 {
					t.Errorf("no participant with role %s", r)
				}
			}
			if share := float64(withPrefs) / float64(roles[program.RoleActivist]); share < 0.4 || share > 0.6 {
				t.Errorf("%.2f of activists rank hosts, want about half", share)
			}
			if withoutKa == 0 {
				t.Error("every participant speaks Georgian; want some who do not, so the language rule matters")
			}
			if ranked == 0 {
				t.Error("no preferences")
			}
		})
	}
}

// TestGenerateProportions checks the shares the demo is meant to show, at
// ten times the demo size so that sampling noise is small.
func TestGenerateProportions(t *testing.T) {
	t.Parallel()
	p := demodata.Generate(demodata.Config{Seed: 11, Scale: 10})
	type tally struct{ n, ka, hy, az, ru, en int }
	byRegion := map[string]*tally{}
	all := &tally{}
	var outside, activists, novice int
	for _, x := range p.Participants {
		tl := byRegion[x.Region]
		if tl == nil {
			tl = &tally{}
			byRegion[x.Region] = tl
		}
		for _, tl := range []*tally{tl, all} {
			tl.n++
			for _, l := range x.Languages {
				switch l {
				case "ka":
					tl.ka++
				case "hy":
					tl.hy++
				case "az":
					tl.az++
				case "ru":
					tl.ru++
				case "en":
					tl.en++
				}
			}
		}
		if x.Region != "Tbilisi" {
			outside++
		}
		if x.Role == program.RoleActivist {
			activists++
			if x.ExperienceYears <= 3 {
				novice++
			}
		}
	}
	share := func(k, n int) float64 { return float64(k) / float64(n) }
	tests := []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"participants outside Tbilisi", share(outside, len(p.Participants)), 0.56, 0.66},
		{"activists among participants", share(activists, len(p.Participants)), 0.5, 0.6},
		{"novices among activists", share(novice, activists), 1, 1},
		{"Georgian speakers", share(all.ka, all.n), 0.9, 0.995},
		{"Russian speakers", share(all.ru, all.n), 0.2, 0.6},
		{"English speakers", share(all.en, all.n), 0.4, 0.75},
		{"Georgian in Tbilisi", share(byRegion["Tbilisi"].ka, byRegion["Tbilisi"].n), 0.97, 1},
		{"Armenian in Samtskhe-Javakheti", share(byRegion["Samtskhe-Javakheti"].hy, byRegion["Samtskhe-Javakheti"].n), 0.3, 0.6},
		{"Azerbaijani in Kvemo Kartli", share(byRegion["Kvemo Kartli"].az, byRegion["Kvemo Kartli"].n), 0.25, 0.55},
		{"Armenian and Azerbaijani in Imereti", share(byRegion["Imereti"].hy+byRegion["Imereti"].az, byRegion["Imereti"].n), 0, 0},
		{"Georgian in Samtskhe-Javakheti", share(byRegion["Samtskhe-Javakheti"].ka, byRegion["Samtskhe-Javakheti"].n), 0.7, 0.95},
	}
	for _, tt := range tests {
		if tt.got < tt.lo || tt.got > tt.hi {
			t.Errorf("%s: %.3f, want %.2f to %.2f", tt.name, tt.got, tt.lo, tt.hi)
		}
	}
}

// TestGeneratePreferencesSkewed checks that applicants favour popular hosts
// that share their themes, so that some hosts are oversubscribed.
func TestGeneratePreferencesSkewed(t *testing.T) {
	t.Parallel()
	p := demodata.Generate(demodata.Config{Seed: 2, Scale: 10})
	hostThemes := map[program.OrgID][]string{}
	places := map[program.OrgID]int{}
	for _, o := range p.Organizations {
		hostThemes[o.ID] = o.Themes
		places[o.ID] = o.InternCapacity
	}
	firstChoices := map[program.OrgID]int{}
	var mentions, sharing int
	for _, x := range p.Participants {
		for i, h := range x.Preferences {
			mentions++
			if slices.ContainsFunc(x.Themes, func(th string) bool { return slices.Contains(hostThemes[h], th) }) {
				sharing++
			}
			if i == 0 {
				firstChoices[h]++
			}
		}
	}
	if s := float64(sharing) / float64(mentions); s < 0.75 {
		t.Errorf("%.2f of ranked hosts share a theme with the applicant, want at least 0.75", s)
	}
	var oversubscribed int
	for h, n := range firstChoices {
		if n > places[h] {
			oversubscribed++
		}
	}
	if oversubscribed == 0 {
		t.Error("no host has more first choices than places")
	}
	counts := make([]int, 0, len(firstChoices))
	for _, n := range firstChoices {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	top, total := 0, 0
	for i, n := range counts {
		if i < len(counts)/10 {
			top += n
		}
		total += n
	}
	if s := float64(top) / float64(total); s < 0.2 {
		t.Errorf("the most wanted tenth of hosts get %.2f of first choices, want at least 0.2", s)
	}
}

func TestThemes(t *testing.T) {
	t.Parallel()
	ts := demodata.Themes()
	if len(ts) < 18 || len(ts) > 24 {
		t.Errorf("Themes() has %d slugs, want about 20", len(ts))
	}
	for _, th := range ts {
		if n, err := program.NormalizeTheme(th); err != nil || n != th {
			t.Errorf("NormalizeTheme(%q) = %q, %v; want it unchanged", th, n, err)
		}
	}
	ts[0] = "changed"
	if demodata.Themes()[0] == "changed" {
		t.Error("Themes returns the package's own slice")
	}
}
