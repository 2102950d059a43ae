package offers

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/khidi/khidi/internal/metrics"
	"github.com/khidi/khidi/internal/program"
)

// OfferCounter is what the offers metric needs of the database;
// *store.DB has it.
type OfferCounter interface {
	// OfferCounts returns the number of matches in each status; statuses
	// without any may be absent.
	OfferCounts(ctx context.Context) (map[program.OfferStatus]int, error)
}

// NewCollector returns a Prometheus collector of the gauge
// khidi_offers{state}: the number of matches in each state, every state of
// program.AllOfferStatuses always present (0 when none). It counts at
// scrape time with one query, so that every replica reports the
// database's numbers rather than what it alone has seen. When the query
// fails or takes longer than two seconds, the scrape fails with the error
// instead of showing numbers that are not the database's.
func NewCollector(st OfferCounter) prometheus.Collector {
	states := program.AllOfferStatuses()
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = string(s)
	}
	return metrics.QueryGauge("khidi_offers",
		"Matches by state, over every round: proposed by the matcher, offered to a host, and the hosts' answers.",
		"state", names, func(ctx context.Context) (map[string]float64, error) {
			counts, err := st.OfferCounts(ctx)
			if err != nil {
				return nil, fmt.Errorf("count offers by state: %w", err)
			}
			out := make(map[string]float64, len(counts))
			for s, n := range counts {
				out[string(s)] = float64(n)
			}
			return out, nil
		})
}
