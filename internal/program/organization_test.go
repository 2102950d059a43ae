package program

import (
	"math"
	"testing"
)

func TestSectorValid(t *testing.T) {
	t.Parallel()
	for _, s := range AllSectors() {
		if !s.Valid() {
			t.Errorf("%q.Valid() = false", s)
		}
	}
	for _, s := range []Sector{"", "CSO", "ngo"} {
		if s.Valid() {
			t.Errorf("%q.Valid() = true", s)
		}
	}
	if len(AllSectors()) != 6 {
		t.Errorf("len(AllSectors()) = %d, want 6", len(AllSectors()))
	}
}

func newTestOrg() *Organization {
	return &Organization{
		ID: "org-1", Name: "სამოქალაქო ცენტრი", Sector: SectorCSO, Region: "Imereti", City: "Kutaisi",
		Lat: 42.27, Lon: 42.7, Country: "GE", TimeZone: "Asia/Tbilisi",
		Themes: []string{"youth-participation"}, Languages: []string{"ka", "en"},
		InternCapacity: 2, VisitorCapacity: 5,
		Availability: []Window{{Date{2026, 6, 1}, Date{2026, 8, 31}}},
		Blackouts:    []Date{{2026, 8, 28}},
		Email:        "info@example.ge",
	}
}

func TestOrganizationValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(o *Organization)
		fields []string
	}{
		{"good", func(*Organization) {}, nil},
		{"defaults left empty", func(o *Organization) { o.Country, o.TimeZone = "", "" }, nil},
		{"missing id", func(o *Organization) { o.ID = "" }, []string{"id"}},
		{"id with space", func(o *Organization) { o.ID = "org 1" }, []string{"id"}},
		{"id with separator", func(o *Organization) { o.ID = "a;b" }, []string{"id"}},
		{"missing name", func(o *Organization) { o.Name = "" }, []string{"name"}},
		{"bad sector", func(o *Organization) { o.Sector = "ngo" }, []string{"sector"}},
		{"missing sector", func(o *Organization) { o.Sector = "" }, []string{"sector"}},
		{"missing region", func(o *Organization) { o.Region = "" }, []string{"region"}},
		{"lat", func(o *Organization) { o.Lat = 91 }, []string{"lat"}},
		{"lon", func(o *Organization) { o.Lon = -180.5 }, []string{"lon"}},
		{"lon NaN", func(o *Organization) { o.Lon = math.NaN() }, []string{"lon"}},
		{"country lower", func(o *Organization) { o.Country = "ge" }, []string{"country"}},
		{"country long", func(o *Organization) { o.Country = "GEO" }, []string{"country"}},
		{"time zone", func(o *Organization) { o.TimeZone = "Tbilisi" }, []string{"timezone"}},
		{"time zone Local", func(o *Organization) { o.TimeZone = "Local" }, []string{"timezone"}},
		{"theme not slug", func(o *Organization) { o.Themes = []string{"ok", "Youth Work"} }, []string{"themes[1]"}},
		{"theme Georgian", func(o *Organization) { o.Themes = []string{"ახალგაზრდობა"} }, []string{"themes[0]"}},
		{"theme twice", func(o *Organization) { o.Themes = []string{"a", "a"} }, []string{"themes[1]"}},
		{"language", func(o *Organization) { o.Languages = []string{"ka", "geo", "EN"} }, []string{"languages[1]", "languages[2]"}},
		{"negative interns", func(o *Organization) { o.InternCapacity = -1 }, []string{"intern_capacity"}},
		{"negative visitors", func(o *Organization) { o.VisitorCapacity = -3 }, []string{"visitor_capacity"}},
		{"window order", func(o *Organization) {
			o.Availability = append(o.Availability, Window{Date{2026, 9, 2}, Date{2026, 9, 1}})
		}, []string{"availability[1]"}},
		{"blackout", func(o *Organization) { o.Blackouts = []Date{{2026, 2, 30}} }, []string{"blackout_dates[0]"}},
		{"email", func(o *Organization) { o.Email = "info" }, []string{"email"}},
		{"missing email", func(o *Organization) { o.Email = "" }, []string{"email"}},
		{"several", func(o *Organization) { o.Email, o.Lat, o.Sector = "", 100, "x" }, []string{"email", "lat", "sector"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newTestOrg()
			tt.edit(o)
			checkFields(t, o, tt.fields...)
			checkFields(t, *o, tt.fields...) // a value validates like a pointer
		})
	}
}

func TestOrganizationNormalize(t *testing.T) {
	t.Parallel()
	o := newTestOrg()
	o.Country, o.TimeZone = "", ""
	o.Themes = []string{"Youth Participation", "ახალგაზრდობა"}
	o.Languages = []string{" KA", "en"}
	o.Normalize()
	if o.Country != DefaultCountry || o.TimeZone != DefaultTimeZone {
		t.Errorf("Normalize left country %q, zone %q", o.Country, o.TimeZone)
	}
	if o.Themes[0] != "youth-participation" || o.Themes[1] != "ახალგაზრდობა" {
		t.Errorf("Normalize themes = %q", o.Themes)
	}
	if o.Languages[0] != "ka" {
		t.Errorf("Normalize languages = %q", o.Languages)
	}
	checkFields(t, o, "themes[1]")
}
