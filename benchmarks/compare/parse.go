package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// parsePeerOutput reads the peers' one-line report,
// "cost=<int> parse_seconds=<float> solve_seconds=<float>", from the last
// non-empty line of stdout. Other key=value fields are ignored.
func parsePeerOutput(stdout []byte) (runResult, error) {
	line := lastLine(stdout)
	var r runResult
	var haveCost, haveSolve bool
	for _, f := range strings.Fields(line) {
		key, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		var err error
		switch key {
		case "cost":
			r.cost, err = strconv.ParseInt(val, 10, 64)
			haveCost = err == nil
		case "solve_seconds":
			r.solve, err = strconv.ParseFloat(val, 64)
			haveSolve = err == nil && r.solve >= 0
		}
		if err != nil {
			return runResult{}, fmt.Errorf("peer output %q: field %s: %w", line, key, err)
		}
	}
	if !haveCost || !haveSolve {
		return runResult{}, fmt.Errorf("peer output %q: want cost=<int> and solve_seconds=<non-negative float>", line)
	}
	return r, nil
}

// khidiReport is the part of `khidi solve --json` that compare reads.
type khidiReport struct {
	Status       string   `json:"status"`
	Cost         *int64   `json:"cost"`
	SolveSeconds *float64 `json:"solve_seconds"`
}

// parseKhidiOutput reads khidi's --json line and insists on an optimum.
func parseKhidiOutput(stdout []byte) (runResult, error) {
	line := lastLine(stdout)
	var rep khidiReport
	if err := json.Unmarshal([]byte(line), &rep); err != nil {
		return runResult{}, fmt.Errorf("khidi --json output %q: %w", line, err)
	}
	switch {
	case rep.Status != "optimal":
		return runResult{}, fmt.Errorf("khidi --json output %q: status %q, want \"optimal\"", line, rep.Status)
	case rep.Cost == nil || rep.SolveSeconds == nil:
		return runResult{}, fmt.Errorf("khidi --json output %q: missing cost or solve_seconds", line)
	case *rep.SolveSeconds < 0:
		return runResult{}, fmt.Errorf("khidi --json output %q: negative solve_seconds", line)
	}
	return runResult{cost: *rep.Cost, solve: *rep.SolveSeconds}, nil
}

// loadOptima reads the optimum table of dir/README.md.
func loadOptima(dir string) (map[string]int64, error) {
	path := filepath.Join(dir, "README.md")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("OR-Library optima: %w", err)
	}
	defer f.Close()
	optima, err := parseOptima(f)
	if err != nil {
		return nil, fmt.Errorf("OR-Library optima in %s: %w", path, err)
	}
	return optima, nil
}

// parseOptima finds the first markdown table with a "file" column and a
// "known optimum" column (or failing that, any column named "… optimum")
// and maps each file name to its optimum. Thousands separators are allowed.
func parseOptima(r io.Reader) (map[string]int64, error) {
	sc := bufio.NewScanner(r)
	fileCol, optCol := -1, -1
	var optima map[string]int64
	for lineNo := 1; sc.Scan(); lineNo++ {
		cells, ok := tableCells(sc.Text())
		switch {
		case !ok && optima != nil:
			return optima, nil // the end of the table
		case !ok || isSeparator(cells):
			continue
		case optima == nil:
			fileCol, optCol = optimumColumns(cells)
			if fileCol >= 0 && optCol >= 0 {
				optima = map[string]int64{}
			}
			continue
		}
		if max(fileCol, optCol) >= len(cells) {
			return nil, fmt.Errorf("line %d: %d cells, want at least %d", lineNo, len(cells), max(fileCol, optCol)+1)
		}
		v, err := strconv.ParseInt(strings.ReplaceAll(cells[optCol], ",", ""), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: optimum %q: %w", lineNo, cells[optCol], err)
		}
		optima[cells[fileCol]] = v
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(optima) == 0 {
		return nil, fmt.Errorf("no table with a \"file\" and an \"optimum\" column")
	}
	return optima, nil
}

// tableCells splits a markdown table row into trimmed cells.
func tableCells(line string) ([]string, bool) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") {
		return nil, false
	}
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	cells := strings.Split(line, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells, true
}

// isSeparator reports a |---|:--:| row.
func isSeparator(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return true
}

// optimumColumns picks the file column and the optimum column of a header,
// preferring OR-Library's published "known optimum" to any other optimum.
func optimumColumns(header []string) (fileCol, optCol int) {
	fileCol, optCol = -1, -1
	for i, h := range header {
		h = strings.ToLower(h)
		switch {
		case h == "file" || h == "instance":
			fileCol = i
		case strings.Contains(h, "known optimum"):
			optCol = i
		case strings.Contains(h, "optimum") && optCol < 0:
			optCol = i
		}
	}
	return fileCol, optCol
}
