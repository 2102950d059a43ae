package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// durationBuckets are Prometheus's default buckets stretched to two
// minutes, the write timeout, because imports and rounds run through the
// API take seconds, not milliseconds.
var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}

// httpMetrics are the request metrics every route shares.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newHTTPMetrics registers the request metrics on reg.
func newHTTPMetrics(reg prometheus.Registerer) httpMetrics {
	f := promauto.With(reg)
	return httpMetrics{
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "khidi_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: f.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "khidi_http_request_duration_seconds",
			Help:    "Time from a request's arrival to the end of its handler, by route pattern and method.",
			Buckets: durationBuckets,
		}, []string{"route", "method"}),
	}
}

// observe counts one answered request.
func (m httpMetrics) observe(route, method string, status int, d time.Duration) {
	method = methodLabel(method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
}

// methodLabel returns method if it is a standard one and OTHER if not:
// clients choose the method, and each distinct label value is a new series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}
