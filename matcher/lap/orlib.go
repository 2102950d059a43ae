package lap

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Instance is an OR-Library assignment instance: N rows to assign to N
// columns, one each, at the least total cost. Exactly one of Dense and
// Sparse is set.
type Instance struct {
	N      int
	Dense  *Matrix // every cell allowed
	Sparse []Edge  // the allowed cells, in file order; the others are forbidden
}

// Edge is one allowed cell of a sparse instance, with 0-based indices.
type Edge struct {
	Row, Col int
	Cost     int64
}

// Matrix returns the instance as a matrix: Dense itself when it is set,
// otherwise a new N×N matrix in which the listed edges are the only allowed
// cells. That takes N² cells (8N² bytes) however few the edges, 200 MB for
// OR-Library's largest, assignp5000; a sparse instance is better solved as
// NewSparse(in.N, in.N, in.Sparse) with SolveSparse, in memory linear in
// the edges.
func (in *Instance) Matrix() *Matrix {
	if in.Dense != nil {
		return in.Dense
	}
	m := NewMatrix(in.N, in.N)
	m.forbidAll()
	for _, e := range in.Sparse {
		m.Set(e.Row, e.Col, e.Cost)
	}
	return m
}

// ParseError is an error in an OR-Library file, with the line where it was
// found (1-based), in the style of encoding/csv.
type ParseError struct {
	Line int
	Err  error
}

// Error returns "line N: " and the underlying error.
func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// MaxORLibN is the largest n ReadORLib accepts: about a million rows, far
// beyond a national round, yet small enough that a file of a few bytes
// claiming n cannot make the solver allocate gigabytes for its per-row
// arrays. It also keeps n² far from overflowing.
const MaxORLibN = 1 << 20

// ReadORLib reads an OR-Library assignment file: whitespace-separated
// integers with arbitrary line breaks, the first being n. A dense file
// (assign100 … assign800) continues with the n² costs row by row. A sparse
// file (assignp800 …) continues with triples "i j cost", 1-based, one per
// allowed cell; duplicate cells are an error.
//
// The two are told apart by the count of numbers after n: exactly n² means
// dense, even when n² is also a multiple of 3 (a sparse file would then list
// n²/3 cells, a third of the matrix, which OR-Library's never do); otherwise
// a multiple of 3 means sparse; anything else is an error. Errors are
// *ParseError values naming the line and what was expected, including a cost
// beyond MaxCost(n), which Solve would refuse (the error wraps ErrCostRange).
func ReadORLib(r io.Reader) (*Instance, error) {
	t := newTokenizer(r)
	var first [1]int64
	k, err := t.read(first[:])
	n := first[0]
	switch {
	case err != nil:
		return nil, err
	case k == 0:
		return nil, &ParseError{Line: t.line, Err: errors.New("expected n, the number of rows, found end of input")}
	case n <= 0:
		return nil, &ParseError{Line: t.line, Err: fmt.Errorf("expected n > 0, found %d", n)}
	case n > MaxORLibN:
		return nil, &ParseError{Line: t.line, Err: fmt.Errorf("n = %d is too large: at most %d", n, MaxORLibN)}
	}
	nn := int(n * n)
	lastLine := t.line                            // the line of the last number, for errors at the end
	t.lines, t.count, t.bound = t.lines[:0], 0, 0 // number the costs from 0

	// The numbers are kept as read: for a dense file the slice becomes the
	// matrix itself. When the first buffer fills, the lines so far suggest
	// the format: OR-Library's sparse files put one triple on a line, dense
	// files many costs. A dense-looking file gets capacity for n² numbers at
	// once (up to 2^25 of them, 256 MB), so it ends with one copy of the
	// first 2^16 numbers and no spare capacity; otherwise capacity grows
	// fourfold, stopping at n² on the way, so a sparse file, whose n² may be
	// huge, wastes at most three quarters. A wrong guess costs memory or a
	// copy, never correctness.
	vals := make([]int64, 0, min(nn, 1<<16))
	for {
		k, err := t.read(vals[len(vals):cap(vals)])
		if err != nil {
			return nil, err
		}
		vals = vals[:len(vals)+k]
		if len(vals) < cap(vals) {
			break // the end of the input
		}
		var more [1]int64
		if k, err = t.read(more[:]); err != nil {
			return nil, err
		} else if k == 0 {
			break
		}
		c := 4 * cap(vals)
		if len(vals) < nn {
			c = min(c, nn)
			if len(t.lines) < len(vals)/3 && nn <= 1<<25 {
				c = nn // dense-looking
			}
		}
		vals = append(append(make([]int64, 0, c), vals...), more[0])
	}
	lines, bound := t.lines, t.bound
	if len(lines) > 0 {
		lastLine = lines[len(lines)-1].line
	}

	count := len(vals)
	if limit := MaxCost(int(n)); bound > limit {
		if perr := costOutOfRange(int(n), vals, lines, count == nn, limit); perr != nil {
			return nil, perr
		}
	}
	switch {
	case count == nn:
		return &Instance{N: int(n), Dense: &Matrix{rows: int(n), cols: int(n), cost: vals, bound: bound}}, nil
	case count == 0:
		return nil, &ParseError{Line: lastLine, Err: fmt.Errorf("expected %d costs (dense) or i j cost triples (sparse) after n = %d, found none", nn, n)}
	case count%3 != 0 && count < nn:
		return nil, &ParseError{Line: lastLine, Err: fmt.Errorf("expected %d costs, found %d", nn, count)}
	case count%3 != 0:
		return nil, &ParseError{Line: lastLine, Err: fmt.Errorf("found %d numbers after n = %d: neither n² = %d costs (dense) nor i j cost triples (sparse)", count, n, nn)}
	}
	edges, perr := sparseEdges(int(n), vals, lines)
	if perr != nil {
		if nn/2 <= count && count < nn {
			// Nearly n² numbers: perhaps a dense file that lost some.
			perr.Err = fmt.Errorf("%w; read as sparse i j cost triples because there are %d numbers after n, not n² = %d", perr.Err, count, nn)
		}
		return nil, perr
	}
	return &Instance{N: int(n), Sparse: edges}, nil
}

// costOutOfRange returns a *ParseError for the first cost beyond limit,
// which Solve would refuse with ErrCostRange; only the reader knows its
// line. In a sparse file only every third number is a cost.
func costOutOfRange(n int, vals []int64, lines []lineMark, dense bool, limit int64) *ParseError {
	for k, c := range vals {
		if !dense && k%3 != 2 || -limit <= c && c <= limit {
			continue
		}
		where := fmt.Sprintf("row %d, column %d", k/n+1, k%n+1)
		if !dense {
			where = fmt.Sprintf("row %d, column %d", vals[k-2], vals[k-1])
		}
		return &ParseError{Line: lineOf(lines, k), Err: fmt.Errorf("%w: cost %d (%s) exceeds %d, the largest |cost| an exact solve of n = %d allows",
			ErrCostRange, c, where, limit, n)}
	}
	return nil
}

// lineMark records that vals[index] is the first number on line line.
type lineMark struct{ index, line int }

// lineOf returns the line of vals[k].
func lineOf(lines []lineMark, k int) int {
	p, found := slices.BinarySearchFunc(lines, k, func(m lineMark, k int) int { return cmp.Compare(m.index, k) })
	if !found {
		p--
	}
	return lines[p].line
}

// sparseEdges turns the triples in vals into 0-based edges, checking
// indices and duplicates.
func sparseEdges(n int, vals []int64, lines []lineMark) ([]Edge, *ParseError) {
	edges := make([]Edge, len(vals)/3)
	for e := range edges {
		i, j := vals[3*e], vals[3*e+1]
		if i < 1 || i > int64(n) {
			return nil, &ParseError{Line: lineOf(lines, 3*e), Err: fmt.Errorf("row index %d outside 1..%d", i, n)}
		}
		if j < 1 || j > int64(n) {
			return nil, &ParseError{Line: lineOf(lines, 3*e+1), Err: fmt.Errorf("column index %d outside 1..%d", j, n)}
		}
		edges[e] = Edge{Row: int(i - 1), Col: int(j - 1), Cost: vals[3*e+2]}
	}

	if dup, first := firstDuplicate(edges); dup >= 0 {
		e := edges[dup]
		return nil, &ParseError{Line: lineOf(lines, 3*dup), Err: fmt.Errorf("duplicate arc %d %d (first given on line %d)", e.Row+1, e.Col+1, lineOf(lines, 3*first))}
	}
	return edges, nil
}

// tokenizer reads whitespace-separated integers. It is hand-rolled because
// a 4000×4000 file holds 16 million numbers: splitting strings, or a method
// call per number, would cost more than the solve.
type tokenizer struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	line     int // line of the byte at pos, from 1

	count int        // numbers read so far
	lines []lineMark // where each line's first number sits in the count
	bound int64      // the largest |number| read, for Matrix.bound
}

// maxToken is the longest token the tokenizer parses in place; the longest
// int64 has 20 characters, so anything longer is an error anyway.
const maxToken = 64

func newTokenizer(r io.Reader) *tokenizer {
	return &tokenizer{r: r, buf: make([]byte, 1<<16), line: 1}
}

func isSpace(c byte) bool { return c == ' ' || c-'\t' <= '\r'-'\t' }

// fill moves the unread bytes to the front of the buffer and reads until at
// least maxToken bytes are buffered or the input ends.
func (t *tokenizer) fill() error {
	t.end = copy(t.buf, t.buf[t.pos:t.end])
	t.pos = 0
	for empty := 0; !t.eof && t.end < maxToken; {
		k, err := t.r.Read(t.buf[t.end:])
		t.end += k
		switch {
		case err == io.EOF:
			t.eof = true
		case err != nil:
			return &ParseError{Line: t.line, Err: err}
		case k > 0:
			empty = 0
		default:
			// Like bufio.Reader, give up on a reader that keeps returning
			// nothing and no error.
			if empty++; empty == 100 {
				return &ParseError{Line: t.line, Err: io.ErrNoProgress}
			}
		}
	}
	return nil
}

// read parses numbers into dst until it is full or the input ends, and
// returns how many it parsed. The loop works on local copies of the
// tokenizer's fields, which the compiler keeps in registers.
func (t *tokenizer) read(dst []int64) (int, error) {
	buf, pos, end, line := t.buf, t.pos, t.end, t.line
	marked := -1 // the line last recorded in t.lines
	if len(t.lines) > 0 {
		marked = t.lines[len(t.lines)-1].line
	}
	bound := t.bound
	k := 0
	for k < len(dst) {
		// Parse in place only once the whole token is surely buffered.
		if end-pos < maxToken && !t.eof {
			t.pos, t.end, t.line = pos, end, line
			if err := t.fill(); err != nil {
				return k, err
			}
			buf, pos, end = t.buf, t.pos, t.end
		}
		for pos < end && isSpace(buf[pos]) {
			if buf[pos] == '\n' {
				line++
			}
			pos++
		}
		if pos == end {
			if t.eof {
				break
			}
			continue
		}
		if end-pos < maxToken && !t.eof {
			continue
		}

		b := buf[pos:end]
		p := 0
		neg := b[0] == '-'
		if neg || b[0] == '+' {
			p++
		}
		start := p
		var u uint64
		for p < len(b) && p-start < 19 { // 19 digits cannot overflow a uint64
			d := b[p] - '0'
			if d > 9 {
				break
			}
			u = u*10 + uint64(d)
			p++
		}
		if p == start || (p < len(b) && !isSpace(b[p])) || u > 1<<63-1 && !(neg && u == 1<<63) {
			t.line = line
			return k, t.badToken(b)
		}
		pos += p
		v := int64(u)
		if neg {
			v = -v // u == 2^63 gives math.MinInt64, as wanted
		}
		if line != marked {
			t.lines = append(t.lines, lineMark{index: t.count + k, line: line})
			marked = line
		}
		if v > bound || v < -bound {
			bound = absSat(v)
		}
		dst[k] = v
		k++
	}
	t.pos, t.end, t.line = pos, end, line
	t.count += k
	t.bound = bound
	return k, nil
}

// badToken reports the token at the start of b, which is not an int64.
func (t *tokenizer) badToken(b []byte) error {
	k := 0
	for k < len(b) && !isSpace(b[k]) {
		k++
	}
	tok := string(b[:min(k, 32)])
	if k > 32 {
		tok += "…"
	}
	what := "an integer"
	if isInteger(b[:k]) && (k < len(b) || t.eof) {
		what = "an integer that fits in 64 bits"
	}
	return &ParseError{Line: t.line, Err: fmt.Errorf("expected %s, found %q", what, tok)}
}

func isInteger(b []byte) bool {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
