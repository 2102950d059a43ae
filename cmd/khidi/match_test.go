package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMatch runs khidi demo to fill a database, then khidi match against it
// the way a programme manager would.
func TestMatch(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	cals := t.TempDir()
	code, out, errOut := runKhidi(t, "demo", "--db", dsn, "--seed", "2", "--limit", "3", "--calendars", cals)
	if code != exitOK {
		t.Fatalf("khidi demo: exit %d\nstderr: %s", code, errOut)
	}
	for _, kind := range []string{"internship", "peer_exchange", "international_exchange", "study_circle", "community_visit"} {
		if !strings.Contains(out, "════ "+kind+" ════") || !strings.Contains(errOut, kind+" round") {
			t.Errorf("khidi demo shows no %s round", kind)
		}
	}
	// It ends with the year's calendar, written to the folder it names.
	if !strings.Contains(out, "════ calendar 2027 ════") || !strings.Contains(out, "Calendars written to "+cals+": programme.ics") {
		t.Errorf("khidi demo shows no calendar:\n%.3000s", out[max(0, len(out)-3000):])
	}
	if b, err := os.ReadFile(filepath.Join(cals, "programme.ics")); err != nil || !strings.Contains(string(b), "BEGIN:VEVENT") {
		t.Errorf("khidi demo wrote no programme calendar with events (%v)", err)
	}

	// The demo names someone the internship round can match.
	_, hint, _ := strings.Cut(errOut, "--explain ")
	someone := strings.TrimSpace(hint)
	if someone == "" {
		t.Fatalf("khidi demo names nobody to explain:\n%s", errOut)
	}

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{"internship", []string{"--kind", "internship", "--limit", "2"}, exitOK,
			[]string{"WHO", "Summary:", "By region", "Stability, where people ranked hosts"}, ""},
		{"quota", []string{"--kind", "internship", "--quota", "!Tbilisi>=0.7", "--dry-run"}, exitOK,
			[]string{"not saved (dry run)", "Quota 1:"}, ""},
		{"stable", []string{"--kind", "internship", "--stable", "--dry-run"}, exitOK,
			[]string{"stable: score", "0 blocking pairs"}, ""},
		{"explain", []string{"--kind", "internship", "--dry-run", "--explain", someone}, exitOK,
			[]string{someone, "Candidates, best first:", "THEME"}, ""},
		{"explain a stranger", []string{"--kind", "internship", "--dry-run", "--explain", "nobody"}, exitUsage, nil, "nobody is not among"},
		{"pin breaking a rule", []string{"--kind", "internship", "--pin", "p-0001:org-reg-001"}, exitUsage, nil, "nothing was stored"},
		{"bad pin", []string{"--kind", "internship", "--pin", "p-0001"}, exitUsage, nil, "WHO:WHERE"},
		{"bad kind", []string{"--kind", "picnic"}, exitUsage, nil, "want one of"},
		{"bad weight", []string{"--kind", "internship", "--weight", "charm=2"}, exitUsage, nil, "charm"},
		{"NaN threshold", []string{"--kind", "internship", "--threshold", "NaN"}, exitUsage, nil, "want a number from 0 to 1"},
		{"NaN quota", []string{"--kind", "internship", "--quota", "Tbilisi>=NaN"}, exitUsage, nil, "SHARE from 0 to 1"},
		{"at most none", []string{"--kind", "internship", "--quota", "Tbilisi<=0"}, exitUsage, nil, "at most 0"},
		{"spaces in a quota's regions", []string{"--kind", "internship", "--dry-run", "--quota", "Imereti, Guria<=0.3"}, exitOK,
			[]string{"Quota 1:"}, ""},
		{"explain with json", []string{"--kind", "internship", "--explain", someone, "--json"}, exitUsage, nil, "do not go together"},
		{"study circle exclusion naming nobody", []string{"--kind", "study_circle", "--dry-run", "--exclude", "ghost:p-0001"}, exitUsage, nil, "ghost"},
		{"infeasible quota", []string{"--kind", "internship", "--quota", "Racha-Lechkhumi and Kvemo Svaneti>=0.9"}, exitUsage, nil, "nothing was stored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"match", "--db", dsn}, tt.args...)
			code, out, errOut := runKhidi(t, args...)
			if code != tt.wantCode {
				t.Fatalf("khidi %v: exit %d, want %d\nstdout: %.2000s\nstderr: %s", args, code, tt.wantCode, out, errOut)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%.3000s", want, out)
				}
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantErr)
			}
		})
	}

	code, out, errOut = runKhidi(t, "match", "--db", dsn, "--kind", "community_visit", "--json", "--dry-run")
	if code != exitOK {
		t.Fatalf("khidi match --json: exit %d: %s", code, errOut)
	}
	var res struct {
		Proposal struct {
			Kind    string `json:"kind"`
			Matches []struct {
				ParticipantID string `json:"participant_id"`
				CommunityID   string `json:"community_id"`
			} `json:"matches"`
			Explanations []json.RawMessage `json:"explanations"`
		} `json:"proposal"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("khidi match --json printed something that is not JSON: %v", err)
	}
	if res.Proposal.Kind != "community_visit" || len(res.Proposal.Matches) == 0 || res.Proposal.Matches[0].CommunityID == "" ||
		len(res.Proposal.Explanations) == 0 {
		t.Errorf("khidi match --json: kind %q, %d matches, %d explanations", res.Proposal.Kind, len(res.Proposal.Matches), len(res.Proposal.Explanations))
	}
}
