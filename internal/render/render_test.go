package render

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/themes"
)

// sidebarOf returns the sidebar's HTML in a page.
func sidebarOf(t *testing.T, page []byte) string {
	t.Helper()
	s := string(page)
	i := strings.Index(s, `id="fc-sidebar"`)
	j := strings.Index(s, `<main`)
	if i < 0 || j < i {
		t.Fatalf("no sidebar in page:\n%s", s)
	}
	return s[i:j]
}

func crumbsOf(page []byte) []string {
	s := string(page)
	i := strings.Index(s, `class="fc-crumbs"`)
	if i < 0 {
		return nil
	}
	s = s[i : strings.Index(s[i:], "</nav>")+i]
	var out []string
	for _, m := range crumbLink.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

var crumbLink = regexp.MustCompile(`<a href="[^"]*">([^<]*)</a>`)

func TestSidebar(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	out := render(t, r, f.eng, f.bodies)

	install := sidebarOf(t, out["guide/install/index.html"])
	for _, want := range []string{
		`<a href="../install/" aria-current="page">Install</a>`, // current page marked
		`<a href="../usage/">Usage</a>`,                         // its siblings listed
		`fc-nav-open"><a href="../">Guide</a>`,                  // its section open
		`<a href="../../secret/">Zephyr Vault</a>`,              // other top-level sections listed
	} {
		if !strings.Contains(install, want) {
			t.Errorf("install sidebar lacks %s:\n%s", want, install)
		}
	}
	for _, not := range []string{"Quasar Plan", "Leaf", "Welcome"} { // collapsed sections, home
		if strings.Contains(install, not) {
			t.Errorf("install sidebar holds %q:\n%s", not, install)
		}
	}
	if n := strings.Count(install, "aria-current"); n != 1 {
		t.Errorf("install sidebar marks %d items current", n)
	}

	guide := sidebarOf(t, out["guide/index.html"])
	if !strings.Contains(guide, `<a href="./" aria-current="page">Guide</a><ul><li class="fc-nav-page"><a href="install/">Install</a>`) {
		t.Errorf("guide sidebar does not mark Guide and list its pages:\n%s", guide)
	}
	home := sidebarOf(t, out["index.html"])
	if strings.Contains(home, "aria-current") || strings.Contains(home, "Install") {
		t.Errorf("home sidebar marks an item or opens a section:\n%s", home)
	}
}

func TestNavOrder(t *testing.T) {
	t.Parallel()
	tb := newTreeBuilder()
	tb.section("/", "Home")
	tb.page("/b/", "beta")
	tb.page("/a/", "Alpha")
	tb.page("/w2/", "Weighted two", weight(2))
	tb.section("/s/", "Section", weight(1))
	tb.page("/s/x/", "X")
	tb.page("/z/", "Alpha") // same title: URL decides
	tb.page("/neg/", "Negative", weight(-1))
	tree := tb.tree()
	var got []string
	for _, p := range sortPages(tree.Pages) {
		got = append(got, p.URL)
	}
	want := []string{"/neg/", "/s/", "/w2/", "/a/", "/z/", "/b/", "/", "/s/x/"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sortPages (-want +got):\n%s", diff)
	}

	nav := newNavTree(tree, sortPages(tree.Pages), presentExcept(tree))
	got = got[:0]
	for _, nd := range nav.order {
		got = append(got, nd.page.URL)
	}
	want = []string{"/", "/neg/", "/s/", "/s/x/", "/w2/", "/a/", "/z/", "/b/"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sidebar order (-want +got):\n%s", diff)
	}
}

func TestHoisting(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	anon := render(t, r, f.anon, f.bodies)
	eng := render(t, r, f.eng, f.bodies)
	shared := "secret/shared/index.html"
	if diff := cmp.Diff([]string{"Welcome"}, crumbsOf(anon[shared])); diff != "" {
		t.Errorf("anonymous crumbs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Welcome", "Zephyr Vault"}, crumbsOf(eng[shared])); diff != "" {
		t.Errorf("eng crumbs (-want +got):\n%s", diff)
	}
	// The shared page sits at the top level for anonymous readers.
	if !strings.Contains(sidebarOf(t, anon["index.html"]), `<a href="secret/shared/">Shared Notes</a>`) {
		t.Errorf("anonymous home sidebar lacks the hoisted page")
	}
	if !strings.Contains(string(anon["index.html"]), `href="secret/shared/">Shared Notes</a><p class="fc-list-summary">Shared with all.</p>`) {
		t.Errorf("anonymous home list lacks the hoisted page")
	}
}

func TestGeneratedHome(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs", Description: "All the docs."}, f.tree)
	b := &Build{ID: "x", Kind: "member", Label: "Members", Present: presentExcept(f.tree, "/", "/zeta/")}
	out := render(t, r, b, f.bodies)
	home := string(out["index.html"])
	for _, want := range []string{`<h1 class="fc-title">Docs</h1>`, `<p class="fc-lead">All the docs.</p>`, `href="guide/">Guide</a>`, `rel="next"`} {
		if !strings.Contains(home, want) {
			t.Errorf("generated home lacks %s", want)
		}
	}
	for _, not := range []string{"Welcome", "Start with", "Zeta"} {
		if p := find(out, not); p != "" {
			t.Errorf("%q (of a page the build lacks) found in %s", not, p)
		}
	}
	checkLinks(t, "x", out, []string{"/zeta/"})
}

func Test404(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ base, prefix string }{
		{"", "/"},
		{"https://docs.example.com/", "/"},
		{"https://docs.example.com/handbook", "/handbook/"},
	} {
		f := newFixture()
		r := newRenderer(t, Site{Title: "Docs", BaseURL: tc.base}, f.tree)
		page := render(t, r, f.anon, f.bodies)["404.html"]
		for _, ref := range refs(page) {
			if !strings.HasPrefix(ref, tc.prefix) && !strings.HasPrefix(ref, "#") {
				t.Errorf("base %q: 404.html link %q is not under %s", tc.base, ref, tc.prefix)
			}
		}
		for _, want := range []string{`href="` + tc.prefix + `assets/facet.css"`, `href="` + tc.prefix + `guide/"`, "Page not found"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("base %q: 404.html lacks %s", tc.base, want)
			}
		}
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	counts := regexp.MustCompile(`<a class="fc-tag" href="([^"]+)">([^<]+)</a> <span class="fc-count">(\d+)</span>`)
	for _, tc := range []struct {
		b    *Build
		want [][]string
	}{
		{f.anon, [][]string{{"basics/", "Basics", "1"}, {"setup/", "setup", "3"}}},
		{f.eng, [][]string{{"basics/", "Basics", "1"}, {"quasartag/", "QuasarTag", "1"}, {"setup/", "setup", "3"}, {"vault-only-tag/", "vault-only-tag", "1"}}},
	} {
		out := render(t, r, tc.b, f.bodies)
		var got [][]string
		for _, m := range counts.FindAllStringSubmatch(string(out["tags/index.html"]), -1) {
			got = append(got, m[1:])
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: tags (-want +got):\n%s", tc.b.ID, diff)
		}
		setup := string(out["tags/setup/index.html"])
		if n := strings.Count(setup, `class="fc-list-title"`); n != 3 {
			t.Errorf("%s: tags/setup lists %d pages, want 3", tc.b.ID, n)
		}
	}
	// A build without tags has no tag pages and no link to them.
	tb := newTreeBuilder()
	tb.page("/a/", "A")
	out := render(t, newRenderer(t, Site{}, tb.tree()), &Build{ID: "anonymous", Kind: "anonymous", Present: presentExcept(tb.tree())}, &fakeBodies{})
	for p := range out {
		if strings.HasPrefix(p, "tags/") {
			t.Errorf("untagged site has %s", p)
		}
	}
	if bytes.Contains(out["a/index.html"], []byte("tags/")) {
		t.Errorf("untagged site links to tags/")
	}
}

func TestSitemapAndFeed(t *testing.T) {
	t.Parallel()
	f := newFixture()
	out := render(t, newRenderer(t, Site{Title: "Docs"}, f.tree), f.anon, f.bodies)
	for _, p := range []string{"sitemap.xml", "index.xml"} {
		if _, ok := out[p]; ok {
			t.Errorf("%s written without a base_url", p)
		}
	}
	if find(out, "index.xml") != "" {
		t.Errorf("a page links to a feed that does not exist")
	}

	out = render(t, newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree), f.anon, f.bodies)
	feed := string(out["index.xml"])
	ids := between(feed, "<id>", "</id>")
	want := []string{"https://docs.example.com/", "https://docs.example.com/zeta/", "https://docs.example.com/guide/install/"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("feed ids (-want +got):\n%s", diff)
	}
	if !strings.Contains(feed, "<updated>2024-05-02T00:00:00Z</updated>") {
		t.Errorf("feed updated is not its newest entry:\n%s", feed)
	}
	if !strings.Contains(string(out["guide/install/index.html"]), `<link rel="alternate" type="application/atom+xml" href="../../index.xml"`) {
		t.Errorf("page does not link the feed")
	}
	if n := strings.Count(string(out["sitemap.xml"]), "<loc>"); n != 8 {
		t.Errorf("sitemap has %d URLs, want the 8 present pages", n)
	}
}

func TestSearchIndex(t *testing.T) {
	t.Parallel()
	f := newFixture()
	out := render(t, newRenderer(t, Site{Title: "Docs"}, f.tree), f.anon, f.bodies)
	var install *searchEntry
	entries := searchEntries(t, out["search-index.js"])
	for i, e := range entries {
		if e.URL == "guide/install/" {
			install = &entries[i]
		}
	}
	if len(entries) != 8 {
		t.Errorf("search index has %d entries, want 8", len(entries))
	}
	want := &searchEntry{Title: "Install", URL: "guide/install/", Section: "Guide",
		Headings: []string{"Get it", "Run it"}, Text: "Get it Download & unpack the archive. Run it Then run it."}
	if diff := cmp.Diff(want, install); diff != "" {
		t.Errorf("install entry (-want +got):\n%s", diff)
	}
	if bytes.Contains(out["search-index.js"], []byte("<")) {
		t.Errorf("search index holds a raw '<'")
	}
}

// TestCSP checks that every page holds under Content-Security-Policy
// default-src 'self': no inline script or style, no event handlers, no
// external resources.
func TestCSP(t *testing.T) {
	t.Parallel()
	f := newFixture()
	out := render(t, newRenderer(t, Site{Title: "Docs", BaseURL: "https://docs.example.com/"}, f.tree), f.eng, f.bodies)
	for _, file := range sortedPaths(out) {
		if !strings.HasSuffix(file, ".html") {
			continue
		}
		z := html.NewTokenizer(bytes.NewReader(out[file]))
		inBody := false
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			tok := z.Token()
			if tok.Data == "div" && attr(tok, "class") == "fc-body" {
				inBody = true // page bodies are the fixture's, not the theme's
			}
			if inBody || (tt != html.StartTagToken && tt != html.SelfClosingTagToken) {
				continue
			}
			switch {
			case tok.Data == "style":
				t.Errorf("%s: <style> element", file)
			case tok.Data == "script" && attr(tok, "src") == "":
				t.Errorf("%s: inline <script>", file)
			}
			for _, a := range tok.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s>", file, tok.Data, a.Key)
				}
				if (a.Key == "src" || (a.Key == "href" && tok.Data == "link" && attr(tok, "rel") != "canonical")) && strings.Contains(a.Val, "//") {
					t.Errorf("%s: external resource %s", file, a.Val)
				}
			}
		}
	}
	for _, css := range []string{"assets/facet.css", "assets/syntax.css"} {
		if bytes.Contains(out[css], []byte("@import")) || bytes.Contains(out[css], []byte("url(")) {
			t.Errorf("%s loads other resources", css)
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestBadge(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	guest := &Build{ID: "user:carol@partner.example", Kind: "guest", Label: "Guest: Carol (Partner Inc)",
		Expires: "2026-12-31", Present: presentExcept(f.tree, f.hidden...)}
	page := string(render(t, r, guest, f.bodies)["zeta/index.html"])
	want := `<span class="fc-badge fc-badge-guest" title="This is the build for: Guest: Carol (Partner Inc), until 31 Dec 2026">Guest: Carol (Partner Inc)<span class="fc-badge-expires"> · until 31 Dec 2026</span></span>`
	if !strings.Contains(page, want) {
		t.Errorf("guest page lacks badge %s", want)
	}
	if !strings.Contains(page, `<meta name="robots" content="noindex, nofollow">`) {
		t.Errorf("guest page may be indexed")
	}
	anon := string(render(t, r, f.anon, f.bodies)["zeta/index.html"])
	if !strings.Contains(anon, `fc-badge fc-badge-anonymous`) || strings.Contains(anon, "noindex") {
		t.Errorf("anonymous page: wrong badge or noindex")
	}
}

// TestConcurrent renders builds in parallel and sequentially: the output
// must not differ (and -race must stay quiet).
func TestConcurrent(t *testing.T) {
	t.Parallel()
	f := newFixture()
	seq := newRenderer(t, Site{Title: "Docs"}, f.tree)
	want := map[string]output{}
	for _, b := range []*Build{f.anon, f.eng} {
		want[b.ID] = render(t, seq, b, f.bodies)
	}
	par := newRenderer(t, Site{Title: "Docs"}, f.tree)
	got := map[string]output{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 3 {
		for _, b := range []*Build{f.anon, f.eng} {
			wg.Go(func() {
				out := render(t, par, b, f.bodies)
				mu.Lock()
				defer mu.Unlock()
				if prev, ok := got[b.ID]; ok && !equalOutput(prev, out) {
					t.Errorf("%s: two renders differ", b.ID)
				}
				got[b.ID] = out
			})
		}
	}
	wg.Wait()
	for id := range want {
		if !equalOutput(want[id], got[id]) {
			t.Errorf("%s: parallel render differs from sequential", id)
		}
	}
}

func equalOutput(a, b output) bool {
	if len(a) != len(b) {
		return false
	}
	for p, d := range a {
		if !bytes.Equal(d, b[p]) {
			return false
		}
	}
	return true
}

func TestOverride(t *testing.T) {
	t.Parallel()
	f := newFixture()
	over := fstest.MapFS{
		"layouts/page.html":   {Data: []byte(`<p class="mine">{{.Title}}</p>{{.Body}}`)},
		"assets/extra.css":    {Data: []byte("p{}")},
		"partials/badge.html": {Data: []byte(`<b>{{.Label}}</b>`)},
	}
	r, err := New(Site{Title: "Docs", Assets: map[string][]byte{"syntax.css": []byte("/* site */")}}, Layer(over, themes.Default), f.tree)
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, r, f.anon, f.bodies)
	if got, want := string(out["zeta/index.html"]), `<p class="mine">Zeta Page</p><p>Zeta body.</p>`; got != want {
		t.Errorf("overridden layout: got %q, want %q", got, want)
	}
	if !bytes.Contains(out["guide/index.html"], []byte("<b>Public</b>")) {
		t.Errorf("overridden badge not used")
	}
	if string(out["assets/extra.css"]) != "p{}" || string(out["assets/syntax.css"]) != "/* site */" || out["assets/facet.js"] == nil {
		t.Errorf("assets: extra %q, syntax %q, facet.js %d bytes", out["assets/extra.css"], out["assets/syntax.css"], len(out["assets/facet.js"]))
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	f := newFixture()
	tb := newTreeBuilder()
	tb.page("/a/", "A", tags("x"))
	tb.page("/tags/b/", "B")
	clash := tb.tree()
	clash.Attachments = []*content.Attachment{{File: "content/sitemap.xml", OutPath: "sitemap.xml"}, {File: "content/assets/facet.js", OutPath: "assets/facet.js"}}
	broken := fstest.MapFS{"layouts/page.html": {Data: []byte("<p>\n{{.Title</p>")}}
	for _, tc := range []struct {
		name  string
		site  Site
		tree  *content.Tree
		theme fstest.MapFS
		want  []string
	}{
		{"bad base", Site{BaseURL: "docs.example.com"}, f.tree, nil, []string{`base_url "docs.example.com" is not an absolute http(s) URL`}},
		{"parse error", Site{}, f.tree, broken, []string{"layouts/page.html:2"}},
		{"missing layout", Site{}, f.tree, fstest.MapFS{}, []string{"theme has no layouts/home.html"}},
		{"reserved", Site{}, clash, nil, []string{
			"content/tags/b.md: conflicts with the tag pages under /tags/",
			"content/sitemap.xml: conflicts with sitemap.xml, which facet generates",
			"content/assets/facet.js: conflicts with assets/facet.js, which facet generates",
		}},
		{"no tree", Site{}, nil, nil, []string{"no content tree"}},
	} {
		theme := Layer(tc.theme, themes.Default)
		if tc.name == "missing layout" {
			theme = tc.theme
		}
		_, err := New(tc.site, theme, tc.tree)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{}, f.tree)
	boom := errors.New("disk full")
	err := r.Render(context.Background(), f.anon, f.bodies, func(string, []byte) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("emit error: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Render(ctx, f.anon, f.bodies, func(string, []byte) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: got %v", err)
	}
	if err := r.Render(context.Background(), nil, f.bodies, nil); err == nil {
		t.Errorf("nil build: no error")
	}
	// A theme that fails at run time reports the file.
	over := fstest.MapFS{"layouts/page.html": {Data: []byte(`{{if eq .Title "Zeta Page"}}{{index .Tags 5}}{{end}}`)}}
	r, err = New(Site{}, Layer(over, themes.Default), f.tree)
	if err != nil {
		t.Fatal(err)
	}
	err = r.Render(context.Background(), f.anon, f.bodies, func(string, []byte) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "zeta/index.html: theme layouts/page.html") {
		t.Errorf("theme error: got %v", err)
	}
	// One that fails on any page fails in New already.
	over = fstest.MapFS{"layouts/page.html": {Data: []byte(`{{index .Tags 5}}`)}}
	if _, err := New(Site{}, Layer(over, themes.Default), f.tree); err == nil || !strings.Contains(err.Error(), "layouts/page.html") {
		t.Errorf("theme error in New: got %v", err)
	}
}

// TestPresentOutOfRange: a Present set longer or shorter than the tree
// never panics.
func TestPresentOutOfRange(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{}, f.tree)
	for _, set := range [][]uint64{nil, {1}, {^uint64(0), ^uint64(0), ^uint64(0)}} {
		b := &Build{ID: "x", Kind: "member", Present: set}
		render(t, r, b, f.bodies)
	}
}
