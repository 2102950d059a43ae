package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runKhidi runs the command in process and returns its exit status and streams.
func runKhidi(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

func TestSolve(t *testing.T) {
	// The optima are checked by hand in each testdata file's comment or, for
	// the assignment files, as the sum of the row minima (a lower bound) that
	// the assignment (1,0,2) reaches.
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // a line stdout must contain
		wantErr  string // a substring stderr must contain
	}{
		{"dense orlib", []string{"solve", "testdata/dense3.txt"}, exitOK, "optimal cost 4", ""},
		{"sparse orlib", []string{"solve", "--verify", "testdata/sparse3.txt"}, exitOK, "optimal cost 4", ""},
		{"dimacs", []string{"solve", "--verify", "testdata/flow4.dimacs"}, exitOK, "optimal cost 5", ""},
		{"format given", []string{"solve", "--format", "dimacs", "testdata/flow4.dimacs"}, exitOK, "optimal cost 5", ""},
		{"wrong format given", []string{"solve", "--format", "orlib", "testdata/flow4.dimacs"}, exitUsage, "", "flow4.dimacs:1:"},
		{"unknown format", []string{"solve", "--format", "csv", "testdata/flow4.dimacs"}, exitUsage, "", "use orlib or dimacs"},
		{"bad cost", []string{"solve", "testdata/bad-cost.txt"}, exitUsage, "", "testdata/bad-cost.txt:3:"},
		{"bad node", []string{"solve", "testdata/bad-node.dimacs"}, exitUsage, "", "testdata/bad-node.dimacs:4:"},
		{"infeasible", []string{"solve", "testdata/infeasible.dimacs"}, exitFailure, "", "node 1 of the file cannot send all its supply"},
		// Rows 1 and 2 of the file list only column 1; counted as in the file.
		{"infeasible sparse", []string{"solve", "testdata/sparse3-infeasible.txt"}, exitFailure, "", "2 rows (1 2) can use only 1 column (1), counted as in the file"},
		{"dimacs cost out of range", []string{"solve", "testdata/cost-range.dimacs"}, exitUsage, "", "testdata/cost-range.dimacs:4: COST"},
		{"orlib cost out of range", []string{"solve", "testdata/cost-range.txt"}, exitUsage, "", "testdata/cost-range.txt:3:"},
		{"missing file", []string{"solve", "testdata/nothing-here.txt"}, exitUsage, "", "nothing-here.txt"},
		{"no file", []string{"solve"}, exitUsage, "", "expected exactly one FILE"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runKhidi(t, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("khidi %v exited %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.wantCode, out, errOut)
			}
			if tt.wantCode != exitOK && out != "" {
				t.Errorf("khidi %v failed but printed %q on stdout, which is for results only", tt.args, out)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("khidi %v stdout = %q, want it to contain %q", tt.args, out, tt.wantOut)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("khidi %v stderr = %q, want it to contain %q", tt.args, errOut, tt.wantErr)
			}
		})
	}
}

func TestSolveJSON(t *testing.T) {
	code, out, errOut := runKhidi(t, "solve", "--json", "--verify", "testdata/flow4.dimacs")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("--json printed %q, want exactly one line", out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json output %q: %v", out, err)
	}
	for key, want := range map[string]any{"status": "optimal", "cost": 5.0, "format": "dimacs", "verified": true} {
		if got[key] != want {
			t.Errorf("--json %s = %v, want %v", key, got[key], want)
		}
	}
	for _, key := range []string{"parse_seconds", "solve_seconds"} {
		if _, ok := got[key].(float64); !ok {
			t.Errorf("--json %s = %v, want a number", key, got[key])
		}
	}

	code, out, _ = runKhidi(t, "solve", "--json", "testdata/infeasible.dimacs")
	if code != exitFailure || !strings.Contains(out, `"status":"infeasible"`) || strings.Contains(out, `"cost"`) {
		t.Errorf("--json on an infeasible file: exit %d, %q; want exit 1, status infeasible and no cost", code, out)
	}
}

func TestSolveOut(t *testing.T) {
	tests := []struct{ input, golden string }{
		{"testdata/dense3.txt", "testdata/dense3.solution.golden"},
		{"testdata/sparse3.txt", "testdata/dense3.solution.golden"}, // the same instance, written sparse
		{"testdata/flow4.dimacs", "testdata/flow4.solution.golden"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.input), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "solution")
			if code, _, errOut := runKhidi(t, "solve", "--out", path, tt.input); code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
				t.Errorf("--out file mode = %v, %v; want -rw-r--r--", info.Mode(), err)
			}
			want, err := os.ReadFile(tt.golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("--out wrote\n%s\nwant (%s)\n%s", got, tt.golden, want)
			}
		})
	}
}

func TestSolveOutNotWrittenOnFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "solution")
	if code, _, _ := runKhidi(t, "solve", "--out", path, "testdata/infeasible.dimacs"); code != exitFailure {
		t.Fatalf("exit %d, want %d", code, exitFailure)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("--out file exists after a failed solve (stat: %v)", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 0 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
