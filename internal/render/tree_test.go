package render

import (
	"bytes"
	"cmp"
	"context"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/themes"
)

// treeBuilder makes content.Tree values by hand, the way content.Load
// lays them out: URL rules of CONTRACT.md, pages sorted by path with a
// section's index first.
type treeBuilder struct {
	secs  map[string]*content.Section // by URL
	pages []*content.Page
}

func newTreeBuilder() *treeBuilder {
	root := &content.Section{Dir: "content", URL: "/"}
	root.Page = &content.Page{File: "content/", URL: "/", OutPath: "index.html", Title: "Home",
		Section: root, IsSection: true, Generated: true}
	return &treeBuilder{secs: map[string]*content.Section{"/": root}, pages: []*content.Page{root.Page}}
}

// section adds (or returns) the section at url ("/a/b/"), its parents too.
func (tb *treeBuilder) section(url, title string, mod ...func(*content.Page)) *content.Page {
	s := tb.secs[url]
	if s == nil {
		parent := tb.secs[urlDir(url)]
		if parent == nil {
			parent = tb.section(urlDir(url), "").Section
		}
		dir := "content" + strings.TrimSuffix(url, "/")
		s = &content.Section{Dir: dir, URL: url, Parent: parent, Depth: parent.Depth + 1}
		s.Page = &content.Page{File: dir + "/", URL: url, OutPath: strings.TrimPrefix(url, "/") + "index.html",
			Section: s, IsSection: true, Generated: true, Title: path.Base(dir)}
		parent.Sections = append(parent.Sections, s)
		tb.secs[url] = s
		tb.pages = append(tb.pages, s.Page)
	}
	if title != "" {
		s.Page.Title, s.Page.Generated = title, false
		s.Page.File = s.Dir + "/_index.md"
	}
	for _, m := range mod {
		m(s.Page)
	}
	return s.Page
}

// page adds a leaf page at url ("/a/b/").
func (tb *treeBuilder) page(url, title string, mod ...func(*content.Page)) *content.Page {
	s := tb.secs[urlDir(url)]
	if s == nil {
		s = tb.section(urlDir(url), "").Section
	}
	p := &content.Page{File: "content" + strings.TrimSuffix(url, "/") + ".md", URL: url,
		OutPath: strings.TrimPrefix(url, "/") + "index.html", Title: title, Section: s}
	for _, m := range mod {
		m(p)
	}
	s.Pages = append(s.Pages, p)
	tb.pages = append(tb.pages, p)
	return p
}

func (tb *treeBuilder) tree() *content.Tree {
	t := &content.Tree{Root: tb.secs["/"], Pages: slices.Clone(tb.pages)}
	slices.SortFunc(t.Pages, func(a, b *content.Page) int { return cmp.Compare(a.URL, b.URL) })
	for i, p := range t.Pages {
		p.Index = i
	}
	var walk func(s *content.Section)
	walk = func(s *content.Section) {
		t.Sections = append(t.Sections, s)
		for _, c := range s.Sections {
			walk(c)
		}
	}
	walk(t.Root)
	return t
}

func weight(w int) func(*content.Page)     { return func(p *content.Page) { p.Weight = w } }
func tags(t ...string) func(*content.Page) { return func(p *content.Page) { p.Tags = t } }
func summary(s string) func(*content.Page) { return func(p *content.Page) { p.Summary = s } }

// alias gives a page an alias at the root-relative folder URL u, whose
// nearest page above is near (nil for the home page).
func alias(u string, near *content.Page) func(*content.Page) {
	return func(p *content.Page) {
		p.Aliases = append(p.Aliases, &content.Alias{Raw: u, URL: u, OutPath: strings.TrimPrefix(u, "/") + "index.html", Near: near})
	}
}
func date(y, m, d int) func(*content.Page) {
	return func(p *content.Page) { p.Date = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
}
func hidden(set *[]string) func(*content.Page) {
	return func(p *content.Page) { *set = append(*set, p.URL) }
}

// fakeBodies serves bodies by page URL. A body may differ per build: the
// key "URL|buildID" wins over "URL".
type fakeBodies struct {
	bodies   map[string]string
	headings map[string][]markdown.Heading
	links    map[string][]int // page indices each page links to, by URL (or "URL|build dir")
}

func (f *fakeBodies) Body(p *content.Page, b *Target) []byte {
	if s, ok := f.bodies[p.URL+"|"+b.Dir]; ok {
		return []byte(s)
	}
	return []byte(f.bodies[p.URL])
}

func (f *fakeBodies) Headings(p *content.Page) []markdown.Heading { return f.headings[p.URL] }

func (f *fakeBodies) Links(p *content.Page, b *Target) []int {
	if l, ok := f.links[p.URL+"|"+b.Dir]; ok {
		return l
	}
	return f.links[p.URL]
}

// presentExcept is every page of t but those at the given URLs.
func presentExcept(t *content.Tree, urls ...string) access.Set {
	s := access.NewSet(len(t.Pages))
	for _, p := range t.Pages {
		if !slices.Contains(urls, p.URL) {
			s.Add(p.Index)
		}
	}
	return s
}

// output is one rendered build.
type output map[string][]byte

func render(t *testing.T, r *Renderer, b *Target, bodies Bodies) output {
	t.Helper()
	out := output{}
	var mu sync.Mutex
	err := r.Render(context.Background(), b, bodies, func(p string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := out[p]; dup {
			t.Errorf("%s emitted twice", p)
		}
		out[p] = bytes.Clone(data) // data is valid only during the call
		return nil
	})
	if err != nil {
		t.Fatalf("Render(%s): %v", b.Dir, err)
	}
	return out
}

func newRenderer(t testing.TB, site Site, tree *content.Tree) *Renderer {
	t.Helper()
	r, err := New(site, themes.Default, tree)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}
