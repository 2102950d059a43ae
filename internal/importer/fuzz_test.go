package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/khidi/khidi/internal/program"
)

// addSeeds adds every testdata file matching the patterns, once per kind
// argument.
func addSeeds(f *testing.F, patterns ...string) {
	for _, pat := range patterns {
		names, err := filepath.Glob(filepath.Join("testdata", pat))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			for k := range len(Kinds()) + 1 {
				f.Add(data, uint8(k))
			}
		}
	}
}

// fuzzKind maps a fuzzed byte to the empty Kind or one of Kinds.
func fuzzKind(k uint8) Kind {
	if k%4 == 0 {
		return ""
	}
	return Kinds()[k%4-1]
}

// checkFuzzRead checks what must hold after any Read: the error is invalid
// input with a position in the file, and every record kept is valid, with
// a unique id and a position.
func checkFuzzRead(t *testing.T, name string, data []byte, kind Kind) {
	var s Set
	err := s.Read(name, bytes.NewReader(data), kind)
	if err != nil {
		var l program.ErrorList
		if !errors.Is(err, program.ErrInvalid) || !errors.As(err, &l) || len(l) == 0 {
			t.Fatalf("Read(%q) = %v (%T), want a program.ErrorList", data, err, err)
		}
		for _, e := range l {
			if e.File != name || e.Line < 1 || e.Msg == "" {
				t.Fatalf("Read(%q) error %q has no position or message", data, e)
			}
		}
	}
	check := func(kind Kind, id string, rec any) {
		if err := program.Validate(rec); err != nil {
			t.Fatalf("Read(%q) kept %s %q, which fails Validate: %v", data, kind, id, err)
		}
		if p, ok := s.Position(kind, id); !ok || p.File != name || p.Line < 1 {
			t.Fatalf("Read(%q) kept %s %q with position %v, %v", data, kind, id, p, ok)
		}
	}
	seen := map[string]bool{}
	for i := range s.Organizations {
		check(Organizations, string(s.Organizations[i].ID), &s.Organizations[i])
		seen["o"+string(s.Organizations[i].ID)] = true
	}
	for i := range s.Participants {
		check(Participants, string(s.Participants[i].ID), &s.Participants[i])
		seen["p"+string(s.Participants[i].ID)] = true
	}
	for i := range s.Communities {
		check(Communities, string(s.Communities[i].ID), &s.Communities[i])
		seen["c"+string(s.Communities[i].ID)] = true
	}
	if n := len(s.Organizations) + len(s.Participants) + len(s.Communities); len(seen) != n {
		t.Fatalf("Read(%q) kept %d records but %d distinct ids", data, n, len(seen))
	}
	if err := s.CheckReferences(func(program.OrgID) bool { return false }); err != nil && !errors.Is(err, program.ErrInvalid) {
		t.Fatalf("CheckReferences after Read(%q) = %v, want nil or ErrInvalid", data, err)
	}
}

func FuzzReadCSV(f *testing.F) {
	addSeeds(f, "*.csv", "errors/*.csv")
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		checkFuzzRead(t, "fuzz.csv", data, fuzzKind(kind))
	})
}

func FuzzReadJSON(f *testing.F) {
	addSeeds(f, "*.json", "errors/*.json")
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		checkFuzzRead(t, "fuzz.json", data, fuzzKind(kind))
	})
}
