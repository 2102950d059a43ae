// Command gen writes seeded benchmark instances on stdout, in the families of
// ../shared/peers/gen.py but without Python:
//
//	gen dense N MAXCOST SEED
//	gen transport APPLICANTS HOSTS K SEED [FILL]
//	gen programme ORGANIZATIONS PARTICIPANTS COMMUNITIES SEED DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/khidi/khidi/internal/instancegen"
)

const usage = `usage:
  gen dense N MAXCOST SEED                   OR-Library assignment matrix, costs 1..MAXCOST
  gen transport APPLICANTS HOSTS K SEED [FILL] DIMACS capacitated assignment (FILL default 0.8)
  gen programme ORGANIZATIONS PARTICIPANTS COMMUNITIES SEED DIR
                                             organizations.csv, participants.csv and
                                             communities.csv in DIR, for khidi import
`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n%s", err, usage)
		os.Exit(2)
	}
}

func run(args []string) error {
	ints := func(ss []string) ([]int64, error) {
		out := make([]int64, len(ss))
		for i, s := range ss {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v < 0 {
				return nil, fmt.Errorf("argument %d: %q is not a non-negative integer", i+2, s)
			}
			out[i] = v
		}
		return out, nil
	}
	switch {
	case len(args) == 4 && args[0] == "dense":
		v, err := ints(args[1:])
		if err != nil {
			return err
		}
		return instancegen.WriteDense(os.Stdout, int(v[0]), v[1], uint64(v[2]))
	case (len(args) == 5 || len(args) == 6) && args[0] == "transport":
		v, err := ints(args[1:5])
		if err != nil {
			return err
		}
		t := instancegen.Transport{Applicants: int(v[0]), Hosts: int(v[1]), K: int(v[2]), Seed: uint64(v[3])}
		if len(args) == 6 {
			if t.Fill, err = strconv.ParseFloat(args[5], 64); err != nil || t.Fill <= 0 {
				return fmt.Errorf("FILL: %q is not a positive number", args[5])
			}
		}
		return t.Write(os.Stdout)
	case len(args) == 6 && args[0] == "programme":
		v, err := ints(args[1:5])
		if err != nil {
			return err
		}
		return writeProgramme(instancegen.Programme{Organizations: int(v[0]), Participants: int(v[1]), Communities: int(v[2]), Seed: uint64(v[3])}, args[5])
	}
	return fmt.Errorf("unexpected arguments %q", args)
}

// writeProgramme writes p's three CSV files into dir, creating it.
func writeProgramme(p instancegen.Programme, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var files []*os.File
	for _, name := range []string{"organizations.csv", "participants.csv", "communities.csv"} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		defer f.Close()
		files = append(files, f)
	}
	if err := p.WriteCSV(files[0], files[1], files[2]); err != nil {
		return err
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
