package importer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/khidi/khidi/internal/program"
)

// maxErrors is how many problems one file may have before the rest of it is
// only counted. A file with this many is of the wrong kind or broken
// throughout; a longer list helps nobody.
const maxErrors = 1000

// Set accumulates the records of several files and remembers where each
// came from, so that an id repeated in a later file, or a reference checked
// once every file is read, can point at the line to fix.
//
// The zero Set is empty and ready to use. A Set is not safe for concurrent
// use; files are read one after another.
type Set struct {
	// The records read so far that have no problem, normalised, in the
	// order they were read. Their ids are unique per kind.
	Organizations []program.Organization
	Participants  []program.Participant
	Communities   []program.Community

	// first holds, per kind, where every id was first given, including
	// ids of records that had problems: a row with a bad email still
	// claims its id, and a participant naming that organisation should
	// not get a second, misleading error.
	first map[Kind]map[string]Position
}

// Position returns where the record of kind k with the given id was first
// read, so that the caller can report later problems, such as a conflict
// found when writing, at the line to fix.
func (s *Set) Position(k Kind, id string) (Position, bool) {
	p, ok := s.first[k][id]
	return p, ok
}

// Read parses one file, CSV or JSON, named name (used in messages and to
// choose the format), and appends its records that have no problem to s.
// kind forces the kind of record; the empty Kind detects it from the CSV
// header or the JSON keys.
//
// Read returns nil, or a program.ErrorList (through ErrorList.Err, sorted)
// of every problem in the file, each at its line, so errors.Is(err,
// program.ErrInvalid) holds; records that were fine are appended even then,
// but the caller should write nothing while any file has errors. A failure
// of r itself is returned wrapped with the file name and does not wrap
// ErrInvalid; s is then left as it was before the call. A kind that is
// not one of Kinds is refused, before anything is read, with an error
// wrapping ErrInvalid (check the flag with ParseKind first).
func (s *Set) Read(name string, r io.Reader, kind Kind) error {
	if kind != "" && !kind.Valid() {
		_, err := ParseKind(string(kind))
		return fmt.Errorf("read %s: %w", name, err)
	}
	src := &sourceReader{r: r}
	br := bufio.NewReaderSize(src, 64<<10)
	fr := s.newFileReader(name)
	fr.read(br, kind)
	if src.err != nil {
		fr.undo()
		return fmt.Errorf("read %s: %w", name, src.err)
	}
	if fr.skipped > 0 {
		fr.errs = append(fr.errs, &program.InputError{File: name, Line: fr.skippedLine,
			Msg:  fmt.Sprintf("stopped checking after %d problems; %d more %s not checked", len(fr.errs), fr.skipped, plural(fr.skipped, fr.unit+" was", fr.unit+"s were")),
			Hint: "fix the problems above and import the file again",
		})
	}
	fr.errs.Sort()
	return fr.errs.Err()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sourceReader remembers the first failure of the reader it wraps, so that a
// broken disk or pipe is told apart from a broken file: encoding/csv and
// encoding/json pass reader errors through but also make their own.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// fileReader is the state of one call to Read.
type fileReader struct {
	set  *Set
	name string
	unit string // what a record is called in messages: "row" or "record"
	errs program.ErrorList

	// full is set once errs holds maxErrors; later records are only
	// counted, in skipped, from skippedLine on.
	full        bool
	skipped     int
	skippedLine int

	// What this file added, so that a read failure can take it back.
	lens  [3]int
	added []kindID
}

type kindID struct {
	kind Kind
	id   string
}

func (s *Set) newFileReader(name string) *fileReader {
	if s.first == nil {
		s.first = make(map[Kind]map[string]Position, 3)
	}
	return &fileReader{set: s, name: name, unit: "row",
		lens: [3]int{len(s.Organizations), len(s.Participants), len(s.Communities)}}
}

// undo removes what the file added.
func (fr *fileReader) undo() {
	s := fr.set
	s.Organizations = truncate(s.Organizations, fr.lens[0])
	s.Participants = truncate(s.Participants, fr.lens[1])
	s.Communities = truncate(s.Communities, fr.lens[2])
	for _, a := range fr.added {
		delete(s.first[a.kind], a.id)
	}
}

// truncate returns s[:n], or nil when n is 0 so that an untouched Set
// compares equal to a new one, and lets go of the records cut off.
func truncate[T any](s []T, n int) []T {
	if n == 0 {
		return nil
	}
	clear(s[n:])
	return s[:n]
}

// read chooses the format and parses the file.
func (fr *fileReader) read(br *bufio.Reader, kind Kind) {
	// A spreadsheet's "Unicode text" export is UTF-16: say so once
	// rather than reporting every cell as garbage.
	if b, _ := br.Peek(2); len(b) == 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		fr.add(1, "", "the file is UTF-16 text", hintUTF8)
		return
	}
	// Excel and Notepad start UTF-8 files with a byte-order mark, which
	// is not part of the first column's name.
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	switch strings.ToLower(filepath.Ext(fr.name)) {
	case ".csv":
		fr.readCSV(br, kind)
	case ".json":
		fr.readJSON(br, kind)
	default:
		if looksLikeJSON(br) {
			fr.readJSON(br, kind)
		} else {
			fr.readCSV(br, kind)
		}
	}
}

// looksLikeJSON reports whether the first character that is not white
// space is '{' or '['. A CSV header cannot start with either.
func looksLikeJSON(br *bufio.Reader) bool {
	for n := 1; n <= br.Size(); n++ {
		b, _ := br.Peek(n)
		if len(b) < n {
			return false
		}
		switch b[n-1] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// add records a problem of the file that is not about one record. It is
// called only while no checker is open (see checker).
func (fr *fileReader) add(line int, field, msg, hint string) {
	fr.errs = append(fr.errs, &program.InputError{File: fr.name, Line: line, Field: field, Msg: msg, Hint: hint})
	fr.full = len(fr.errs) >= maxErrors
}

// skip counts a record that is not checked because the file has too many
// problems already. The reader may skip a row before an earlier one is
// merged, so the first line is the least.
func (fr *fileReader) skip(line int) {
	if fr.skipped == 0 || line < fr.skippedLine {
		fr.skippedLine = line
	}
	fr.skipped++
}

// claim records that the record of kind k with the given id starts on
// line, unless an earlier record has that id: then it returns where.
func (fr *fileReader) claim(k Kind, id string, line int) (first Position, dup bool) {
	seen := fr.set.first[k]
	if seen == nil {
		seen = make(map[string]Position)
		fr.set.first[k] = seen
	}
	if first, dup := seen[id]; dup {
		return first, true
	}
	seen[id] = Position{fr.name, line}
	fr.added = append(fr.added, kindID{k, id})
	return Position{}, false
}

// baseField returns the column a Validate field names: "themes" for
// "themes[2]", "availability" for "availability[0].to".
func baseField(f string) string {
	if i := strings.IndexAny(f, "[."); i >= 0 {
		return f[:i]
	}
	return f
}

// CheckReferences reports every participant's organization_id and
// preference that names an organisation neither read into s nor stored,
// at the line of the participant's record. stored reports whether an
// organisation is already in the database; nil means none is.
//
// Organisations read into s count even when their own record had problems,
// since those problems are reported already. Call CheckReferences after
// every file is read: the organisations may come after the participants.
func (s *Set) CheckReferences(stored func(program.OrgID) bool) error {
	// The database is asked once per id the files do not define.
	asked := map[program.OrgID]bool{}
	known := func(id program.OrgID) bool {
		if _, read := s.first[Organizations][string(id)]; read {
			return true
		}
		ok, seen := asked[id]
		if !seen {
			ok = stored != nil && stored(id)
			asked[id] = ok
		}
		return ok
	}
	l := program.CheckPreferences(s.Participants, known)
	for _, e := range l {
		if p, ok := s.first[Participants][e.ID]; ok {
			e.File, e.Line = p.File, p.Line
		}
	}
	l.Sort()
	return l.Err()
}
