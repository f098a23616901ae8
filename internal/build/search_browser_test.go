package build

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/browsertest"
)

// searchSite generates a site of n pages of filler prose; page 137 holds,
// after about 3,000 words and under its fourth heading, the word
// "marmoset"; a members-only page holds "ocelot".
func searchSite(n int) string {
	var b strings.Builder
	b.WriteString("-- config/site.toml --\ntitle = \"Search Site\"\n[access]\nallow = [\"anyone\"]\n")
	b.WriteString("-- config/access.toml --\n[members]\ndomains = [\"example.com\"]\n")
	b.WriteString("-- content/_index.md --\n+++\ntitle = \"Home\"\n+++\nWelcome.\n")
	filler := strings.Repeat("alpha bravo charlie delta echo foxtrot golf hotel india juliet ", 60)
	for i := range n {
		fmt.Fprintf(&b, "-- content/s%d/p%03d.md --\n+++\ntitle = \"Page %d\"\n+++\n", i%7, i, i)
		for h := range 5 {
			fmt.Fprintf(&b, "## Part %d\n\n%s\n\n", h, filler)
			if i == 137 && h == 3 {
				b.WriteString("The marmoset sleeps.\n\n")
			}
		}
	}
	b.WriteString("-- content/hidden.md --\n+++\ntitle = \"Staff Room\"\n[access]\nallow = [\"members\"]\n+++\nThe ocelot prowls.\n")
	return b.String()
}

// TestBrowserSearch builds a generated site and searches it in headless
// Chromium, served with the gateway's Content-Security-Policy and opened
// from disk: a word deep in one page's body finds that page, linked to the
// heading it is under, with a snippet; the results page (?q=) lists it;
// a members-only page's word is found in the members' build only.
// Skipped with -short or without Chromium.
func TestBrowserSearch(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	browsertest.Find(t)
	s := newTestSite(t, searchSite(300)).build()
	anon, members := s.dirOf("anonymous"), s.dirOf("members")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", gateway.ContentSecurityPolicy)
		http.FileServer(http.Dir(s.out)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx := browsertest.Start(t, 120*time.Second)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	first := `document.querySelector('#fc-results li a')`
	base := srv.URL + "/" + filepath.Base(anon) + "/"

	run("search over HTTP", chromedp.Navigate(base+"s1/p001/"), chromedp.WaitVisible(`#fc-q`),
		chromedp.SendKeys(`#fc-q`, "marmoset"), chromedp.WaitVisible(`#fc-results[data-fc-query="marmoset"] li a`))
	if got, want := eval(first+`.href`), base+"s4/p137/#part-3"; got != want {
		t.Errorf("first result links to %q, want %q", got, want)
	}
	if got := eval(first + `.textContent`); !strings.Contains(got, "Page 137") || !strings.Contains(got, "The marmoset sleeps.") {
		t.Errorf("first result reads %q", got)
	}
	if got := eval(`String(document.querySelectorAll('#fc-results li a').length)`); got != "1" {
		t.Errorf("%s results for a word of one page", got)
	}
	run("arrow", chromedp.SendKeys(`#fc-q`, kb.ArrowDown))
	if got := eval(`document.querySelector('#fc-results li.fc-active a').href`); got != base+"s4/p137/#part-3" {
		t.Errorf("arrow down chose %q", got)
	}
	run("keyboard", chromedp.SendKeys(`#fc-q`, kb.Enter), chromedp.WaitVisible(`#part-3`))
	if loc := eval(`location.href`); loc != base+"s4/p137/#part-3" {
		t.Errorf("arrow down and enter led to %q", loc)
	}

	run("results page", chromedp.Navigate(base+"_facet/search/?q=marmoset+sleeps"),
		chromedp.WaitVisible(`#fc-search-results li a`))
	if got := eval(`document.querySelector('#fc-search-results li a').getAttribute('href')`); got != base+"s4/p137/#part-3" {
		t.Errorf("results page links to %q", got)
	}

	run("hidden word", chromedp.Navigate(base+"_facet/search/?q=ocelot"),
		chromedp.WaitVisible(`#fc-search-status`))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('fc-search-status').textContent.indexOf('No page') === 0`)); err != nil {
		t.Errorf("the results page for a hidden page's word: %v (status %q)", err, eval(`document.getElementById('fc-search-status').textContent`))
	}
	mbase := "file://" + filepath.ToSlash(members) + "/"
	run("members from disk", chromedp.Navigate(mbase+"index.html"), chromedp.WaitVisible(`#fc-q`),
		chromedp.SendKeys(`#fc-q`, "ocelot"), chromedp.WaitVisible(`#fc-results[data-fc-query="ocelot"] li a`))
	if got := eval(first + `.getAttribute('href')`); got != mbase+"hidden/index.html" {
		t.Errorf("from disk, the members' result links to %q", got)
	}
}
