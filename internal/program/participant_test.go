package program

import "testing"

func TestRoleValid(t *testing.T) {
	t.Parallel()
	for _, r := range AllRoles() {
		if !r.Valid() {
			t.Errorf("%q.Valid() = false", r)
		}
	}
	for _, r := range []Role{"", "Activist", "member"} {
		if r.Valid() {
			t.Errorf("%q.Valid() = true", r)
		}
	}
}

func newTestParticipant() *Participant {
	return &Participant{
		ID: "p-1", Name: "ნინო ბერიძე", Email: "nino@example.ge", Role: RoleActivist,
		OrganizationID: "org-1", Region: "Adjara", City: "Batumi", Lat: 41.64, Lon: 41.63,
		Themes: []string{"environment"}, Languages: []string{"ka"}, ExperienceYears: 3,
		AvailableFrom: Date{2026, 6, 1}, AvailableTo: Date{2026, 9, 1},
		Preferences: []OrgID{"org-2", "org-1"},
	}
}

func TestParticipantValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(p *Participant)
		fields []string
	}{
		{"good", func(*Participant) {}, nil},
		{"no organisation, no preferences, open window", func(p *Participant) {
			p.OrganizationID, p.Preferences, p.AvailableFrom, p.AvailableTo = "", nil, Date{}, Date{}
		}, nil},
		{"email", func(p *Participant) { p.Email = "x@" }, []string{"email"}},
		{"role", func(p *Participant) { p.Role = "boss" }, []string{"role"}},
		{"experience negative", func(p *Participant) { p.ExperienceYears = -1 }, []string{"experience_years"}},
		{"experience too long", func(p *Participant) { p.ExperienceYears = 81 }, []string{"experience_years"}},
		{"experience 80", func(p *Participant) { p.ExperienceYears = 80 }, nil},
		{"window order", func(p *Participant) { p.AvailableTo = Date{2026, 5, 31} }, []string{"available_to"}},
		{"preference twice", func(p *Participant) { p.Preferences = []OrgID{"a", "b", "a"} }, []string{"preferences"}},
		{"themes", func(p *Participant) { p.Themes = []string{""} }, []string{"themes[0]"}},
		{"languages", func(p *Participant) { p.Languages = []string{"english"} }, []string{"languages[0]"}},
		{"lat lon", func(p *Participant) { p.Lat, p.Lon = -91, 181 }, []string{"lat", "lon"}},
		{"missing", func(p *Participant) { *p = Participant{} }, []string{"email", "id", "name", "region", "role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestParticipant()
			tt.edit(p)
			checkFields(t, p, tt.fields...)
		})
	}
}

func TestCheckPreferences(t *testing.T) {
	t.Parallel()
	orgs := func(id OrgID) bool { return id == "org-1" || id == "org-2" }
	ps := []Participant{
		{ID: "p-1", OrganizationID: "org-1", Preferences: []OrgID{"org-1", "org-2"}}, // own organisation allowed
		{ID: "p-2", Preferences: []OrgID{"org-9", "org-2", "org-8"}},
		{ID: "p-3", OrganizationID: "org-7"},
		{ID: "p-4"},
	}
	l := CheckPreferences(ps, orgs)
	type key struct{ id, field, msg string }
	want := []key{
		{"p-2", "preferences", `names unknown organisation "org-9"`},
		{"p-2", "preferences", `names unknown organisation "org-8"`},
		{"p-3", "organization_id", `names unknown organisation "org-7"`},
	}
	if len(l) != len(want) {
		t.Fatalf("CheckPreferences = %v (%d), want %d errors", l, len(l), len(want))
	}
	for i, e := range l {
		if got := (key{e.ID, e.Field, e.Msg}); got != want[i] {
			t.Errorf("CheckPreferences()[%d] = %v, want %v", i, got, want[i])
		}
	}
	if err := CheckPreferences(ps[:1], orgs).Err(); err != nil {
		t.Errorf("CheckPreferences(own organisation) = %v, want nil", err)
	}
}
