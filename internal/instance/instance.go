// Package instance reads a solver benchmark file, an OR-Library assignment
// file or a DIMACS minimum-cost-flow file, and solves it with the matching
// exact solver, so that `khidi solve` and the benchmark programs treat both
// formats the same way.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/khidi/khidi/matcher/flow"
	"github.com/khidi/khidi/matcher/lap"
)

// Format names an instance file format.
type Format string

const (
	// Guess picks the format from the first character of the file.
	Guess Format = ""
	// ORLib is OR-Library's assignment format, dense or sparse.
	ORLib Format = "orlib"
	// DIMACS is the DIMACS minimum-cost-flow format ("p min").
	DIMACS Format = "dimacs"
)

// ErrFormat reports a format name that is neither orlib nor dimacs.
var ErrFormat = errors.New("unknown format")

// ParseFormat turns a --format value into a Format; "" means Guess.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Guess, ORLib, DIMACS:
		return f, nil
	}
	return "", fmt.Errorf("%w %q: use orlib or dimacs", ErrFormat, s)
}

// Problem is a parsed instance, ready to solve.
type Problem struct {
	Format Format
	// Exactly one of the three is set: an assignment goes to lap, dense or
	// sparse, and a flow network to flow.
	dense   *lap.Matrix
	sparse  *lap.Sparse
	network *flow.Network
}

// Read parses an instance in format f, guessing it when f is Guess: DIMACS
// files start with a c, p, n or a line, OR-Library files with a number.
// Parse errors are *lap.ParseError or *flow.ParseError, which carry the line.
func Read(r io.Reader, f Format) (*Problem, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if f == Guess {
		var err error
		if f, err = guess(br); err != nil {
			return nil, err
		}
	}
	switch f {
	case ORLib:
		in, err := lap.ReadORLib(br)
		if err != nil {
			return nil, err
		}
		if in.Dense != nil {
			return &Problem{Format: f, dense: in.Dense}, nil
		}
		// ReadORLib has checked the indices and duplicates, with lines, so
		// this cannot fail; a dense matrix of n² cells would waste memory on
		// the cells not listed.
		s, err := lap.NewSparse(in.N, in.N, in.Sparse)
		if err != nil {
			return nil, err
		}
		return &Problem{Format: f, sparse: s}, nil
	case DIMACS:
		n, err := flow.ReadDIMACS(br)
		if err != nil {
			return nil, err
		}
		return &Problem{Format: f, network: n}, nil
	}
	return nil, fmt.Errorf("%w %q: use orlib or dimacs", ErrFormat, f)
}

// guess peeks at the first character that is not white space.
func guess(br *bufio.Reader) (Format, error) {
	for i := 1; ; i++ {
		b, err := br.Peek(i)
		if len(b) < i {
			switch err {
			case nil, io.EOF:
				return "", errors.New("empty file: expected an OR-Library or DIMACS instance")
			case bufio.ErrBufferFull:
				return "", fmt.Errorf("only blank space in the first %d bytes: pass --format orlib or --format dimacs", br.Size())
			}
			return "", err
		}
		switch c := b[i-1]; {
		case c == ' ' || c >= '\t' && c <= '\r': // as the readers count blanks: \t \n \v \f \r
			continue
		case c >= '0' && c <= '9':
			return ORLib, nil
		case c == 'c' || c == 'p' || c == 'n' || c == 'a':
			return DIMACS, nil
		default:
			return "", fmt.Errorf("cannot tell the format from %q at the start of the file: pass --format orlib or --format dimacs", c)
		}
	}
}

// Solution is an optimal solution of a Problem.
type Solution struct {
	Cost    int64
	problem *Problem
	assign  *lap.Solution
	flows   *flow.Result
}

// Solve finds an optimal solution. An infeasible or unbounded instance
// returns the solver's error (lap.ErrInfeasible, flow.ErrInfeasible,
// flow.ErrUnbounded), which names where it failed.
func (p *Problem) Solve(opts *flow.Options) (*Solution, error) {
	var sol *Solution
	var err error
	switch {
	case p.network != nil:
		var res *flow.Result
		if res, err = flow.MinCostFlow(p.network, opts); err == nil {
			sol = &Solution{Cost: res.Cost, problem: p, flows: res}
		}
	default:
		var res *lap.Solution
		if p.dense != nil {
			res, err = lap.Solve(p.dense, nil)
		} else {
			res, err = lap.SolveSparse(p.sparse, nil)
		}
		if err == nil {
			sol = &Solution{Cost: res.Cost, problem: p, assign: res}
		}
	}
	if err != nil {
		return nil, inFileNumbers(err)
	}
	return sol, nil
}

// fileNumberedError rewords a solver's infeasibility detail, which counts
// rows, columns and nodes from 0, in the file's numbering, which counts from
// 1. It unwraps to the solver's error, so errors.As still finds it.
type fileNumberedError struct {
	err error
	msg string
}

func (e *fileNumberedError) Error() string { return e.msg }
func (e *fileNumberedError) Unwrap() error { return e.err }

func inFileNumbers(err error) error {
	var hall *lap.InfeasibleError
	var stuck *flow.InfeasibleError
	switch {
	case errors.As(err, &hall):
		return &fileNumberedError{err, hall.Numbered(1) + ", counted as in the file"}
	case errors.As(err, &stuck):
		return &fileNumberedError{err, fmt.Sprintf("%v: node %d of the file cannot send all its supply to the demands (%d units stranded); check the capacities on its paths",
			flow.ErrInfeasible, stuck.Node+1, stuck.Units)}
	}
	return err
}

// cellCost returns the cost of cell (i, j) of an assignment problem.
func (p *Problem) cellCost(i, j int) int64 {
	var c int64
	if p.sparse != nil {
		c, _ = p.sparse.At(i, j)
	} else {
		c, _ = p.dense.At(i, j)
	}
	return c
}

// Verify checks the solution's optimality certificate against the problem:
// feasibility, and reduced-cost optimality of its dual values.
func (s *Solution) Verify() error {
	switch {
	case s.problem.dense != nil:
		return lap.Verify(s.problem.dense, nil, s.assign)
	case s.problem.sparse != nil:
		return lap.VerifySparse(s.problem.sparse, nil, s.assign)
	}
	return flow.Verify(s.problem.network, s.flows)
}

// WriteTo writes the solution: for an assignment "c optimal cost N" and
// then one line "row column cost" per row, in row order (1-based, as in
// OR-Library files); for a flow the DIMACS solution
// format, "s COST" and then "f FROM TO FLOW" for every arc that carries flow.
func (s *Solution) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	cw := &countingWriter{w: bw}
	var buf []byte
	line := func(parts ...int64) {
		buf = buf[:0]
		for k, v := range parts {
			if k > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, v, 10)
		}
		buf = append(buf, '\n')
		cw.Write(buf)
	}
	switch {
	case s.assign != nil:
		fmt.Fprintf(cw, "c optimal cost %d\n", s.Cost)
		for i, j := range s.assign.RowToCol {
			line(int64(i+1), int64(j+1), s.problem.cellCost(i, j))
		}
	default:
		fmt.Fprintf(cw, "s %d\n", s.Cost)
		n := s.problem.network
		for k, f := range s.flows.Flow {
			if f != 0 {
				a := n.Arc(k)
				cw.Write([]byte("f "))
				line(int64(a.From+1), int64(a.To+1), f)
			}
		}
	}
	if cw.err != nil {
		return cw.n, cw.err
	}
	return cw.n, bw.Flush()
}

// countingWriter keeps the first write error so WriteTo can check once.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}
