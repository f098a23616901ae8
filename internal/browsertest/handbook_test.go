package browsertest_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/browsertest"
	"github.com/facet-docs/facet/internal/build"
)

// buildHandbook builds the repository's own handbook (content/ and
// config/ at its root) into a fresh folder and returns it. A non-empty
// baseURL replaces the site's base_url, in a copy of the site.
func buildHandbook(t *testing.T, baseURL string) string {
	t.Helper()
	site, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if baseURL != "" {
		cp := t.TempDir()
		for _, dir := range []string{"content", "config"} {
			if err := os.CopyFS(filepath.Join(cp, dir), os.DirFS(filepath.Join(site, dir))); err != nil {
				t.Fatal(err)
			}
		}
		toml := filepath.Join(cp, "config", "site.toml")
		b, err := os.ReadFile(toml)
		if err != nil {
			t.Fatal(err)
		}
		old := `base_url    = "https://docs.example.com/"`
		if !strings.Contains(string(b), old) {
			t.Fatalf("config/site.toml has no line %s", old)
		}
		if err := os.WriteFile(toml, []byte(strings.Replace(string(b), old, `base_url = "`+baseURL+`"`, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		site = cp
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build.New(build.Options{Site: site, Out: out}).Build(context.Background()); err != nil {
		t.Fatalf("build the handbook: %v", err)
	}
	return out
}

// buildServer serves the build folder dir under prefix ("/" as the
// gateway does, "/docs/" as a web server's sub-path) with the gateway's
// Content-Security-Policy, answering a missing path with the build's
// 404.html and status 404, as the gateway and nginx's error_page do.
// whoami, when set, is what <prefix>_facet/whoami answers.
func buildServer(t *testing.T, dir, prefix, whoami string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", gateway.ContentSecurityPolicy)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		rel, ok := strings.CutPrefix(r.URL.Path, prefix)
		if whoami != "" && ok && rel == "_facet/whoami" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, whoami)
			return
		}
		if strings.HasSuffix(rel, "/") || rel == "" {
			rel += "index.html"
		}
		status := http.StatusOK
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path.Clean("/"+rel))))
		if !ok || err != nil {
			status, rel = http.StatusNotFound, "404.html"
			if b, err = os.ReadFile(filepath.Join(dir, rel)); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(rel)))
		w.WriteHeader(status)
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// pagesOf lists the URL paths of a build's HTML pages ("/", "/a/b/"),
// 404.html aside.
func pagesOf(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "404.html" {
			return nil
		}
		out = append(out, "/"+strings.TrimSuffix(rel, "index.html"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// views are the widths and colour schemes every page is checked in, in
// an order that changes one of them at a time; pages take them in turn
// forwards and backwards, so the next page starts in the view the last
// one ended in.
var views = []struct {
	width int64
	dark  bool
}{{1280, false}, {1280, true}, {390, true}, {390, false}}

// guestWhoami is what the gateway answers a signed-in guest of the
// handbook at _facet/whoami.
const guestWhoami = `{"kind":"guest","email":"carol@partner.example","groups":["partners"],` +
	`"name":"Carol (Partner Inc)","expires":"2027-07-01T00:00:00Z"}`

// TestBrowserHandbook builds the repository's handbook and opens every
// page of every build in headless Chromium, served as the gateway serves
// a build (at the root, with its Content-Security-Policy), at 1280 and
// 390 px wide, in light and dark: no element makes the page wider than
// the window, every code token reads against its background at 4.5:1 or
// more, and nothing is reported (no console error or warning, no
// exception, no failed load, no CSP violation). A missing address
// several folders deep answers 404.html, styled, with links that work.
// Skipped with -short or without Chromium.
func TestBrowserHandbook(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	browsertest.Find(t)
	out := buildHandbook(t, "")
	builds, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.Start(t, 3*time.Minute)
	reports, err := browsertest.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := browsertest.View(ctx, views[0].width, views[0].dark); err != nil {
		t.Fatal(err)
	}
	// A page whose file is the same in several builds is checked in the
	// first: only its nav.js differs, and each build's own pages (home,
	// sections, tags) show its badge and sidebar.
	seen := map[[sha256.Size]byte]bool{}
	visited, same, aliases := 0, 0, 0
	for _, b := range builds {
		if !b.IsDir() {
			continue
		}
		who := ""
		if strings.HasPrefix(b.Name(), "guest-") {
			who = guestWhoami
		}
		dir := filepath.Join(out, b.Name())
		srv := buildServer(t, dir, "/", who)
		for _, p := range pagesOf(t, dir) {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if sum := sha256.Sum256(data); seen[sum] {
				same++
				continue
			} else {
				seen[sum] = true
			}
			if to, ok := refreshTarget(data); ok {
				checkAlias(t, ctx, reports, b.Name(), srv.URL+p, to)
				aliases++
				continue
			}
			checkPage(t, ctx, reports, b.Name(), srv.URL+p, visited%2 == 1)
			visited++
		}
		check404(t, ctx, reports, b.Name(), srv.URL+"/no/such/deep/page", "/")
	}
	t.Logf("checked %d pages in %d views each, %d alias redirects, and %d more that are the same file in another build",
		visited, len(views), aliases, same)
	if aliases == 0 {
		t.Error("no alias redirect page checked: the handbook has at least one alias")
	}
	if visited < 100 {
		t.Errorf("only %d pages visited", visited)
	}
}

// checkPage opens url and checks it in every view, in views' order or,
// when back is set, in reverse.
func checkPage(t *testing.T, ctx context.Context, reports *browsertest.Reports, build, url string, back bool) {
	t.Helper()
	if err := browsertest.Open(ctx, url); err != nil {
		t.Fatalf("%s: %v", build, err)
	}
	order := slices.Clone(views)
	if back {
		slices.Reverse(order)
	}
	for i, v := range order {
		if i > 0 {
			if err := setView(ctx, order[i-1].width != v.width, v.width, v.dark); err != nil {
				t.Fatal(err)
			}
		}
		where := fmt.Sprintf("%s %s at %d px, dark %v", build, url, v.width, v.dark)
		wide, err := browsertest.Overflow(ctx)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		for _, w := range wide {
			t.Errorf("%s: %s", where, w)
		}
		low, err := browsertest.LowContrastCode(ctx)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		for _, l := range low {
			t.Errorf("%s: low contrast: %s", where, l)
		}
	}
	for _, r := range reports.Take() {
		t.Errorf("%s %s: browser reported %s", build, url, r)
	}
}

// refreshTarget returns the address an alias's redirect page sends to
// (its meta refresh), or false for any other page.
func refreshTarget(page []byte) (string, bool) {
	m := regexp.MustCompile(`<meta http-equiv="refresh" content="0; url=([^"]+)">`).FindSubmatch(page)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(string(m[1])), true
}

// checkAlias opens an alias's address and waits until the browser has
// followed its redirect to the page it names, with nothing reported.
func checkAlias(t *testing.T, ctx context.Context, reports *browsertest.Reports, build, from, to string) {
	t.Helper()
	base, err := url.Parse(from)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := url.Parse(to)
	if err != nil {
		t.Fatalf("%s %s: redirect target %q: %v", build, from, to, err)
	}
	want := base.ResolveReference(ref).String()
	if err := browsertest.Follow(ctx, from, want); err != nil {
		t.Errorf("%s: alias %s: %v", build, from, err)
	}
	for _, r := range reports.Take() {
		t.Errorf("%s alias %s: browser reported %s", build, from, r)
	}
}

// setView changes the width when widthChanged, else the colour scheme.
func setView(ctx context.Context, widthChanged bool, width int64, dark bool) error {
	if widthChanged {
		return browsertest.Width(ctx, width)
	}
	return browsertest.Dark(ctx, dark)
}
