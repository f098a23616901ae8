package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/themes"
)

// fixture is a small site: a public guide, a top-level page, a generated
// section, and a section hidden from anonymous readers ("Zephyr Vault")
// holding a hidden page ("Quasar Plan") and a page shared with everyone.
type fixture struct {
	tree   *content.Tree
	bodies *fakeBodies
	hidden []string // URLs hidden from anon
	anon   *Target
	eng    *Target
}

// Strings that belong to the hidden pages alone.
var secrets = []string{"Zephyr Vault", "Quasar Plan", "Obsidian summary", "quasartag", "QuasarTag", "vault-only-tag", "vault-words", "2031"}

func newFixture() *fixture {
	f := &fixture{}
	tb := newTreeBuilder()
	tb.section("/", "Welcome")
	tb.section("/guide/", "Guide", weight(1))
	tb.page("/guide/install/", "Install", weight(1), tags("setup"), date(2024, 3, 1))
	tb.page("/guide/usage/", "Usage", weight(2), tags("setup", "Basics"), summary("How to use it."))
	tb.page("/zeta/", "Zeta Page", date(2024, 5, 2))
	vault := tb.section("/secret/", "Zephyr Vault", weight(2), tags("vault-only-tag"), hidden(&f.hidden))
	tb.page("/secret/plan/", "Quasar Plan", summary("Obsidian summary"), tags("QuasarTag"), date(2031, 1, 1), hidden(&f.hidden),
		alias("/old-quasar/", nil))
	tb.page("/secret/shared/", "Shared Notes", tags("setup"), alias("/secret/shared-old/", vault), alias("/notes-old/", nil))
	tb.page("/gen/leaf/", "Leaf")
	f.tree = tb.tree()
	f.bodies = &fakeBodies{
		bodies: map[string]string{
			"/":                   `<p>Start with <a href="guide/">the guide</a>. See the plan.</p>`,
			"/|eng":               `<p>Start with <a href="guide/">the guide</a>. See <a href="secret/plan/">the plan</a>.</p>`,
			"/guide/install/":     `<h2 id="get">Get it<a class="anchor" href="#get" aria-hidden="true">#</a></h2><p>Download &amp; unpack the <em>archive</em>.</p><h2 id="run">Run it</h2><p>Then run it.</p>`,
			"/guide/usage/":       `<p>Usage words.</p>`,
			"/secret/":            `<p>vault-words live here.</p>`,
			"/secret/plan/":       `<p>vault-words of the plan.</p>`,
			"/secret/shared/":     `<p>Shared with all.</p>`,
			"/secret/shared/|eng": `<p>Shared with all. Part of <a href="../">the vault</a>.</p>`,
			"/zeta/":              `<p>Zeta body.</p>`,
		},
		headings: map[string][]markdown.Heading{
			"/guide/install/": {{Level: 2, ID: "get", Text: "Get it"}, {Level: 2, ID: "run", Text: "Run it"}},
			"/secret/plan/":   {{Level: 1, ID: "quasar", Text: "Quasar Plan"}, {Level: 2, ID: "x", Text: "vault-words heading"}},
		},
	}
	// the hidden plan and the usage page link to Zeta; the plan to itself
	idx := func(u string) int {
		i := slices.IndexFunc(f.tree.Pages, func(p *content.Page) bool { return p.URL == u })
		if i < 0 {
			panic("no page " + u)
		}
		return i
	}
	f.bodies.links = map[string][]int{
		"/secret/plan/": {idx("/zeta/"), idx("/secret/plan/")},
		"/guide/usage/": {idx("/zeta/"), idx("/guide/install/")},
	}
	f.anon = &Target{Dir: "anonymous", Kind: "anonymous", Label: "Public",
		Present: presentExcept(f.tree, f.hidden...)}
	f.eng = &Target{Dir: "eng", Kind: "member", Label: "Group: Engineering",
		Present: presentExcept(f.tree)}
	return f
}

func TestNoTrace(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "https://docs.example.com/"} {
		f := newFixture()
		r := newRenderer(t, Site{Title: "Docs", BaseURL: base, Theme: Theme{Backlinks: true}}, f.tree)
		anon := render(t, r, f.anon, f.bodies)
		eng := render(t, r, f.eng, f.bodies)
		for _, s := range secrets {
			if p := find(anon, s); p != "" {
				t.Errorf("base %q: anonymous build: %q found in %s", base, s, p)
			}
			if find(eng, s) == "" {
				t.Errorf("base %q: eng build: %q found nowhere", base, s)
			}
		}
		// nav.js lists every page of a build: eng's names the vault,
		// anonymous's names none of it.
		for _, s := range []string{"Zephyr Vault", "Quasar Plan", "/secret/plan/"} {
			if !bytes.Contains(eng[NavPath], []byte(s)) {
				t.Errorf("base %q: eng nav.js lacks %q", base, s)
			}
		}
		for _, s := range secrets {
			if bytes.Contains(anon[NavPath], []byte(s)) {
				t.Errorf("base %q: anonymous nav.js holds %q", base, s)
			}
		}
		for _, u := range f.hidden { // as a JSON string: "/secret/shared/" is visible
			if bytes.Contains(anon[NavPath], []byte(`"`+u+`"`)) {
				t.Errorf("base %q: anonymous nav.js holds %q", base, u)
			}
		}
		for _, u := range f.hidden {
			if _, ok := anon[strings.TrimPrefix(u, "/")+"index.html"]; ok {
				t.Errorf("anonymous build has the file of %s", u)
			}
		}
		for _, u := range []string{"/secret/", "/secret/plan/"} {
			if _, ok := eng[strings.TrimPrefix(u, "/")+"index.html"]; !ok {
				t.Errorf("eng build lacks the file of %s", u)
			}
		}
		checkLinks(t, "anonymous", anon, f.hidden)
		checkLinks(t, "eng", eng, nil)
		// Backlinks, llms.txt and aliases come from the build's pages alone.
		for _, c := range []struct {
			out        output
			file, want string
			has        bool
		}{
			{anon, "zeta/index.html", `<a href="../guide/usage/">Usage</a>`, true},
			{eng, "zeta/index.html", `<a href="../secret/plan/">Quasar Plan</a>`, true},
			{eng, "secret/plan/index.html", "fc-backlinks", false},
			{anon, LLMsPath, "- [Zeta Page](", true},
			{eng, LLMsPath, "## Zephyr Vault\n", true},
			{eng, "old-quasar/index.html", `content="0; url=../secret/plan/"`, true},
			{eng, "secret/shared-old/index.html", `>Shared Notes</a>`, true},
			{anon, "notes-old/index.html", `content="0; url=../secret/shared/"`, true},
		} {
			if got := bytes.Contains(c.out[c.file], []byte(c.want)); got != c.has {
				t.Errorf("base %q: %s holds %q: %v, want %v", base, c.file, c.want, got, c.has)
			}
		}
		for _, f := range []string{"old-quasar/index.html", "secret/shared-old/index.html"} {
			if _, ok := anon[f]; ok {
				t.Errorf("base %q: anonymous build has the alias %s", base, f)
			}
		}
	}
}

// find returns a file of out holding s, "" when none does.
// find returns the first file of out holding s. The theme's vendored
// libraries (assets/vendor/: mermaid, KaTeX) are skipped: they are the
// same bytes in every build (TestVendorSame), text every build carries,
// and megabytes of minified code hold most short words.
func find(out output, s string) string {
	for _, p := range sortedPaths(out) {
		if strings.HasPrefix(p, "assets/vendor/") {
			continue
		}
		if bytes.Contains(out[p], []byte(s)) {
			return p
		}
	}
	return ""
}

func sortedPaths(out output) []string {
	var ps []string
	for p := range out {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// checkLinks resolves every href and src of every HTML file, every URL of
// the navigation script, the search index and the sitemap: each must name
// a file of the build and none a hidden URL.
func checkLinks(t *testing.T, name string, out output, hidden []string) {
	t.Helper()
	check := func(file, target string) {
		if slices.Contains(hidden, target) {
			t.Errorf("%s: %s links to hidden %s", name, file, target)
		}
		fp := strings.TrimPrefix(target, "/")
		if fp == "" || strings.HasSuffix(fp, "/") {
			fp += "index.html"
		}
		if _, ok := out[fp]; !ok {
			t.Errorf("%s: %s links to %s, which the build lacks", name, file, target)
		}
	}
	for _, file := range sortedPaths(out) {
		switch {
		case strings.HasSuffix(file, ".html"):
			for _, ref := range refs(out[file]) {
				if target, ok := resolve(file, ref); ok {
					check(file, target)
				}
			}
		case file == NavPath:
			for _, e := range navOf(t, out).Pages {
				check(file, e.URL)
			}
		case strings.HasPrefix(file, SearchDir+"f/"):
			var f searchFragment
			decodeSearch(t, file, out[file], &f)
			check(file, "/"+f.URL)
		case file == "sitemap.xml":
			for _, loc := range between(string(out[file]), "<loc>", "</loc>") {
				u, err := url.Parse(loc)
				if err != nil || !u.IsAbs() {
					t.Errorf("%s: sitemap loc %q is not absolute", name, loc)
					continue
				}
				check(file, u.Path)
			}
		}
	}
}

// refs lists the href and src attributes of an HTML document.
func refs(doc []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		for {
			k, v, more := z.TagAttr()
			if string(k) == "href" || string(k) == "src" {
				out = append(out, string(v))
			}
			if !more {
				break
			}
		}
	}
}

// resolve turns a link of the file at path file into a root-relative URL
// path; ok is false for fragments and absolute URLs.
func resolve(file, ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", false
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join("/"+path.Dir(file), p)
	}
	if strings.HasSuffix(u.Path, "/") || u.Path == "." || strings.HasSuffix(u.Path, "/.") {
		p = strings.TrimSuffix(p, "/") + "/"
	}
	return p, true
}

func between(s, open, close string) []string {
	var out []string
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, close)
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j:]
	}
}

// TestVendorSame: the vendored libraries find skips are in every build,
// byte for byte the theme's files, whatever the build holds.
func TestVendorSame(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	anon := render(t, r, f.anon, f.bodies)
	eng := render(t, r, f.eng, f.bodies)
	n := 0
	for p, data := range eng {
		if !strings.HasPrefix(p, "assets/vendor/") {
			continue
		}
		n++
		if !bytes.Equal(anon[p], data) {
			t.Errorf("%s differs between builds", p)
		}
		theme, err := fs.ReadFile(themes.Default, p)
		if err != nil || !bytes.Equal(theme, data) {
			t.Errorf("%s is not the theme's file (%v)", p, err)
		}
	}
	if n < 3 {
		t.Fatalf("%d vendored files in a build, want mermaid and KaTeX", n)
	}
}

// TestNoTraceSourceDates: the dates of every source file's last change
// (git history) name hidden pages' files too: a page's layout shows its
// own date, and a theme that lists .Site.Updated finds nothing in it.
func TestNoTraceSourceDates(t *testing.T) {
	t.Parallel()
	f := newFixture()
	dates := map[string]time.Time{}
	for i, p := range f.tree.Pages {
		p.File = fmt.Sprintf("content/file-%d-of-%s.md", i, strings.Trim(strings.ReplaceAll(p.URL, "/", "-"), "-"))
		dates[p.File] = time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)
	}
	over := fstest.MapFS{
		"layouts/page.html": {Data: []byte(`<p>{{.Title}}</p><time>{{.PageMeta.UpdatedISO}}</time>{{range $f, $d := .Site.Updated}}<i>{{$f}}</i>{{end}}{{.Body}}`)},
	}
	r, err := New(Site{Title: "Docs", Theme: Theme{Updated: dates}}, Layer(over, themes.Default), f.tree)
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, r, f.anon, f.bodies)
	var zeta *content.Page
	for _, p := range f.tree.Pages {
		if p.URL == "/zeta/" {
			zeta = p
		}
	}
	if want := "<time>" + dates[zeta.File].Format("2006-01-02") + "</time>"; !bytes.Contains(out["zeta/index.html"], []byte(want)) {
		t.Errorf("zeta's page does not show its own date %s:\n%s", want, out["zeta/index.html"])
	}
	for name, data := range out {
		if bytes.Contains(data, []byte("<i>")) {
			t.Errorf("%s lists source files:\n%s", name, data)
		}
		for _, p := range f.tree.Pages {
			if f.anon.Present.Has(p.Index) {
				continue
			}
			if bytes.Contains(data, []byte(p.File)) {
				t.Errorf("%s names the file of %s, hidden from the build", name, p.URL)
			}
		}
	}
}
