package demodata_test

import (
	"testing"

	"github.com/khidi/khidi/internal/demodata"
)

func BenchmarkGenerate(b *testing.B) {
	for _, bm := range []struct {
		name string
		cfg  demodata.Config
	}{
		{"demo", demodata.Config{Seed: 1}},
		{"national", demodata.National(1)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			var p demodata.Programme
			for b.Loop() {
				p = demodata.Generate(bm.cfg)
			}
			records := len(p.Organizations) + len(p.Participants) + len(p.Communities)
			if records == 0 {
				b.Fatal("Generate returned an empty programme")
			}
			b.ReportMetric(float64(records), "records/op")
		})
	}
}
