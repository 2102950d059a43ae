package program

import "slices"

// ParticipantID is the programme's own identifier of a participant, as
// written in the "id" column of participants.csv.
type ParticipantID string

// Role is what a participant is in the programme.
type Role string

// The roles a participant may have.
const (
	RoleActivist  Role = "activist"
	RoleCSOMember Role = "cso_member"
	RoleCSOLeader Role = "cso_leader"
	RoleTrainer   Role = "trainer"
	RoleExpert    Role = "expert"
)

// AllRoles returns every Role in a fixed order.
func AllRoles() []Role {
	return []Role{RoleActivist, RoleCSOMember, RoleCSOLeader, RoleTrainer, RoleExpert}
}

// Valid reports whether r is one of AllRoles.
func (r Role) Valid() bool { return slices.Contains(AllRoles(), r) }

func (Role) choices() []string { return enumStrings(AllRoles()) }

// Participant is a person taking part in the programme. The json names are
// also the CSV column names, which is why the availability window is two
// flat fields rather than a Window.
type Participant struct {
	ID             ParticipantID `json:"id" db:"id" validate:"required,max=64"`
	Name           string        `json:"name" db:"name" validate:"required,max=200"`
	Email          string        `json:"email" db:"email" validate:"required,email"`
	Role           Role          `json:"role" db:"role" validate:"required,enum"`
	OrganizationID OrgID         `json:"organization_id" db:"organization_id" validate:"max=64"` // empty: none
	Region         string        `json:"region" db:"region" validate:"required,max=100"`
	City           string        `json:"city" db:"city" validate:"max=100"`
	Lat            float64       `json:"lat" db:"lat" validate:"latitude"`
	Lon            float64       `json:"lon" db:"lon" validate:"longitude"`
	Themes         []string      `json:"themes" db:"themes"`
	Languages      []string      `json:"languages" db:"languages"`
	// ExperienceYears is the years of relevant work, 0 to 80.
	ExperienceYears int  `json:"experience_years" db:"experience_years" validate:"min=0,max=80"`
	AvailableFrom   Date `json:"available_from" db:"available_from"` // zero: open
	AvailableTo     Date `json:"available_to" db:"available_to"`     // zero: open
	// Preferences ranks host organisations, most wanted first; may be empty.
	Preferences []OrgID `json:"preferences" db:"preferences" validate:"max=50"`
}

// Availability returns the participant's availability window.
func (p *Participant) Availability() Window { return Window{p.AvailableFrom, p.AvailableTo} }

// Normalize rewrites themes and language codes into their canonical form
// where it can.
func (p *Participant) Normalize() {
	p.Themes = normalizeThemes(p.Themes)
	p.Languages = normalizeLanguages(p.Languages)
}

// Check reports the rules struct tags cannot express: id shape, theme slugs,
// language codes, window order and repeated preferences. Whether preferences
// name existing organisations needs the organisations: see CheckPreferences.
func (p *Participant) Check() ErrorList {
	var l ErrorList
	checkID(&l, string(p.ID))
	checkThemes(&l, "themes", p.Themes)
	checkLanguages(&l, p.Languages)
	if !p.Availability().Ordered() {
		l.Add("available_to", "is before available_from ("+p.AvailableFrom.String()+")", "swap the dates")
	}
	seen := map[OrgID]bool{}
	for _, id := range p.Preferences {
		if seen[id] {
			l.Add("preferences", "names "+quote(string(id))+" twice", "list each organisation once, best first")
		}
		seen[id] = true
	}
	return l
}

func (p *Participant) recordID() string { return string(p.ID) }

// CheckPreferences reports every preference that names an organisation
// known does not know, and every organization_id that does. A participant's own
// organisation may appear among their preferences: whether a home placement
// counts is a rule of the round kind, applied by the matcher.
func CheckPreferences(participants []Participant, known func(OrgID) bool) ErrorList {
	var l ErrorList
	for i := range participants {
		p := &participants[i]
		if p.OrganizationID != "" && !known(p.OrganizationID) {
			l = append(l, &InputError{ID: string(p.ID), Field: "organization_id",
				Msg:  "names unknown organisation " + quote(string(p.OrganizationID)),
				Hint: "import that organisation first or leave the cell empty"})
		}
		for _, id := range p.Preferences {
			if !known(id) {
				l = append(l, &InputError{ID: string(p.ID), Field: "preferences",
					Msg:  "names unknown organisation " + quote(string(id)),
					Hint: "import that organisation first or remove it from the list"})
			}
		}
	}
	return l
}
