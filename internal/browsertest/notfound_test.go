package browsertest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/facet-docs/facet/internal/browsertest"
)

// styledJS tells whether the theme's style applies to the page: the body
// has no margin and a themed background, and the top bar is a sticky
// flex row; a browser's defaults give none of these.
const styledJS = `(function () {
  var b = getComputedStyle(document.body), top = document.querySelector('.fc-top');
  var t = top ? getComputedStyle(top) : null;
  return b.margin === '0px' && b.backgroundColor !== 'rgba(0, 0, 0, 0)' && !!t && t.display === 'flex' && t.position === 'sticky';
})()`

// check404 opens url, a missing address, and checks the build's 404.html
// answers it styled, with its home link to root (an absolute path) and
// its sidebar drawn by the build's scripts; nothing is reported but the
// 404 status of the page itself.
func check404(t *testing.T, ctx context.Context, reports *browsertest.Reports, build, url, root string) {
	t.Helper()
	if err := browsertest.Open(ctx, url); err != nil {
		t.Fatalf("%s: %v", build, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`[`+styledJS+`, document.querySelector('h1').textContent,
		new URL(document.querySelector('.fc-brand').href).pathname, document.querySelectorAll('.fc-sidebar a').length > 0]`))
	if err != nil {
		t.Fatalf("%s: %s: %v", build, url, err)
	}
	if got[0] != true || got[1] != "Page not found" || got[2] != root || got[3] != true {
		t.Errorf("%s: %s answers [styled, title, home link, sidebar] = %v, want [true Page not found %s true]", build, url, got, root)
	}
	for _, r := range reports.Take() {
		if strings.Contains(r, "status of 404") && strings.HasSuffix(r, " "+url) {
			continue // the missing page itself
		}
		t.Errorf("%s %s: browser reported %s", build, url, r)
	}
}

// TestBrowser404 opens the handbook's 404.html where a server or a
// reader may meet it besides a build served at the root (which
// TestBrowserHandbook covers): opened from disk it is styled; built with
// a base_url under /docs/ and served there, a missing address several
// folders deep answers it styled, with links that work; served under a
// path its links do not name, it is still styled. Skipped with -short or
// without Chromium.
func TestBrowser404(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	browsertest.Find(t)
	atRoot := filepath.Join(buildHandbook(t, ""), "anonymous")
	underDocs := filepath.Join(buildHandbook(t, "https://docs.example.com/docs/"), "anonymous")
	ctx := browsertest.Start(t, time.Minute)
	reports, err := browsertest.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	styled := func(what, url string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatalf("%s: open %s: %v", what, url, err)
		}
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](styledJS))
		if err != nil {
			t.Fatalf("%s: open %s: %v", what, url, err)
		}
		if !ok {
			t.Errorf("%s: %s is not styled", what, url)
		}
		reports.Take() // from disk, or under a path they do not name, its links do not resolve
	}
	srv := buildServer(t, underDocs, "/docs/", "")
	check404(t, ctx, reports, "base_url under /docs/", srv.URL+"/docs/a/b/missing", "/docs/")
	home, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.fc-brand').href`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(home)); err != nil {
		t.Fatalf("follow the home link of 404.html: %v", err)
	}
	if kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.className`)); err != nil || kind != "fc-kind-home" {
		t.Errorf("the home link of 404.html, %s, led to a page of kind %q (%v)", home, kind, err)
	}
	for _, r := range reports.Take() {
		t.Errorf("browser reported %s", r)
	}
	styled("under a path its links do not name", buildServer(t, atRoot, "/docs/", "").URL+"/docs/a/b/missing")
	styled("from disk", "file://"+filepath.ToSlash(atRoot)+"/404.html")
}
