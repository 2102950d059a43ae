// Package khidi_test holds checks that span the whole repository: every
// package documented once, and randomness only from seeded math/rand/v2.
package khidi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
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

// TestNoUnseededRandomness fails on any import of math/rand (v1), and on
// any use of math/rand/v2's top-level functions, whose hidden global source
// would make instances and tests irreproducible: randomness comes from a
// *rand.Rand built with an explicit seed.
func TestNoUnseededRandomness(t *testing.T) {
	// What math/rand/v2 offers for building a seeded generator.
	seeded := map[string]bool{
		"New": true, "NewPCG": true, "NewChaCha8": true, "NewZipf": true,
		"Rand": true, "Source": true, "PCG": true, "ChaCha8": true, "Zipf": true,
	}
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
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		name := ""
		for _, imp := range f.Imports {
			switch p, _ := strconv.Unquote(imp.Path.Value); p {
			case "math/rand":
				t.Errorf("%s imports math/rand: use math/rand/v2 with an explicit seed", path)
			case "math/rand/v2":
				name = "rand"
				if imp.Name != nil {
					name = imp.Name.Name
				}
			}
		}
		if name == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == name && x.Obj == nil && !seeded[sel.Sel.Name] {
				t.Errorf("%s: %s.%s draws from math/rand/v2's unseeded global source: use rand.New(rand.NewPCG(seed, …))",
					fset.Position(sel.Pos()), name, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
