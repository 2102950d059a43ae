package flow

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
)

// MaxDIMACSNodes is the largest node count ReadDIMACS accepts on a "p" line.
// A network needs a few words per node, so a larger count in a file that is
// only a few bytes long would turn one typo into gigabytes of memory; no
// khidi round comes near it.
const MaxDIMACSNodes = 1 << 22

// dimacsArcPrealloc caps how many arcs ReadDIMACS reserves from the "p"
// line's promise; beyond it storage grows as arcs are actually read.
const dimacsArcPrealloc = 1 << 20

// dimacsMaxLine is the longest line ReadDIMACS accepts, in bytes.
const dimacsMaxLine = 1 << 16

// ParseError is the error ReadDIMACS returns for a malformed file. Line is
// 1-based. Err says what was expected and what was found.
type ParseError struct {
	Line int
	Err  error
}

// Error returns the error as "line 12: expected …".
func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns Err.
func (e *ParseError) Unwrap() error { return e.Err }

// ReadDIMACS reads a minimum-cost-flow problem in the DIMACS format:
//
//	c any comment
//	p min NODES ARCS
//	n ID FLOW           (supply FLOW at node ID; demands are negative)
//	a SRC DST LOW CAP COST
//
// Node IDs are 1-based in the file and 0-based in the returned network; arc
// indices follow the order of the "a" lines. Blank lines and comments may
// appear anywhere; the "p" line must come before any "n" or "a" line, and
// each node has at most one "n" line. CAP may be any value up to
// math.MaxInt64 (Unbounded). The count of "a" lines must equal ARCS, and
// NODES must not exceed MaxDIMACSNodes.
//
// Errors are *ParseError values naming the line and what was expected. An
// error from r is returned wrapped in a *ParseError as well.
func ReadDIMACS(r io.Reader) (*Network, error) {
	d := dimacsReader{br: bufio.NewReaderSize(r, dimacsMaxLine)}
	return d.read()
}

type dimacsReader struct {
	br      *bufio.Reader
	line    int
	net     *Network
	pLine   int
	arcs    int64 // promised by the p line
	nodes   int64
	maxCost int64  // the largest |COST| MinCostFlow accepts for nodes
	hasNode []bool // n line seen, allocated at the first n line
	rest    []byte // unread part of the current line
}

func (d *dimacsReader) errorf(format string, args ...any) error {
	return &ParseError{Line: d.line, Err: fmt.Errorf(format, args...)}
}

func (d *dimacsReader) read() (*Network, error) {
	for {
		line, err := d.br.ReadSlice('\n')
		if len(line) > 0 || err == nil {
			d.line++
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, d.errorf("line longer than %d bytes", dimacsMaxLine)
		}
		if len(line) > 0 {
			if perr := d.parseLine(line); perr != nil {
				return nil, perr
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &ParseError{Line: d.line, Err: err}
		}
	}
	if d.net == nil {
		// An empty file has no line 0: report its first line.
		return nil, &ParseError{Line: max(d.line, 1), Err: errors.New("missing p line: expected \"p min NODES ARCS\"")}
	}
	if found := int64(d.net.NumArcs()); found != d.arcs {
		return nil, &ParseError{Line: d.pLine, Err: fmt.Errorf("p line promised %d arcs, found %d", d.arcs, found)}
	}
	return d.net, nil
}

func (d *dimacsReader) parseLine(line []byte) error {
	d.rest = line
	kind, ok := d.token()
	if !ok {
		return nil // blank line
	}
	if len(kind) != 1 {
		return d.errorf("expected a line type c, p, n or a, found %q", kind)
	}
	switch kind[0] {
	case 'c':
		return nil
	case 'p':
		return d.parseProblem()
	case 'n':
		return d.parseNode()
	case 'a':
		return d.parseArc()
	}
	return d.errorf("expected a line type c, p, n or a, found %q", kind)
}

func (d *dimacsReader) parseProblem() error {
	if d.net != nil {
		return d.errorf("duplicate p line (first on line %d)", d.pLine)
	}
	kind, ok := d.token()
	if !ok {
		return d.errorf("expected \"p min NODES ARCS\", found no problem type")
	}
	if string(kind) != "min" {
		return d.errorf("expected problem type \"min\" in \"p min NODES ARCS\", found %q", kind)
	}
	nodes, err := d.int("NODES in \"p min NODES ARCS\"")
	if err != nil {
		return err
	}
	arcs, err := d.int("ARCS in \"p min NODES ARCS\"")
	if err != nil {
		return err
	}
	if err := d.end("p min NODES ARCS"); err != nil {
		return err
	}
	if nodes < 0 || nodes > MaxDIMACSNodes {
		return d.errorf("expected NODES in 0..%d, found %d", MaxDIMACSNodes, nodes)
	}
	if arcs < 0 || arcs > MaxArcs {
		return d.errorf("expected ARCS in 0..%d, found %d", MaxArcs, arcs)
	}
	d.pLine, d.nodes, d.arcs = d.line, nodes, arcs
	d.maxCost = costBudget / (nodes + 2)
	d.net = NewNetwork(int(nodes))
	d.net.grow(int(min(arcs, dimacsArcPrealloc)))
	return nil
}

func (d *dimacsReader) parseNode() error {
	if d.net == nil {
		return d.errorf("expected the p line before the first n line")
	}
	id, err := d.node("ID in \"n ID FLOW\"")
	if err != nil {
		return err
	}
	supply, err := d.int("FLOW in \"n ID FLOW\"")
	if err != nil {
		return err
	}
	if err := d.end("n ID FLOW"); err != nil {
		return err
	}
	if d.hasNode == nil {
		d.hasNode = make([]bool, d.nodes)
	}
	if d.hasNode[id] {
		return d.errorf("duplicate n line for node %d", id+1)
	}
	d.hasNode[id] = true
	d.net.supply[id] = supply
	return nil
}

func (d *dimacsReader) parseArc() error {
	if d.net == nil {
		return d.errorf("expected the p line before the first a line")
	}
	if int64(d.net.NumArcs()) >= d.arcs {
		return d.errorf("p line (line %d) promised %d arcs, found more", d.pLine, d.arcs)
	}
	const shape = "\"a SRC DST LOW CAP COST\""
	src, err := d.node("SRC in " + shape)
	if err != nil {
		return err
	}
	dst, err := d.node("DST in " + shape)
	if err != nil {
		return err
	}
	low, err := d.int("LOW in " + shape)
	if err != nil {
		return err
	}
	capacity, err := d.int("CAP in " + shape)
	if err != nil {
		return err
	}
	cost, err := d.int("COST in " + shape)
	if err != nil {
		return err
	}
	if err := d.end("a SRC DST LOW CAP COST"); err != nil {
		return err
	}
	if low < 0 {
		return d.errorf("expected LOW >= 0, found %d", low)
	}
	if capacity < low {
		return d.errorf("expected CAP >= LOW, found LOW %d > CAP %d", low, capacity)
	}
	// MinCostFlow would refuse this cost too, but only here is the line
	// known, so the file's author learns where to look.
	if cost > d.maxCost || cost < -d.maxCost {
		return d.errorf("COST %d is out of range: a network of %d nodes allows |COST| <= %d", cost, d.nodes, d.maxCost)
	}
	n := d.net
	n.from = append(n.from, int32(src))
	n.to = append(n.to, int32(dst))
	n.lower = append(n.lower, low)
	n.capacity = append(n.capacity, capacity)
	n.cost = append(n.cost, cost)
	return nil
}

// token returns the next space-separated field of the current line.
func (d *dimacsReader) token() ([]byte, bool) {
	s := d.rest
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	d.rest = s[j:]
	if i == j {
		return nil, false
	}
	return s[i:j], true
}

// end reports an error if the current line has more fields.
func (d *dimacsReader) end(shape string) error {
	if tok, ok := d.token(); ok {
		return d.errorf("expected %q, found extra field %q", shape, tok)
	}
	return nil
}

// node reads a 1-based node ID and returns it 0-based.
func (d *dimacsReader) node(what string) (int, error) {
	v, err := d.int(what)
	if err != nil {
		return 0, err
	}
	if v < 1 || v > d.nodes {
		return 0, d.errorf("expected %s in 1..%d, found %d", what, d.nodes, v)
	}
	return int(v - 1), nil
}

// int reads a decimal int64 field.
func (d *dimacsReader) int(what string) (int64, error) {
	tok, ok := d.token()
	if !ok {
		return 0, d.errorf("expected %s, found end of line", what)
	}
	v, ok := parseInt64(tok)
	if !ok {
		return 0, d.errorf("expected an integer for %s, found %q", what, tok)
	}
	return v, nil
}

// parseInt64 parses an optionally signed decimal integer, rejecting overflow.
func parseInt64(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var v uint64
	for _, c := range b {
		c -= '0'
		if c > 9 {
			return 0, false
		}
		if v > (limit-uint64(c))/10 {
			return 0, false
		}
		v = v*10 + uint64(c)
	}
	if neg {
		return int64(-v), true
	}
	return int64(v), true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}
