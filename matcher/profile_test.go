package matcher

import (
	"math"
	"reflect"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

// TestParticipantProfile checks the mapping of a participant: experience
// min(years/10, 1), one availability window or none, preferences and
// organisation as strings.
func TestParticipantProfile(t *testing.T) {
	from, _ := program.ParseDate("2027-06-01")
	to, _ := program.ParseDate("2027-08-31")
	p := program.Participant{
		ID: "p-001", Region: "Imereti", Lat: 42.2679, Lon: 42.6946,
		Themes: []string{"youth-participation"}, Languages: []string{"ka", "en"},
		ExperienceYears: 4, AvailableFrom: from, AvailableTo: to,
		OrganizationID: "org-kutaisi", Preferences: []program.OrgID{"org-b", "org-a"},
	}
	want := Profile{
		ID: "p-001", Region: "Imereti", Lat: 42.2679, Lon: 42.6946,
		Themes: []string{"youth-participation"}, Languages: []string{"ka", "en"},
		Windows:    []program.Window{{From: from, To: to}},
		Experience: 0.4, Organization: "org-kutaisi", Preferences: []string{"org-b", "org-a"},
	}
	if got := ParticipantProfile(p); !reflect.DeepEqual(got, want) {
		t.Errorf("ParticipantProfile = %+v\nwant %+v", got, want)
	}

	for _, tt := range []struct {
		years int
		want  float64
	}{{0, 0}, {1, 0.1}, {10, 1}, {35, 1}} {
		if got := ParticipantProfile(program.Participant{ExperienceYears: tt.years}).Experience; !scoreNear(got, tt.want) {
			t.Errorf("%d years: experience %v, want %v", tt.years, got, tt.want)
		}
	}

	open := ParticipantProfile(program.Participant{})
	if open.Windows != nil {
		t.Errorf("no dates: windows %v, want none (always available)", open.Windows)
	}
	half := ParticipantProfile(program.Participant{AvailableFrom: from})
	if want := []program.Window{{From: from}}; !reflect.DeepEqual(half.Windows, want) {
		t.Errorf("only a start: windows %v, want %v", half.Windows, want)
	}
}

// TestOrganizationProfile checks the mapping of an organisation: the
// experienced flag as 1 or 0.3, availability windows as given, no
// organisation of its own.
func TestOrganizationProfile(t *testing.T) {
	from, _ := program.ParseDate("2027-03-01")
	to, _ := program.ParseDate("2027-05-31")
	o := program.Organization{
		ID: "org-a", Region: "Tbilisi", Lat: 41.7, Lon: 44.8, Themes: []string{"media-literacy"},
		Languages: []string{"ka", "ru"}, Experienced: true, Availability: []program.Window{{From: from, To: to}},
		Blackouts: []program.Date{from},
	}
	want := Profile{
		ID: "org-a", Region: "Tbilisi", Lat: 41.7, Lon: 44.8, Themes: []string{"media-literacy"},
		Languages: []string{"ka", "ru"}, Windows: []program.Window{{From: from, To: to}}, Experience: 1,
	}
	if got := OrganizationProfile(o); !reflect.DeepEqual(got, want) {
		t.Errorf("OrganizationProfile = %+v\nwant %+v", got, want)
	}
	o.Experienced = false
	if got := OrganizationProfile(o).Experience; got != 0.3 {
		t.Errorf("inexperienced organisation: experience %v, want 0.3", got)
	}
}

// TestCommunityProfile checks that a community's needs are its themes and
// that it sets no language or availability condition.
func TestCommunityProfile(t *testing.T) {
	c := program.Community{ID: "c-ushguli", Region: "Samegrelo-Zemo Svaneti", Lat: 42.9169, Lon: 43.0147, Needs: []string{"media-literacy"}, VisitsPerYear: 4}
	want := Profile{ID: "c-ushguli", Region: "Samegrelo-Zemo Svaneti", Lat: 42.9169, Lon: 43.0147, Themes: []string{"media-literacy"}}
	if got := CommunityProfile(c); !reflect.DeepEqual(got, want) {
		t.Errorf("CommunityProfile = %+v\nwant %+v", got, want)
	}
}

func TestDistanceKm(t *testing.T) {
	degree := 2 * math.Pi * EarthRadiusKm / 360 // one degree of a great circle
	for _, tt := range []struct {
		lat1, lon1, lat2, lon2, want float64
	}{
		{41, 44, 42, 44, degree},         // along a meridian
		{0, 10, 0, 13, 3 * degree},       // along the equator
		{0, 0, 0, 180, 180 * degree},     // antipodes
		{41.7, 44.8, 41.7, 44.8, 0},      // the same place
		{-33.9, 151.2, -33.9, 151.2, 0},  // again, south and east
		{89.5, 0, 89.5, 180, 1 * degree}, // across the pole
	} {
		if got := DistanceKm(tt.lat1, tt.lon1, tt.lat2, tt.lon2); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("DistanceKm(%v, %v, %v, %v) = %.9f km, want %.9f", tt.lat1, tt.lon1, tt.lat2, tt.lon2, got, tt.want)
		}
	}
}
