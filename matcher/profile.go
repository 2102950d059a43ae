package matcher

import (
	"github.com/khidi/khidi/internal/program"
)

// Profile is what scoring needs of any entity, whatever its kind: a
// participant, an organisation or a community. Round builders turn the
// programme's records into profiles (ParticipantProfile and its siblings),
// so the scoring code has one shape to read and cannot confuse, say, a
// community's needs with an organisation's themes.
type Profile struct {
	// ID identifies the entity within its side of the round; ids must be
	// unique on each side.
	ID string
	// Region is the entity's region ("" when unknown: it then neither
	// crosses nor shares a region with anyone).
	Region string
	// Lat and Lon are the entity's position in decimal degrees.
	Lat, Lon float64
	// Themes are theme slugs; for a community, its needs.
	Themes []string
	// Languages are ISO 639-1 codes. Empty means the entity sets no
	// language condition (a community), so RuleNoSharedLanguage does not
	// apply to its pairs and FeatureLanguage is 1.
	Languages []string
	// Windows are the dates the entity is available, each inclusive; none
	// means always available. A zero From or To leaves that end open.
	Windows []program.Window
	// Experience runs from 0 (novice) to 1 (very experienced); the
	// builders below map years and flags onto it.
	Experience float64
	// Organization is the id of the person's own organisation, for
	// RuleOwnOrganization; "" for none.
	Organization string
	// Preferences are right-side ids, best first.
	Preferences []string
}

// ExperienceFullYears is the years of relevant work at which a participant
// counts as fully experienced: ParticipantProfile maps years y to
// min(y/ExperienceFullYears, 1). A decade is when programme staff stop
// calling someone new to civic work; beyond it, more years do not make a
// better mentor or a more needy novice.
const ExperienceFullYears = 10

// Experience of organisations, which the programme records only as a flag.
// An organisation not flagged experienced still has staff who know their
// work, so it is not a novice (0) either: 0.3 is three years' worth on the
// participants' scale.
const (
	OrganizationExperienced   = 1.0
	OrganizationInexperienced = 0.3
)

// ParticipantProfile returns the profile of a participant. Experience is
// min(ExperienceYears/ExperienceFullYears, 1); the availability window
// becomes one window, or none when both ends are open.
func ParticipantProfile(p program.Participant) Profile {
	var windows []program.Window
	if w := p.Availability(); !w.From.IsZero() || !w.To.IsZero() {
		windows = []program.Window{w}
	}
	prefs := make([]string, len(p.Preferences))
	for i, id := range p.Preferences {
		prefs[i] = string(id)
	}
	return Profile{
		ID:           string(p.ID),
		Region:       p.Region,
		Lat:          p.Lat,
		Lon:          p.Lon,
		Themes:       p.Themes,
		Languages:    p.Languages,
		Windows:      windows,
		Experience:   min(float64(max(p.ExperienceYears, 0))/ExperienceFullYears, 1),
		Organization: string(p.OrganizationID),
		Preferences:  prefs,
	}
}

// OrganizationProfile returns the profile of an organisation, host or
// visitor. Experience is OrganizationExperienced when the organisation is
// flagged experienced and OrganizationInexperienced otherwise. Blackout days
// are left to the scheduler: a few days an organisation is away do not
// decide whether a stay of weeks fits.
func OrganizationProfile(o program.Organization) Profile {
	exp := OrganizationInexperienced
	if o.Experienced {
		exp = OrganizationExperienced
	}
	return Profile{
		ID:         string(o.ID),
		Region:     o.Region,
		Lat:        o.Lat,
		Lon:        o.Lon,
		Themes:     o.Themes,
		Languages:  o.Languages,
		Windows:    o.Availability,
		Experience: exp,
	}
}

// CommunityProfile returns the profile of a community: its needs are its
// themes; it lists no languages (visitors bring their own interpreters, so
// no language rule applies), no availability (always open to a visit) and
// experience 0.
func CommunityProfile(c program.Community) Profile {
	return Profile{
		ID:     string(c.ID),
		Region: c.Region,
		Lat:    c.Lat,
		Lon:    c.Lon,
		Themes: c.Needs,
	}
}
