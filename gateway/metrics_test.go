package gateway

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// counter reads one series of a metric of the gateway.
func counter(t *testing.T, s *Server, name, label, value string) float64 {
	t.Helper()
	var c prometheus.Collector
	switch name {
	case "facet_gateway_signins_total":
		c = s.metrics.signins.WithLabelValues(value)
	case "facet_gateway_reloads_total":
		c = s.metrics.reloads.WithLabelValues(value)
	default:
		t.Fatalf("unknown metric %s", name)
	}
	return testutil.ToFloat64(c)
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	s, _, _ := newFixtureServer(t, "https://docs.example.com", WithRegistry(reg))
	member := cookies(s.testCookie(t, "bob@example.com", true, "eng"))
	get(s, "/", nil)
	get(s, "/", member)
	get(s, "/eng/", member)
	get(s, "/nothing/", member)
	get(s, "/handbook/", nil)
	get(s, HealthPath, nil)
	for _, c := range []struct {
		kind, code string
		want       float64
	}{
		{"anonymous", "200", 1},
		{"anonymous", "302", 1},
		{"member", "200", 2},
		{"member", "404", 1},
		{"system", "200", 1},
	} {
		if got := testutil.ToFloat64(s.metrics.requests.WithLabelValues(c.kind, c.code)); got != c.want {
			t.Errorf("requests{kind=%s,code=%s} = %v, want %v", c.kind, c.code, got, c.want)
		}
	}
	if got := testutil.ToFloat64(s.metrics.generation.WithLabelValues("gen-1")); got != 1 {
		t.Errorf("build_generation{gen-1} = %v", got)
	}
	resp := get(s, MetricsPath, nil)
	b := body(t, resp)
	for _, want := range []string{"facet_gateway_requests_total", "facet_gateway_build_generation{generation=\"gen-1\"} 1", "facet_gateway_reloads_total"} {
		if !strings.Contains(b, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestDefaultRegistryPerServer(t *testing.T) {
	t.Parallel()
	// Two gateways in one process must not collide on registration.
	a, _, _ := newFixtureServer(t, "https://docs.example.com")
	b, _, _ := newFixtureServer(t, "https://docs.example.com")
	if a.metrics.handler == nil || b.metrics.handler == nil {
		t.Fatal("no metrics handler")
	}
	if b := body(t, get(a, MetricsPath, nil)); !strings.Contains(b, "go_goroutines") {
		t.Error("default registry lacks Go metrics")
	}
}
