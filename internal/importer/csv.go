package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// readCSV reads a header and then every row.
func (fr *fileReader) readCSV(r io.Reader, kind Kind) {
	cr := csv.NewReader(r)
	// Rows with the wrong number of cells are reported here, with their
	// line, and skipped; the reader would otherwise fix the count from the
	// first row and say less.
	cr.FieldsPerRecord = -1
	// Cells become substrings of one string per row either way; reusing
	// the slice of them saves an allocation per row.
	cr.ReuseRecord = true

	hdr := fr.readHeader(cr)
	if hdr == nil {
		return
	}
	fr.checkHeader(hdr, kind)
	switch hdr.kind {
	case Organizations:
		readRows(fr, cr, orgSpec, hdr)
	case Participants:
		readRows(fr, cr, participantSpec, hdr)
	case Communities:
		readRows(fr, cr, communitySpec, hdr)
	}
}

// csvHeader is the first row of a CSV file.
type csvHeader struct {
	names []string // trimmed
	lines []int    // the line of each name
	kind  Kind     // what the rows hold; empty when they cannot be read
	// missing has bit i set for each required column i of the kind's
	// spec that is absent: rows do not report it once more per row, and
	// no row is kept.
	missing uint64
}

// readHeader reads the first row that is not empty. It returns nil, having
// reported why, when there is none or it cannot be read.
func (fr *fileReader) readHeader(cr *csv.Reader) *csvHeader {
	for {
		row, err := cr.Read()
		switch {
		case err == io.EOF:
			fr.add(1, "", "the file is empty", "export the sheet with its header row, the names of the columns")
			return nil
		case err != nil:
			// A failure of the reader is Read's to report; a header with
			// a broken quote cannot be trusted.
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				line, msg, hint := csvProblem(pe)
				fr.add(line, "", msg, hint)
			}
			return nil
		case blank(row):
			continue
		}
		h := &csvHeader{names: make([]string, len(row)), lines: make([]int, len(row))}
		for i, c := range row {
			h.names[i] = strings.TrimSpace(c)
			h.lines[i], _ = cr.FieldPos(i)
		}
		return h
	}
}

// csvProblem explains a csv.ParseError, which stands for a row that
// encoding/csv could not split into cells: a quote out of place.
func csvProblem(pe *csv.ParseError) (line int, msg, hint string) {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return pe.Line, `a quote (") inside a cell that does not start with one`,
			`write the cell in quotes and double the quote inside it, as in "the ""Kakheti"" group"; the row was skipped`
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		return pe.StartLine, fmt.Sprintf("a quoted cell starting on this line has no closing quote, or a quote in it is not doubled (found at line %d)", pe.Line),
			`close the quote, and write a quote inside a quoted cell as ""; the lines in between were skipped`
	case errors.Is(pe.Err, csv.ErrQuote):
		return pe.Line, "a quoted cell has text after its closing quote, or a quote in it is not doubled",
			`write a quote inside a quoted cell as "", as in "the ""Kakheti"" group"; the row was skipped`
	}
	return pe.Line, pe.Err.Error(), "fix the row"
}

// blank reports whether every cell of a row is empty or white space.
// Spreadsheets export empty rows below the data as lines of commas.
func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// checkHeader decides the kind of the file and checks its column names. It
// reports every problem, and sets h.kind when the rows can be read: the
// kind is known and the header names at least one of its columns. Rows are
// read even when some columns are wrong, so that one run reports the
// problems of the rows too.
func (fr *fileReader) checkHeader(h *csvHeader, kind Kind) {
	line := h.lines[0]
	if len(h.names) == 1 && strings.ContainsAny(h.names[0], ";\t") {
		sep := "';'"
		if strings.Contains(h.names[0], "\t") {
			sep = "tabs"
		}
		fr.add(line, "", "the header is a single column holding "+sep+": the cells are not separated by commas",
			"export the sheet as CSV with commas between cells (in LibreOffice choose the field delimiter ','; in Excel save as CSV UTF-8 (Comma delimited))")
		return
	}
	if kind == "" {
		if kind = fr.detectKind(h); kind == "" {
			return
		}
	}
	if fr.checkColumns(h, infoOf(kind), true) {
		h.kind = kind
	}
}

// detectKind returns the one kind whose required columns the header has,
// or reports why there is none.
func (fr *fileReader) detectKind(h *csvHeader) Kind {
	var matches []Kind
	for _, ki := range kindInfos {
		if hasAll(h.names, ki.required) {
			matches = append(matches, ki.kind)
		}
	}
	line := h.lines[0]
	switch len(matches) {
	case 1:
		return matches[0]
	case 0:
		best, bestN := kindInfos[0], 0
		for _, ki := range kindInfos {
			n := 0
			for _, name := range h.names {
				if foldMatch(ki.csv, name) != "" {
					n++
				}
			}
			if n > bestN {
				best, bestN = ki, n
			}
		}
		if bestN == 0 {
			hint := "the first row must name the columns; "
			for i, ki := range kindInfos {
				if i > 0 {
					hint += "; "
				}
				hint += string(ki.kind) + " files have " + strings.Join(ki.csv, ", ")
			}
			fr.add(line, "", "the header names none of the expected columns, so the kind of records cannot be told", hint)
			return ""
		}
		fr.add(line, "", "the header matches no kind of records; it is closest to "+string(best.kind),
			"fix the columns named in the other messages, or pass --kind; the rows were not checked")
		fr.checkColumns(h, best, false)
		return ""
	default:
		fr.add(line, "", "the header has the columns of both "+string(matches[0])+" and "+string(matches[1]),
			"keep one kind of records per file, or pass --kind; the rows were not checked")
		return ""
	}
}

func hasAll(names, want []string) bool {
	for _, w := range want {
		found := false
		for _, n := range names {
			if n == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// checkColumns reports empty, unknown, repeated and missing column names
// for kind ki. It returns whether the rows can still be read, which they
// can unless the header names no column at all of ki. When setMissing is
// set it records in h which columns are absent.
func (fr *fileReader) checkColumns(h *csvHeader, ki *kindInfo, setMissing bool) bool {
	expected := string(ki.kind) + " files have the columns " + strings.Join(ki.csv, ", ")
	seenAt := map[string]int{}
	known := 0
	unchecked := 0
	for i, name := range h.names {
		line := h.lines[i]
		if fr.full {
			// Only a file that is not CSV at all gets here.
			unchecked++
			continue
		}
		switch {
		case name == "":
			fr.add(line, "", fmt.Sprintf("column %d has no name", i+1), "name it or delete the column; "+expected)
		case ki.hasCSV(name):
			if j, dup := seenAt[name]; dup {
				fr.add(line, name, fmt.Sprintf("is column %d and again column %d", j+1, i+1), "delete one of them")
				continue
			}
			seenAt[name] = i
			known++
		case ki.hasJSONOnly(name):
			fr.add(line, name, "is not a CSV column", "availability windows and blackout dates can only be given in JSON; delete the column")
		default:
			hint := "delete or rename it; " + expected
			if m := foldMatch(ki.csv, name); m != "" {
				hint = "column names are lower-case: write " + strconv.Quote(m)
			}
			fr.add(line, name, "is not a column of "+string(ki.kind), hint)
		}
	}
	if unchecked > 0 {
		fr.add(h.lines[0], "", fmt.Sprintf("stopped checking the header after %d problems; %d more columns were not checked", len(fr.errs), unchecked),
			"check that the file is a CSV export of the sheet")
	}
	for i, c := range ki.columns {
		if c.jsonOnly {
			continue
		}
		if _, ok := seenAt[c.name]; ok || c.optional {
			// Absent optional columns take their default.
			continue
		}
		if setMissing {
			h.missing |= 1 << i
		}
		if foldMatch(h.names, c.name) != "" {
			// A name that differs only in case is reported above with
			// its fix.
			continue
		}
		fr.add(h.lines[0], c.name, "column is missing", "add it; "+expected)
	}
	return known > 0
}

// readRows reads every row after the header as a record of sp's kind.
func readRows[T any](fr *fileReader, cr *csv.Reader, sp *spec[T], h *csvHeader) {
	idx := make([]int, len(sp.columns)) // column → header index, -1 if absent
	idCol := -1
	for i, c := range sp.columns {
		idx[i] = -1
		if c.jsonOnly {
			continue
		}
		for j, name := range h.names {
			if name == c.name {
				idx[i] = j
				break
			}
		}
		if c.name == "id" {
			idCol = idx[i]
		}
	}
	c := newChecker(fr, sp)
	defer c.close()
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return // the reader failed; Read reports it
			}
			line, msg, hint := csvProblem(pe)
			c.problem(line, "", msg, hint)
			continue
		}
		if blank(row) {
			continue
		}
		line, _ := cr.FieldPos(0)
		if fr.full {
			fr.skip(line)
			continue
		}
		if len(row) != len(h.names) {
			id := ""
			if idCol >= 0 && idCol < len(row) {
				id = strings.TrimSpace(row[idCol])
			}
			c.problem(line, id, fmt.Sprintf("the row has %d cells, the header %d", len(row), len(h.names)),
				"check for a missing comma, or a cell holding a comma that is not in quotes; the row was skipped")
			continue
		}
		it, lines := c.next(line)
		it.failed = h.missing
		for i, col := range sp.columns {
			j := idx[i]
			if j < 0 {
				continue
			}
			// A quoted cell may hold newlines, so a cell's line is not
			// always the row's.
			lines[i], _ = cr.FieldPos(j)
			if msg, hint := setCell(col.field(&it.rec), strings.TrimSpace(row[j])); msg != "" {
				it.errs = append(it.errs, &program.InputError{File: fr.name, Line: lines[i], Field: col.name, Msg: msg, Hint: hint})
				it.failed |= 1 << i
			}
		}
	}
}
