package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/sitetest"
)

// serving is a facet serve run by a test: its address, output folder,
// the lines it prints after starting, and a client that keeps the
// view-as cookie.
type serving struct {
	t      *testing.T
	base   string
	out    string
	lines  chan string
	stderr *lockedBuffer
	done   chan error
	cancel context.CancelFunc
	client *http.Client
}

// startServe runs facet serve on dir until the test ends, and waits for
// its address.
func startServe(t *testing.T, dir string, extra ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	outR, outW := io.Pipe()
	sv := &serving{t: t, lines: make(chan string, 64), stderr: &lockedBuffer{}, done: make(chan error, 1), cancel: cancel}
	go func() {
		sv.done <- run(ctx, append([]string{"serve", "--site", dir, "--listen", "127.0.0.1:0"}, extra...), outW, sv.stderr)
		outW.Close()
	}()
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			select {
			case sv.lines <- sc.Text():
			default: // nobody waits for lines: keep serve from blocking
			}
		}
		close(sv.lines)
	}()
	started := regexp.MustCompile(`^facet serve: (http://\S+/)(\?token=[\w-]+)? \(view as: \S+\), building into (\S+);`)
	var token string
	for sv.base == "" {
		select {
		case line, ok := <-sv.lines:
			if !ok {
				t.Fatalf("serve stopped: %v\n%s", <-sv.done, sv.stderr.String())
			}
			if m := started.FindStringSubmatch(line); m != nil {
				sv.base, token, sv.out = m[1], m[2], m[3]
			}
		case <-time.After(20 * time.Second):
			t.Fatal("serve printed no URL with a token")
		}
	}
	jar, _ := cookiejar.New(nil)
	sv.client = &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if slices.Contains(extra, "--no-token") {
		if token != "" {
			t.Fatalf("serve --no-token printed a token: %s", token)
		}
		return sv
	}
	if token == "" {
		t.Fatal("serve printed its address without a token")
	}
	// without the token the preview answers nothing of the site
	if code, b := sv.fetch("/"); code != http.StatusUnauthorized || strings.Contains(b, "<html") {
		t.Fatalf("serve without its token: %d %q, want 401", code, b)
	}
	// the printed address sets the token's cookie
	if code, _ := sv.fetch("/" + token); code == http.StatusUnauthorized {
		t.Fatalf("serve's printed address: %d", code)
	}
	return sv
}

// fetch gets a path of the preview: its status and body.
func (sv *serving) fetch(path string) (int, string) {
	sv.t.Helper()
	res, err := sv.client.Get(sv.base + strings.TrimPrefix(path, "/"))
	if err != nil {
		sv.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServe runs facet serve on a site: it serves the anonymous build,
// switches audience, rebuilds on a saved file (real file watching), and
// removes its temporary output on exit.
func TestServe(t *testing.T) {
	t.Parallel()
	dir := sitetest.Shared(t, "members-open-eng")
	sv := startServe(t, dir)
	fetch, stderr, done, out := sv.fetch, sv.stderr, sv.done, sv.out
	if code, b := fetch("/eng/"); code != http.StatusNotFound || strings.Contains(b, "Engineering Notes") {
		t.Errorf("anonymous /eng/: %d, want 404 without the page", code)
	}
	if code, _ := fetch("/_facet/as?id=group:eng"); code != http.StatusOK {
		t.Errorf("view as group:eng: %d, want 200 after the redirect to /", code)
	}
	if code, b := fetch("/eng/"); code != http.StatusOK || !strings.Contains(b, "Engineering Notes") {
		t.Errorf("as group:eng /eng/: %d, want 200 with the page", code)
	}

	sitetest.WriteFile(t, dir, "content/open.md", "+++\ntitle = \"Open\"\n[access]\nallow = [\"anyone\"]\n+++\nSecond version.\n")
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, b := fetch("/open/"); strings.Contains(b, "Second version.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("edit not rebuilt; stderr:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	sv.cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
	if _, err := os.Stat(filepath.Dir(out)); !os.IsNotExist(err) {
		t.Errorf("temporary output %s not removed: %v", filepath.Dir(out), err)
	}
}

func TestServeIgnore(t *testing.T) {
	t.Parallel()
	ignore := serveIgnore("site", "site/content/out")
	for rel, want := range map[string]bool{
		"content/a.md":         false,
		"config/site.toml":     false,
		"themes/x/page.html":   false,
		"content/out":          true,
		"content/out/index.md": true,
		"content/outline.md":   false,
		"public/index.html":    true,
		"internal":             true,
	} {
		if got := ignore(rel); got != want {
			t.Errorf("ignore(%q) = %v, want %v", rel, got, want)
		}
	}
}

// TestServeGuestExpiry: facet serve rebuilds when a guest's access
// expires, with no file changed, so that "view as" that guest stops
// showing the pages shared with them.
func TestServeGuestExpiry(t *testing.T) {
	t.Parallel()
	expires := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339)
	dir := sitetest.New(t, `
-- config/site.toml --
title = "Expiry"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[[guests]]
email = "carol@partner.example"
expires = `+expires+`
-- content/_index.md --
+++
title = "Home"
+++
Hi.
-- content/shared.md --
+++
title = "Shared Quokka"
[access]
grant = ["user:carol@partner.example"]
+++
For carol.
`)
	sv := startServe(t, dir)
	if code, _ := sv.fetch("/_facet/as?id=user:carol@partner.example"); code != http.StatusOK {
		t.Fatalf("view as carol: %d", code)
	}
	if code, b := sv.fetch("/shared/"); code != http.StatusOK || !strings.Contains(b, "Shared Quokka") {
		t.Fatalf("as carol before her expiry: %d, want the page", code)
	}
	deadline := time.After(30 * time.Second)
	for expired := false; !expired; {
		select {
		case line, ok := <-sv.lines:
			if !ok {
				t.Fatalf("serve stopped: %s", sv.stderr.String())
			}
			expired = strings.Contains(line, "a guest's access expired; rebuilding")
		case <-deadline:
			t.Fatalf("no rebuild at the guest's expiry; stderr:\n%s", sv.stderr.String())
		}
	}
	for end := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		sv.fetch("/_facet/as?id=user:carol@partner.example")
		code, b := sv.fetch("/shared/")
		if !strings.Contains(b, "Shared Quokka") {
			if code == http.StatusOK {
				t.Errorf("after the expiry /shared/ answers 200 without its page")
			}
			break
		}
		if time.Now().After(end) {
			t.Fatalf("as carol after her expiry, the page is still served")
		}
	}
}

// lockedBuffer is a strings.Builder safe for one writer and one reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// facet serve warns when it listens beyond loopback: the preview shows
// every audience without sign-in, and its Host check is not a login.
func TestServeWarnsBeyondLoopback(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{"127.0.0.1:0": false, "[::1]:0": false, "0.0.0.0:0": true} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Logf("%s: %v", addr, err) // no IPv6 here
			continue
		}
		if got := !loopback(ln.Addr()); got != want {
			t.Errorf("%s (%s): beyond loopback %v, want %v", addr, ln.Addr(), got, want)
		}
		ln.Close()
	}
}

// TestServeNoToken: --no-token serves without the token, and says that
// every user of the machine can then read every audience.
func TestServeNoToken(t *testing.T) {
	t.Parallel()
	sv := startServe(t, sitetest.Shared(t, "members-open-eng"), "--no-token")
	if code, b := sv.fetch("/"); code != http.StatusOK || !strings.Contains(b, "<html") {
		t.Fatalf("serve --no-token: / answers %d", code)
	}
	if !strings.Contains(sv.stderr.String(), "without a token (--no-token): every user of this machine") {
		t.Errorf("serve --no-token gave no warning: %s", sv.stderr.String())
	}
}
