package main

import (
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestParsePeerOutput(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    runResult
		wantErr bool
	}{
		{"scipy", "cost=305 parse_seconds=0.0051 solve_seconds=0.0003\n", runResult{cost: 305, solve: 0.0003}, false},
		{"lemon exponent", "cost=123456789 parse_seconds=0.41 solve_seconds=2.5e-05\n", runResult{cost: 123456789, solve: 2.5e-05}, false},
		{"last line wins", "warming up\ncost=7 solve_seconds=1.5\n\n", runResult{cost: 7, solve: 1.5}, false},
		{"extra fields ignored", "cost=7 iterations=12 solve_seconds=1", runResult{cost: 7, solve: 1}, false},
		{"negative cost", "cost=-4 solve_seconds=1", runResult{cost: -4, solve: 1}, false},
		{"empty", "", runResult{}, true},
		{"no cost", "parse_seconds=1 solve_seconds=1", runResult{}, true},
		{"no solve time", "cost=5 parse_seconds=1", runResult{}, true},
		{"bad cost", "cost=5.5 solve_seconds=1", runResult{}, true},
		{"bad time", "cost=5 solve_seconds=fast", runResult{}, true},
		{"negative time", "cost=5 solve_seconds=-1", runResult{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePeerOutput([]byte(tt.in))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parsePeerOutput(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseKhidiOutput(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    runResult
		wantErr bool
	}{
		{"optimal", `{"status":"optimal","cost":1552,"format":"orlib","verified":false,"parse_seconds":0.02,"solve_seconds":0.0041}` + "\n",
			runResult{cost: 1552, solve: 0.0041}, false},
		{"zero cost", `{"status":"optimal","cost":0,"solve_seconds":0}`, runResult{}, false},
		{"unknown fields grow", `{"status":"optimal","cost":3,"solve_seconds":1,"verify_seconds":2,"new":[1]}`, runResult{cost: 3, solve: 1}, false},
		{"infeasible", `{"status":"infeasible","cost":0,"solve_seconds":0.1}`, runResult{}, true},
		{"missing cost", `{"status":"optimal","solve_seconds":0.1}`, runResult{}, true},
		{"missing time", `{"status":"optimal","cost":4}`, runResult{}, true},
		{"negative time", `{"status":"optimal","cost":4,"solve_seconds":-1}`, runResult{}, true},
		{"text output", "optimal cost 4\nformat orlib, parse 0.1s, solve 0.2s", runResult{}, true},
		{"empty", "", runResult{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseKhidiOutput([]byte(tt.in))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseKhidiOutput(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseOptima(t *testing.T) {
	tests := []struct {
		name    string
		file    string // in testdata
		want    map[string]int64
		wantErr bool
	}{
		{"OR-Library README shape", "optima-orlib.md", map[string]int64{
			"assign100.txt": 305, "assign800.txt": 1552, "assignp800.txt": 2239, "assignp5000.txt": 48533}, false},
		{"known optimum preferred to a column before it", "optima-verified-first.md", map[string]int64{"a.txt": 10, "b.txt": 1200}, false},
		{"any optimum column", "optima-plain.md", map[string]int64{"x.txt": 7}, false},
		{"no table", "optima-none.md", nil, true},
		{"bad number", "optima-bad.md", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := parseOptima(f)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseOptima(%s) error = %v, want error %v", tt.file, err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Errorf("parseOptima(%s) = %v, want %v", tt.file, got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("parseOptima(%s)[%q] = %d, want %d", tt.file, k, got[k], v)
				}
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"one", []float64{3}, 3},
		{"odd unsorted", []float64{5, 1, 3}, 3},
		{"even", []float64{4, 1, 3, 2}, 2.5},
		{"outlier ignored", []float64{1, 1, 1, 1, 100}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]float64(nil), tt.in...)
			if got := median(in); got != tt.want {
				t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
			}
			for i := range in {
				if in[i] != tt.in[i] {
					t.Fatalf("median reordered its argument: %v", in)
				}
			}
		})
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

func TestPairRatios(t *testing.T) {
	tests := []struct {
		name        string
		khidi, peer []float64
		want        []float64
	}{
		{"pairs", []float64{1, 2, 3}, []float64{2, 2, 1}, []float64{0.5, 1, 3}},
		{"fewer peer rounds", []float64{1, 2, 3}, []float64{4}, []float64{0.25}},
		{"zero peer time skipped", []float64{1, 2}, []float64{0, 4}, []float64{0.5}},
		{"none", []float64{1}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pairRatios(tt.khidi, tt.peer)
			if !equalFloats(got, tt.want) {
				t.Errorf("pairRatios(%v, %v) = %v, want %v", tt.khidi, tt.peer, got, tt.want)
			}
		})
	}
}

// The median of ratios is not the ratio of medians: a slow round of khidi
// paired with a slow round of the peer (machine noise) cancels out.
func TestSummarise(t *testing.T) {
	r := result{
		inst: instance{name: "transport-10x1x2", peers: []peerRun{
			{solver: solver{name: "LEMON NetworkSimplex", short: "LEMON NS"}, reps: 3},
			{solver: solver{name: "LEMON CostScaling", short: "LEMON CS"}, reps: 1},
		}},
		khidi: []runResult{{cost: 9, solve: 1, rssKiB: 2048}, {cost: 9, solve: 4, rssKiB: 4096}, {cost: 9, solve: 2, rssKiB: 1024}},
		peers: [][]runResult{
			{{cost: 9, solve: 2, rssKiB: 500}, {cost: 9, solve: 8, rssKiB: 700}, {cost: 9, solve: 1, rssKiB: 600}},
			{{cost: 9, solve: 4, rssKiB: 900}},
		},
	}
	got := summarise(r)
	if got.Name != "transport-10x1x2" || got.Khidi != 2 || got.KhidiRSSKiB != 4096 || got.Runs != 3 || got.Cost != 9 {
		t.Errorf("summarise = %+v, want khidi median 2, RSS 4096, 3 runs, cost 9", got)
	}
	want := []peerStat{
		{Name: "LEMON NetworkSimplex", Short: "LEMON NS", Median: 2, Ratio: 0.5, RSSKiB: 700, Runs: 3},
		{Name: "LEMON CostScaling", Short: "LEMON CS", Median: 4, Ratio: 0.25, RSSKiB: 900, Runs: 1},
	}
	if len(got.Peers) != len(want) {
		t.Fatalf("summarise peers = %+v, want %+v", got.Peers, want)
	}
	for i := range want {
		if got.Peers[i] != want[i] {
			t.Errorf("summarise peer %d = %+v, want %+v", i, got.Peers[i], want[i])
		}
	}
}

func TestEvalBars(t *testing.T) {
	dense := func(ratio float64) row {
		return row{Name: barDense, Peers: []peerStat{{Ratio: ratio}}}
	}
	transport := func(ratio float64, rssKiB int64) row {
		return row{Name: barTransport, KhidiRSSKiB: rssKiB, Peers: []peerStat{{Ratio: ratio}}}
	}
	tests := []struct {
		name string
		rows []row
		want []string // the start of each bar's status
	}{
		{"all hold", []row{dense(0.8), transport(0.9, 500<<10)},
			[]string{"**holds**: ratio 0.80", "**holds**: ratio 0.90, and meets", "**holds**: 500 MiB"}},
		{"transport within bar but not wanted", []row{dense(1.0), transport(1.2, 1<<20-1)},
			[]string{"**holds**: ratio 1.00", "**holds**: ratio 1.20, but not the wanted", "**holds**: 1024 MiB"}},
		{"all fail", []row{dense(1.01), transport(1.6, 1<<20)},
			[]string{"**FAILS**: ratio 1.01", "**FAILS**: ratio 1.60", "**FAILS**: 1024 MiB"}},
		{"not run", nil, []string{"not measured (dense-4000", "not measured (transport", "not measured (transport"}},
		{"no peer", []row{{Name: barDense}, {Name: barTransport, KhidiRSSKiB: 2048}},
			[]string{"not measured (no peer", "not measured (no peer", "**holds**: 2 MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := evalBars([]table{{Rows: tt.rows}})
			if len(got) != len(tt.want) {
				t.Fatalf("evalBars = %d bars, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i].Status, w) {
					t.Errorf("evalBars bar %d (%s) = %q, want prefix %q", i, got[i].Text, got[i].Status, w)
				}
			}
		})
	}
}

func TestWithNotes(t *testing.T) {
	const gen = "# generated\n\n"
	tests := []struct {
		name, previous, want string
	}{
		{"kept", "# old\n\n<!-- notes -->\n## Notes\nhand written\n", gen + "<!-- notes -->\n## Notes\nhand written\n"},
		{"marker with spaces", "old\n  <!-- notes -->  \nkeep\n", gen + "  <!-- notes -->  \nkeep\n"},
		{"marker at the top", "<!-- notes -->\nonly notes", gen + "<!-- notes -->\nonly notes"},
		{"marker in a sentence is not one", "see <!-- notes --> here\n", ""},
		{"no previous file", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withNotes(gen, tt.previous)
			if tt.want == "" {
				if !strings.HasPrefix(got, gen+notesMarker+"\n## Notes\n") {
					t.Errorf("withNotes(%q) = %q, want a fresh notes section", tt.previous, got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("withNotes(%q) = %q, want %q", tt.previous, got, tt.want)
			}
		})
	}
}

func TestSelectInstances(t *testing.T) {
	all := []instance{{name: "dense-500", quick: true}, {name: "dense-4000"}, {name: "assign100", quick: true}, {name: "assignp800", quick: true}}
	tests := []struct {
		name  string
		only  string
		quick bool
		want  []string
	}{
		{"all", "", false, []string{"dense-500", "dense-4000", "assign100", "assignp800"}},
		{"quick", "", true, []string{"dense-500", "assign100", "assignp800"}},
		{"only", "^assign", false, []string{"assign100", "assignp800"}},
		{"only and quick", "4000", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, in := range selectInstances(all, regexp.MustCompile(tt.only), tt.quick) {
				got = append(got, in.name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("selectInstances(-only %q, -quick=%v) = %v, want %v", tt.only, tt.quick, got, tt.want)
			}
		})
	}
}

// TestRender compares a fixed report with testdata/report.golden; rewrite
// it with `go test ./benchmarks/compare -update` after a deliberate change.
func TestRender(t *testing.T) {
	rep := report{
		Command: "go run ./benchmarks/compare -quick",
		Quick:   true,
		Env: envInfo{Date: "2026-01-02 03:04 UTC", Commit: "abc1234+dirty", Go: "go version go1.26.8 linux/amd64",
			KhidiBuild: "bin/khidi, built with go1.26.8", CPU: "Test CPU", NProc: 2, SciPy: "SciPy 1.10.1", LEMON: "liblemon-dev 1.3.1"},
		Notes: []string{"OR-Library family skipped: no README."},
		Tables: []table{
			{Family: familyDense, Title: familyTitles[familyDense], Rows: []row{
				{Name: "dense-500", Khidi: 0.0123, KhidiRSSKiB: 20480, Runs: 5, Cost: 1234,
					Peers: []peerStat{{Short: "SciPy", Median: 0.02, Ratio: 0.61, RSSKiB: 102400, Runs: 5}}},
			}},
			{Family: familyTransport, Title: familyTitles[familyTransport], Extra: []string{"LEMON CS"}, Rows: []row{
				{Name: "transport-10000x500x30", Khidi: 0.25, KhidiRSSKiB: 51200, Runs: 5, Cost: 98765,
					Peers: []peerStat{{Short: "LEMON NS", Median: 0.2, Ratio: 1.25, RSSKiB: 30720, Runs: 5}, {Short: "LEMON CS", Median: 0.5, Ratio: 0.5, RSSKiB: 30720, Runs: 3}}},
			}},
			{Family: familyORLib, Title: familyTitles[familyORLib], Rows: []row{
				{Name: "assign100", Khidi: 0.0002, KhidiRSSKiB: 8192, Runs: 5, Cost: 305, CostNote: "= OR-Library optimum"},
			}},
		},
	}
	rep.Bars = evalBars(rep.Tables)
	got := render(rep)
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if got != string(want) {
		t.Errorf("render differs from %s (run with -update and review the diff):\n%s", golden, got)
	}
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"make peers-bench", []string{"-khidi", "bin/khidi", "-results", "benchmarks/RESULTS.md"}, reproduceCommand},
		{"no flags", nil, "go run ./benchmarks/compare"},
		{"regexp quoted", []string{"-only", "^(dense|assign)"}, "go run ./benchmarks/compare -only '^(dense|assign)'"},
		{"quote in arg", []string{"-only", "it's"}, `go run ./benchmarks/compare -only 'it'\''s'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commandLine(tt.args); got != tt.want {
				t.Errorf("commandLine(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestSameCost(t *testing.T) {
	in := instance{name: "dense-4000", file: "/cache/py-dense-4000-1000-1.txt"}
	if err := sameCost(in, "khidi round 1", 7, "SciPy round 1", 7); err != nil {
		t.Errorf("sameCost(7, 7) = %v, want nil", err)
	}
	err := sameCost(in, "khidi round 2", 7, "SciPy round 2", 8)
	var cm *costMismatchError
	if !errors.As(err, &cm) || cm.instance != "dense-4000" || cm.want != 7 || cm.got != 8 {
		t.Errorf("sameCost(7, 8) = %v, want a *costMismatchError naming dense-4000, 7 and 8", err)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}
