package gateway

import (
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the gateway's Prometheus series.
type metrics struct {
	requests   *prometheus.CounterVec // kind, code
	signins    *prometheus.CounterVec // outcome
	refreshes  *prometheus.CounterVec // outcome
	reloads    *prometheus.CounterVec // result
	generation *prometheus.GaugeVec   // generation (info: 1 for the current one)
	loaded     prometheus.Gauge
	inexact    prometheus.Counter
	// stale is 1 while the object store does not answer (the last good
	// generation is served), 0 otherwise.
	stale   prometheus.Gauge
	handler http.Handler
	// counters keeps the requests counter of each requestKey.
	counters sync.Map
}

// newMetrics registers the series in reg; a nil reg gets a registry of
// its own with the Go and process collectors.
func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "facet_gateway_requests_total",
			Help: "Requests answered, by audience kind (anonymous, member, guest, outsider, or system for the gateway's own endpoints) and status code.",
		}, []string{"kind", "code"}),
		signins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "facet_gateway_signins_total",
			Help: "Sign-ins finished or refused, by outcome.",
		}, []string{"outcome"}),
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "facet_gateway_session_refreshes_total",
			Help: "Sessions checked again with the provider (gateway.toml refresh), by outcome: ok, or what ended the session (refused, unreachable, invalid_token, invalid_claims, session_too_large, reauthenticate).",
		}, []string{"outcome"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "facet_gateway_reloads_total",
			Help: "Loads of a published build, by result (swapped, unchanged, error).",
		}, []string{"result"}),
		generation: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "facet_gateway_build_generation",
			Help: "The build generation being served (1 for the current one).",
		}, []string{"generation"}),
		loaded: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "facet_gateway_build_loaded_timestamp_seconds",
			Help: "When the current build generation was loaded, Unix seconds.",
		}),
		inexact: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "facet_gateway_inexact_builds_total",
			Help: "Identities served a smaller build because none matched exactly (counted once per identity and generation).",
		}),
		stale: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "facet_gateway_store_stale",
			Help: "1 while the object store (gateway --from) does not answer and the last good generation is served, else 0.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.signins, m.refreshes, m.reloads, m.generation, m.loaded, m.inexact, m.stale} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m, nil
}

func (m *metrics) signin(outcome string) { m.signins.WithLabelValues(outcome).Inc() }

func (m *metrics) refreshed(outcome string) { m.refreshes.WithLabelValues(outcome).Inc() }

// swapped records a new generation.
func (m *metrics) swapped(old, gen string, at float64) {
	if old != "" {
		m.generation.DeleteLabelValues(old)
	}
	m.generation.WithLabelValues(gen).Set(1)
	m.loaded.Set(at)
	m.reloads.WithLabelValues("swapped").Inc()
}

// recorder remembers the status of a response for metrics, and gives the
// response the handler's write deadline at its first write unless a
// handler set one for its body (see Server.writeDeadline), so that each
// response sets one deadline. It passes ReadFrom through so large files
// still go out with sendfile.
type recorder struct {
	http.ResponseWriter
	code int
	// base is the deadline a response gets unless one was set.
	base     time.Duration
	deadline bool
}

// SetWriteDeadline sets the response's write deadline (it is what
// http.ResponseController finds first).
func (r *recorder) SetWriteDeadline(t time.Time) error {
	r.deadline = true
	return http.NewResponseController(r.ResponseWriter).SetWriteDeadline(t)
}

// begin sets the base deadline when no handler set one.
func (r *recorder) begin() {
	if !r.deadline {
		r.deadline = true
		setWriteDeadline(r.ResponseWriter, r.base)
	}
}

func (r *recorder) WriteHeader(code int) {
	r.begin()
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.begin()
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) ReadFrom(src io.Reader) (int64, error) {
	r.begin()
	if r.code == 0 {
		r.code = http.StatusOK
	}
	if rf, ok := r.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(r.ResponseWriter, src)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes flushes through.
func (r *recorder) Flush() {
	r.begin()
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// status is the code, 200 when nothing was written.
func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

// requestKey names one series of facet_gateway_requests_total.
type requestKey struct {
	kind string
	code int
}

// answered counts a request of kind answered with code. Each series's
// counter is looked up once and kept (kinds and codes are few and fixed by
// the code), so a request costs no label hashing or formatting.
func (m *metrics) answered(kind string, code int) {
	k := requestKey{kind, code}
	if c, ok := m.counters.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := m.requests.WithLabelValues(kind, strconv.Itoa(code))
	m.counters.Store(k, c)
	c.Inc()
}
