package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/idptest"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/publish"
	"github.com/facet-docs/facet/internal/s3test"
	"github.com/facet-docs/facet/internal/store"
)

// scaleOut is the repository's handbook published to a real object store
// and served by two gateway replicas behind nginx (round-robin).
type scaleOut struct {
	site, out string
	srv       *s3test.Server
	st        *store.Store
	replicas  []string // http://127.0.0.1:PORT of each replica
	servers   []*gateway.Server
	e         *e2eEnv  // public is nginx's address
	gens      []string // generations published, in order
}

// editMark is the sentence each publication writes into the edited page.
func editMark(n int) string { return fmt.Sprintf("Scale-out publication number %d.", n) }

const editedPage = "/getting-started/"

func (so *scaleOut) publishEdit(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(so.site, "content", "getting-started", "_index.md")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.Index(string(b), "\nScale-out publication number"); i >= 0 {
		b = b[:i]
	}
	if err := os.WriteFile(p, append(b, "\n"+editMark(n)+"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := build.New(build.Options{Site: so.site, Out: so.out, Workers: 2}).Build(context.Background()); err != nil {
		t.Fatalf("build: %v", err)
	}
	if _, err := publish.Publish(context.Background(), publish.Options{Out: so.out, Store: so.st}); err != nil {
		t.Fatal(err)
	}
	m, _, err := manifest.Read(so.out)
	if err != nil {
		t.Fatal(err)
	}
	return m.Generation
}

func newScaleOut(t *testing.T) *scaleOut {
	t.Helper()
	nginx := nginxPath(t)
	dir := t.TempDir()
	so := &scaleOut{site: filepath.Join(dir, "site"), out: filepath.Join(dir, "public")}
	for _, d := range []string{"config", "content"} {
		if err := os.CopyFS(filepath.Join(so.site, d), os.DirFS(filepath.Join("..", d))); err != nil {
			t.Fatal(err)
		}
	}
	so.srv = s3test.Start(t)
	so.st = so.srv.Bucket(t, "handbook")
	so.gens = append(so.gens, so.publishEdit(t, 1))

	front := listen(t)
	so.e = &e2eEnv{public: "http://" + front.Addr().String(), logs: &syncBuffer{}}
	front.Close() // nginx takes the port
	users := slices.Clone(e2eUsers)
	for i := range users {
		users[i].Password = e2ePassword
	}
	so.e.idp = idptest.New(t, idptest.Client{ID: e2eClientID, Secret: e2eSecret,
		RedirectURIs: []string{so.e.public + gateway.CallbackPath}, PostLogoutRedirectURIs: []string{so.e.public + "/"}},
		users, idptest.Options{GroupsClaim: "groups"})
	cfg := e2eConfig(t, so.e.public, so.e.idp.Issuer(), "groups")
	for i := range 2 {
		so.startReplica(t, cfg, i)
	}
	startNginx(t, nginx, dir, strings.TrimPrefix(so.e.public, "http://"), so.replicas)
	return so
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// startReplica starts a gateway serving the store, with a cache of its own.
func (so *scaleOut) startReplica(t *testing.T, cfg *config.Gateway, i int) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(so.e.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s, err := gateway.NewFromStore(cfg, so.st, gateway.StoreCache{Dir: t.TempDir(), Replica: fmt.Sprintf("replica-%d", i)},
		gateway.WithLogger(log), gateway.WithPollInterval(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
		s.Close()
	})
	so.replicas = append(so.replicas, "http://"+ln.Addr().String())
	so.servers = append(so.servers, s)
}

// nginxPath finds Debian's nginx: skipped when missing, failed with
// FACET_REQUIRE_ALL=1.
func nginxPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("FACET_REQUIRE_ALL") == "1" {
		t.Fatal("nginx is missing (apt-get install nginx)")
	}
	t.Skip("nginx is missing (apt-get install nginx)")
	return ""
}

// startNginx runs nginx in the foreground on addr, balancing round-robin
// over the upstreams, until the test ends.
func startNginx(t *testing.T, bin, dir, addr string, upstreams []string) {
	t.Helper()
	var servers strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&servers, "    server %s max_fails=0;\n", strings.TrimPrefix(u, "http://"))
	}
	conf := fmt.Sprintf(`daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path %[1]s/nginx-body;
  proxy_temp_path %[1]s/nginx-proxy;
  fastcgi_temp_path %[1]s/nginx-fastcgi;
  uwsgi_temp_path %[1]s/nginx-uwsgi;
  scgi_temp_path %[1]s/nginx-scgi;
  upstream gateways {
%[2]s  }
  server {
    listen %[3]s;
    location / {
      proxy_pass http://gateways;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`, dir, servers.String(), addr)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		_ = cmd.Wait()
	})
	err := poll(10*time.Second, func() error {
		resp, err := http.Get("http://" + addr + gateway.HealthPath)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
	if err != nil {
		b, _ := os.ReadFile(filepath.Join(dir, "nginx-error.log"))
		t.Fatalf("nginx does not answer: %v\n%s%s", err, out.String(), b)
	}
}

// TestE2EScaleOut publishes the handbook to a real object store, serves it
// from two replicas behind nginx, signs in through the provider (the flow
// crosses replicas), reads on each replica with the one cookie,
// republishes under load through nginx (no failed or mixed response),
// checks no-trace over the store, then stops the store: both replicas say
// stale and keep serving every page of the generation they have.
func TestE2EScaleOut(t *testing.T) {
	so := newScaleOut(t)
	b := so.e.browser(t)
	b.signIn(t, "/handbook/", "engineer")
	var build string
	for i, r := range so.replicas {
		w := whoamiAt(t, b, r)
		if w.Kind != "member" || w.Email != "engineer@example.com" || w.Generation != so.gens[0] {
			t.Fatalf("replica %d: whoami %+v, want engineer, a member, on %s", i, w, so.gens[0])
		}
		build = w.Build
		if resp, _ := b.get(t, r+"/handbook/"); resp.StatusCode != http.StatusOK {
			t.Fatalf("replica %d: /handbook/ with the session of the other: %d", i, resp.StatusCode)
		}
	}

	l := startStoreLoad(b, so.e.public)
	next := so.publishEdit(t, 2)
	so.gens = append(so.gens, next)
	if err := poll(30*time.Second, func() error {
		for i, r := range so.replicas {
			if g := whoamiAt(t, b, r).Generation; g != next {
				return fmt.Errorf("replica %d serves %s", i, g)
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("the replicas did not follow the pointer: %v", err)
	}
	l.swapped.Store(true)
	time.Sleep(200 * time.Millisecond) // requests started after the swap, for the check below
	total, problems := l.stop()
	if len(problems) > 0 || total < 10 {
		t.Fatalf("%d requests under republication, problems: %v", total, problems)
	}
	t.Logf("%d requests through nginx while republishing, none failed or mixed", total)

	s3test.CheckStore(t, so.st, so.out)

	so.srv.Stop()
	so.checkStale(t, b, build)
}

// checkStale checks, with the store stopped, that both replicas say stale
// and that every page of the build (each asked of both replicas through
// nginx's round-robin) is served.
func (so *scaleOut) checkStale(t *testing.T, b *browser, build string) {
	t.Helper()
	for i, r := range so.replicas {
		if err := poll(30*time.Second, func() error {
			if _, body := b.get(t, r+gateway.HealthPath); !strings.HasPrefix(body, "stale: ") {
				return fmt.Errorf("healthz %q", body)
			}
			return nil
		}); err != nil {
			t.Fatalf("replica %d with the store stopped: %v", i, err)
		}
	}
	pages := buildPages(t, filepath.Join(so.out, build))
	for _, p := range pages {
		for range so.replicas { // round-robin: each page from each replica
			if resp, body := b.get(t, p); resp.StatusCode != http.StatusOK || !strings.Contains(body, "<html") {
				t.Errorf("%s with the store stopped: %d", p, resp.StatusCode)
			}
		}
	}
	if len(pages) < 10 {
		t.Errorf("only %d pages read with the store stopped", len(pages))
	}
}

// buildPages lists the page URLs of a build folder.
func buildPages(t *testing.T, dir string) []string {
	t.Helper()
	var urls []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(p))
		if rel == "." {
			urls = append(urls, "/")
		} else {
			urls = append(urls, "/"+filepath.ToSlash(rel)+"/")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return urls
}

// storeLoad requests the edited page and whoami through nginx until
// stopped, with the signed-in browser's cookie.
type storeLoad struct {
	b       *browser
	base    string
	swapped atomic.Bool
	done    chan struct{}
	wg      sync.WaitGroup
	total   atomic.Int64

	mu       sync.Mutex
	problems []string
}

func startStoreLoad(b *browser, base string) *storeLoad {
	l := &storeLoad{b: b, base: base, done: make(chan struct{})}
	for range 4 {
		l.wg.Go(l.run)
	}
	return l
}

func (l *storeLoad) run() {
	for {
		select {
		case <-l.done:
			return
		default:
		}
		after := l.swapped.Load()
		resp, err := l.b.c.Get(l.base + editedPage)
		if err != nil {
			l.problem("GET: " + err.Error())
			continue
		}
		body, err := readAll(resp)
		l.total.Add(1)
		one, two := strings.Contains(body, editMark(1)), strings.Contains(body, editMark(2))
		switch {
		case err != nil || resp.StatusCode != http.StatusOK:
			l.problem(fmt.Sprintf("status %d, %v", resp.StatusCode, err))
		case one == two:
			l.problem(fmt.Sprintf("page holds both marks or neither (%v, %v)", one, two))
		case after && one:
			l.problem("the first generation served after both replicas swapped")
		}
	}
}

func (l *storeLoad) problem(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.problems) < 10 {
		l.problems = append(l.problems, s)
	}
}

func (l *storeLoad) stop() (int64, []string) {
	close(l.done)
	l.wg.Wait()
	return l.total.Load(), l.problems
}

// whoamiAt reads /_facet/whoami of the gateway at base.
func whoamiAt(t *testing.T, b *browser, base string) gateway.Whoami {
	t.Helper()
	resp, body := b.get(t, base+gateway.WhoamiPath)
	var w gateway.Whoami
	if err := json.Unmarshal([]byte(body), &w); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("whoami at %s: %d %v: %s", base, resp.StatusCode, err, body)
	}
	return w
}

func readAll(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}
