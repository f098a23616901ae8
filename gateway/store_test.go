package gateway

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	facetpublish "github.com/facet-docs/facet/internal/publish"
	"github.com/facet-docs/facet/internal/s3test"
	"github.com/facet-docs/facet/internal/store"
)

func TestMain(m *testing.M) { os.Exit(s3test.Main(m)) }

// publishFixture writes the fixture generation gen into a fresh folder and
// publishes it to st with facet publish's code.
func publishFixture(t *testing.T, st *store.Store, o fixtureOptions) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	mustMkdir(t, out)
	writeFixture(t, out, o)
	if _, err := facetpublish.Publish(context.Background(), facetpublish.Options{Out: out, Store: st}); err != nil {
		t.Fatal(err)
	}
	return out
}

func newStoreServer(t *testing.T, st *store.Store, cacheDir string, opts ...Option) *Server {
	t.Helper()
	clk := &clock{t: testNow}
	opts = append([]Option{WithNow(clk.now), WithLogger(quietLogger(t))}, opts...)
	s, err := NewFromStore(testConfig("https://docs.example.com", "http://127.0.0.1:1/unreachable"), st,
		StoreCache{Dir: cacheDir, Replica: "test"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// storePaths are asked of both gateways, by every identity.
var storePaths = []string{"/", "/public/", "/public/index.html", "/eng/", "/partners/", "/staff/", "/handbook/",
	"/handbook/pay/", "/style.css", "/files/big.bin", "/files/same.bin", "/files/note.txt", "/files", "/files/",
	"/nothing/", "/escape.txt", "/inside.txt", "/.hidden", "/.git/config", "/404.html"}

// TestStoreServesLikeDisk: a gateway serving what facet publish wrote to
// the store answers every path, for every identity, with the status,
// type and body the gateway serving the same output from disk gives
// (symbolic links, which publish leaves out, apart).
func TestStoreServesLikeDisk(t *testing.T) {
	st := s3test.Shared(t).Bucket(t, "site")
	out := publishFixture(t, st, fixtureOptions{gen: "gen-1"})
	disk, err := New(testConfig("https://docs.example.com", "http://127.0.0.1:1/unreachable"), out,
		WithNow(func() time.Time { return testNow }), WithLogger(quietLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	remote := newStoreServer(t, st, t.TempDir())
	ids := map[string][]*http.Cookie{
		"anonymous": nil,
		"member":    cookies(disk.testCookie(t, "bob@example.com", true, "eng")),
		"staff":     cookies(disk.testCookie(t, "sue@example.com", true, "eng", "staff")),
		"guest":     cookies(disk.testCookie(t, "carol@partner.example", true)),
	}
	compared := 0
	for who, c := range ids {
		for _, p := range storePaths {
			for _, enc := range []string{"", "gzip, br"} {
				want := get(disk, p, c, "Accept-Encoding", enc)
				got := get(remote, p, c, "Accept-Encoding", enc)
				wb, gb := body(t, want), body(t, got)
				if p == "/escape.txt" || p == "/inside.txt" {
					if got.StatusCode == http.StatusOK {
						t.Errorf("%s %s: a symbolic link was served from the store: %q", who, p, gb)
					}
					continue
				}
				if got.StatusCode != want.StatusCode || gb != wb || got.Header.Get("Content-Type") != want.Header.Get("Content-Type") ||
					got.Header.Get("Etag") != want.Header.Get("Etag") || got.Header.Get("Location") != want.Header.Get("Location") {
					t.Errorf("%s %s (%q): store %d %q (%s), disk %d %q (%s)", who, p, enc, got.StatusCode, clipped(gb),
						got.Header.Get("Content-Type"), want.StatusCode, clipped(wb), want.Header.Get("Content-Type"))
				}
				compared++
			}
		}
	}
	if compared < len(ids)*(len(storePaths)-2)*2 {
		t.Errorf("compared %d answers", compared)
	}
}

func clipped(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// TestStoreSwapsAndSurvivesOutage: the gateway follows the store's
// pointer to a new generation, and when the store stops answering it keeps
// serving the generation it has, whole (big files included), says stale
// in /healthz and the metrics.
func TestStoreSwapsAndSurvivesOutage(t *testing.T) {
	srv := s3test.Start(t)
	st := srv.Bucket(t, "")
	publishFixture(t, st, fixtureOptions{gen: "gen-1"})
	s := newStoreServer(t, st, t.TempDir(), WithPollInterval(100*time.Millisecond))
	member := cookies(s.testCookie(t, "bob@example.com", true, "eng"))
	if b := body(t, get(s, "/eng/", member)); !strings.Contains(b, "gen=gen-1") {
		t.Fatalf("first generation: %q", b)
	}
	out2 := publishFixture(t, st, fixtureOptions{gen: "gen-2", dirPrefix: "c"})
	s.reloadIfChanged(context.Background())
	if b := body(t, get(s, "/eng/", member)); !strings.Contains(b, "gen=gen-2") || !strings.Contains(b, "build=c") {
		t.Fatalf("after the pointer moved: %q", b)
	}
	if h := body(t, get(s, "/healthz", nil)); h != "ok\n" {
		t.Errorf("healthz = %q", h)
	}

	srv.Stop()
	s.reloadIfChanged(context.Background())
	resp := get(s, "/healthz", nil)
	if h := body(t, resp); resp.StatusCode != http.StatusOK || !strings.HasPrefix(h, "stale: ") || !strings.Contains(h, "gen-2") {
		t.Errorf("healthz with the store down = %d %q, want 200 stale naming gen-2", resp.StatusCode, h)
	}
	if got := testutil.ToFloat64(s.metrics.stale); got != 1 {
		t.Errorf("facet_gateway_store_stale = %v, want 1", got)
	}
	// Files never asked for before the outage are served too: the
	// generation's objects were fetched before it was swapped in.
	staff := cookies(s.testCookie(t, "sue@example.com", true, "eng", "staff"))
	dir := body(t, get(s, "/_facet/whoami", staff))
	for _, p := range []string{"staff/index.html", "files/big.bin", "files/note.txt"} {
		r := get(s, "/"+p, staff)
		got := body(t, r)
		build := whoamiBuild(t, dir)
		want, err := os.ReadFile(filepath.Join(out2, build, p))
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode != http.StatusOK || got != string(want) {
			t.Errorf("/%s with the store down: %d, %d bytes, want build %s's %d bytes", p, r.StatusCode, len(got), build, len(want))
		}
	}
	if s.Generation() != "gen-2" {
		t.Errorf("generation = %q", s.Generation())
	}
}

// whoamiBuild is the build folder of a /_facet/whoami answer.
func whoamiBuild(t *testing.T, answer string) string {
	t.Helper()
	var w Whoami
	if err := json.Unmarshal([]byte(answer), &w); err != nil || w.Build == "" {
		t.Fatalf("whoami %q: %v", answer, err)
	}
	return w.Build
}

// TestStoreRecordsWanted: a replica serving from the store records a
// combination it served without an exact build in its own wanted file in
// the store, and facet publish merges it into the output's wanted.json,
// where the next build reads it.
func TestStoreRecordsWanted(t *testing.T) {
	st := s3test.Shared(t).Bucket(t, "")
	out := publishFixture(t, st, fixtureOptions{gen: "gen-1"})
	s := newStoreServer(t, st, t.TempDir())
	c := cookies(s.testCookie(t, "bob@example.com", true, "eng", "partners"))
	if r := get(s, "/eng/", c); r.StatusCode != http.StatusOK {
		t.Fatalf("/eng/: %d", r.StatusCode)
	}
	var b []byte
	err := pollUntil(10*time.Second, func() error {
		var err error
		b, err = st.Get(context.Background(), store.WantedKey("test"))
		return err
	})
	if err != nil || !strings.Contains(string(b), `"eng"`) || !strings.Contains(string(b), `"partners"`) {
		t.Fatalf("wanted/test.json = %q, %v", b, err)
	}
	n, err := facetpublish.MergeWanted(context.Background(), st, out)
	if err != nil || n != 1 {
		t.Fatalf("MergeWanted = %d, %v", n, err)
	}
	local, err := os.ReadFile(filepath.Join(out, "wanted.json"))
	if err != nil || !strings.Contains(string(local), `"partners"`) || !strings.Contains(string(local), "last_wanted") {
		t.Errorf("the output's wanted.json = %q, %v", local, err)
	}
}

func pollUntil(d time.Duration, f func() error) error {
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// BenchmarkGatewayFromStore is BenchmarkGatewayAuthenticated served from
// the object store (caches warm): compare the two in one run with
// go test -bench 'GatewayAuthenticated|GatewayFromStore' ./gateway.
func BenchmarkGatewayFromStore(b *testing.B) {
	disk, out, _ := newFixtureServer(b, "https://docs.example.com")
	benchPage(b, disk, out)
	st := s3test.Shared(b).Bucket(b, "")
	if _, err := facetpublish.Publish(context.Background(), facetpublish.Options{Out: out, Store: st}); err != nil {
		b.Fatal(err)
	}
	s, err := NewFromStore(testConfig("https://docs.example.com", "http://127.0.0.1:1/unreachable"), st,
		StoreCache{Dir: b.TempDir(), Replica: "bench"}, WithNow(func() time.Time { return testNow }), WithLogger(quietLogger(b)))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := s.testCookie(b, "bob@example.com", true, "eng")
	b.ResetTimer()
	runBench(b, s, c)
}
