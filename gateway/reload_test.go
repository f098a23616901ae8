//go:build linux

package gateway

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/facet-docs/facet/internal/config"
)

// publish writes generation gen beside out and exchanges it with out
// atomically, keeping exactly one previous generation as .NAME.prev, as
// the builder does.
func publish(t testing.TB, out string, o fixtureOptions) {
	t.Helper()
	parent, name := filepath.Dir(out), filepath.Base(out)
	staging := filepath.Join(parent, "."+name+".staging")
	prev := filepath.Join(parent, "."+name+".prev")
	if err := os.RemoveAll(staging); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, staging)
	writeFixture(t, staging, o)
	if err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(prev); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(staging, prev); err != nil {
		t.Fatal(err)
	}
}

func TestReloadSwapsGenerations(t *testing.T) {
	t.Parallel()
	s, out, _ := newFixtureServer(t, "https://docs.example.com")
	member := cookies(s.testCookie(t, "bob@example.com", true, "eng"))
	if b := body(t, get(s, "/eng/", member)); !strings.Contains(b, "gen=gen-1") {
		t.Fatalf("before: %q", b)
	}
	publish(t, out, fixtureOptions{gen: "gen-2", dirPrefix: "c"})
	// Until Reload, the held generation is served, whole.
	if b := body(t, get(s, "/eng/", member)); !strings.Contains(b, "gen=gen-1") {
		t.Errorf("before reload: %q", b)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if b := body(t, get(s, "/eng/", member)); !strings.Contains(b, "build=c") || !strings.Contains(b, "gen=gen-2") {
		t.Errorf("after reload: %q", b)
	}
	if s.Generation() != "gen-2" {
		t.Errorf("Generation() = %q", s.Generation())
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := counter(t, s, "facet_gateway_reloads_total", "result", "unchanged"); got != 1 {
		t.Errorf("reloads{unchanged} = %v", got)
	}
	// A damaged publication is refused and the current one stays.
	parent := filepath.Dir(out)
	bad := filepath.Join(parent, "bad")
	mustMkdir(t, bad)
	writeFixture(t, bad, fixtureOptions{gen: "gen-3"})
	if err := os.WriteFile(filepath.Join(bad, "rules.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, bad, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err == nil {
		t.Error("a damaged output loaded")
	}
	if b := body(t, get(s, "/eng/", member)); !strings.Contains(b, "gen=gen-2") {
		t.Errorf("after a failed reload: %q", b)
	}
}

func TestLoadRejectsMixedGenerations(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "public")
	mustMkdir(t, out)
	writeFixture(t, out, fixtureOptions{gen: "a"})
	other := filepath.Join(t.TempDir(), "other")
	mustMkdir(t, other)
	writeFixture(t, other, fixtureOptions{gen: "b"})
	rules, err := os.ReadFile(filepath.Join(other, "rules.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "rules.json"), rules, 0o644); err != nil {
		t.Fatal(err)
	}
	if st, err := loadGeneration(context.Background(), diskSource{out: out}, 0); err == nil {
		st.close()
		t.Fatal("manifest and rules of different generations loaded")
	}
}

func TestNoBuildPublishedYet(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "public")
	s, err := New(testConfig("https://docs.example.com", "http://127.0.0.1:1"), out, WithLogger(quietLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r := get(s, HealthPath, nil); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz before a build: %d", r.StatusCode)
	}
	if r := get(s, "/", nil); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/ before a build: %d", r.StatusCode)
	}
	mustMkdir(t, out)
	writeFixture(t, out, fixtureOptions{gen: "first"})
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if r := get(s, HealthPath, nil); r.StatusCode != 200 {
		t.Errorf("healthz after a build: %d", r.StatusCode)
	}
}

func TestNewRejectsDamagedOutput(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "public")
	mustMkdir(t, out)
	writeFixture(t, out, fixtureOptions{gen: "x"})
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), []byte(`{"format": 99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(testConfig("https://docs.example.com", "http://127.0.0.1:1"), out, WithLogger(quietLogger(t))); err == nil {
		t.Error("New accepted a damaged output")
	}
}

// TestHotSwapUnderLoad publishes several generations while clients keep
// asking: no request fails and none mixes two generations (each page names
// its build folder, and each generation names its folders differently).
func TestHotSwapUnderLoad(t *testing.T) {
	t.Parallel()
	s, out, _ := newFixtureServer(t, "http://127.0.0.1", WithPollInterval(20*time.Millisecond))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	l := startLoad("http://"+ln.Addr().String(), s.testCookie(t, "bob@example.com", true, "eng"))
	for i := 2; i <= 6; i++ {
		gen := fmt.Sprintf("gen-%d", i)
		prefix := fmt.Sprintf("g%d_", i)
		l.expect(gen, prefix)
		publish(t, out, fixtureOptions{gen: gen, dirPrefix: prefix})
		deadline := time.Now().Add(10 * time.Second)
		for s.Generation() != gen {
			if time.Now().After(deadline) {
				t.Fatalf("generation %s not picked up", gen)
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
	}
	count, failures := l.stop()
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve after shutdown: %v", err)
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed or mixed generations, first: %s", len(failures), count, failures[0])
	}
	t.Logf("%d requests across 6 generations", count)
	if count < 20 {
		t.Errorf("only %d requests ran", count)
	}
}

// load is a few clients asking for pages in a loop: even ones a member's
// page, odd ones an anonymous page.
type load struct {
	mu       sync.Mutex
	prefixOf map[string]string
	failures []string
	count    atomic.Int64
	done     chan struct{}
	wg       sync.WaitGroup
}

func startLoad(base string, member *http.Cookie) *load {
	l := &load{prefixOf: map[string]string{"gen-1": "b"}, done: make(chan struct{})}
	client := &http.Client{Timeout: 5 * time.Second}
	for w := 0; w < 4; w++ {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				select {
				case <-l.done:
					return
				default:
				}
				req, _ := http.NewRequest("GET", base+"/eng/", nil)
				if w%2 == 1 {
					req.URL.Path = "/public/"
				} else {
					req.AddCookie(member)
				}
				l.do(client, req)
			}
		}()
	}
	return l
}

func (l *load) do(client *http.Client, req *http.Request) {
	resp, err := client.Do(req)
	msg := ""
	if err != nil {
		msg = err.Error()
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		l.mu.Lock()
		msg = checkGeneration(resp.StatusCode, string(b), l.prefixOf)
		l.mu.Unlock()
	}
	l.count.Add(1)
	if msg != "" {
		l.mu.Lock()
		l.failures = append(l.failures, msg)
		l.mu.Unlock()
	}
}

// expect announces a generation and its folder prefix before publishing.
func (l *load) expect(gen, prefix string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prefixOf[gen] = prefix
}

func (l *load) stop() (int64, []string) {
	close(l.done)
	l.wg.Wait()
	return l.count.Load(), l.failures
}

// checkGeneration returns what is wrong with a response, "" if nothing.
func checkGeneration(status int, b string, prefixOf map[string]string) string {
	if status != 200 {
		return fmt.Sprintf("status %d: %q", status, b)
	}
	_, rest, ok := strings.Cut(b, "build=")
	if !ok {
		return fmt.Sprintf("not a page: %q", b)
	}
	var build, gen string
	fmt.Sscanf(strings.ReplaceAll(rest, "gen=", ""), "%s %s", &build, &gen)
	gen = strings.TrimSuffix(strings.TrimSpace(gen), "</p>")
	want, known := prefixOf[gen]
	if !known {
		return fmt.Sprintf("unknown generation in %q", b)
	}
	if build != "anonymous" && !strings.HasPrefix(build, want) {
		return fmt.Sprintf("mixed: build %s with generation %s", build, gen)
	}
	return ""
}

func TestWatchPicksUpPublicationByEvent(t *testing.T) {
	t.Parallel()
	// A poll interval of an hour leaves the file event as the only trigger.
	s, out, _ := newFixtureServer(t, "http://127.0.0.1", WithPollInterval(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { s.watch(ctx); close(done) }()
	time.Sleep(100 * time.Millisecond) // let the watcher start
	publish(t, out, fixtureOptions{gen: "by-event", dirPrefix: "e"})
	deadline := time.Now().Add(5 * time.Second)
	for s.Generation() != "by-event" {
		if time.Now().After(deadline) {
			t.Fatal("publication not picked up by file event")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestRunShutsDownOnCancel(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "http://127.0.0.1")
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestNewRejectsUnparsedClaim(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "public")
	cfg := testConfig("https://docs.example.com", "http://127.0.0.1:1")
	cfg.GroupsClaim = config.Claim{Name: "groups"} // no path: not made by config.ParseClaim
	if _, err := New(cfg, out, WithLogger(quietLogger(t))); err == nil || !strings.Contains(err.Error(), "groups_claim") {
		t.Errorf("New with an unparsed groups claim: %v, want a groups_claim error", err)
	}
}
