package program

// CommunityID is the programme's own identifier of a community, as written
// in the "id" column of communities.csv.
type CommunityID string

// Community is a place that asks for visits, such as a village or a
// neighbourhood group. The json names are also the CSV column names.
type Community struct {
	ID     CommunityID `json:"id" db:"id" validate:"required,max=64"`
	Name   string      `json:"name" db:"name" validate:"required,max=200"`
	Region string      `json:"region" db:"region" validate:"required,max=100"`
	Lat    float64     `json:"lat" db:"lat" validate:"latitude"`
	Lon    float64     `json:"lon" db:"lon" validate:"longitude"`
	// Needs are the themes the community wants help with, as slugs.
	Needs []string `json:"needs" db:"needs"`
	// VisitsPerYear is how many visits the community wants, 0 to 52 (weekly).
	VisitsPerYear int `json:"visits_per_year" db:"visits_per_year" validate:"min=0,max=52"`
}

// Normalize rewrites needs into canonical theme slugs where it can.
func (c *Community) Normalize() { c.Needs = normalizeThemes(c.Needs) }

// Check reports the rules struct tags cannot express: id shape and theme
// slugs.
func (c *Community) Check() ErrorList {
	var l ErrorList
	checkID(&l, string(c.ID))
	checkThemes(&l, "needs", c.Needs)
	return l
}

func (c *Community) recordID() string { return string(c.ID) }
