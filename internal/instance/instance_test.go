package instance

import (
	"errors"
	"strings"
	"testing"

	"github.com/khidi/khidi/matcher/flow"
	"github.com/khidi/khidi/matcher/lap"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		format     Format
		wantFormat Format
		wantCost   int64 // checked by hand in each case's comment
		wantErr    bool
	}{
		// Row minima 1 and 1 on distinct columns: 2.
		{"dense guessed", "2\n1 2\n3 1\n", Guess, ORLib, 2, false},
		// Leading blank lines do not hide the first number.
		{"blank lines first", "\n\n  2\n1 2\n3 1\n", Guess, ORLib, 2, false},
		// The only perfect matching uses (1,2) and (2,1): 5+6.
		{"sparse guessed", "2\n1 2 5\n2 1 6\n", Guess, ORLib, 11, false},
		// One unit over one arc of cost 3.
		{"dimacs guessed", "c x\np min 2 1\nn 1 1\nn 2 -1\na 1 2 0 1 3\n", Guess, DIMACS, 3, false},
		{"dimacs given", "p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 1 3\n", DIMACS, DIMACS, 3, false},
		// Vertical tab and form feed are blanks to the readers, so to the guess.
		{"form feed first", "\f\v2\n1 2\n3 1\n", Guess, ORLib, 2, false},
		{"empty", "", Guess, "", 0, true},
		{"blanks beyond the guess buffer", strings.Repeat(" ", 1<<20+1) + "2\n1 2\n3 1\n", Guess, "", 0, true},
		{"only space", " \n\t\n", Guess, "", 0, true},
		{"unknown start", "# hello\n", Guess, "", 0, true},
		{"dimacs read as orlib", "p min 2 1\n", ORLib, "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Read(strings.NewReader(tt.input), tt.format)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Read(%q) succeeded, want an error", tt.input)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read(%q): %v", tt.input, err)
			}
			if p.Format != tt.wantFormat {
				t.Errorf("Read(%q).Format = %q, want %q", tt.input, p.Format, tt.wantFormat)
			}
			sol, err := p.Solve(nil)
			if err != nil {
				t.Fatalf("Solve: %v", err)
			}
			if sol.Cost != tt.wantCost {
				t.Errorf("Solve(%q).Cost = %d, want %d", tt.input, sol.Cost, tt.wantCost)
			}
			if err := sol.Verify(); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

func TestReadKeepsParseErrors(t *testing.T) {
	_, err := Read(strings.NewReader("2\n1 x\n3 1\n"), Guess)
	var lapErr *lap.ParseError
	if !errors.As(err, &lapErr) || lapErr.Line != 2 {
		t.Errorf("Read(bad orlib) = %v, want a *lap.ParseError on line 2", err)
	}
	_, err = Read(strings.NewReader("p min 2 1\nn 1 1\nn 2 -1\na 1 9 0 1 3\n"), Guess)
	var flowErr *flow.ParseError
	if !errors.As(err, &flowErr) || flowErr.Line != 4 {
		t.Errorf("Read(bad dimacs) = %v, want a *flow.ParseError on line 4", err)
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"", "orlib", "dimacs"} {
		if f, err := ParseFormat(s); err != nil || string(f) != s {
			t.Errorf("ParseFormat(%q) = %q, %v", s, f, err)
		}
	}
	if _, err := ParseFormat("csv"); !errors.Is(err, ErrFormat) {
		t.Errorf("ParseFormat(csv) = %v, want ErrFormat", err)
	}
}

func TestSolveSparseInfeasible(t *testing.T) {
	// Rows 1 and 2 can use only column 1. (Four triples: three would be
	// n² = 9 numbers, which is read as a dense matrix.)
	p, err := Read(strings.NewReader("3\n1 1 1\n2 1 1\n3 3 1\n3 2 1\n"), Guess)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := p.Solve(nil)
	var ie *lap.InfeasibleError
	if !errors.As(err, &ie) || len(ie.Rows) != 2 {
		t.Errorf("Solve(sparse, Hall violation) = %v, %v; want a *lap.InfeasibleError naming 2 rows", sol, err)
	}
}

func TestWriteToSparse(t *testing.T) {
	// Listed out of row order: the solution comes in row order. Row 1 must
	// take column 2 (its only cell), so row 2 takes column 1: 5 + 6.
	p, err := Read(strings.NewReader("2\n2 1 6\n1 2 5\n2 2 1\n"), Guess)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := p.Solve(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sol.Verify(); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	var b strings.Builder
	if _, err := sol.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if want := "c optimal cost 11\n1 2 5\n2 1 6\n"; b.String() != want {
		t.Errorf("WriteTo wrote %q, want %q", b.String(), want)
	}
}
