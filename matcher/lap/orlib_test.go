package lap

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/khidi/khidi/matcher/internal/oracle"
	"github.com/khidi/khidi/matcher/internal/testinstances"
)

func TestReadORLib(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		dense  [][]int64 // want a dense instance with these costs
		sparse []Edge    // or a sparse one with these edges
	}{
		{"dense 1x1", "1\n7\n", [][]int64{{7}}, nil},
		{"dense with signs", "2 -1 +2 -48038396025285290 48038396025285290", [][]int64{{-1, 2}, {-48038396025285290, 48038396025285290}}, nil},
		{"dense arbitrary breaks", " 2\r\n1\t2\f3\v\n\n4", [][]int64{{1, 2}, {3, 4}}, nil},
		// 9 numbers for n = 3 is both n² and 3 triples: the rule says dense.
		{"dense when also a multiple of 3", "3\n1 1 5\n2 2 6\n3 3 7\n", [][]int64{{1, 1, 5}, {2, 2, 6}, {3, 3, 7}}, nil},
		{"sparse", "3\n1 1 5\n2 3 6\n", nil, []Edge{{0, 0, 5}, {1, 2, 6}}},
		{"sparse, no final newline", "2 2 1 -4", nil, []Edge{{1, 0, -4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ReadORLib(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ReadORLib(%q) error %v", tt.in, err)
			}
			switch {
			case tt.dense != nil:
				if in.Dense == nil || in.Sparse != nil || in.N != len(tt.dense) {
					t.Fatalf("ReadORLib(%q) = %+v, want dense %d×%d", tt.in, in, len(tt.dense), len(tt.dense))
				}
				if got := denseCosts(in.Dense); !reflect.DeepEqual(got, tt.dense) {
					t.Errorf("ReadORLib(%q) costs = %v, want %v", tt.in, got, tt.dense)
				}
			default:
				if in.Dense != nil || !reflect.DeepEqual(in.Sparse, tt.sparse) {
					t.Errorf("ReadORLib(%q) = %+v, want sparse %v", tt.in, in, tt.sparse)
				}
			}
		})
	}
}

func denseCosts(m *Matrix) [][]int64 {
	out := make([][]int64, m.Rows())
	for i := range out {
		out[i] = make([]int64, m.Cols())
		for j := range out[i] {
			out[i][j], _ = m.At(i, j)
		}
	}
	return out
}

func TestReadORLibErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		line int
	}{
		{"empty", "", 1},
		{"only blanks", "\n\n  \n", 4},
		{"n not a number", "x\n", 1},
		{"n zero", "0\n", 1},
		{"n negative", "\n-3\n", 2},
		{"n too large", "1048577\n", 1},
		{"dense cost out of range", "2\n1 2\n3\n-48038396025285291\n", 4},
		{"sparse cost out of range", "3\n1 1 1\n2 2 48038396025285291\n", 3},
		{"no costs", "2\n", 1},
		{"bad cost", "2\n1 2\n3 x\n", 3},
		{"bad cost with digits", "2\n1 2\n3 4a\n", 3},
		{"int64 overflow", "1\n9223372036854775808\n", 2},
		{"huge token", "1\n" + strings.Repeat("9", 100) + "\n", 2},
		{"truncated dense", "3\n1 2 3\n4 5 6\n7 8\n", 4},
		{"too many for dense, not triples", "2\n1 2 3 4 5\n", 2},
		{"row index out of range", "3\n1 1 1\n\n4 2 1\n", 4},
		{"column index out of range", "3\n1 1 1\n2\n0 1\n", 4},
		{"duplicate arc", "4\n1 2 3\n2 2 2\n1 2 5\n", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ReadORLib(strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ReadORLib(%q) = %+v, %v; want a *ParseError", tt.in, in, err)
			}
			if pe.Line != tt.line {
				t.Errorf("ReadORLib(%q) error %q on line %d, want line %d", tt.in, err, pe.Line, tt.line)
			}
		})
	}
}

// TestReadORLibSmallReads feeds the reader one byte at a time, so every
// token straddles a buffer refill.
func TestReadORLibSmallReads(t *testing.T) {
	src := "3\n10 20 30\n-40 50 60\n70 80 90\n"
	in, err := ReadORLib(iotest.OneByteReader(strings.NewReader(src)))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int64{{10, 20, 30}, {-40, 50, 60}, {70, 80, 90}}
	if got := denseCosts(in.Dense); !reflect.DeepEqual(got, want) {
		t.Errorf("ReadORLib(one byte at a time) = %v, want %v", got, want)
	}
	_, err = ReadORLib(iotest.TimeoutReader(strings.NewReader(src)))
	if !errors.Is(err, iotest.ErrTimeout) {
		t.Errorf("ReadORLib(failing reader) error %v, want iotest.ErrTimeout", err)
	}
}

// TestReadORLibLarge crosses many buffer refills and checks the duplicate
// report picks the first repeat in the file.
func TestReadORLibLarge(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	n := 300
	fmt.Fprintln(&b, n)
	for i := range n * n {
		fmt.Fprintf(&b, "%d ", i%1000)
		if i%7 == 0 {
			b.WriteByte('\n')
		}
	}
	in, err := ReadORLib(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := in.Dense.At(n-1, n-1); c != int64(n*n-1)%1000 {
		t.Errorf("last cost %d, want %d", c, (n*n-1)%1000)
	}
}

func TestInstanceMatrix(t *testing.T) {
	in := &Instance{N: 3, Sparse: []Edge{{0, 1, 4}, {2, 2, -1}}}
	m := in.Matrix()
	for i := range 3 {
		for j := range 3 {
			c, ok := m.At(i, j)
			wantOK := (i == 0 && j == 1) || (i == 2 && j == 2)
			if ok != wantOK {
				t.Errorf("At(%d, %d) allowed = %v, want %v", i, j, ok, wantOK)
			}
			if ok && c != map[[2]int]int64{{0, 1}: 4, {2, 2}: -1}[[2]int{i, j}] {
				t.Errorf("At(%d, %d) = %d", i, j, c)
			}
		}
	}
	dense := NewMatrix(2, 2)
	if got := (&Instance{N: 2, Dense: dense}).Matrix(); got != dense {
		t.Errorf("Matrix() of a dense instance is a copy, want the same matrix")
	}
}

// TestORLibFiles solves OR-Library's instances and checks the optima that
// the folder's README lists (OR-Library's published values): the dense
// files with Solve, the sparse ones with SolveSparse. matcher/flow's tests
// solve the sparse files too, as networks.
func TestORLibFiles(t *testing.T) {
	t.Parallel()
	for _, file := range testinstances.ORLibFilesOrSkip(t) {
		t.Run(file.Name, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(file.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			in, err := ReadORLib(bufio.NewReader(f))
			if err != nil {
				t.Fatalf("ReadORLib(%s): %v", file.Name, err)
			}
			if file.Sparse != (in.Sparse != nil) {
				t.Fatalf("ReadORLib(%s) sparse = %v, want %v", file.Name, in.Sparse != nil, file.Sparse)
			}
			sol := mustSolveInstance(t, in)
			if sol == nil || sol.Cost != file.Optimum {
				t.Errorf("Solve(%s) = %v, want cost %d", file.Name, sol, file.Optimum)
			}
		})
	}
}

// mustSolveInstance solves a dense instance with Solve and a sparse one
// with SolveSparse, checking the certificate either way; it returns nil
// when the instance is infeasible.
func mustSolveInstance(t testing.TB, in *Instance) *Solution {
	t.Helper()
	if in.Dense != nil {
		return mustSolveVerified(t, in.Dense, nil)
	}
	return mustSolveVerified(t, mustNewSparse(t, in.N, in.N, in.Sparse), nil)
}

func TestORLibTestdata(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		optimum  int64
		feasible bool
	}{
		{"dense1-negative.txt", -7, true},
		{"dense3.txt", 4, true},         // testinstances "3x3"
		{"dense4-ragged.txt", 10, true}, // testinstances "4x4", broken across lines
		{"sparse4.txt", 10, true},       // enumerated by hand: 1→2, 2→1, 3→3, 4→4
		{"sparse3-infeasible.txt", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			in, err := ReadORLib(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			sol := mustSolveInstance(t, in)
			switch {
			case !tt.feasible && sol != nil:
				t.Errorf("Solve(%s) = %v, want infeasible", tt.file, sol)
			case tt.feasible && (sol == nil || sol.Cost != tt.optimum):
				t.Errorf("Solve(%s) = %v, want cost %d", tt.file, sol, tt.optimum)
			}
		})
	}
}

func FuzzReadORLib(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ReadORLib(bytes.NewReader(data))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("ReadORLib(%q) error %v, want a *ParseError with a line", data, err)
			}
			return
		}
		if (in.Dense == nil) == (in.Sparse == nil) {
			t.Fatalf("ReadORLib(%q) = %+v: want exactly one of Dense and Sparse", data, in)
		}
		if in.N > 7 {
			return
		}
		m := in.Matrix()
		cost, allowed := denseCosts(m), make([][]bool, in.N)
		for i := range allowed {
			allowed[i] = make([]bool, in.N)
			for j := range allowed[i] {
				_, allowed[i][j] = m.At(i, j)
			}
		}
		want, feasible := oracle.AssignmentBruteForce(cost, allowed)
		check := func(name string, p problem, sol *Solution, err error, verify func(*Solution) error) {
			switch {
			case errors.Is(err, ErrCostRange):
			case !feasible && !errors.Is(err, ErrInfeasible):
				t.Fatalf("%s(%q) = %v, %v; want ErrInfeasible", name, data, sol, err)
			case !feasible:
				checkHall(t, p, err)
			case err != nil || sol.Cost != want:
				t.Fatalf("%s(%q) = %v, %v; want cost %d", name, data, sol, err, want)
			default:
				if err := verify(sol); err != nil {
					t.Fatalf("certificate of %s(%q): %v", name, data, err)
				}
			}
		}
		sol, err := Solve(m, nil)
		check("Solve", m, sol, err, func(sol *Solution) error { return Verify(m, nil, sol) })
		if in.Sparse != nil {
			s, err := NewSparse(in.N, in.N, in.Sparse)
			if err != nil {
				t.Fatalf("NewSparse(edges of %q): %v", data, err)
			}
			sol, err := SolveSparse(s, nil)
			check("SolveSparse", s, sol, err, func(sol *Solution) error { return VerifySparse(s, nil, sol) })
		}
	})
}

// TestReadORLibHugeSparse reads a sparse file whose n² is far beyond
// memory, with enough arcs to make the reader grow its buffer.
func TestReadORLibHugeSparse(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	const n, arcs = MaxORLibN, 30000 // 90000 numbers after n
	fmt.Fprintln(&b, n)
	for k := range arcs {
		fmt.Fprintf(&b, "%d %d %d\n", k+1, n-k, k%100)
	}
	in, err := ReadORLib(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if in.N != n || len(in.Sparse) != arcs {
		t.Fatalf("ReadORLib = n %d with %d arcs, want n %d with %d", in.N, len(in.Sparse), n, arcs)
	}
	if e := in.Sparse[arcs-1]; e != (Edge{Row: arcs - 1, Col: n - arcs, Cost: (arcs - 1) % 100}) {
		t.Errorf("last arc %+v", e)
	}
}
