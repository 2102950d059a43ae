package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

// Headers of valid files, for building small inputs.
const (
	orgHeader         = "id,name,sector,region,city,lat,lon,themes,languages,experienced,intern_capacity,visitor_capacity,email"
	participantHeader = "id,name,email,role,organization_id,region,city,lat,lon,themes,languages,experience_years,available_from,available_to,preferences"
	communityHeader   = "id,name,region,lat,lon,needs,visits_per_year"
)

func TestReadErrors(t *testing.T) {
	t.Parallel()
	const expectedCommunities = "communities files have the columns id, name, region, lat, lon, needs, visits_per_year"
	tests := []struct {
		name string
		file string
		kind Kind
		in   string
		want []string
	}{
		// The header.
		{"duplicate column", "c.csv", "", "id,name,region,lat,lon,needs,visits_per_year,lat\nc-1,A,Kakheti,41,45,,1,41\n", []string{
			`c.csv:1: field "lat": is column 4 and again column 8; delete one of them`,
		}},
		{"unknown column, rows still checked", "c.csv", "", communityHeader + ",notes\nc-1,A,Kakheti,41,45,,x,hi\n", []string{
			`c.csv:1: field "notes": is not a column of communities; delete or rename it; ` + expectedCommunities,
			`c.csv:2: id "c-1": field "visits_per_year": "x" is not a whole number; write a whole number, such as 3`,
		}},
		{"column in capitals", "c.csv", "", "id,name,region,Lat,lon,needs,visits_per_year\nc-1,A,Kakheti,41,45,,1\n", []string{
			`c.csv:1: the header matches no kind of records; it is closest to communities; fix the columns named in the other messages, or pass --kind; the rows were not checked`,
			`c.csv:1: field "Lat": is not a column of communities; column names are lower-case: write "lat"`,
		}},
		{"column in capitals, kind given", "c.csv", Communities, "id,name,region,Lat,lon,needs,visits_per_year\nc-1,A,Kakheti,41,45,,x\n", []string{
			`c.csv:1: field "Lat": is not a column of communities; column names are lower-case: write "lat"`,
			`c.csv:2: id "c-1": field "visits_per_year": "x" is not a whole number; write a whole number, such as 3`,
		}},
		{"missing column", "c.csv", "", "id,name,region,lat,lon,needs\nc-1,A,Kakheti,41,45,\n", []string{
			`c.csv:1: the header matches no kind of records; it is closest to communities; fix the columns named in the other messages, or pass --kind; the rows were not checked`,
			`c.csv:1: field "visits_per_year": column is missing; add it; ` + expectedCommunities,
		}},
		{"missing column, kind given", "c.csv", Communities, "id,name,region,lat,lon,needs\nc-1,A,Kakheti,41,45,\n", []string{
			`c.csv:1: field "visits_per_year": column is missing; add it; ` + expectedCommunities,
		}},
		{"kind given does not fit", "c.csv", Participants, communityHeader + "\n", []string{
			`c.csv:1: field "available_from": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "available_to": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "city": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "email": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "experience_years": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "languages": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "needs": is not a column of participants; delete or rename it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "organization_id": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "preferences": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "role": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "themes": column is missing; add it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
			`c.csv:1: field "visits_per_year": is not a column of participants; delete or rename it; participants files have the columns id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences`,
		}},
		{"column without a name", "c.csv", "", communityHeader + ",\nc-1,A,Kakheti,41,45,,1,\n", []string{
			`c.csv:1: column 8 has no name; name it or delete the column; ` + expectedCommunities,
		}},
		{"JSON-only column", "o.csv", "", orgHeader + ",availability\n", []string{
			`o.csv:1: field "availability": is not a CSV column; availability windows and blackout dates can only be given in JSON; delete the column`,
		}},
		{"semicolons between cells", "c.csv", "", "id;name;region;lat;lon;needs;visits_per_year\nc-1;A;Kakheti;41;45;;1\n", []string{
			`c.csv:1: the header is a single column holding ';': the cells are not separated by commas; export the sheet as CSV with commas between cells (in LibreOffice choose the field delimiter ','; in Excel save as CSV UTF-8 (Comma delimited))`,
		}},
		{"two kinds in one header", "x.csv", "", orgHeader + ",needs,visits_per_year\n", []string{
			`x.csv:1: the header has the columns of both organizations and communities; keep one kind of records per file, or pass --kind; the rows were not checked`,
		}},
		{"no header", "c.csv", "", "c-1,A,Kakheti,41,45,,1\n", []string{
			`c.csv:1: the header names none of the expected columns, so the kind of records cannot be told; the first row must name the columns; organizations files have id, name, sector, region, city, lat, lon, themes, languages, experienced, intern_capacity, visitor_capacity, email, timezone, country; participants files have id, name, email, role, organization_id, region, city, lat, lon, themes, languages, experience_years, available_from, available_to, preferences; communities files have id, name, region, lat, lon, needs, visits_per_year`,
		}},
		{"empty", "c.csv", "", "", []string{
			`c.csv:1: the file is empty; export the sheet with its header row, the names of the columns`,
		}},
		{"byte-order mark and blank lines only", "c.csv", "", "\ufeff\r\n\r\n", []string{
			`c.csv:1: the file is empty; export the sheet with its header row, the names of the columns`,
		}},
		{"UTF-16", "c.csv", "", "\xff\xfei\x00d\x00", []string{
			`c.csv:1: the file is UTF-16 text; ` + hintUTF8,
		}},

		// Cells.
		{"decimal comma", "c.csv", "", communityHeader + "\nc-1,A,Kakheti,\"41,7\",45,,1\n", []string{
			`c.csv:2: id "c-1": field "lat": "41,7" is not a number; use a dot as the decimal separator: 41.7`,
		}},
		{"empty numbers", "c.csv", "", communityHeader + "\nc-2,B,Kakheti,,45,,\n", []string{
			`c.csv:2: id "c-2": field "lat": is missing; write decimal degrees with a dot, such as 41.7151`,
			`c.csv:2: id "c-2": field "visits_per_year": is missing; write a whole number, 0 if there is none`,
		}},
		{"not numbers", "c.csv", "", communityHeader + "\nc-3,C,Imereti,abc,NaN,x;;y,2.5\n", []string{
			`c.csv:2: id "c-3": field "lat": "abc" is not a number; write decimal degrees with a dot, such as 41.7151`,
			`c.csv:2: id "c-3": field "lon": "NaN" is not a number; write decimal degrees with a dot, such as 41.7151`,
			`c.csv:2: id "c-3": field "visits_per_year": "2.5" is not a whole number; write a whole number, such as 3`,
		}},
		{"out of range and Georgian theme", "c.csv", "", communityHeader + "\nc-4,D,Imereti,91,45,განათლება,60\n", []string{
			`c.csv:2: id "c-4": field "lat": 91 is not a latitude between -90 and 90; fix the cell or remove the row`,
			`c.csv:2: id "c-4": field "needs[0]": "განათლება" is not a theme: 'გ' is not an English letter, digit, space, '-' or '_'; use English words, digits and '-'`,
			`c.csv:2: id "c-4": field "visits_per_year": 60 is more than 52; fix the cell or remove the row`,
		}},
		{"empty id and name", "c.csv", "", communityHeader + "\n , ,Imereti,42,43,,1\n", []string{
			`c.csv:2: field "id": is missing; fill in the cell`,
			`c.csv:2: field "name": is missing; fill in the cell`,
		}},
		{"participant cells", "p.csv", "", participantHeader + "\np-1,N,x@,boss,,Imereti,Kutaisi,42,42,,english,1,15/03/2026,2026-02-30,a;a\n", []string{
			`p.csv:2: id "p-1": field "available_from": "15/03/2026" is not a date; write the date as YYYY-MM-DD, such as 2026-06-01 (format the column as text so the spreadsheet exports it as written)`,
			`p.csv:2: id "p-1": field "available_to": "2026-02-30" is not a day of the calendar; check the month and the day`,
			`p.csv:2: id "p-1": field "email": "x@" is not an address; fix the cell or remove the row`,
			`p.csv:2: id "p-1": field "languages[0]": "english" is not an ISO 639-1 language code; use two lower-case letters, such as ka or en`,
			`p.csv:2: id "p-1": field "preferences": names "a" twice; list each organisation once, best first`,
			`p.csv:2: id "p-1": field "role": "boss" is not one of activist, cso_member, cso_leader, trainer, expert; fix the cell or remove the row`,
		}},
		{"availability reversed", "p.csv", "", participantHeader + "\np-1,N,n@example.ge,expert,,Imereti,Kutaisi,42,42,,,1,2026-09-01,2026-06-01,\n", []string{
			`p.csv:2: id "p-1": field "available_to": is before available_from (2026-09-01); swap the dates`,
		}},
		{"organisation cells", "o.csv", "", orgHeader + ",timezone,country\no-1,N,cso,Imereti,Kutaisi,42,42,,,maybe,1,,a@b.ge,Tbilisi,Georgia\no-2,N,CSO,Imereti,Kutaisi,42,42,,,YES,1,1,a@b.ge,,\n", []string{
			`o.csv:2: id "o-1": field "country": "Georgia" is not a two-letter ISO 3166-1 code; write it like GE, in capitals`,
			`o.csv:2: id "o-1": field "experienced": "maybe" is not true or false; write true or false (yes/no and 1/0 are read too)`,
			`o.csv:2: id "o-1": field "timezone": "Tbilisi" is not a known time zone; use an IANA name such as Asia/Tbilisi`,
			`o.csv:2: id "o-1": field "visitor_capacity": is missing; write a whole number, 0 if there is none`,
			`o.csv:3: id "o-2": field "sector": "CSO" is not one of cso, government, private, media, academia, international; fix the cell or remove the row`,
		}},
		{"not UTF-8", "c.csv", "", communityHeader + "\nc-1,Tkibuli\xe1,Imereti,42,43,,1\n", []string{
			`c.csv:2: id "c-1": field "name": is not UTF-8 text; ` + hintUTF8,
		}},
		{"cell after a two-line cell", "c.csv", "", communityHeader + "\nc-1,\"Upper\nSvaneti\",Svaneti,43,42,,x\nc-2,B,Kakheti,41,45,,1,9\n", []string{
			`c.csv:3: id "c-1": field "visits_per_year": "x" is not a whole number; write a whole number, such as 3`,
			`c.csv:4: id "c-2": the row has 8 cells, the header 7; check for a missing comma, or a cell holding a comma that is not in quotes; the row was skipped`,
		}},

		// Rows encoding/csv cannot split.
		{"quotes", "c.csv", "", communityHeader + "\nc-1,A \"x\",Kakheti,41,45,,1\nc-2,\"B\"x,Kakheti,41,45,,1\nc-3,C,Kakheti,41,45,,x\nc-4,\"D,Kakheti,41,45,,1\nc-5,E,Kakheti,41,45,,1\n", []string{
			`c.csv:2: a quote (") inside a cell that does not start with one; write the cell in quotes and double the quote inside it, as in "the ""Kakheti"" group"; the row was skipped`,
			`c.csv:3: a quoted cell has text after its closing quote, or a quote in it is not doubled; write a quote inside a quoted cell as "", as in "the ""Kakheti"" group"; the row was skipped`,
			`c.csv:4: id "c-3": field "visits_per_year": "x" is not a whole number; write a whole number, such as 3`,
			`c.csv:5: a quoted cell starting on this line has no closing quote, or a quote in it is not doubled (found at line 6); close the quote, and write a quote inside a quoted cell as ""; the lines in between were skipped`,
		}},

		// JSON.
		{"JSON unknown fields", "x.json", "", "{\"communities\": [\n {\"id\": \"c-1\", \"name\": \"A\", \"region\": \"K\", \"lat\": 41, \"lon\": 45,\n  \"Needs\": [], \"visits\": 3, \"visits_per_year\": 1}\n]}", []string{
			`x.json:3: id "c-1": field "Needs": is not a field of communities; field names are lower-case: write "needs"`,
			`x.json:3: id "c-1": field "visits": is not a field of communities; delete it; communities records have the fields id, name, region, lat, lon, needs, visits_per_year`,
		}},
		{"JSON types", "x.json", "", "{\"communities\": [\n {\"id\": \"c-1\", \"name\": \"A\", \"region\": \"K\", \"lat\": \"41.7\", \"lon\": 45,\n  \"needs\": \"a;b\", \"visits_per_year\": 2.5},\n {\"id\": 7, \"name\": \"B\", \"region\": \"K\", \"lat\": 1e999, \"lon\": null, \"needs\": [\"x\", 5], \"visits_per_year\": 0}\n]}", []string{
			`x.json:2: id "c-1": field "lat": is a string, not a number; write it as a number without quotes, such as 41.7151`,
			`x.json:3: id "c-1": field "needs": is a string, not a list of strings; write it as a list such as ["youth-participation", "environment"]`,
			`x.json:3: id "c-1": field "visits_per_year": 2.5 is not a whole number; write it as a whole number without quotes, such as 3`,
			`x.json:4: field "id": is a number, not a string; write it as text in double quotes, such as "Kakheti"`,
			`x.json:4: field "lat": 1e999 is not a number; write it as a number without quotes, such as 41.7151`,
			`x.json:4: field "lon": is missing; write decimal degrees with a dot, such as 41.7151`,
			`x.json:4: field "needs": has an item that is a number, not a string; write it as a list such as ["youth-participation", "environment"]`,
		}},
		{"JSON field twice", "x.json", "", `{"communities": [{"id": "c-1", "id": "c-2", "name": "A", "region": "K", "lat": 41, "lon": 45, "visits_per_year": 1}]}`, []string{
			`x.json:1: id "c-1": field "id": is given twice in the record; keep one`,
		}},
		{"JSON windows and dates", "x.json", "", "{\"organizations\": [{\"id\": \"o-1\", \"name\": \"N\", \"sector\": \"cso\", \"region\": \"Imereti\", \"lat\": 42, \"lon\": 42,\n \"experienced\": false, \"intern_capacity\": 1, \"visitor_capacity\": 0, \"email\": \"a@b.ge\",\n \"availability\": [{\"from\": \"2026-01-01\", \"till\": \"2026-02-01\"}],\n \"blackout_dates\": [\"2026-13-01\", \"soon\"]},\n {\"id\": \"o-2\", \"name\": \"N\", \"sector\": \"cso\", \"region\": \"Imereti\", \"lat\": 42, \"lon\": 42, \"experienced\": false, \"intern_capacity\": 1, \"visitor_capacity\": 0, \"email\": \"a@b.ge\",\n \"availability\": [{\"from\": 5}, {\"from\": \"2026-09-01\", \"to\": \"2026-06-01\"}]}]}", []string{
			`x.json:3: id "o-1": field "availability": has a window with unknown field "till"; write it as a list such as [{"from": "2026-06-01", "to": "2026-08-31"}]`,
			`x.json:4: id "o-1": field "blackout_dates[0]": "2026-13-01" is not a day of the calendar; check the month and the day`,
			`x.json:4: id "o-1": field "blackout_dates[1]": "soon" is not a date; write the date as YYYY-MM-DD, such as 2026-06-01`,
			`x.json:6: id "o-2": field "availability": has a window whose "from" is a number, not a date string; write it as a list such as [{"from": "2026-06-01", "to": "2026-08-31"}]`,
		}},
		{"JSON window reversed", "x.json", "", `{"organizations": [{"id": "o-1", "name": "N", "sector": "cso", "region": "Imereti", "lat": 42, "lon": 42, "experienced": false, "intern_capacity": 1, "visitor_capacity": 0, "email": "a@b.ge", "availability": [{"from": "2026-09-01", "to": "2026-06-01"}]}]}`, []string{
			`x.json:1: id "o-1": field "availability[0]": ends (2026-06-01) before it starts (2026-09-01); swap the dates`,
		}},
		{"JSON missing comma", "x.json", "", "{\"communities\": [\n {\"id\": \"c-1\", \"name\": \"A\", \"region\": \"K\", \"lat\": 41, \"lon\": 45, \"visits_per_year\": 1}\n {\"id\": \"c-2\"}\n]}", []string{
			`x.json:3: the JSON is malformed: invalid character '{' after array element; check for a missing comma, quote or bracket on this line or the one before; nothing after it was read`,
		}},
		{"JSON bad value", "x.json", "", "{\"communities\": [\n {\"id\": \"c-1\",\n  \"name\": Tkibuli}\n]}", []string{
			`x.json:3: the JSON is malformed: invalid character 'T' looking for beginning of value; check for a missing comma, quote or bracket on this line or the one before; nothing after it was read`,
		}},
		{"JSON newline in a string", "x.json", "", "{\"communities\": [\n {\"id\": \"c-1\",\n  \"name\": \"Upper\nSvaneti\"}\n]}", []string{
			`x.json:3: the JSON is malformed: invalid character '\n' in string literal; check for a missing comma, quote or bracket on this line or the one before; nothing after it was read`,
		}},
		{"JSON cut short", "x.json", "", "{\"communities\": [\n {\"id\": \"c-1\", \"name\": \"A\", \"region\": \"K\", \"lat\": 41, \"lon\": 45, \"visits_per_year\": 1},\n\n", []string{
			`x.json:2: the file ends in the middle of the JSON; check for a missing ] or } at the end, or a string that is not closed`,
		}},
		{"JSON bare list", "x.json", "", "\n[\n{}]", []string{
			`x.json:2: the file is a bare list of records, so what they are cannot be told; pass --kind, or wrap the list in an object: {"participants": [...]}`,
		}},
		{"JSON bare list, kind given", "x.json", Communities, "[\n{\"id\": \"c-1\", \"name\": \"A\", \"region\": \"K\", \"lat\": 41, \"lon\": 45, \"visits_per_year\": 1}, 5,\n null, [1, {\"a\": []}], {\"id\": \"c-2\", \"name\": \"B\", \"region\": \"K\", \"lat\": 41, \"lon\": 45, \"visits_per_year\": -1}]", []string{
			`x.json:2: a record is a number, not an object; write each record as {"id": "...", ...}`,
			`x.json:3: a record is a list, not an object; write each record as {"id": "...", ...}`,
			`x.json:3: a record is null, not an object; write each record as {"id": "...", ...}`,
			`x.json:3: id "c-2": field "visits_per_year": -1 is less than 0; fix the cell or remove the row`,
		}},
		{"JSON string", "x.json", "", `"hello"`, []string{
			`x.json:1: the file holds a string, not an object or a list of records; write {"participants": [...]} with the records in the list`,
		}},
		{"JSON empty", "x.json", "", " \n", []string{
			`x.json:1: the file is empty; write {"participants": [...]} with the records in the list`,
		}},
		{"JSON top-level keys", "x.json", Participants, "{\"Communities\": [],\n \"orgs\": [1],\n \"communities\": [],\n \"participants\": {\"id\": \"p-1\"}}", []string{
			`x.json:1: unknown key "Communities"; its value was not read; keys are lower-case: write "communities"`,
			`x.json:2: unknown key "orgs"; its value was not read; the keys are "organizations", "participants" and "communities"`,
			`x.json:3: holds communities but the file was read as participants; its value was not read; leave out --kind, or put the communities in a file of their own`,
			`x.json:4: participants is an object, not a list of records; write "participants": [{...}, {...}]`,
		}},
		{"JSON second value", "x.json", "", "{}\n{}", []string{
			`x.json:2: more JSON (an object) follows the end of the file's value; put everything in one object, or delete what follows`,
		}},
		{"JSON junk after the value", "x.json", "", "{}\n\n  x", []string{
			`x.json:3: the JSON is malformed after the end of the file's value; put everything in one object, or delete what follows`,
		}},
		{"JSON not UTF-8", "x.json", "", "{\n\"communities\": [{\"id\": \"c-1\", \"name\": \"Tkibuli\xe1\", \"region\": \"K\", \"lat\": 41, \"lon\": 45, \"visits_per_year\": 1}]}", []string{
			`x.json:2: the file is not UTF-8 text; ` + hintUTF8,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s Set
			err := s.Read(tt.file, strings.NewReader(tt.in), tt.kind)
			if got := errorLines(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("Read(%s, %q) errors:\n%s\nwant:\n%s", tt.file, tt.in, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestReadGolden reads whole files with many problems and compares every
// message, in order, with a golden file (go test -update rewrites it).
func TestReadGolden(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"participants.csv", "example.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var s Set
			err := s.Read(name, bytes.NewReader(mustReadFile(t, filepath.Join("errors", name))), "")
			got := strings.Join(errorLines(t, err), "\n") + "\n"
			golden := filepath.Join("testdata", "errors", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("Read(%s) errors:\n%s\nwant (%s):\n%s", name, got, golden, want)
			}
		})
	}
}

// TestBlankRows checks that the empty rows spreadsheets export, as lines of
// commas or of nothing, are skipped wherever they are.
func TestBlankRows(t *testing.T) {
	t.Parallel()
	in := "\n" + communityHeader + "\r\n,,,,,,\r\n" +
		"c-tkibuli,Tkibuli,Imereti,42.3507,42.9983,civic-education,12\r\n" +
		"   ,  ,,\r\n\r\n,,,,,,\r\n,,,,,,\r\n"
	var s Set
	if err := s.Read("communities.csv", strings.NewReader(in), ""); err != nil {
		t.Fatalf("Read = %v, want nil", err)
	}
	want := []program.Community{wantCommunities()[2]}
	checkRecords(t, &s, &Set{Communities: want})
	if p, _ := s.Position(Communities, "c-tkibuli"); p.Line != 4 {
		t.Errorf("Position(c-tkibuli) = %v, want line 4", p)
	}
}

// TestReadAcceptsVariants checks spellings spreadsheets and people produce
// that mean the same record.
func TestReadAcceptsVariants(t *testing.T) {
	t.Parallel()
	want := []program.Organization{{
		ID: "org-1", Name: "Kutaisi Youth Hub", Sector: program.SectorCSO, Region: "Imereti", Lat: 42.2679, Lon: 42.6946,
		Country: "GE", TimeZone: "Asia/Tbilisi", Themes: []string{"youth-participation", "environment"},
		Languages: []string{"ka", "en"}, Experienced: true, InternCapacity: 2, VisitorCapacity: 0, Email: "hub@example.ge",
	}}
	tests := []struct {
		name, file, in string
	}{
		{"canonical", "o.csv", orgHeader + "\norg-1,Kutaisi Youth Hub,cso,Imereti,,42.2679,42.6946,youth-participation;environment,ka;en,true,2,0,hub@example.ge\n"},
		{"spaces, case and empty items", "o.csv", " email , visitor_capacity,intern_capacity,experienced,languages,themes,lon,lat,city,region,sector,name,id \n" +
			" hub@example.ge ,0, 2 , Yes ,KA; en;, Youth Participation ;; environment , 42.6946,42.2679, , Imereti ,cso,  Kutaisi Youth Hub ,org-1\n"},
		{"1 for true, empty optional columns", "o.csv", orgHeader + ",timezone,country\norg-1,Kutaisi Youth Hub,cso,Imereti,,42.2679,42.6946,youth-participation;environment,ka;en,1,2,0,hub@example.ge,,\n"},
		{"JSON with spaces and nulls", "o.json", `{"organizations": [{"id": " org-1 ", "name": "Kutaisi Youth Hub", "sector": "cso", "region": "Imereti", "city": null,
			"lat": 42.2679, "lon": 42.6946, "themes": ["Youth Participation", "", "environment"], "languages": ["KA", " en"],
			"experienced": true, "intern_capacity": 2, "visitor_capacity": 0, "email": "hub@example.ge", "timezone": "", "country": null,
			"availability": [], "blackout_dates": []}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s Set
			if err := s.Read(tt.file, strings.NewReader(tt.in), ""); err != nil {
				t.Fatalf("Read(%q) = %v, want nil", tt.in, err)
			}
			checkRecords(t, &s, &Set{Organizations: want})
		})
	}
}

// TestFormatChoice checks that the extension, in any case, chooses the
// format, and that other names are sniffed.
func TestFormatChoice(t *testing.T) {
	t.Parallel()
	csvData, jsonData := mustReadFile(t, "communities.csv"), mustReadFile(t, "example.json")
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"COMMUNITIES.CSV", csvData, true},
		{"Example.Json", jsonData, true},
		{"-", csvData, true},
		{"-", append([]byte("\ufeff \r\n\t"), jsonData...), true},
		{"export.txt", jsonData, true},
		{"communities.json", csvData, false}, // the extension wins
		{"example.csv", jsonData, false},
	}
	for _, tt := range tests {
		var s Set
		err := s.Read(tt.name, bytes.NewReader(tt.data), "")
		if (err == nil) != tt.ok || len(s.Communities) != 3 && tt.ok {
			t.Errorf("Read(%s) = %v with %d communities, want ok %v", tt.name, err, len(s.Communities), tt.ok)
		}
	}
}

// TestDuplicates checks that an id given again, in the same file or a
// later one, is reported at each later line with the line of the first.
func TestDuplicates(t *testing.T) {
	t.Parallel()
	var s Set
	if err := s.Read("participants.csv", bytes.NewReader(mustReadFile(t, "participants.csv")), ""); err != nil {
		t.Fatal(err)
	}
	more := participantHeader + "\n" +
		"p-005,Tamar Kiknadze,tamar@example.ge,activist,,Imereti,Kutaisi,42.27,42.69,,ka,0,,,\n" +
		"p-002,Giorgi Kapanadze,giorgi@example.ge,activist,,Imereti,Kutaisi,42.27,42.69,,ka,0,,,\n" +
		"p-005,Tamar Kiknadze,tamar@example.ge,activist,,Imereti,Kutaisi,42.27,42.69,,ka,0,,,\n"
	err := s.Read("more.csv", strings.NewReader(more), "")
	want := []string{
		`more.csv:3: id "p-002": field "id": already given at participants.csv:3; give each record its own id, or delete the repeated row`,
		`more.csv:4: id "p-005": field "id": already given at more.csv:2; give each record its own id, or delete the repeated row`,
	}
	if got := errorLines(t, err); !slices.Equal(got, want) {
		t.Errorf("Read(more.csv) errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The same ids in another kind are no clash.
	err = s.Read("c.json", strings.NewReader(`{"communities": [{"id": "p-002", "name": "A", "region": "K", "lat": 41, "lon": 45, "visits_per_year": 1}]}`), "")
	if err != nil {
		t.Errorf("Read(c.json) = %v, want nil", err)
	}
	if len(s.Participants) != 5 || len(s.Communities) != 1 {
		t.Errorf("read %d participants and %d communities, want 5 and 1", len(s.Participants), len(s.Communities))
	}
}

func TestCheckReferences(t *testing.T) {
	t.Parallel()
	var s Set
	orgs := orgHeader + "\n" +
		"org-read,Read Org,cso,Imereti,,42,42,,,true,1,1,read@example.ge\n" +
		"org-bad,Bad Org,cso,Imereti,,42,42,,,true,1,1,not-an-address\n"
	if err := s.Read("orgs.csv", strings.NewReader(orgs), ""); err == nil {
		t.Fatal("Read(orgs.csv) = nil, want the bad email")
	}
	parts := participantHeader + "\n" +
		"p-1,A,a@example.ge,activist,org-read,Imereti,,42,42,,,0,,,org-stored;org-bad\n" +
		"p-2,B,b@example.ge,activist,org-gone,Imereti,,42,42,,,0,,,org-read;org-nowhere;org-stored\n" +
		"p-3,C,c@example.ge,activist,,Imereti,,42,42,,,0,,,\n"
	if err := s.Read("parts.csv", strings.NewReader(parts), ""); err != nil {
		t.Fatal(err)
	}
	var asked []program.OrgID
	stored := func(id program.OrgID) bool {
		asked = append(asked, id)
		return id == "org-stored"
	}
	err := s.CheckReferences(stored)
	want := []string{
		`parts.csv:3: id "p-2": field "organization_id": names unknown organisation "org-gone"; import that organisation first or leave the cell empty`,
		`parts.csv:3: id "p-2": field "preferences": names unknown organisation "org-nowhere"; import that organisation first or remove it from the list`,
	}
	if got := errorLines(t, err); !slices.Equal(got, want) {
		t.Errorf("CheckReferences errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Organisations that were read are not looked up, and each other id
	// only once.
	slices.Sort(asked)
	if wantAsked := []program.OrgID{"org-gone", "org-nowhere", "org-stored"}; !slices.Equal(asked, wantAsked) {
		t.Errorf("stored was asked about %v, want %v", asked, wantAsked)
	}
	// With nothing stored, org-stored is unknown too.
	if got := errorLines(t, s.CheckReferences(nil)); len(got) != 4 {
		t.Errorf("CheckReferences(nil) = %d errors, want 4:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// failingReader returns its data and then a failure that is not io.EOF,
// as a broken pipe or disk would.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestReadFailure checks that a failing reader is reported as itself, not
// as invalid input, and that the Set is left as it was.
func TestReadFailure(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	const before = communityHeader + "\nc-other,Other,Imereti,42,42,,1\n"
	for _, name := range []string{"participants.csv", "organizations.csv", "example.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var s Set
			if err := s.Read("before.csv", strings.NewReader(before), ""); err != nil {
				t.Fatal(err)
			}
			want := Set{Communities: slices.Clone(s.Communities)}
			data := mustReadFile(t, name)
			// Fail after most of the file, when some records are read.
			err := s.Read(name, &failingReader{data: data[:len(data)*3/4], err: boom}, "")
			if !errors.Is(err, boom) || errors.Is(err, program.ErrInvalid) || !strings.Contains(err.Error(), name) {
				t.Fatalf("Read(%s) = %v, want the reader's error with the file name, not ErrInvalid", name, err)
			}
			checkRecords(t, &s, &want)
			for _, k := range []struct {
				kind Kind
				id   string
			}{{Participants, "p-001"}, {Organizations, "org-tbilisi-cc"}} {
				if _, ok := s.Position(k.kind, k.id); ok {
					t.Errorf("Position(%s, %s) found after a failed read", k.kind, k.id)
				}
			}
			// Reading the whole file again finds no duplicates.
			if err := s.Read(name, bytes.NewReader(data), ""); err != nil {
				t.Errorf("Read(%s) again = %v, want nil", name, err)
			}
		})
	}
}

// TestManyErrors checks that a file with very many problems stops being
// checked after maxErrors, and says how much was not checked.
func TestManyErrors(t *testing.T) {
	t.Parallel()
	const rows = maxErrors + 500
	var csvIn, jsonIn strings.Builder
	csvIn.WriteString(communityHeader + "\n")
	jsonIn.WriteString("{\"communities\": [\n")
	for i := range rows {
		fmt.Fprintf(&csvIn, "c-%d,A,Kakheti,41,45,,x\n", i)
		if i > 0 {
			jsonIn.WriteString(",\n")
		}
		fmt.Fprintf(&jsonIn, `{"id": "c-%d", "name": "A", "region": "K", "lat": 41, "lon": 45, "visits_per_year": "x"}`, i)
	}
	jsonIn.WriteString("\n]}\n")
	tests := []struct {
		file, in string
		last     string
	}{
		{"c.csv", csvIn.String(), `c.csv:1002: stopped checking after 1000 problems; 500 more rows were not checked; fix the problems above and import the file again`},
		{"c.json", jsonIn.String(), `c.json:1002: stopped checking after 1000 problems; 500 more records were not checked; fix the problems above and import the file again`},
	}
	for _, tt := range tests {
		var s Set
		got := errorLines(t, s.Read(tt.file, strings.NewReader(tt.in), ""))
		if len(got) != maxErrors+1 || got[len(got)-1] != tt.last {
			t.Errorf("Read(%s) = %d errors ending %q, want %d ending %q", tt.file, len(got), got[len(got)-1], maxErrors+1, tt.last)
		}
	}
}

// TestForcedKindKeepsNothingIncomplete checks that rows read under a kind
// whose columns the header lacks are checked but never kept, since they
// cannot be whole records. (FuzzReadCSV's seeds found this.)
func TestForcedKindKeepsNothingIncomplete(t *testing.T) {
	t.Parallel()
	var s Set
	err := s.Read("communities.csv", bytes.NewReader(mustReadFile(t, "communities.csv")), Organizations)
	if !errors.Is(err, program.ErrInvalid) {
		t.Fatalf("Read(communities.csv as organizations) = %v, want ErrInvalid", err)
	}
	if len(s.Organizations) != 0 || len(s.Communities) != 0 {
		t.Errorf("Read kept %d organizations and %d communities, want none", len(s.Organizations), len(s.Communities))
	}
}

// TestManyColumnErrors checks that a header of thousands of wrong names,
// as a file that is not CSV gives, is capped like rows are.
func TestManyColumnErrors(t *testing.T) {
	t.Parallel()
	header := strings.Repeat("x,", maxErrors+2000) + "x\n"
	var s Set
	got := errorLines(t, s.Read("c.csv", strings.NewReader(header), Communities))
	stop := `c.csv:1: stopped checking the header after 1000 problems; 2001 more columns were not checked; check that the file is a CSV export of the sheet`
	// 1000 unknown columns, the stop, and the 7 columns that are missing.
	if len(got) != maxErrors+1+7 || !slices.Contains(got, stop) {
		t.Errorf("Read(%d columns) = %d errors, want %d including %q", maxErrors+2001, len(got), maxErrors+8, stop)
	}
}

// TestReadBadKind checks that a Kind that is not one of Kinds is refused
// before anything is read.
func TestReadBadKind(t *testing.T) {
	t.Parallel()
	var s Set
	err := s.Read("x.csv", strings.NewReader(communityHeader+"\n"), "hosts")
	if !errors.Is(err, program.ErrInvalid) || !strings.Contains(err.Error(), `"hosts"`) {
		t.Errorf("Read with kind hosts = %v, want ErrInvalid naming the kind", err)
	}
}

var _ io.Reader = (*failingReader)(nil)

// TestReadManyBatches reads a file long enough to be checked on several
// goroutines, with problems scattered through it, and checks that records
// and problems come out in file order, exactly as if checked one by one.
func TestReadManyBatches(t *testing.T) {
	t.Parallel()
	const rows = 5*batchSize + 77
	var in strings.Builder
	in.WriteString(communityHeader + "\n")
	var wantErrs []string
	var wantIDs []string
	line := 2
	for i := range rows {
		id := fmt.Sprintf("c-%05d", i)
		switch {
		case i%97 == 5:
			fmt.Fprintf(&in, "%s,A,Kakheti,41,45,,x\n", id)
			wantErrs = append(wantErrs, fmt.Sprintf(`m.csv:%d: id %q: field "visits_per_year": "x" is not a whole number; write a whole number, such as 3`, line, id))
		case i%211 == 7:
			// A repeat of the row before's id.
			prev := fmt.Sprintf("c-%05d", i-1)
			fmt.Fprintf(&in, "%s,A,Kakheti,41,45,,1\n", prev)
			wantErrs = append(wantErrs, fmt.Sprintf(`m.csv:%d: id %q: field "id": already given at m.csv:%d; give each record its own id, or delete the repeated row`, line, prev, line-1))
		case i%389 == 11:
			fmt.Fprintf(&in, "%s,\"Upper\nSvaneti\",Svaneti,43,42,,60\n", id)
			line++ // the name takes two lines; the error is on the second
			wantErrs = append(wantErrs, fmt.Sprintf(`m.csv:%d: id %q: field "visits_per_year": 60 is more than 52; fix the cell or remove the row`, line, id))
		case i%503 == 13:
			fmt.Fprintf(&in, "%s,Sopo \"B\",Kakheti,41,45,,1\n", id)
			wantErrs = append(wantErrs, fmt.Sprintf(`m.csv:%d: a quote (") inside a cell that does not start with one; write the cell in quotes and double the quote inside it, as in "the ""Kakheti"" group"; the row was skipped`, line))
		default:
			fmt.Fprintf(&in, "%s,A,Kakheti,41,45,,1\n", id)
			wantIDs = append(wantIDs, id)
		}
		line++
	}
	for range 3 { // the same answer however the goroutines run
		var s Set
		got := errorLines(t, s.Read("m.csv", strings.NewReader(in.String()), ""))
		if !slices.Equal(got, wantErrs) {
			t.Fatalf("Read errors (%d):\n%s\nwant (%d):\n%s", len(got), strings.Join(got, "\n"), len(wantErrs), strings.Join(wantErrs, "\n"))
		}
		var ids []string
		for _, c := range s.Communities {
			ids = append(ids, string(c.ID))
		}
		if !slices.Equal(ids, wantIDs) {
			t.Fatalf("Read kept %d communities, want %d in file order", len(ids), len(wantIDs))
		}
	}
}
