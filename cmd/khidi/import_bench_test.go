package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/khidi/khidi/internal/instancegen"
	"github.com/khidi/khidi/internal/pgtest"
)

// BenchmarkImport runs `khidi import` end to end (read and check the CSV
// files, then write one transaction) on a generated programme of 100k
// participants, 1000 organisations and 200 communities, into a fresh
// database per iteration on each engine. The bar: under 5 s on
// PostgreSQL and 10 s on SQLite on a 2-core machine.
func BenchmarkImport(b *testing.B) {
	p := instancegen.Programme{Organizations: 1000, Participants: 100_000, Communities: 200, Seed: 1}
	dir := b.TempDir()
	files := []string{filepath.Join(dir, "organizations.csv"), filepath.Join(dir, "participants.csv"), filepath.Join(dir, "communities.csv")}
	var ws []*os.File
	for _, name := range files {
		f, err := os.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		ws = append(ws, f)
	}
	if err := p.WriteCSV(ws[0], ws[1], ws[2]); err != nil {
		b.Fatal(err)
	}
	for _, f := range ws {
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	for _, engine := range []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return "sqlite:" + filepath.Join(b.TempDir(), "khidi.db") }},
		{"postgres", func(b *testing.B) string { return pgtest.NewDatabase(b) }},
	} {
		b.Run(fmt.Sprintf("engine=%s/participants=%d", engine.name, p.Participants), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				dsn := engine.dsn(b)
				b.StartTimer()
				var out, errOut strings.Builder
				code := run(b.Context(), append([]string{"import", "--db", dsn}, files...),
					env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }})
				if code != exitOK || !strings.HasPrefix(out.String(), "stored 1000 organisations, 100000 participants, 200 communities") {
					b.Fatalf("import: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
				}
			}
			b.ReportMetric(float64(p.Participants)*float64(b.N)/b.Elapsed().Seconds(), "participants/s")
		})
	}
}
