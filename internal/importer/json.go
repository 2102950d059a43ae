package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/khidi/khidi/internal/program"
)

// jsonReader walks a JSON file with json.Decoder's Token, More and Decode,
// one record and one field at a time.
//
// The file is held in memory (a national round is tens of megabytes): lines
// are counted from json.Decoder.InputOffset in it, and a syntax error is
// located by scanning it again from the start, because the offset in a
// json.SyntaxError that Decoder.Decode returns counts the bytes of every
// earlier Decode, not the position in the file.
type jsonReader struct {
	fr   *fileReader
	data []byte
	dec  *json.Decoder
	// lineAt counts newlines from off, where the line is line, so that a
	// pass over the file counts each newline once.
	off  int64
	line int
	// broken is set once a syntax error is reported; nothing after it
	// can be read.
	broken bool
}

// readJSON reads a whole JSON file.
func (fr *fileReader) readJSON(r io.Reader, kind Kind) {
	fr.unit = "record"
	data, err := io.ReadAll(r)
	if err != nil {
		return // the reader failed; Read reports it
	}
	jr := &jsonReader{fr: fr, data: data, dec: json.NewDecoder(bytes.NewReader(data)), line: 1}
	if !utf8.Valid(data) {
		// encoding/json would quietly turn the bad bytes into U+FFFD.
		bad := 0
		for bad < len(data) {
			r, n := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			bad += n
		}
		fr.add(jr.lineAt(int64(bad)), "", "the file is not UTF-8 text", hintUTF8)
	}
	jr.top(kind)
}

// lineAt returns the 1-based line of byte offset off.
func (jr *jsonReader) lineAt(off int64) int {
	off = max(0, min(off, int64(len(jr.data))))
	if off >= jr.off {
		jr.line += bytes.Count(jr.data[jr.off:off], []byte{'\n'})
	} else {
		jr.line -= bytes.Count(jr.data[off:jr.off], []byte{'\n'})
	}
	jr.off = off
	return jr.line
}

// token returns the next token, reporting a syntax error; ok is false
// once the file cannot be read further.
func (jr *jsonReader) token() (t json.Token, ok bool) {
	t, err := jr.dec.Token()
	if err != nil {
		jr.syntaxError()
		return nil, false
	}
	return t, true
}

// top reads the top-level value: an object of arrays by kind, or an array
// of records of the given kind.
func (jr *jsonReader) top(kind Kind) {
	t, err := jr.dec.Token()
	if err == io.EOF {
		jr.fr.add(1, "", "the file is empty", `write {"participants": [...]} with the records in the list`)
		return
	}
	if err != nil {
		jr.syntaxError()
		return
	}
	line := jr.lineAt(jr.dec.InputOffset() - 1)
	switch t {
	case json.Delim('{'):
		for jr.dec.More() {
			t, ok := jr.token()
			if !ok {
				return
			}
			key, _ := t.(string) // a key is always a string
			keyLine := jr.lineAt(jr.dec.InputOffset())
			k := Kind(key)
			switch {
			case !k.Valid():
				hint := `the keys are "organizations", "participants" and "communities"`
				if m := foldMatch([]string{string(Organizations), string(Participants), string(Communities)}, key); m != "" {
					hint = "keys are lower-case: write " + strconv.Quote(m)
				} else if alias, ok := kindAliases[strings.ToLower(key)]; ok {
					hint = "write " + strconv.Quote(string(alias))
				}
				jr.fr.add(keyLine, "", "unknown key "+strconv.Quote(key)+"; its value was not read", hint)
				if !jr.skipValue() {
					return
				}
			case kind != "" && k != kind:
				jr.fr.add(keyLine, "", "holds "+key+" but the file was read as "+string(kind)+"; its value was not read",
					"leave out --kind, or put the "+key+" in a file of their own")
				if !jr.skipValue() {
					return
				}
			default:
				if !jr.array(k, keyLine) {
					return
				}
			}
		}
		if _, ok := jr.token(); !ok { // '}'
			return
		}
	case json.Delim('['):
		if kind == "" {
			jr.fr.add(line, "", "the file is a bare list of records, so what they are cannot be told",
				`pass --kind, or wrap the list in an object: {"participants": [...]}`)
			return
		}
		if !jr.records(kind) {
			return
		}
	default:
		jr.fr.add(line, "", "the file holds "+describe(t)+", not an object or a list of records",
			`write {"participants": [...]} with the records in the list`)
		return
	}
	// One value per file: a second one is most likely a second export
	// pasted on the end.
	if t, err := jr.dec.Token(); err != io.EOF {
		if err != nil {
			jr.syntaxError()
			return
		}
		jr.fr.add(jr.lineAt(jr.dec.InputOffset()-1), "", "more JSON ("+describe(t)+") follows the end of the file's value",
			"put everything in one object, or delete what follows")
	}
}

// describe names a token for a message.
func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "a list"
		}
		return strconv.Quote(v.String())
	case string:
		return "a string"
	case nil:
		return "null"
	case bool:
		return "true or false"
	}
	return "a number"
}

// skipValue skips the next value whole.
func (jr *jsonReader) skipValue() bool {
	var raw json.RawMessage
	if err := jr.dec.Decode(&raw); err != nil {
		jr.syntaxError()
		return false
	}
	return true
}

// skipRest skips the rest of a value whose first token was t. It returns
// the decoder's error, for the caller to report once it may.
func (jr *jsonReader) skipRest(t json.Token) error {
	if d, ok := t.(json.Delim); !ok || d == '}' || d == ']' {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := jr.dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// array reads the list under a top-level key.
func (jr *jsonReader) array(k Kind, keyLine int) bool {
	t, ok := jr.token()
	if !ok {
		return false
	}
	if t != json.Delim('[') {
		jr.fr.add(keyLine, "", string(k)+" is "+describe(t)+", not a list of records",
			`write "`+string(k)+`": [{...}, {...}]`)
		if err := jr.skipRest(t); err != nil {
			jr.syntaxError()
			return false
		}
		return true
	}
	return jr.records(k)
}

// records reads the records of a list whose '[' has been read, and its ']'.
func (jr *jsonReader) records(k Kind) bool {
	switch k {
	case Organizations:
		return readRecords(jr, orgSpec)
	case Participants:
		return readRecords(jr, participantSpec)
	}
	return readRecords(jr, communitySpec)
}

// readRecords reads the records of a list whose '[' has been read, and
// its ']'. It returns false, having reported why, if the file cannot be
// read further.
func readRecords[T any](jr *jsonReader, sp *spec[T]) bool {
	fr := jr.fr
	c := newChecker(fr, sp)
	// The checker must be closed before a syntax error is reported, so
	// that the error comes after every record before it.
	broken := func() bool {
		c.close()
		jr.syntaxError()
		return false
	}
	// brokenIn is broken inside a record, which is dropped unchecked.
	brokenIn := func() bool {
		c.cancel()
		return broken()
	}
	names := fieldNames(sp)
	for jr.dec.More() {
		t, err := jr.dec.Token()
		if err != nil {
			return broken()
		}
		line := jr.lineAt(jr.dec.InputOffset() - 1)
		if t != json.Delim('{') {
			c.problem(line, "", "a record is "+describe(t)+", not an object", `write each record as {"id": "...", ...}`)
			if err := jr.skipRest(t); err != nil {
				return broken()
			}
			continue
		}
		if fr.full {
			fr.skip(line)
			if err := jr.skipRest(t); err != nil {
				return broken()
			}
			continue
		}
		it, lines := c.next(line)
		var given, seen uint64
		for jr.dec.More() {
			t, err := jr.dec.Token()
			if err != nil {
				return brokenIn()
			}
			key, _ := t.(string) // a key is always a string
			keyLine := jr.lineAt(jr.dec.InputOffset())
			var raw json.RawMessage
			if err := jr.dec.Decode(&raw); err != nil {
				return brokenIn()
			}
			col := sp.col(key)
			switch {
			case col < 0:
				hint := "delete it; " + string(sp.kind) + " records have the fields " + strings.Join(names, ", ")
				if m := foldMatch(names, key); m != "" {
					hint = "field names are lower-case: write " + strconv.Quote(m)
				}
				it.errs = append(it.errs, &program.InputError{File: fr.name, Line: keyLine, Field: key,
					Msg: "is not a field of " + string(sp.kind), Hint: hint})
			case seen&(1<<col) != 0:
				it.errs = append(it.errs, &program.InputError{File: fr.name, Line: keyLine, Field: key,
					Msg: "is given twice in the record", Hint: "keep one"})
				it.failed |= 1 << col
			default:
				seen |= 1 << col
				lines[col] = keyLine
				if string(raw) == "null" {
					continue // as if left out, like an empty cell
				}
				given |= 1 << col
				n := len(it.errs)
				decodeField(&it.errs, key, sp.columns[col].field(&it.rec), raw)
				if len(it.errs) > n {
					it.failed |= 1 << col
				}
			}
		}
		if _, err := jr.dec.Token(); err != nil { // '}'
			return brokenIn()
		}
		for col := range sp.columns {
			if given&(1<<col) != 0 {
				continue
			}
			if msg, hint, bad := missing(sp.columns[col].field(&it.rec)); bad {
				it.errs = append(it.errs, &program.InputError{Field: sp.columns[col].name, Msg: msg, Hint: hint})
				it.failed |= 1 << col
			}
		}
	}
	if _, err := jr.dec.Token(); err != nil { // ']'
		return broken()
	}
	c.close()
	return true
}

func fieldNames[T any](sp *spec[T]) []string {
	names := make([]string, len(sp.columns))
	for i, c := range sp.columns {
		names[i] = c.name
	}
	return names
}

// syntaxError reports the first syntax error of the file at its line. The
// decoder has stopped at it, so the rest of the file is not read.
func (jr *jsonReader) syntaxError() {
	if jr.broken {
		return
	}
	jr.broken = true
	d := json.NewDecoder(bytes.NewReader(jr.data))
	var v json.RawMessage
	err := d.Decode(&v)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the bad one included.
		jr.fr.add(jr.lineAt(se.Offset-1), "", "the JSON is malformed: "+se.Error(),
			"check for a missing comma, quote or bracket on this line or the one before; nothing after it was read")
	case errors.Is(err, io.ErrUnexpectedEOF):
		end := len(bytes.TrimRight(jr.data, " \t\r\n"))
		jr.fr.add(jr.lineAt(int64(end)), "", "the file ends in the middle of the JSON",
			"check for a missing ] or } at the end, or a string that is not closed")
	default:
		// The whole value is well formed, so the problem follows it.
		off := d.InputOffset()
		rest := bytes.TrimLeft(jr.data[off:], " \t\r\n")
		off += int64(len(jr.data[off:]) - len(rest))
		jr.fr.add(jr.lineAt(off), "", "the JSON is malformed after the end of the file's value",
			"put everything in one object, or delete what follows")
	}
}
