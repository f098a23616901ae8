package gateway

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// discard is a ResponseWriter that keeps only the status, so that the
// benchmarks measure the handlers rather than a recorder.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(code int)        { d.code = code }

// SetWriteDeadline accepts the deadline, as a connection's writer does.
func (d *discard) SetWriteDeadline(time.Time) error { return nil }

// benchPage writes a 17 KB page into the build bob (member in eng) is
// served and returns the folder.
func benchPage(b *testing.B, s *Server, out string) string {
	st := s.current.Load()
	c := st.choose(access.Identity{Kind: access.Member, Email: "bob@example.com", Groups: []string{"eng"}}, func(access.Identity, choice) {})
	dir := filepath.Join(out, st.builds[c.build].dir)
	page := "<!doctype html><title>bench</title>" + strings.Repeat("<p>Lorem ipsum dolor sit amet, consectetur.</p>\n", 17*1024/49)
	if err := os.MkdirAll(filepath.Join(dir, "bench"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bench", "index.html"), []byte(page), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func runBench(b *testing.B, h http.Handler, c *http.Cookie) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest("GET", "/bench/", nil)
		req.Header.Set("Accept-Encoding", "gzip, br")
		if c != nil {
			req.AddCookie(c)
		}
		w := &discard{}
		for pb.Next() {
			w.h, w.code = http.Header{}, 0
			h.ServeHTTP(w, req)
			if w.code != 0 && w.code != 200 {
				b.Fatalf("status %d", w.code)
			}
		}
	})
}

// BenchmarkGatewayAuthenticated is a signed-in member's request for a
// 17 KB page: cookie opened, identity and build chosen, file from memory.
func BenchmarkGatewayAuthenticated(b *testing.B) {
	s, out, _ := newFixtureServer(b, "https://docs.example.com")
	benchPage(b, s, out)
	runBench(b, s, s.testCookie(b, "bob@example.com", true, "eng"))
}

// BenchmarkFileServer is net/http's file server on the same build folder,
// without any auth: the floor the gateway is held to.
func BenchmarkFileServer(b *testing.B) {
	s, out, _ := newFixtureServer(b, "https://docs.example.com")
	runBench(b, http.FileServer(http.Dir(benchPage(b, s, out))), nil)
}
