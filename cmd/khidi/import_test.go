package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store/storetest"
)

// asKhidi, set in a child's environment, makes the test binary run as the
// khidi command itself, so tests can start real khidi processes.
const asKhidi = "KHIDI_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asKhidi) == "1" {
		main()
	}
	os.Exit(pgtest.Main(m, storetest.Migrate))
}

// examples are the files the README shows, which every engine must import.
var examples = []string{
	"../../internal/importer/testdata/organizations.csv",
	"../../internal/importer/testdata/participants.csv",
	"../../internal/importer/testdata/communities.csv",
}

// engines gives each import test a fresh database on each engine.
var engines = storetest.Engines()

func TestImport(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			dsn := engine.DSN(t)
			ctx := t.Context()
			importOK := func(want string, args ...string) {
				t.Helper()
				code, out, errOut := runKhidi(t, append([]string{"import", "--db", dsn}, args...)...)
				if code != exitOK || !strings.HasPrefix(out, want) {
					t.Fatalf("khidi import %v: exit %d, stdout %q, stderr %q; want exit 0 and %q", args, code, out, errOut, want)
				}
			}

			// Nothing is written when any file has a problem, not even
			// the good file read before it.
			code, out, errOut := runKhidi(t, "import", "--db", dsn, "testdata/import/good-orgs.csv", "testdata/import/bad-participants.csv")
			if code != exitUsage || out != "" {
				t.Fatalf("import with bad rows: exit %d, stdout %q; want %d and nothing", code, out, exitUsage)
			}
			for _, want := range []string{
				"testdata/import/bad-participants.csv:3: ", `"email"`,
				"testdata/import/bad-participants.csv:4: ", `"o-9"`,
				"2 problems; nothing was written",
			} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			db := storetest.Open(t, dsn)
			if orgs, err := db.Organizations(ctx); err != nil || len(orgs) != 0 {
				t.Fatalf("after a failed import: %d organisations stored (%v), want none", len(orgs), err)
			}

			importOK("checked (nothing written) 1 organisation, 0 participants, 0 communities", "--dry-run", "testdata/import/good-orgs.csv")
			if orgs, err := db.Organizations(ctx); err != nil || len(orgs) != 0 {
				t.Fatalf("after --dry-run: %d organisations stored (%v), want none", len(orgs), err)
			}

			importOK("stored 4 organisations, 4 participants, 3 communities", examples...)
			importOK("stored 4 organisations, 4 participants, 3 communities", examples...) // idempotent
			ps, err := db.Participants(ctx)
			if err != nil || len(ps) != 4 {
				t.Fatalf("after importing twice: %d participants (%v), want 4", len(ps), err)
			}
			nino, err := db.Participant(ctx, "p-001")
			if err != nil {
				t.Fatal(err)
			}
			if nino.Name != "ნინო ბერიძე" || len(nino.Preferences) != 2 || nino.Preferences[1] != "org-kakheti-rdf" {
				t.Errorf("p-001 read back as %+v", nino)
			}

			// A changed row updates the stored record; a participant may
			// name an organisation stored by an earlier import.
			changed := filepath.Join(t.TempDir(), "participants.csv")
			body := "id,name,email,role,organization_id,region,city,lat,lon,themes,languages,experience_years,available_from,available_to,preferences\n" +
				"p-001,Nino Beridze,nino.beridze@example.ge,cso_member,org-zugdidi-media,Imereti,Kutaisi,42.2679,42.6946,environment,ka,2,,,org-warsaw-dialog\n"
			if err := os.WriteFile(changed, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			importOK("stored 0 organisations, 1 participant, 0 communities", changed)
			nino, err = db.Participant(ctx, "p-001")
			if err != nil {
				t.Fatal(err)
			}
			want := program.Participant{ID: "p-001", Name: "Nino Beridze", Email: "nino.beridze@example.ge", Role: program.RoleCSOMember,
				OrganizationID: "org-zugdidi-media", Region: "Imereti", City: "Kutaisi", Lat: 42.2679, Lon: 42.6946,
				Themes: []string{"environment"}, Languages: []string{"ka"}, ExperienceYears: 2, Preferences: []program.OrgID{"org-warsaw-dialog"}}
			if !reflect.DeepEqual(nino, want) {
				t.Errorf("p-001 after update:\n got %+v\nwant %+v", nino, want)
			}
		})
	}
}

func TestImportUsage(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "khidi.db")
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no file", []string{"import", "--db", dsn}, "expected at least one FILE"},
		{"bad kind", []string{"import", "--db", dsn, "--kind", "people", examples[0]}, "--kind"},
		{"missing file", []string{"import", "--db", dsn, "testdata/import/nothing.csv"}, "nothing.csv"},
		{"bad database", []string{"import", "--db", "mysql://u@h/db", examples[0]}, "unknown database form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runKhidi(t, tt.args...)
			if code == exitOK || out != "" || !strings.Contains(errOut, tt.wantErr) {
				t.Fatalf("khidi %v: exit %d, stdout %q, stderr %q; want a failure mentioning %q", tt.args, code, out, errOut, tt.wantErr)
			}
		})
	}
}
