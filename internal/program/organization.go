package program

import (
	"fmt"
	"slices"
)

// OrgID is the programme's own identifier of an organisation, as written in
// the "id" column of organizations.csv.
type OrgID string

// Sector is the part of society an organisation belongs to.
type Sector string

// The sectors an organisation may belong to.
const (
	SectorCSO           Sector = "cso" // civil-society organisation
	SectorGovernment    Sector = "government"
	SectorPrivate       Sector = "private"
	SectorMedia         Sector = "media"
	SectorAcademia      Sector = "academia"
	SectorInternational Sector = "international"
)

// AllSectors returns every Sector in a fixed order.
func AllSectors() []Sector {
	return []Sector{SectorCSO, SectorGovernment, SectorPrivate, SectorMedia, SectorAcademia, SectorInternational}
}

// Valid reports whether s is one of AllSectors.
func (s Sector) Valid() bool { return slices.Contains(AllSectors(), s) }

func (Sector) choices() []string { return enumStrings(AllSectors()) }

// Defaults applied by Organization.Normalize to empty fields.
const (
	DefaultCountry  = "GE"
	DefaultTimeZone = "Asia/Tbilisi"
)

// Organization is a host: a body that takes interns and visitors. The json
// names are also the CSV column names.
type Organization struct {
	ID       OrgID   `json:"id" db:"id" validate:"required,max=64"`
	Name     string  `json:"name" db:"name" validate:"required,max=200"`
	Sector   Sector  `json:"sector" db:"sector" validate:"required,enum"`
	Region   string  `json:"region" db:"region" validate:"required,max=100"`
	City     string  `json:"city" db:"city" validate:"max=100"`
	Lat      float64 `json:"lat" db:"lat" validate:"latitude"`
	Lon      float64 `json:"lon" db:"lon" validate:"longitude"`
	Country  string  `json:"country" db:"country"`   // ISO 3166-1 alpha-2; empty means DefaultCountry
	TimeZone string  `json:"timezone" db:"timezone"` // IANA name; empty means DefaultTimeZone

	Themes      []string `json:"themes" db:"themes"`       // lower-case slugs, see NormalizeTheme
	Languages   []string `json:"languages" db:"languages"` // ISO 639-1 codes
	Experienced bool     `json:"experienced" db:"experienced"`

	// Seats per activity; zero means the organisation does not take part in it.
	InternCapacity  int `json:"intern_capacity" db:"intern_capacity" validate:"min=0,max=10000"`
	VisitorCapacity int `json:"visitor_capacity" db:"visitor_capacity" validate:"min=0,max=10000"`

	// Availability lists the windows in which the organisation hosts; none
	// means always. Blackouts are days it never hosts, such as its own
	// events; public holidays come from the scheduler, not from here.
	Availability []Window `json:"availability,omitempty" db:"-"`
	Blackouts    []Date   `json:"blackout_dates,omitempty" db:"-"`

	Email string `json:"email" db:"email" validate:"required,email"`
}

// Normalize applies the defaults for country and time zone, and rewrites
// themes and language codes into their canonical form where it can. What it
// cannot rewrite is left for Validate to report.
func (o *Organization) Normalize() {
	if o.Country == "" {
		o.Country = DefaultCountry
	}
	if o.TimeZone == "" {
		o.TimeZone = DefaultTimeZone
	}
	o.Themes = normalizeThemes(o.Themes)
	o.Languages = normalizeLanguages(o.Languages)
}

// Check reports the rules struct tags cannot express: id shape, country and
// time zone, theme slugs, language codes, window order and blackout dates.
func (o *Organization) Check() ErrorList {
	var l ErrorList
	checkID(&l, string(o.ID))
	checkCountry(&l, o.Country)
	checkTimeZone(&l, "timezone", o.TimeZone)
	checkThemes(&l, "themes", o.Themes)
	checkLanguages(&l, o.Languages)
	for i, w := range o.Availability {
		checkWindow(&l, fmt.Sprintf("availability[%d]", i), w)
	}
	for i, d := range o.Blackouts {
		if !d.Valid() {
			l.Add(fmt.Sprintf("blackout_dates[%d]", i), "is not a date", "write it as YYYY-MM-DD")
		}
	}
	return l
}

func (o *Organization) recordID() string { return string(o.ID) }
