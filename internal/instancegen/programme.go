package instancegen

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Programme describes a seeded programme of the shape `khidi import` reads:
// host organisations, participants and communities spread over Georgia's
// regions, with themes from one vocabulary, as the CSV files a programme
// manager exports.
type Programme struct {
	Organizations, Participants, Communities int
	Seed                                     uint64
}

// region is a region of Georgia, with a town in it and the town's place.
type region struct {
	name, city string
	lat, lon   float64
}

// regions are Georgia's regions and capital, each with its main town.
var regions = []region{
	{"Tbilisi", "Tbilisi", 41.7151, 44.8271},
	{"Adjara", "Batumi", 41.6168, 41.6367},
	{"Guria", "Ozurgeti", 41.9244, 42.0069},
	{"Imereti", "Kutaisi", 42.2679, 42.6946},
	{"Kakheti", "Telavi", 41.9198, 45.4731},
	{"Kvemo Kartli", "Rustavi", 41.5495, 44.9934},
	{"Mtskheta-Mtianeti", "Mtskheta", 41.8456, 44.7208},
	{"Racha-Lechkhumi and Kvemo Svaneti", "Ambrolauri", 42.5206, 43.1625},
	{"Samegrelo-Zemo Svaneti", "Zugdidi", 42.5088, 41.8709},
	{"Samtskhe-Javakheti", "Akhaltsikhe", 41.6390, 42.9826},
	{"Shida Kartli", "Gori", 41.9842, 44.1158},
}

// themes is the theme vocabulary of a generated programme.
var themes = []string{
	"civic-education", "youth-participation", "environment", "media-literacy", "rural-development",
	"gender-equality", "human-rights", "anti-corruption", "disability-inclusion", "local-governance",
	"public-health", "minority-rights", "water", "tourism", "digital-skills", "migration",
}

// names are Georgian given names and surnames, in Georgian script.
var (
	givenNames = []string{"ნინო", "გიორგი", "მარიამ", "ლევან", "ანა", "დავით", "თამარ", "ნიკა", "ეკატერინე", "ზურაბ"}
	surnames   = []string{"ბერიძე", "კაპანაძე", "გელაშვილი", "წიკლაური", "მაისურაძე", "ლომიძე", "ჯაფარიძე", "ხარაიშვილი"}
	sectors    = []string{"cso", "cso", "cso", "government", "private", "media", "academia", "international"}
	roles      = []string{"activist", "activist", "activist", "cso_member", "cso_member", "cso_leader", "trainer", "expert"}
	languages  = []string{"ka", "en", "ru", "de", "tr", "hy", "az"}
)

// WriteCSV writes the programme's three files: organisations, participants
// and communities, with the columns `khidi import` documents. Ids are
// org-00001…, p-000001… and c-0001…; every reference names a written
// organisation.
func (p Programme) WriteCSV(orgs, participants, communities io.Writer) error {
	if p.Organizations < 1 && p.Participants > 0 {
		return fmt.Errorf("instancegen: %d participants need at least one organisation", p.Participants)
	}
	r := rand.New(rand.NewPCG(p.Seed, 0x6b68696469)) // "khidi"
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	// some returns between 1 and most distinct items of list, joined by ';'.
	some := func(list []string, most int) string {
		n := 1 + r.IntN(most)
		perm := r.Perm(len(list))[:n]
		items := make([]string, n)
		for i, j := range perm {
			items[i] = list[j]
		}
		return strings.Join(items, ";")
	}
	place := func() region {
		if r.IntN(3) == 0 { // a third of everything is in the capital
			return regions[0]
		}
		return regions[1+r.IntN(len(regions)-1)]
	}
	near := func(x float64) string { return strconv.FormatFloat(x+(r.Float64()-0.5)*0.2, 'f', 4, 64) }
	orgID := func(i int) string { return fmt.Sprintf("org-%05d", i+1) }

	err := writeCSV(orgs, []string{"id", "name", "sector", "region", "city", "lat", "lon", "themes", "languages",
		"experienced", "intern_capacity", "visitor_capacity", "email"}, p.Organizations, func(i int) []string {
		g := place()
		return []string{orgID(i), fmt.Sprintf("%s ცენტრი %d", g.city, i+1), pick(sectors), g.name, g.city, near(g.lat), near(g.lon),
			some(themes, 3), "ka;" + some(languages[1:], 2), strconv.FormatBool(r.IntN(3) > 0),
			strconv.Itoa(r.IntN(6)), strconv.Itoa(r.IntN(8)), fmt.Sprintf("office%d@example.ge", i+1)}
	})
	if err != nil {
		return fmt.Errorf("instancegen: organisations: %w", err)
	}
	err = writeCSV(participants, []string{"id", "name", "email", "role", "organization_id", "region", "city", "lat", "lon",
		"themes", "languages", "experience_years", "available_from", "available_to", "preferences"}, p.Participants, func(i int) []string {
		g := place()
		org := ""
		if r.IntN(2) == 0 {
			org = orgID(r.IntN(p.Organizations))
		}
		prefs := make([]string, r.IntN(4))
		for j := range prefs {
			prefs[j] = orgID(r.IntN(p.Organizations))
		}
		from := 1 + r.IntN(6)
		return []string{fmt.Sprintf("p-%06d", i+1), pick(givenNames) + " " + pick(surnames), fmt.Sprintf("person%d@example.ge", i+1),
			pick(roles), org, g.name, g.city, near(g.lat), near(g.lon), some(themes, 3), "ka;" + some(languages[1:], 2),
			strconv.Itoa(r.IntN(15)), fmt.Sprintf("2027-%02d-01", from), fmt.Sprintf("2027-%02d-28", from+2+r.IntN(4)),
			strings.Join(uniq(prefs), ";")}
	})
	if err != nil {
		return fmt.Errorf("instancegen: participants: %w", err)
	}
	err = writeCSV(communities, []string{"id", "name", "region", "lat", "lon", "needs", "visits_per_year"}, p.Communities, func(i int) []string {
		g := regions[1+r.IntN(len(regions)-1)]
		return []string{fmt.Sprintf("c-%04d", i+1), fmt.Sprintf("%s სოფელი %d", g.city, i+1), g.name, near(g.lat), near(g.lon),
			some(themes, 2), strconv.Itoa(1 + r.IntN(12))}
	})
	if err != nil {
		return fmt.Errorf("instancegen: communities: %w", err)
	}
	return nil
}

// writeCSV writes header and n rows made by row.
func writeCSV(w io.Writer, header []string, n int, row func(i int) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range n {
		if err := cw.Write(row(i)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// uniq returns ids without repeats, in first-seen order.
func uniq(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
