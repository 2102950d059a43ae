package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/khidi/khidi/internal/importer"
	"github.com/khidi/khidi/internal/ingest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

const importHelp = `usage: khidi import [--db DSN] [--kind KIND] [--dry-run] [--json] FILE...

Reads organisations, participants and communities from CSV files (as
spreadsheet programs export them) or JSON files, checks every record, and
stores them all in one transaction. Records are matched by id: a new id is
added, a known one updated, so importing the same file twice changes nothing.
The README lists the columns of each kind.

If any file has a problem, every problem is listed as FILE:LINE: … and
nothing is written.

  --db DSN    the database (default $KHIDI_DB, else sqlite:khidi.db)
  --kind KIND organizations, participants or communities, for every file
              (default: read it from each CSV header or JSON key)
  --dry-run   check the files against the database but write nothing
  --json      print the counts as one JSON line

Exit status: 0 stored (or checked, with --dry-run), 1 the database failed,
2 bad flags, an unreadable file or a problem in the data.
`

// importReport is the --json output; fields are only ever added.
type importReport struct {
	Organizations int     `json:"organizations"`
	Participants  int     `json:"participants"`
	Communities   int     `json:"communities"`
	Written       bool    `json:"written"`
	Seconds       float64 `json:"seconds"`
}

func cmdImport(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, importHelp) }
	dsn := dbFlag(fs, e)
	kindName := fs.String("kind", "", "organizations, participants or communities")
	dryRun := fs.Bool("dry-run", false, "check but write nothing")
	asJSON := fs.Bool("json", false, "print one JSON line")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "khidi import: expected at least one FILE")
		fs.Usage()
		return exitUsage
	}
	var kind importer.Kind
	if *kindName != "" {
		k, err := importer.ParseKind(*kindName)
		if err != nil {
			fmt.Fprintf(e.stderr, "khidi import: --kind: %v\n", err)
			return exitUsage
		}
		kind = k
	}

	start := time.Now()
	var (
		set      importer.Set
		problems program.ErrorList
	)
	for _, name := range fs.Args() {
		if err := readImportFile(&set, name, kind); err != nil {
			var l program.ErrorList
			if !errors.As(err, &l) {
				fmt.Fprintf(e.stderr, "khidi import: %v\n", err)
				return exitUsage
			}
			problems = append(problems, l...)
		}
	}

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "khidi import: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	recs, err := ingest.Save(ctx, db, &set, problems, *dryRun)
	var l program.ErrorList
	switch {
	case errors.As(err, &l):
		for _, p := range l {
			fmt.Fprintln(e.stderr, p)
		}
		fmt.Fprintf(e.stderr, "khidi import: %d %s; nothing was written\n", len(l), plural(len(l), "problem", "problems"))
		return exitUsage
	case err != nil:
		fmt.Fprintf(e.stderr, "khidi import: %v; nothing was written\n", err)
		if errors.Is(err, program.ErrInvalid) || errors.Is(err, program.ErrConflict) {
			return exitUsage
		}
		return exitFailure
	}
	report := importReport{
		Organizations: len(recs.Organizations), Participants: len(recs.Participants), Communities: len(recs.Communities),
		Written: !*dryRun, Seconds: time.Since(start).Seconds(),
	}
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(report); err != nil {
			fmt.Fprintf(e.stderr, "khidi import: write the report: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	verb := "stored"
	if *dryRun {
		verb = "checked (nothing written)"
	}
	fmt.Fprintf(e.stdout, "%s %d %s, %d %s, %d %s in %.2fs\n", verb,
		report.Organizations, plural(report.Organizations, "organisation", "organisations"),
		report.Participants, plural(report.Participants, "participant", "participants"),
		report.Communities, plural(report.Communities, "community", "communities"), report.Seconds)
	return exitOK
}

// readImportFile adds the records of the file at path to set.
func readImportFile(set *importer.Set, path string, kind importer.Kind) error {
	f, err := os.Open(path)
	if err != nil {
		return err // names the path
	}
	defer f.Close()
	return set.Read(path, f, kind)
}

// plural returns one when n is 1 and many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
