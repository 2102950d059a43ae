package flow

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustReadDIMACSFile(t testing.TB, name string) *Network {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := ReadDIMACS(f)
	if err != nil {
		t.Fatalf("ReadDIMACS(%s) error = %v", name, err)
	}
	return n
}

func TestReadDIMACSFiles(t *testing.T) {
	tests := []struct {
		file        string
		nodes, arcs int
		want        int64 // optimum when wantErr is nil
		wantErr     error
		firstArc    Arc
	}{
		{file: "small.dimacs", nodes: 4, arcs: 4, want: 6, firstArc: Arc{From: 0, To: 1, Capacity: 1, Cost: 1}},
		{file: "transport.dimacs", nodes: 7, arcs: 11, want: 24, firstArc: Arc{From: 0, To: 3, Capacity: 1, Cost: 1}},
		{file: "infeasible.dimacs", nodes: 2, arcs: 1, wantErr: ErrInfeasible, firstArc: Arc{From: 0, To: 1, Capacity: 3, Cost: 1}},
		{file: "unbounded.dimacs", nodes: 3, arcs: 3, wantErr: ErrUnbounded, firstArc: Arc{From: 0, To: 1, Capacity: Unbounded, Cost: -1}},
	}
	for _, tt := range tests {
		for _, alg := range algorithms {
			t.Run(fmt.Sprintf("%s/%v", tt.file, alg), func(t *testing.T) {
				n := mustReadDIMACSFile(t, tt.file)
				if n.Nodes() != tt.nodes || n.NumArcs() != tt.arcs || n.Arc(0) != tt.firstArc {
					t.Fatalf("ReadDIMACS(%s) = %d nodes, %d arcs, first %+v; want %d, %d, %+v",
						tt.file, n.Nodes(), n.NumArcs(), n.Arc(0), tt.nodes, tt.arcs, tt.firstArc)
				}
				r, err := mustSolveVerified(t, n, alg)
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("MinCostFlow(%s) error = %v, want %v", tt.file, err, tt.wantErr)
					}
					return
				}
				if err != nil || r.Cost != tt.want {
					t.Fatalf("MinCostFlow(%s) = %v, %v; want cost %d", tt.file, r, err, tt.want)
				}
			})
		}
	}
}

func TestReadDIMACSErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		line  int
	}{
		{"empty", "", 1},
		{"comments only", "c nothing\nc here\n", 2},
		{"arc before p", "a 1 2 0 1 1\np min 2 1\n", 1},
		{"node before p", "c x\nn 1 1\np min 2 0\n", 2},
		{"duplicate p", "p min 2 0\np min 2 0\n", 2},
		{"max problem", "p max 2 0\n", 1},
		{"p missing arcs", "p min 2\n", 1},
		{"p extra field", "p min 2 0 7\n", 1},
		{"negative node count", "p min -1 0\n", 1},
		{"absurd node count", "p min 4000000000 0\n", 1},
		{"absurd arc count", "p min 2 99999999999\n", 1},
		{"node out of range", "p min 2 1\na 1 3 0 1 1\n", 2},
		{"node zero", "p min 2 1\na 0 1 0 1 1\n", 2},
		{"n out of range", "p min 2 0\nn 3 1\n", 2},
		{"duplicate n", "p min 2 0\nn 1 1\nn 1 -1\n", 3},
		{"fewer arcs", "c\np min 2 2\na 1 2 0 1 1\n", 2},
		{"more arcs", "p min 2 1\na 1 2 0 1 1\na 2 1 0 1 1\n", 3},
		{"low above cap", "p min 2 1\na 1 2 3 2 1\n", 2},
		{"negative low", "p min 2 1\na 1 2 -1 2 1\n", 2},
		// (2+2)·|cost| must not exceed 2^58: 2^56 is the limit for 2 nodes.
		{"cost out of range", "p min 2 1\na 1 2 0 1 72057594037927937\n", 2},
		{"negative cost out of range", "p min 2 1\n\na 1 2 0 1 -72057594037927937\n", 3},
		{"non-integer cost", "p min 2 1\na 1 2 0 1 1.5\n", 2},
		{"integer overflow", "p min 2 1\na 1 2 0 9223372036854775808 1\n", 2},
		{"missing field", "p min 2 1\na 1 2 0 1\n", 2},
		{"extra field", "p min 2 1\na 1 2 0 1 1 1\n", 2},
		{"unknown line", "p min 2 0\nx 1\n", 2},
		{"long type", "p min 2 0\nnode 1 1\n", 2},
		{"sign only", "p min 2 0\nn 1 -\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ReadDIMACS(strings.NewReader(tt.input))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ReadDIMACS(%q) = %v, %v; want a *ParseError", tt.input, n, err)
			}
			if pe.Line != tt.line {
				t.Fatalf("ReadDIMACS(%q) error %q at line %d, want line %d", tt.input, err, pe.Line, tt.line)
			}
			if n != nil {
				t.Fatalf("ReadDIMACS(%q) returned a network with error %v", tt.input, err)
			}
		})
	}
}

func TestReadDIMACSLongLine(t *testing.T) {
	input := "p min 2 0\nc " + strings.Repeat("x", dimacsMaxLine) + "\n"
	_, err := ReadDIMACS(strings.NewReader(input))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 {
		t.Fatalf("ReadDIMACS(long line) error = %v, want a *ParseError at line 2", err)
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadDIMACSReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ReadDIMACS(failingReader{boom})
	var pe *ParseError
	if !errors.Is(err, boom) || !errors.As(err, &pe) {
		t.Fatalf("ReadDIMACS(failing reader) error = %v, want a *ParseError wrapping %v", err, boom)
	}
}

func TestParseErrorMessage(t *testing.T) {
	err := &ParseError{Line: 12, Err: errors.New("expected ARCS")}
	if got, want := err.Error(), "line 12: expected ARCS"; got != want {
		t.Fatalf("ParseError.Error() = %q, want %q", got, want)
	}
}

func FuzzReadDIMACS(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.dimacs"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ReadDIMACS(bytes.NewReader(data))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ReadDIMACS error %v is not a *ParseError", err)
			}
			return
		}
		if n.Nodes() > 50 || n.NumArcs() > 200 {
			return
		}
		for _, alg := range algorithms[:2] {
			r, err := MinCostFlow(n, &Options{Algorithm: alg})
			if err != nil {
				continue
			}
			if err := Verify(n, r); err != nil {
				t.Fatalf("Verify(MinCostFlow(%s) with %v) = %v", describe(n), alg, err)
			}
		}
	})
}
