package testinstances

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ORLibDir is where ../shared keeps OR-Library's assignment instances,
// relative to a package directory under matcher/ (two levels deep). The
// files are never copied into the project.
const ORLibDir = "../../../shared/data/orlib-assign"

// ErrNoORLib reports that the OR-Library folder is absent; tests skip then.
var ErrNoORLib = errors.New("OR-Library instances not present")

// ORLibFile is one OR-Library assignment file with its published optimum.
type ORLibFile struct {
	Name    string // e.g. "assignp800"
	Path    string
	Sparse  bool
	Optimum int64
}

// ORLibFiles lists the instances in dir with the optima from the "known
// optimum (OR-Library)" column of the folder's README, OR-Library's
// published values. It returns ErrNoORLib when dir does not exist.
func ORLibFiles(dir string) ([]ORLibFile, error) {
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: no %s", ErrNoORLib, dir)
	}
	if err != nil {
		return nil, err
	}
	// | file | n | kind | tokens | arcs | bytes | known optimum (OR-Library) | …
	var files []ORLibFile
	col := -1
	for line := range strings.Lines(string(readme)) {
		cells := strings.Split(line, "|")
		for k := range cells {
			cells[k] = strings.TrimSpace(cells[k])
		}
		if len(cells) < 3 || cells[0] != "" {
			continue
		}
		if k := indexOf(cells, "known optimum (OR-Library)"); k >= 0 {
			col = k
			continue
		}
		if col < 0 || col >= len(cells) || !strings.HasSuffix(cells[1], ".txt") {
			continue
		}
		v, err := strconv.ParseInt(cells[col], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s/README.md: optimum of %s: %w", dir, cells[1], err)
		}
		name := strings.TrimSuffix(cells[1], ".txt")
		files = append(files, ORLibFile{
			Name:    name,
			Path:    filepath.Join(dir, cells[1]),
			Sparse:  strings.HasPrefix(name, "assignp"),
			Optimum: v,
		})
	}
	if len(files) != 12 {
		return nil, fmt.Errorf("%s/README.md: found optima for %d files, want OR-Library's 12", dir, len(files))
	}
	return files, nil
}

func indexOf(xs []string, s string) int {
	for k, x := range xs {
		if x == s {
			return k
		}
	}
	return -1
}

// ORLibFilesOrSkip returns ORLibFiles(ORLibDir) for a test, skipping it
// (with the reason) when the folder is absent and failing it on any other
// error.
func ORLibFilesOrSkip(tb testing.TB) []ORLibFile {
	tb.Helper()
	files, err := ORLibFiles(ORLibDir)
	if errors.Is(err, ErrNoORLib) {
		tb.Skipf("%v: benchmark instances not present", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return files
}
