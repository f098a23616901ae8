package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/config"
)

const sampleWrk = `Running 10s test @ http://127.0.0.1:35149/a/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.26ms  540.63us  31.89ms   88.36%
    Req/Sec    20.21k     2.86k   29.91k    58.82%
  Latency Distribution
     50%    1.10ms
     75%    1.31ms
     90%    1.52ms
     99%  812.58us
  402958 requests in 10.10s, 6.48GB read
  Socket errors: connect 0, read 2, write 0, timeout 3
Requests/sec:  39897.15
Transfer/sec:    657.19MB
`

func TestParseWrk(t *testing.T) {
	t.Parallel()
	got, err := parseWrk("gateway", sampleWrk)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkRun{server: "gateway", rps: 39897.15, p99: 812580 * time.Nanosecond, requests: 402958,
		readBytes: 6.48 * (1 << 30), errors: 5}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(wrkRun{})); diff != "" {
		t.Errorf("parseWrk (-want +got):\n%s", diff)
	}
	if err := got.check(17000); err != nil {
		t.Errorf("check: %v", err)
	}
	// 6.48 GB over 402958 requests is about 17 KB a request: a 20 KB page was not served.
	if err := got.check(20000); err == nil {
		t.Error("check accepted less read per request than the page")
	}
	redirects := strings.Replace(sampleWrk, "Requests/sec", "  Non-2xx or 3xx responses: 7\nRequests/sec", 1)
	if r, _ := parseWrk("gateway", redirects); r.check(0) == nil {
		t.Error("check accepted error responses")
	}
	if _, err := parseWrk("gateway", strings.Replace(sampleWrk, "     99%  812.58us\n", "", 1)); err == nil {
		t.Error("parseWrk accepted an output without --latency")
	}
}

func TestReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, rps float64, p99 string) string {
		out := strings.Replace(sampleWrk, "39897.15", fmt.Sprint(rps), 1)
		out = strings.Replace(out, "812.58us", p99, 1)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{
		write("gateway-1.txt", 30000, "2.00ms"), write("gateway-2.txt", 10000, "9.00ms"), write("gateway-3.txt", 32000, "3.00ms"),
		write("plain-1.txt", 20000, "1.00ms"), write("plain-2.txt", 5000, "1.00ms"),
		write("nginx-1.txt", 50000, "1.00ms"), write("memory-1.txt", 32000, "1.00ms"),
	}
	var out bytes.Buffer
	if err := report(files, 0, &out); err != nil {
		t.Fatal(err)
	}
	// Medians: gateway 30000 rps, 3 ms; plain 12500. Ratios are per round:
	// plain 1.5 and 2.0 (median 1.75), nginx 0.6, memory 30000/32000.
	for _, want := range []string{"gateway     3        30000       3.00", "plain       2        12500",
		"gateway/plain   1.75x", "gateway/nginx   0.60x", "gateway/memory  0.94x  (target >= 0.85x: met)", "all targets met"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	// Round 2 adds 10000/70000 for nginx: the median of 0.6 and 0.14.
	if err := report(append(files, write("nginx-2.txt", 70000, "1.00ms")), 0, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "gateway/nginx   0.37x") {
		t.Errorf("report:\n%s", out.String())
	}
	out.Reset()
	if err := report(append(files, write("gateway-4.txt", 2000, "20ms"), write("gateway-5.txt", 2000, "20ms"),
		write("plain-4.txt", 20000, "1ms"), write("plain-5.txt", 20000, "1ms")), 0, &out); err != nil {
		t.Fatal(err)
	}
	// Medians: gateway 10000 rps, 9 ms; plain ratios 1.5, 2.0, 0.1, 0.1.
	for _, want := range []string{"gateway/plain   0.80x  (target >= 1.00x: MISSED)", "some targets missed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := report(append(files[:len(files)-1], write("memory-1.txt", 40000, "1ms")), 0, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "gateway/memory  0.75x  (target >= 0.85x: MISSED)") {
		t.Errorf("report:\n%s", out.String())
	}
	if err := report([]string{write("apache-1.txt", 1, "1ms")}, 0, &out); err == nil {
		t.Error("report accepted an unknown server")
	}
}

// TestMintCookieOpensInAnotherGateway mints a cookie through the real
// sign-in flow and checks that a gateway started separately with the same
// settings (and the printed issuer), as the benchmark starts the binary,
// takes it for the member.
func TestMintCookieOpensInAnotherGateway(t *testing.T) {
	site := t.TempDir()
	out := filepath.Join(site, "public")
	port := freePort(t)
	files := map[string]string{
		"config/site.toml":    "title = \"Bench\"\n[access]\nallow = [\"members\"]\n",
		"config/access.toml":  "[members]\ndomains = [\"example.com\"]\n[groups.eng]\ntitle = \"Engineering\"\n[groups.ops]\ntitle = \"Operations\"\n[[audiences]]\ngroups = [\"eng\", \"ops\"]\n",
		"content/_index.md":   "+++\ntitle = \"Home\"\n+++\nHome.\n",
		"content/eng/page.md": "+++\ntitle = \"Eng Page\"\n[access]\nallow = [\"group:eng\"]\n+++\nEng.\n",
		"config/gateway.toml": fmt.Sprintf("listen = \"127.0.0.1:%s\"\npublic_url = \"http://127.0.0.1:%s\"\nclient_id = \"bench\"\n", port, port),
	}
	for name, data := range files {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := build.New(build.Options{Site: site, Out: out}).Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.EnvCookieSecret, "bench-cookie-secret-of-32-bytes-or-more")
	t.Setenv(config.EnvClientSecret, "bench-client-secret")

	var stdout bytes.Buffer
	if err := run([]string{"-mint", "-site", site, "-out", out}, &stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for line := range strings.Lines(stdout.String()) {
		k, v, _ := strings.Cut(strings.TrimSpace(line), "=")
		vars[k] = strings.Trim(v, "'")
	}
	if vars["KIND"] != "member" || vars["BUILD"] == "" || vars["ISSUER"] == "" || vars["COOKIE"] == "" {
		t.Fatalf("mint printed:\n%s", stdout.String())
	}

	// The provider is gone; the other gateway needs it for sign-in only.
	cfg, err := config.LoadGateway(os.DirFS(site), os.Getenv, func(g *config.Gateway) { g.Issuer = vars["ISSUER"] })
	if err != nil {
		t.Fatal(err)
	}
	srv, err := gateway.New(cfg, out)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	who := whoami(t, srv, vars["COOKIE"])
	want := gateway.Whoami{Kind: "member", Email: "bench@example.com", Groups: []string{"eng", "ops"},
		Audience: "groups:eng+ops", Build: vars["BUILD"], Exact: true, Generation: srv.Generation()}
	if diff := cmp.Diff(want, who); diff != "" {
		t.Errorf("whoami with the minted cookie (-want +got):\n%s", diff)
	}
	// A gateway with another issuer derives another key: the cookie is refused.
	cfg.Issuer = "http://127.0.0.1:1"
	other, err := gateway.New(cfg, out)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if who := whoami(t, other, vars["COOKIE"]); who.Kind != "anonymous" {
		t.Errorf("a gateway with another issuer took the cookie for %q", who.Kind)
	}
}

func TestMemoryHandler(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte("<p>page</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := memoryHandler(file, "")
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/any/path/", nil))
	if rec.Code != 200 || rec.Body.String() != "<p>page</p>" || rec.Header().Get("Content-Length") != "11" {
		t.Errorf("status %d, length %q, body %q", rec.Code, rec.Header().Get("Content-Length"), rec.Body.String())
	}
	if _, err := memoryHandler(file+".missing", ""); err == nil {
		t.Error("memoryHandler accepted a missing file")
	}
	headers := filepath.Join(t.TempDir(), "headers")
	dump := "HTTP/1.1 200 OK\r\nCache-Control: private, no-cache\r\nDate: Mon, 30 Nov 2026 10:00:00 GMT\r\n" +
		"Content-Length: 99\r\nVary: Cookie, Accept-Encoding\r\nX-Frame-Options: DENY\r\n\r\n"
	if err := os.WriteFile(headers, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	if h, err = memoryHandler(file, headers); err != nil {
		t.Fatal(err)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	got := rec.Header()
	if got.Get("Cache-Control") != "private, no-cache" || got.Get("Vary") != "Cookie, Accept-Encoding" ||
		got.Get("X-Frame-Options") != "DENY" || got.Get("Date") != "" || got.Get("Content-Length") != "11" {
		t.Errorf("replayed headers: %v", got)
	}
	if _, err := memoryHandler(file, file); err == nil {
		t.Error("memoryHandler accepted a header file without headers")
	}
}

func whoami(t *testing.T, h http.Handler, cookie string) gateway.Whoami {
	t.Helper()
	req := httptest.NewRequest("GET", gateway.WhoamiPath, nil)
	req.Header.Set("Cookie", cookie)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var who gateway.Whoami
	if err := json.Unmarshal(rec.Body.Bytes(), &who); err != nil {
		t.Fatalf("whoami: status %d: %v", rec.Code, err)
	}
	return who
}

func freePort(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := freePorts(1, &b); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}

func TestReportCPU(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// sampleWrk served 402,958 requests; ticks of a microsecond.
	write := func(name, cpu string) string {
		p := filepath.Join(dir, name+".txt")
		if err := os.WriteFile(p, []byte(sampleWrk), 0o644); err != nil {
			t.Fatal(err)
		}
		if cpu != "" {
			if err := os.WriteFile(filepath.Join(dir, name+".cpu"), []byte(cpu), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	// 10 us a request for the gateway, 8 us for memory: memory's CPU per
	// request over the gateway's is 0.80.
	files := []string{write("gateway-1", "4029580 1000000\n"), write("memory-1", "3223664 1000000\n"), write("plain-1", "")}
	var out bytes.Buffer
	if err := report(files, 0, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"10.0 us", "8.0 us", "requests per second of the server's own CPU", "gateway/memory  0.80x\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "gateway/plain   1.00x\n\n") {
		t.Errorf("a CPU ratio for plain, which has no .cpu file:\n%s", out.String())
	}
	if err := os.WriteFile(filepath.Join(dir, "memory-1.cpu"), []byte("many"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := report(files, 0, &out); err == nil || !strings.Contains(err.Error(), "TICKS CLK_TCK") {
		t.Errorf("report of a bad .cpu file: %v", err)
	}
}
