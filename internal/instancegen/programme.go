package instancegen

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/khidi/khidi/internal/demodata"
)

// Programme describes a seeded programme of the shape `khidi import` reads:
// the records of internal/demodata (Tbilisi host organisations, people and
// communities across Georgia's regions) written as the CSV files a
// programme manager exports. Organizations counts the host organisations.
type Programme struct {
	Organizations, Participants, Communities int
	Seed                                     uint64
}

// WriteCSV writes the programme's three files: organisations, participants
// and communities, with the columns `khidi import` documents.
func (p Programme) WriteCSV(orgs, participants, communities io.Writer) error {
	if p.Organizations < 1 && p.Participants > 0 {
		return fmt.Errorf("instancegen: %d participants need at least one organisation", p.Participants)
	}
	count := func(n int) int {
		if n == 0 {
			return -1 // demodata reads 0 as "the demo's count"
		}
		return n
	}
	prog := demodata.Generate(demodata.Config{Seed: p.Seed, Hosts: count(p.Organizations), RegionalCSOs: -1, Partners: -1,
		Participants: count(p.Participants), Communities: count(p.Communities)})
	list := func(ss []string) string { return strings.Join(ss, ";") }
	err := writeCSV(orgs, []string{"id", "name", "sector", "region", "city", "lat", "lon", "themes", "languages",
		"experienced", "intern_capacity", "visitor_capacity", "email", "timezone", "country"}, len(prog.Organizations), func(i int) []string {
		o := &prog.Organizations[i]
		return []string{string(o.ID), o.Name, string(o.Sector), o.Region, o.City, coord(o.Lat), coord(o.Lon), list(o.Themes),
			list(o.Languages), strconv.FormatBool(o.Experienced), strconv.Itoa(o.InternCapacity), strconv.Itoa(o.VisitorCapacity),
			o.Email, o.TimeZone, o.Country}
	})
	if err != nil {
		return fmt.Errorf("instancegen: organisations: %w", err)
	}
	err = writeCSV(participants, []string{"id", "name", "email", "role", "organization_id", "region", "city", "lat", "lon",
		"themes", "languages", "experience_years", "available_from", "available_to", "preferences"}, len(prog.Participants), func(i int) []string {
		q := &prog.Participants[i]
		prefs := make([]string, len(q.Preferences))
		for j, id := range q.Preferences {
			prefs[j] = string(id)
		}
		return []string{string(q.ID), q.Name, q.Email, string(q.Role), string(q.OrganizationID), q.Region, q.City, coord(q.Lat), coord(q.Lon),
			list(q.Themes), list(q.Languages), strconv.Itoa(q.ExperienceYears), q.AvailableFrom.String(), q.AvailableTo.String(), list(prefs)}
	})
	if err != nil {
		return fmt.Errorf("instancegen: participants: %w", err)
	}
	err = writeCSV(communities, []string{"id", "name", "region", "lat", "lon", "needs", "visits_per_year"}, len(prog.Communities), func(i int) []string {
		c := &prog.Communities[i]
		return []string{string(c.ID), c.Name, c.Region, coord(c.Lat), coord(c.Lon), list(c.Needs), strconv.Itoa(c.VisitsPerYear)}
	})
	if err != nil {
		return fmt.Errorf("instancegen: communities: %w", err)
	}
	return nil
}

// coord writes a coordinate with no more digits than it has.
func coord(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

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
