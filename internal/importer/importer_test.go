package importer

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// wantOrganizations is what testdata/organizations.csv holds, written out
// by hand: defaults applied, the quoted name's CRLF read as one newline.
func wantOrganizations() []program.Organization {
	return []program.Organization{
		{
			ID: "org-tbilisi-cc", Name: "თბილისის სამოქალაქო ცენტრი\nTbilisi Civic Centre, Vake office",
			Sector: program.SectorCSO, Region: "Tbilisi", City: "Tbilisi", Lat: 41.7151, Lon: 44.8271,
			Country: "GE", TimeZone: "Asia/Tbilisi",
			Themes: []string{"civic-education", "youth-participation"}, Languages: []string{"ka", "en"},
			Experienced: true, InternCapacity: 3, VisitorCapacity: 5, Email: "info@civic-centre.example.ge",
		},
		{
			ID: "org-kakheti-rdf", Name: "Kakheti Rural Development Fund",
			Sector: program.SectorCSO, Region: "Kakheti", City: "Telavi", Lat: 41.9198, Lon: 45.4731,
			Country: "GE", TimeZone: "Asia/Tbilisi",
			Themes: []string{"rural-development", "environment"}, Languages: []string{"ka", "en"},
			Experienced: true, InternCapacity: 2, VisitorCapacity: 4, Email: "office@krdf.example.ge",
		},
		{
			ID: "org-zugdidi-media", Name: "ზუგდიდის მედია ცენტრი",
			Sector: program.SectorMedia, Region: "Samegrelo-Zemo Svaneti", City: "Zugdidi", Lat: 42.5088, Lon: 41.8709,
			Country: "GE", TimeZone: "Asia/Tbilisi",
			Themes: []string{"media-literacy"}, Languages: []string{"ka", "ru"},
			Experienced: false, InternCapacity: 1, VisitorCapacity: 2, Email: "newsroom@zmc.example.ge",
		},
		{
			ID: "org-warsaw-dialog", Name: "Fundacja Dialog Warszawa",
			Sector: program.SectorCSO, Region: "Mazowieckie", City: "Warsaw", Lat: 52.2297, Lon: 21.0122,
			Country: "PL", TimeZone: "Europe/Warsaw",
			Themes: []string{"youth-participation", "civic-education"}, Languages: []string{"pl", "en"},
			Experienced: true, InternCapacity: 2, VisitorCapacity: 6, Email: "kontakt@dialog.example.pl",
		},
	}
}

func wantParticipants() []program.Participant {
	return []program.Participant{
		{
			ID: "p-001", Name: "ნინო ბერიძე", Email: "nino.beridze@example.ge", Role: program.RoleActivist,
			Region: "Imereti", City: "Kutaisi", Lat: 42.2679, Lon: 42.6946,
			Themes: []string{"youth-participation", "environment"}, Languages: []string{"ka", "en"},
			ExperienceYears: 1, AvailableFrom: program.Date{Year: 2026, Month: 6, Day: 1}, AvailableTo: program.Date{Year: 2026, Month: 8, Day: 31},
			Preferences: []program.OrgID{"org-tbilisi-cc", "org-kakheti-rdf"},
		},
		{
			ID: "p-002", Name: "Giorgi Kapanadze", Email: "giorgi.kapanadze@example.ge", Role: program.RoleCSOMember,
			OrganizationID: "org-zugdidi-media", Region: "Samegrelo-Zemo Svaneti", City: "Zugdidi", Lat: 42.5088, Lon: 41.8709,
			Themes: []string{"media-literacy"}, Languages: []string{"ka", "ru"},
			ExperienceYears: 4, AvailableFrom: program.Date{Year: 2026, Month: 7, Day: 1},
			Preferences: []program.OrgID{"org-tbilisi-cc"},
		},
		{
			ID: "p-003", Name: "მარიამ გელაშვილი", Email: "mariam.gelashvili@example.ge", Role: program.RoleCSOLeader,
			OrganizationID: "org-kakheti-rdf", Region: "Kakheti", City: "Telavi", Lat: 41.9198, Lon: 45.4731,
			Themes: []string{"rural-development", "civic-education"}, Languages: []string{"ka", "en", "ru"},
			ExperienceYears: 9, Preferences: []program.OrgID{"org-warsaw-dialog"},
		},
		{
			ID: "p-004", Name: "Levan Tsiklauri", Email: "levan.tsiklauri@example.ge", Role: program.RoleTrainer,
			OrganizationID: "org-tbilisi-cc", Region: "Tbilisi", City: "Tbilisi", Lat: 41.7151, Lon: 44.8271,
			Themes: []string{"civic-education"}, Languages: []string{"ka", "en", "de"},
			ExperienceYears: 12, AvailableFrom: program.Date{Year: 2026, Month: 9, Day: 1}, AvailableTo: program.Date{Year: 2026, Month: 12, Day: 20},
		},
	}
}

func wantCommunities() []program.Community {
	return []program.Community{
		{ID: "c-ushguli", Name: "უშგული", Region: "Samegrelo-Zemo Svaneti", Lat: 42.9169, Lon: 43.0147,
			Needs: []string{"youth-participation", "media-literacy"}, VisitsPerYear: 4},
		{ID: "c-dedoplistskaro", Name: "Dedoplistskaro", Region: "Kakheti", Lat: 41.4647, Lon: 46.1036,
			Needs: []string{"rural-development", "environment"}, VisitsPerYear: 6},
		{ID: "c-tkibuli", Name: "Tkibuli", Region: "Imereti", Lat: 42.3507, Lon: 42.9983,
			Needs: []string{"civic-education"}, VisitsPerYear: 12},
	}
}

// mustReadFile returns a file under testdata.
func mustReadFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// errorLines returns each entry of an ErrorList as the CLI prints it, or
// fails the test if err is not an ErrorList wrapping ErrInvalid.
func errorLines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var l program.ErrorList
	if !errors.As(err, &l) || !errors.Is(err, program.ErrInvalid) {
		t.Fatalf("error %v (%T) is not a program.ErrorList wrapping ErrInvalid", err, err)
	}
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return lines
}

func TestReadExamples(t *testing.T) {
	t.Parallel()
	jsonOrgs := wantOrganizations()
	// Only JSON can give availability windows and blackout dates.
	jsonOrgs[1].Availability = []program.Window{
		{From: program.Date{Year: 2026, Month: 6, Day: 1}, To: program.Date{Year: 2026, Month: 7, Day: 31}},
		{From: program.Date{Year: 2026, Month: 9, Day: 15}, To: program.Date{Year: 2026, Month: 11, Day: 30}},
	}
	jsonOrgs[1].Blackouts = []program.Date{{Year: 2026, Month: 7, Day: 15}}
	tests := []struct {
		name  string
		files []string
		kind  Kind
		want  Set
	}{
		{"organizations.csv (BOM, CRLF, quoted comma and newline)", []string{"organizations.csv"}, "", Set{Organizations: wantOrganizations()}},
		{"participants.csv", []string{"participants.csv"}, "", Set{Participants: wantParticipants()}},
		{"communities.csv", []string{"communities.csv"}, "", Set{Communities: wantCommunities()}},
		{"kind given", []string{"communities.csv"}, Communities, Set{Communities: wantCommunities()}},
		{"all CSV", []string{"organizations.csv", "participants.csv", "communities.csv"}, "",
			Set{Organizations: wantOrganizations(), Participants: wantParticipants(), Communities: wantCommunities()}},
		{"example.json", []string{"example.json"}, "",
			Set{Organizations: jsonOrgs, Participants: wantParticipants(), Communities: wantCommunities()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s Set
			for _, name := range tt.files {
				if err := s.Read(name, bytes.NewReader(mustReadFile(t, name)), tt.kind); err != nil {
					t.Fatalf("Read(%s) = %v, want nil; all errors:\n%s", name, err, strings.Join(errorLines(t, err), "\n"))
				}
			}
			checkRecords(t, &s, &tt.want)
			if err := s.CheckReferences(nil); len(tt.want.Organizations) > 0 && err != nil {
				t.Errorf("CheckReferences(nil) = %v, want nil", err)
			}
		})
	}
}

func checkRecords(t *testing.T, got, want *Set) {
	t.Helper()
	if !reflect.DeepEqual(got.Organizations, want.Organizations) {
		t.Errorf("Organizations =\n%+v\nwant\n%+v", got.Organizations, want.Organizations)
	}
	if !reflect.DeepEqual(got.Participants, want.Participants) {
		t.Errorf("Participants =\n%+v\nwant\n%+v", got.Participants, want.Participants)
	}
	if !reflect.DeepEqual(got.Communities, want.Communities) {
		t.Errorf("Communities =\n%+v\nwant\n%+v", got.Communities, want.Communities)
	}
}

// TestPosition checks where records are said to start, including after a
// quoted cell that spans two lines.
func TestPosition(t *testing.T) {
	t.Parallel()
	var s Set
	for _, name := range []string{"organizations.csv", "example.json"} {
		_ = s.Read(name, bytes.NewReader(mustReadFile(t, name)), "")
	}
	tests := []struct {
		kind Kind
		id   string
		want Position
		ok   bool
	}{
		{Organizations, "org-tbilisi-cc", Position{"organizations.csv", 2}, true},
		{Organizations, "org-kakheti-rdf", Position{"organizations.csv", 4}, true},
		{Organizations, "org-warsaw-dialog", Position{"organizations.csv", 6}, true},
		{Participants, "p-001", Position{"example.json", 72}, true},
		{Communities, "c-tkibuli", Position{"example.json", 155}, true},
		{Participants, "p-999", Position{}, false},
	}
	for _, tt := range tests {
		if got, ok := s.Position(tt.kind, tt.id); got != tt.want || ok != tt.ok {
			t.Errorf("Position(%s, %s) = %v, %v; want %v, %v", tt.kind, tt.id, got, ok, tt.want, tt.ok)
		}
	}
}

// TestColumnsMatchJSONTags keeps the hand-written column tables equal to
// the json tags of the records, so a field added to a record cannot be
// forgotten here. The tables follow the documented CSV order, not the
// structs', so the names are compared sorted.
func TestColumnsMatchJSONTags(t *testing.T) {
	t.Parallel()
	check := func(ki *kindInfo, typ reflect.Type) {
		var tags, cols []string
		for f := range typ.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			tags = append(tags, tag)
		}
		for _, c := range ki.columns {
			cols = append(cols, c.name)
		}
		slices.Sort(tags)
		slices.Sort(cols)
		if !slices.Equal(tags, cols) {
			t.Errorf("%s columns = %v, want the json tags %v", ki.kind, cols, tags)
		}
	}
	check(orgSpec.info(), reflect.TypeFor[program.Organization]())
	check(participantSpec.info(), reflect.TypeFor[program.Participant]())
	check(communitySpec.info(), reflect.TypeFor[program.Community]())

	// Every column's field pointer must point at the field of that name,
	// and be of a type setCell and decodeField know.
	checkFields(t, orgSpec)
	checkFields(t, participantSpec)
	checkFields(t, communitySpec)
}

func checkFields[T any](t *testing.T, sp *spec[T]) {
	t.Helper()
	var rec T
	v := reflect.ValueOf(&rec).Elem()
	for _, c := range sp.columns {
		p := reflect.ValueOf(c.field(&rec))
		found := false
		for i := range v.NumField() {
			tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if tag == c.name && v.Field(i).Addr().Pointer() == p.Pointer() && v.Field(i).Addr().Type() == p.Type() {
				found = true
			}
		}
		if !found {
			t.Errorf("%s column %q: field pointer %T does not point at the field tagged %q", sp.kind, c.name, c.field(&rec), c.name)
		}
		var l program.ErrorList
		decodeField(&l, c.name, c.field(&rec), []byte("null")) // panics on an unknown type
		if !c.jsonOnly {
			setCell(c.field(&rec), "")
		}
	}
}

func TestParseKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Kind
		ok   bool
	}{
		{"organizations", Organizations, true},
		{" Participants ", Participants, true},
		{"COMMUNITIES", Communities, true},
		{"organisation", Organizations, true},
		{"organisations", Organizations, true},
		{"participant", Participants, true},
		{"community", Communities, true},
		{"", "", false},
		{"hosts", "", false},
	}
	for _, tt := range tests {
		got, err := ParseKind(tt.in)
		if got != tt.want || (err == nil) != tt.ok || err != nil && !errors.Is(err, program.ErrInvalid) {
			t.Errorf("ParseKind(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
