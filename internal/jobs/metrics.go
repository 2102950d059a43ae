package jobs

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/khidi/khidi/internal/metrics"
)

// OutboxDepther is what the outbox metric needs of the database; *store.DB
// has it.
type OutboxDepther interface {
	OutboxDepth(ctx context.Context) (waiting, failed int, err error)
}

// OutboxCollector returns the gauge khidi_outbox_messages{state}: messages
// waiting to be sent, and messages given up as undeliverable (which a
// person should look at), counted in the database at each scrape.
func OutboxCollector(st OutboxDepther) prometheus.Collector {
	return metrics.QueryGauge("khidi_outbox_messages",
		"Messages in the outbox: waiting to be sent (or retried), and failed for good.",
		"state", []string{"waiting", "failed"}, func(ctx context.Context) (map[string]float64, error) {
			waiting, failed, err := st.OutboxDepth(ctx)
			return map[string]float64{"waiting": float64(waiting), "failed": float64(failed)}, err
		})
}
