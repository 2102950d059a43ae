package importer

import (
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// column is one CSV column and JSON field of a record. The tables below are
// written out by hand rather than derived from the json tags with
// reflection, so that parsing a cell costs a type switch and no reflection;
// TestColumnsMatchJSONTags keeps them equal to the tags.
type column[T any] struct {
	name     string
	optional bool // a CSV header may leave the column out
	jsonOnly bool // a JSON field with no CSV column
	// field returns a pointer to the record's field; setCell and
	// decodeField switch on its type.
	field func(*T) any
}

// spec is what the readers need to know about one kind of record.
type spec[T any] struct {
	kind      Kind
	columns   []column[T]
	id        func(*T) string
	normalize func(*T)
	records   func(*Set) *[]T
}

// col returns the index of the column called name, or -1. A linear scan
// over at most 17 names is as fast as a map and needs no set-up.
func (sp *spec[T]) col(name string) int {
	for i := range sp.columns {
		if sp.columns[i].name == name {
			return i
		}
	}
	return -1
}

// info is the part of spec that does not depend on the record type, for
// the header checks and messages.
func (sp *spec[T]) info() *kindInfo {
	ki := &kindInfo{kind: sp.kind}
	for _, c := range sp.columns {
		ki.columns = append(ki.columns, colInfo{c.name, c.optional, c.jsonOnly})
		switch {
		case c.jsonOnly:
			ki.jsonOnly = append(ki.jsonOnly, c.name)
		case c.optional:
			ki.csv = append(ki.csv, c.name)
		default:
			ki.csv = append(ki.csv, c.name)
			ki.required = append(ki.required, c.name)
		}
	}
	return ki
}

// kindInfo lists a kind's column names.
type kindInfo struct {
	kind     Kind
	columns  []colInfo // as in spec.columns, same order
	csv      []string  // every CSV column, in the documented order
	required []string  // the CSV columns a header must have
	jsonOnly []string  // the fields only JSON may carry
}

func (ki *kindInfo) hasCSV(name string) bool {
	for _, c := range ki.csv {
		if c == name {
			return true
		}
	}
	return false
}

func (ki *kindInfo) hasJSONOnly(name string) bool {
	for _, c := range ki.jsonOnly {
		if c == name {
			return true
		}
	}
	return false
}

// colInfo is the type-free part of a column.
type colInfo struct {
	name               string
	optional, jsonOnly bool
}

// foldMatch returns the column whose name equals name but for case, or "".
func foldMatch(names []string, name string) string {
	for _, c := range names {
		if strings.EqualFold(c, name) {
			return c
		}
	}
	return ""
}

var orgSpec = &spec[program.Organization]{
	kind: Organizations,
	columns: []column[program.Organization]{
		{name: "id", field: func(o *program.Organization) any { return &o.ID }},
		{name: "name", field: func(o *program.Organization) any { return &o.Name }},
		{name: "sector", field: func(o *program.Organization) any { return &o.Sector }},
		{name: "region", field: func(o *program.Organization) any { return &o.Region }},
		{name: "city", field: func(o *program.Organization) any { return &o.City }},
		{name: "lat", field: func(o *program.Organization) any { return &o.Lat }},
		{name: "lon", field: func(o *program.Organization) any { return &o.Lon }},
		{name: "themes", field: func(o *program.Organization) any { return &o.Themes }},
		{name: "languages", field: func(o *program.Organization) any { return &o.Languages }},
		{name: "experienced", field: func(o *program.Organization) any { return &o.Experienced }},
		{name: "intern_capacity", field: func(o *program.Organization) any { return &o.InternCapacity }},
		{name: "visitor_capacity", field: func(o *program.Organization) any { return &o.VisitorCapacity }},
		{name: "email", field: func(o *program.Organization) any { return &o.Email }},
		{name: "timezone", optional: true, field: func(o *program.Organization) any { return &o.TimeZone }},
		{name: "country", optional: true, field: func(o *program.Organization) any { return &o.Country }},
		{name: "availability", jsonOnly: true, field: func(o *program.Organization) any { return &o.Availability }},
		{name: "blackout_dates", jsonOnly: true, field: func(o *program.Organization) any { return &o.Blackouts }},
	},
	id:        func(o *program.Organization) string { return string(o.ID) },
	normalize: (*program.Organization).Normalize,
	records:   func(s *Set) *[]program.Organization { return &s.Organizations },
}

var participantSpec = &spec[program.Participant]{
	kind: Participants,
	columns: []column[program.Participant]{
		{name: "id", field: func(p *program.Participant) any { return &p.ID }},
		{name: "name", field: func(p *program.Participant) any { return &p.Name }},
		{name: "email", field: func(p *program.Participant) any { return &p.Email }},
		{name: "role", field: func(p *program.Participant) any { return &p.Role }},
		{name: "organization_id", field: func(p *program.Participant) any { return &p.OrganizationID }},
		{name: "region", field: func(p *program.Participant) any { return &p.Region }},
		{name: "city", field: func(p *program.Participant) any { return &p.City }},
		{name: "lat", field: func(p *program.Participant) any { return &p.Lat }},
		{name: "lon", field: func(p *program.Participant) any { return &p.Lon }},
		{name: "themes", field: func(p *program.Participant) any { return &p.Themes }},
		{name: "languages", field: func(p *program.Participant) any { return &p.Languages }},
		{name: "experience_years", field: func(p *program.Participant) any { return &p.ExperienceYears }},
		{name: "available_from", field: func(p *program.Participant) any { return &p.AvailableFrom }},
		{name: "available_to", field: func(p *program.Participant) any { return &p.AvailableTo }},
		{name: "preferences", field: func(p *program.Participant) any { return &p.Preferences }},
	},
	id:        func(p *program.Participant) string { return string(p.ID) },
	normalize: (*program.Participant).Normalize,
	records:   func(s *Set) *[]program.Participant { return &s.Participants },
}

var communitySpec = &spec[program.Community]{
	kind: Communities,
	columns: []column[program.Community]{
		{name: "id", field: func(c *program.Community) any { return &c.ID }},
		{name: "name", field: func(c *program.Community) any { return &c.Name }},
		{name: "region", field: func(c *program.Community) any { return &c.Region }},
		{name: "lat", field: func(c *program.Community) any { return &c.Lat }},
		{name: "lon", field: func(c *program.Community) any { return &c.Lon }},
		{name: "needs", field: func(c *program.Community) any { return &c.Needs }},
		{name: "visits_per_year", field: func(c *program.Community) any { return &c.VisitsPerYear }},
	},
	id:        func(c *program.Community) string { return string(c.ID) },
	normalize: (*program.Community).Normalize,
	records:   func(s *Set) *[]program.Community { return &s.Communities },
}

// kindInfos holds the column names of every kind, in the order of Kinds.
var kindInfos = []*kindInfo{orgSpec.info(), participantSpec.info(), communitySpec.info()}

func infoOf(k Kind) *kindInfo {
	for _, ki := range kindInfos {
		if ki.kind == k {
			return ki
		}
	}
	return nil
}
