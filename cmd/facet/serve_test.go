package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/sitetest"
)

// TestServe runs facet serve on a site: it serves the anonymous build,
// switches audience, rebuilds on a saved file (real file watching), and
// removes its temporary output on exit.
func TestServe(t *testing.T) {
	t.Parallel()
	dir := sitetest.Shared(t, "members-open-eng")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--site", dir, "--listen", "127.0.0.1:0"}, outW, &stderr)
		outW.Close()
	}()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	started := regexp.MustCompile(`^facet serve: (http://\S+/) \(view as: \S+\), building into (\S+);`)
	var base, out string
	for base == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve stopped: %v\n%s", <-done, stderr.String())
			}
			if m := started.FindStringSubmatch(line); m != nil {
				base, out = m[1], m[2]
			}
		case <-time.After(20 * time.Second):
			t.Fatal("serve printed no URL")
		}
	}
	go func() {
		for range lines { // keep serve's later lines from blocking it
		}
	}()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	fetch := func(path string) (int, string) {
		t.Helper()
		res, err := client.Get(base + strings.TrimPrefix(path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
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

	cancel()
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
