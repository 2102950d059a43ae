// Package importer reads the programme's spreadsheets — organisations,
// participants and communities, exported as CSV or written as JSON — into
// validated program records, and reports every problem it finds with the
// file and line it is on.
//
// The package is pure: an io.Reader goes in, records and errors come out. It
// opens no file, touches no database and reads no clock, so `khidi import`
// can read every file first, show every error at once, and write all the
// records in one transaction only when there were none.
//
// # Use
//
//	var s importer.Set
//	var problems program.ErrorList
//	collect := func(err error) error {
//		var l program.ErrorList
//		if errors.As(err, &l) {
//			problems = append(problems, l...)
//			return nil
//		}
//		return err // nil, or a file that could not be read
//	}
//	for _, name := range files {
//		// open f …
//		if err := collect(s.Read(name, f, kind)); err != nil { // kind "" detects it
//			return err
//		}
//	}
//	if err := collect(s.CheckReferences(isStored)); err != nil {
//		return err
//	}
//	problems.Sort() // print each on its own line; write s only if there are none
//
// # CSV
//
// The first row names the columns, in any order; the names are the json
// names of program.Organization, program.Participant and program.Community.
// Every column is required except an organisation's timezone and country.
// The header alone decides what the file holds unless a Kind is given.
// Cells are trimmed; lists are separated by ';'; dates are YYYY-MM-DD; lat
// and lon use a dot for decimals. Spreadsheets write a byte-order mark and
// CRLF line ends and quote cells with commas, quotes or newlines in them;
// all of that is read as they write it. Rows whose cells are all empty are
// skipped, since spreadsheets export empty rows as a line of commas.
//
// Problems are reported on the line of the cell they concern, which differs
// from the line the row starts on only when an earlier cell of the row holds
// a newline. A record's own position (for duplicate ids and references) is
// the line its row starts on.
//
// # JSON
//
// A JSON file is an object with any of the keys "organizations",
// "participants" and "communities", each an array of records, or, when a
// Kind is given, a bare array of records of that kind. Records are objects
// with the same names as the CSV columns; organisations may also carry
// "availability" (a list of {"from", "to"} windows) and "blackout_dates",
// which have no CSV column. JSON is typed, so "41.7" in quotes is not a
// latitude. A missing key or null reads as an empty cell would. The array is
// streamed record by record, so a national round's 100k participants are
// never held as generic values.
//
// A record's position is the line of its opening '{'; a problem with one
// field is reported on the line of that field's key, as a CSV problem is on
// its cell's line.
//
// The format comes from the file name's extension (.csv or .json, in any
// case); for any other name, such as "-" for standard input, a file whose
// first character is '{' or '[' is JSON and anything else is CSV.
//
// # What is checked
//
// Each record is normalised (program's Normalize methods: default country
// and zone, canonical theme slugs) and then validated with program.Validate.
// Ids must be unique per kind across all the files read into one Set.
// References from participants to organisations are checked by
// Set.CheckReferences once every file is read, because the organisations may
// come from a later file or from the database.
//
// Empty cells are allowed where the record allows them; a number or a
// yes/no cell (lat, lon, capacities, years, visits, experienced) must be
// filled in, because a blank read as 0 would place a host in the Gulf of
// Guinea or silently give it no seats.
//
// After 1000 problems in one file the rest of the file is only counted, and
// an entry at the first row not checked says how many were not: by then the
// file is probably of the wrong kind or broken throughout, and fixing the
// first thousand is the next step anyway. (A JSON syntax error further on is
// still reported, after it.)
//
// Records are normalised and validated on every core while the file is
// parsed, since program.Validate is most of the cost of a large file; the
// result is the same, in the same order, as checking one after another.
package importer
