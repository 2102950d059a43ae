// Package khidi_test holds checks that span the whole repository: every
// package documented once, and randomness only from seeded math/rand/v2.
package khidi_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// goDirs returns every directory holding non-test Go files, with their paths.
func goDirs(t *testing.T) map[string][]string {
	t.Helper()
	dirs := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			dirs[filepath.Dir(path)] = append(dirs[filepath.Dir(path)], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestPackageDocs fails when a package has no doc comment or more than one,
// so `go doc` always says what a package is for.
func TestPackageDocs(t *testing.T) {
	for dir, files := range goDirs(t) {
		var documented []string
		for _, path := range files {
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly|parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
				documented = append(documented, path)
			}
		}
		switch len(documented) {
		case 0:
			t.Errorf("%s: no package doc comment; add one (in doc.go when it is long)", dir)
		case 1:
		default:
			t.Errorf("%s: package doc comment in %d files %v; keep one", dir, len(documented), documented)
		}
	}
}

// TestNoUnseededRandomness fails on any import of math/rand (v1), whose
// global source would make instances and tests irreproducible.
func TestNoUnseededRandomness(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "math/rand" {
				t.Errorf("%s imports math/rand: use math/rand/v2 with an explicit seed", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
