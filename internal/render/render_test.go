package render

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/themes"
)

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
	if i := slices.IndexFunc(navOf(t, anon).Pages, func(e navEntry) bool { return e.URL == "/secret/shared/" }); i < 0 || navOf(t, anon).Pages[i].Parent != -1 {
		t.Errorf("anonymous navigation does not list the hoisted page at the top level")
	}
	if !strings.Contains(string(anon["index.html"]), `href="secret/shared/">Shared Notes</a><p class="fc-list-summary">Shared with all.</p>`) {
		t.Errorf("anonymous home list lacks the hoisted page")
	}
}

func TestGeneratedHome(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs", Description: "All the docs."}, f.tree)
	b := &Target{Dir: "x", Kind: "member", Label: "Members", Present: presentExcept(f.tree, "/", "/zeta/")}
	out := render(t, r, b, f.bodies)
	home := string(out["index.html"])
	for _, want := range []string{`<h1 class="fc-title">Docs</h1>`, `<p class="fc-lead">All the docs.</p>`, `href="guide/">Guide</a>`, `id="fc-prevnext"`} {
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
		for _, want := range []string{`href="` + tc.prefix + `assets/facet.css"`, `data-root="` + tc.prefix + `"`, `src="` + tc.prefix + `_facet/nav.js"`, "Page not found"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("base %q: 404.html lacks %s", tc.base, want)
			}
		}
		// Its look needs no link: opened from disk, or served under a
		// path the links do not name, the style sheets are inline too.
		out := render(t, r, f.anon, f.bodies)
		for _, css := range []string{"assets/facet.css", "assets/features.css"} {
			if !bytes.Contains(page, bytes.TrimSpace(out[css])) {
				t.Errorf("base %q: 404.html does not hold %s inline", tc.base, css)
			}
		}
		if n := bytes.Count(page, []byte("<style>")); n != 1 {
			t.Errorf("base %q: 404.html has %d <style> elements, want 1", tc.base, n)
		}
	}
}

// A theme's style sheet that would end the <style> element is refused.
func TestInlineCSSRefusesEndTag(t *testing.T) {
	t.Parallel()
	th := &themeSet{assets: []asset{{path: "assets/a.css", data: []byte("p{}")}, {path: "assets/b.css", data: []byte("p{content:\"</style>\"}")}}}
	d := &Data{th: th}
	if css, err := d.InlineCSS("a.css"); err != nil || css != "p{}\n" {
		t.Errorf("InlineCSS(a.css) = %q, %v", css, err)
	}
	for _, name := range []string{"b.css", "missing.css"} {
		if _, err := d.InlineCSS("a.css", name); err == nil {
			t.Errorf("InlineCSS(%s): no error", name)
		}
	}
}

// TestCSP checks that every page holds under Content-Security-Policy
// default-src 'self': no inline script or style, no event handlers, no
// external resources.
// TestConcurrent renders builds in parallel and sequentially: the output
// must not differ (and -race must stay quiet).
func TestConcurrent(t *testing.T) {
	t.Parallel()
	f := newFixture()
	seq := newRenderer(t, Site{Title: "Docs"}, f.tree)
	want := map[string]output{}
	for _, b := range []*Target{f.anon, f.eng} {
		want[b.Dir] = render(t, seq, b, f.bodies)
	}
	par := newRenderer(t, Site{Title: "Docs"}, f.tree)
	got := map[string]output{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 3 {
		for _, b := range []*Target{f.anon, f.eng} {
			wg.Go(func() {
				out := render(t, par, b, f.bodies)
				mu.Lock()
				defer mu.Unlock()
				if prev, ok := got[b.Dir]; ok && !equalOutput(prev, out) {
					t.Errorf("%s: two renders differ", b.Dir)
				}
				got[b.Dir] = out
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
		"layouts/page.html":    {Data: []byte(`<p class="mine">{{.Title}}</p>{{.Body}}`)},
		"assets/extra.css":     {Data: []byte("p{}")},
		"partials/footer.html": {Data: []byte(`<b>{{.Site.Title}} at {{.Root}}</b>`)},
	}
	r, err := New(Site{Title: "Docs", Assets: map[string][]byte{"syntax.css": []byte("/* site */")}}, Layer(over, themes.Default), f.tree)
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, r, f.anon, f.bodies)
	if got, want := string(out["zeta/index.html"]), `<p class="mine">Zeta Page</p><p>Zeta body.</p>`; got != want {
		t.Errorf("overridden layout: got %q, want %q", got, want)
	}
	if !bytes.Contains(out["guide/index.html"], []byte("<b>Docs at ../</b>")) {
		t.Errorf("overridden footer not used")
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
	tb = newTreeBuilder()
	tb.page("/tags/", "Untagged tags page")
	tagsPage := tb.tree()
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
		// Every build has tags/index.html, tagged pages or not.
		{"tags page", Site{}, tagsPage, nil, []string{"content/tags.md: conflicts with tags/index.html, which facet generates"}},
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
		b := &Target{Dir: "x", Kind: "member", Present: set}
		render(t, r, b, f.bodies)
	}
}

// TestSharedMatchesFresh: a renderer that serves many builds (sharing
// partials and finished pages between them) writes what a fresh renderer
// per build writes.
func TestSharedMatchesFresh(t *testing.T) {
	t.Parallel()
	f := newFixture()
	guest := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	shared := newRenderer(t, Site{Title: "Docs"}, f.tree)
	for _, b := range []*Target{f.anon, guest, f.eng, f.anon} {
		fresh := newRenderer(t, Site{Title: "Docs"}, f.tree)
		want, got := render(t, fresh, b, f.bodies), render(t, shared, b, f.bodies)
		if diff := cmp.Diff(sortedPaths(want), sortedPaths(got)); diff != "" {
			t.Errorf("%s: files (-fresh +shared):\n%s", b.Dir, diff)
		}
		for _, p := range sortedPaths(want) {
			if diff := cmp.Diff(string(want[p]), string(got[p])); diff != "" {
				t.Errorf("%s: %s (-fresh +shared):\n%s", b.Dir, p, diff)
			}
		}
	}
	// /zeta/ is laid out once for all three builds: one skeleton kept.
	zeta := f.tree.Pages[slices.IndexFunc(f.tree.Pages, func(p *content.Page) bool { return p.URL == "/zeta/" })]
	kept := 0
	for _, sk := range shared.parts[zeta.Index].skel {
		if sk != nil {
			kept++
		}
	}
	if kept != 1 {
		t.Errorf("/zeta/ has %d kept skeletons, want 1", kept)
	}
}
