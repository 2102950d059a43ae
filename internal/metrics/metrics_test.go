package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestQueryGauge(t *testing.T) {
	fail := false
	g := QueryGauge("khidi_test", "A test gauge.", "state", []string{"a", "b"}, func(context.Context) (map[string]float64, error) {
		if fail {
			return nil, errors.New("database down")
		}
		return map[string]float64{"a": 3}, nil
	})
	reg := prometheus.NewRegistry()
	reg.MustRegister(g)
	fams, err := reg.Gather()
	if err != nil || len(fams) != 1 {
		t.Fatalf("Gather = %v, %v", fams, err)
	}
	got := map[string]float64{}
	for _, m := range fams[0].Metric {
		got[m.Label[0].GetValue()] = m.Gauge.GetValue()
	}
	if got["a"] != 3 || got["b"] != 0 || len(got) != 2 {
		t.Errorf("gauge = %v, want a=3 and b=0", got)
	}
	fail = true
	if _, err := reg.Gather(); err == nil || !strings.Contains(err.Error(), "database down") {
		t.Errorf("a failing query: Gather error %v", err)
	}
}
