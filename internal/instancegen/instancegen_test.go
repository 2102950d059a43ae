package instancegen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/importer"
	"github.com/khidi/khidi/internal/program"
)

func TestWriteDense(t *testing.T) {
	var a, b, c bytes.Buffer
	if err := WriteDense(&a, 50, 1000, 7); err != nil {
		t.Fatal(err)
	}
	WriteDense(&b, 50, 1000, 7)
	WriteDense(&c, 50, 1000, 8)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("WriteDense with the same seed wrote different files")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("WriteDense with different seeds wrote the same file")
	}
	fields := strings.Fields(a.String())
	if len(fields) != 1+50*50 || fields[0] != "50" {
		t.Fatalf("WriteDense(50) wrote %d numbers starting %q, want 1+2500 starting 50", len(fields), fields[0])
	}
	for _, f := range fields[1:] {
		var v int
		if _, err := fmt.Sscan(f, &v); err != nil || v < 1 || v > 1000 {
			t.Fatalf("cost %q outside 1..1000", f)
		}
	}
	if err := WriteDense(&a, 0, 10, 1); err == nil {
		t.Error("WriteDense(n=0) succeeded, want an error")
	}
}

func TestTransportWrite(t *testing.T) {
	tr := Transport{Applicants: 2000, Hosts: 100, K: 10, Seed: 3}
	var buf bytes.Buffer
	if err := tr.Write(&buf); err != nil {
		t.Fatal(err)
	}
	a, h := tr.Applicants, tr.Hosts
	unmatched, sink := a+h+1, a+h+2
	var nodes, arcs, declared int
	candidates := map[int]map[int]bool{}
	var capacity int
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		line := sc.Text()
		switch line[0] {
		case 'p':
			fmt.Sscanf(line, "p min %d %d", &nodes, &declared)
		case 'a':
			var from, to, low, cp, cost int
			fmt.Sscanf(line, "a %d %d %d %d %d", &from, &to, &low, &cp, &cost)
			arcs++
			switch {
			case from <= a && to == unmatched:
				if cost != UnmatchedCost {
					t.Fatalf("%q: unmatched arc costs %d, want %d", line, cost, UnmatchedCost)
				}
			case from <= a:
				if to <= a || to > a+h || cost < 1 || cost > maxEdgeCost || cp != 1 {
					t.Fatalf("%q: not a candidate edge to a host with cost 1..1000", line)
				}
				if candidates[from] == nil {
					candidates[from] = map[int]bool{}
				}
				if candidates[from][to] {
					t.Fatalf("%q: applicant %d lists host %d twice", line, from, to)
				}
				candidates[from][to] = true
			case to == sink && from != unmatched:
				capacity += cp
			}
		}
	}
	if nodes != sink || arcs != declared {
		t.Errorf("p line says %d nodes and %d arcs; file has %d arcs, want %d nodes", nodes, declared, arcs, sink)
	}
	for i := 1; i <= a; i++ {
		if len(candidates[i]) != tr.K {
			t.Fatalf("applicant %d has %d candidate hosts, want %d", i, len(candidates[i]), tr.K)
		}
	}
	// Capacities are uniform in 1..2·avg−1, so their total is close to
	// 0.8·applicants; 10% covers the sampling spread of 100 hosts.
	if want := 0.8 * float64(a); float64(capacity) < 0.9*want || float64(capacity) > 1.1*want {
		t.Errorf("host capacities total %d, want about %.0f", capacity, want)
	}
}

// TestProgrammeImports reads a generated programme with the importer, which
// knows nothing of the generator: every row must pass the import's checks,
// references included, and the counts must be those asked for.
func TestProgrammeImports(t *testing.T) {
	p := Programme{Organizations: 40, Participants: 500, Communities: 15, Seed: 7}
	var orgs, people, places bytes.Buffer
	if err := p.WriteCSV(&orgs, &people, &places); err != nil {
		t.Fatal(err)
	}
	var s importer.Set
	for name, b := range map[string]*bytes.Buffer{"organizations.csv": &orgs, "participants.csv": &people, "communities.csv": &places} {
		if err := s.Read(name, b, ""); err != nil {
			t.Fatalf("read generated %s: %v", name, err)
		}
	}
	if err := s.CheckReferences(func(program.OrgID) bool { return false }); err != nil {
		t.Fatalf("generated references: %v", err)
	}
	if len(s.Organizations) != p.Organizations || len(s.Participants) != p.Participants || len(s.Communities) != p.Communities {
		t.Fatalf("read %d organisations, %d participants, %d communities; want %d, %d, %d",
			len(s.Organizations), len(s.Participants), len(s.Communities), p.Organizations, p.Participants, p.Communities)
	}

	var again bytes.Buffer
	if err := p.WriteCSV(io.Discard, &again, io.Discard); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := p.WriteCSV(io.Discard, &first, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Fatal("two writes with one seed differ")
	}
}
