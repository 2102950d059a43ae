// Package metrics holds the Prometheus collectors khidi computes from its
// database at scrape time (offers by state, the outbox), so that every
// replica reports the database's numbers rather than what it alone saw.
package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ScrapeTimeout bounds the query behind one scrape. Prometheus's default
// scrape timeout is ten seconds, shared by every collector of the target;
// a database that cannot count in two seconds will not answer the
// service's requests either, and the scrape should say so rather than wait.
const ScrapeTimeout = 2 * time.Second

// QueryGauge returns a collector of the gauge name{label}, one series per
// value of values (0 when query does not return it), counted by query at
// each scrape. When query fails or outlasts ScrapeTimeout the scrape fails
// with the error instead of showing numbers that are not the database's.
func QueryGauge(name, help, label string, values []string, query func(ctx context.Context) (map[string]float64, error)) prometheus.Collector {
	return &queryGauge{desc: prometheus.NewDesc(name, help, []string{label}, nil), values: values, query: query}
}

type queryGauge struct {
	desc   *prometheus.Desc
	values []string
	query  func(ctx context.Context) (map[string]float64, error)
}

// Describe implements prometheus.Collector.
func (g *queryGauge) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

// Collect implements prometheus.Collector.
func (g *queryGauge) Collect(ch chan<- prometheus.Metric) {
	// A scrape brings no context: promhttp does not pass the request's.
	ctx, cancel := context.WithTimeout(context.Background(), ScrapeTimeout)
	defer cancel()
	got, err := g.query(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(g.desc, fmt.Errorf("%s: %w", g.desc, err))
		return
	}
	for _, v := range g.values {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, got[v], v)
	}
}
