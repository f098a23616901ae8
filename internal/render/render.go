// Package render writes one audience's build of the site through a theme:
// page, section, home, 404 and tag pages, breadcrumbs, the build's
// navigation script (_facet/nav.js, from which the theme's script draws
// the sidebar, prev/next links and the audience badge), the search index,
// sitemap.xml, the Atom feed, llms.txt, each page's "Linked from" list,
// the redirect pages of aliases and the theme's assets. It does not parse
// markdown (it receives each page's body through Bodies, already redacted
// for the build), does not decide who sees what (it receives the build's
// final set of present pages), does not copy attachments and does not
// write to disk: every file goes through the caller's emit function.
//
// No trace by construction: a build's templates and nav.js are fed only
// from its visible tree, made of the pages in Target.Present. A present
// page whose ancestor sections are hidden is listed under its nearest
// present ancestor (or at the top level), so no hidden section's title is
// ever needed to reach it. Tag pages, counts, the search index, the
// sitemap and the feed are made from the same tree.
//
// Same page, same bytes: a content page's file holds nothing of its
// build but which of its pages link to it, neither the navigation (nav.js, loaded with <script src>, never
// inline, so it holds under a CSP of default-src 'self') nor the badge,
// nor links whose presence would differ between builds (every build has
// tags/index.html, and index.xml when the site has a base_url; search
// engines are kept off signed-in builds by the gateway's X-Robots-Tag
// header, not by a meta tag). Its file is a function of the page, its
// body, its breadcrumbs and its "Linked from" list (the pages of the build
// that link to it, backlinks.go), made once and emitted as the same bytes by
// every build that sees the page alike, so the caller stores it once
// however many audiences there are. Section pages, the home page, tag
// pages and 404.html list a build's pages and stay per build.
//
// Links are relative to the page that holds them ("../c/"), so a build
// works under any base path and opened from disk; assets/facet.js appends
// "index.html" to folder links under file://. The exception is 404.html,
// which a server returns for arbitrary paths: its links are root-relative,
// under the path of the site's base_url ("/" when none), and its style
// sheets are inline as well (Data.InlineCSS), so it is styled wherever it
// is answered or opened. It never depends on the requested URL, so a
// hidden page and a missing one answer alike.
//
// sitemap.xml and index.xml (Atom, the 20 most recent dated pages) need
// absolute URLs: they are written only when the site has a base_url.
// llms.txt lists the build's pages like the sitemap, and an alias's
// redirect page is written only where the build holds its page.
//
// Speed: html/template costs about a microsecond per action, so the work
// per page is kept to a few actions:
//   - templates are parsed, and escaped, once in New;
//   - breadcrumbs are rendered once per build and folder;
//   - Data.SitePartial renders a partial once per link depth for all
//     builds, Data.PagePartial once per page for all builds;
//   - Body, Breadcrumbs and site partials reach the layout as
//     NUL-delimited markers (html/template escapes NUL everywhere else),
//     replaced while the file is assembled, so none is copied twice;
//   - a content page's layout runs once per page and (body, breadcrumbs),
//     not once per page and build (see skeleton.go).
package render

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
)

// The titles of the pages the renderer makes itself in every build: text
// every build carries, never a trace of a hidden page so titled.
const (
	// NotFoundTitle is the title of 404.html.
	NotFoundTitle = "Page not found"
	// TagsTitle is the title of the tags page.
	TagsTitle = "Tags"
)

// Site is what templates know about the site.
type Site struct {
	// Title is the site title, shown in the top bar and on a generated home.
	Title string
	// Description is the default meta description.
	Description string
	// BaseURL is the absolute URL the site is served at
	// ("https://docs.example.com/"); "" means relative links only and no
	// sitemap or feed.
	BaseURL string
	// Language is the html lang attribute ("en" when empty).
	Language string
	// GroupTitles maps group names to their display titles.
	GroupTitles map[string]string
	// Theme holds the theme's settings from config/site.toml: logo,
	// announcement, footer links, edit links and page dates.
	Theme
	// Assets are extra files written under assets/ in every build, keyed
	// by their path below assets/ (e.g. "syntax.css" made by
	// markdown.CSS); they replace the theme's files of the same path.
	Assets map[string][]byte
	// ShardSize is the size search shards are cut at, in bytes: 0 for 32
	// KiB. Tests set it small to get many shards from a small site.
	ShardSize int
}

// Target is the build one Render call writes: its folder, kind, badge and
// the pages it holds.
type Target struct {
	// Dir is the build folder name, e.g. "anonymous". Nothing in the
	// build holds it.
	Dir string
	// Kind is "anonymous", "member" or "guest".
	Kind string
	// Label is the badge text, made by the caller. A build may be shared
	// by several people, so it names a kind and groups ("Guest ·
	// Partners"), never a person: a person's own name and expiry come from
	// the gateway's /_facet/whoami at request time.
	Label string
	// Present holds the pages of the tree present in this build. It is
	// final: hidden pages and generated section pages with nothing visible
	// below are not in it.
	Present access.Set
	// WhoCanSee, when set, puts who can read each page into nav.js, for
	// the theme's "who can see this page" panel. The caller sets it on
	// member builds only: a guest or anonymous build must not learn who
	// else reads a page.
	WhoCanSee *WhoCanSee
}

// WhoCanSee lists who can read each page: Labels are the readers
// ("Everyone", "All members", "Group: Engineering", "Guest: Carol"), and
// Pages, by page index, the positions in Labels of each page's readers.
type WhoCanSee struct {
	Labels []string
	Pages  [][]int
}

// Bodies gives a page's body HTML as one build sees it.
type Bodies interface {
	// Body returns p's body for b, links to hidden targets already
	// redacted. The renderer does not keep or modify the slice.
	Body(p *content.Page, b *Target) []byte
	// Headings returns p's headings in order.
	Headings(p *content.Page) []markdown.Heading
	// Links returns the indices of the pages p's body, as b holds it,
	// links to (a link b drops is not one).
	Links(p *content.Page, b *Target) []int
}

// Renderer renders builds of one site with one theme. Render is safe to
// call concurrently for different builds. Besides what New prepares, a
// Renderer keeps what builds can share (site partials, and each content
// page's skeletons and search terms, until Expect's last build has written
// the page), so one Renderer should serve all builds of one build run, and
// a new one the next run: its caches assume that the tree, the pages' headings and the
// pages each page links to in each build (Bodies.Links) do not change.
type Renderer struct {
	site Site
	// updated is site.Updated, which templates do not see (Theme.Updated).
	updated map[string]time.Time
	tree    *content.Tree
	ranked  []*content.Page // tree pages in navigation order
	info    []pageInfo      // by page index
	th      *themeSet
	parts   []pageParts // by page index: page partials and files shared by builds
	// left counts, by page index, the Render calls still to render the
	// page, once Expect was told the builds; nil before.
	left     []atomic.Int32
	partials sitePartials // site partials shared by builds
	baseURL  string       // "" or absolute with a trailing slash
	basePath string       // the path of baseURL, "/" when none
	terms    *termTable   // search terms of all builds (the memo's, with one)
	seeds    [2]maphash.Seed
	memo     *Memo       // nil: body texts and skeletons made every time
	store    SearchStore // nil: no store of body versions' search files between runs
	siteID   [32]byte    // the theme and site settings, for memo keys
	navMu    sync.Mutex
	navs     map[*Target]*navTree // for RenderPage and SearchEdit (pageTree)
	graphMu  sync.Mutex           // guards graphs
	graphs   map[*Target][][]int  // who links to each page, per build (backlinks.go)
	aliases  []aliasInfo          // every page's aliases (alias.go)
}

// pageInfo is what New precomputes about a page for every build.
type pageInfo struct {
	date, dateISO, dateAtom string
	tags                    []tagRef
}

// New prepares a renderer: it parses the theme's templates once, reads its
// assets and checks that no content file takes a path the renderer writes.
func New(site Site, theme fs.FS, tree *content.Tree) (*Renderer, error) {
	if tree == nil || tree.Root == nil {
		return nil, errors.New("render: no content tree")
	}
	if theme == nil {
		return nil, errors.New("render: no theme")
	}
	if site.Language == "" {
		site.Language = "en"
	}
	r := &Renderer{site: site, tree: tree, basePath: "/", seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		terms: &termTable{}}
	// every source file's date: each page shows its own, no template
	// sees the others (a hidden page's file name among them)
	r.updated, r.site.Updated = site.Updated, nil
	if err := r.setBase(site.BaseURL); err != nil {
		return nil, err
	}
	if err := checkTree(tree); err != nil {
		return nil, err
	}
	th, err := loadTheme(theme, site.Assets)
	if err != nil {
		return nil, err
	}
	r.th = th
	r.siteID = siteIDOf(th, &r.site)
	r.ranked = sortPages(tree.Pages)
	r.aliases = collectAliases(tree)
	r.parts = make([]pageParts, len(tree.Pages))
	r.info = make([]pageInfo, len(tree.Pages))
	for i, p := range tree.Pages {
		r.info[i] = newPageInfo(p)
	}
	if err := r.checkReserved(); err != nil {
		return nil, err
	}
	if err := r.warm(); err != nil {
		return nil, err
	}
	return r, nil
}

// setBase validates base_url and derives the 404 page's link prefix.
func (r *Renderer) setBase(base string) error {
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("render: base_url %q is not an absolute http(s) URL", base)
	}
	p := u.EscapedPath()
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u.RawPath, u.Path = "", ""
	r.baseURL = strings.TrimSuffix(u.String(), "/") + p
	r.basePath = p
	return nil
}

// checkTree rejects trees whose pages are not where their Index says.
func checkTree(t *content.Tree) error {
	for i, p := range t.Pages {
		if p == nil {
			return fmt.Errorf("render: content tree has no page at index %d", i)
		}
		if p.Index != i {
			return fmt.Errorf("render: %s: page index %d at position %d", p.File, p.Index, i)
		}
		if !strings.HasPrefix(p.URL, "/") || !strings.HasSuffix(p.URL, "/") {
			return fmt.Errorf("render: %s: page URL %q is not a folder URL", p.File, p.URL)
		}
	}
	return nil
}

// Expect tells r the builds the coming Render calls are for, so that
// what it keeps for a page (partials, finished files, "Linked from"
// lists, search terms) is dropped once the last of them that holds the
// page has written it, instead of lasting as long as r. Dropped pieces are
// made again when needed (RenderPage after the builds), so a count that is
// off costs time, never a different output.
func (r *Renderer) Expect(builds []*Target) {
	left := make([]atomic.Int32, len(r.tree.Pages))
	for _, b := range builds {
		for i := range left {
			if b.Present.Has(i) {
				left[i].Add(1)
			}
		}
	}
	r.left = left
}

// release is called once a full Render pass has written page i: after the
// last such pass, the pieces kept for the page are dropped.
func (r *Renderer) release(i int) {
	if r.left == nil || i < 0 || i >= len(r.left) || r.left[i].Add(-1) != 0 {
		return
	}
	pp := &r.parts[i]
	pp.mu.Lock()
	pp.skel, pp.terms, pp.bodies = nil, nil, nil
	pp.mu.Unlock()
}

// Render writes every generated file of one build through emit (paths
// relative to the build root, forward slashes): each present page at its
// OutPath, "index.html" (the root page, or when it is absent a generated
// home listing what the build can see), "404.html", "tags/index.html" and
// a page per tag under "tags/", "_facet/nav.js" (NavPath), the search
// index and results page under "_facet/search/" (search.go), "sitemap.xml" and "index.xml" (with a base_url), and
// every theme asset under "assets/". Attachments are not written. data is
// valid only during the call to emit, which must neither keep nor modify
// it: asset data is shared by all builds, and a content page's file is
// assembled into a buffer that the next page reuses.
func (r *Renderer) Render(ctx context.Context, b *Target, bodies Bodies, emit func(path string, data []byte) error) error {
	return r.RenderReusing(ctx, b, bodies, emit, nil)
}

// RenderReusing is Render with the files that builds share written
// through reuse (see Reuser), when reuse is not nil and r has no memo.
func (r *Renderer) RenderReusing(ctx context.Context, b *Target, bodies Bodies, emit func(path string, data []byte) error, reuse Reuser) error {
	if b == nil || bodies == nil || emit == nil {
		return errors.New("render: Render needs a build, bodies and emit")
	}
	s := r.newState(ctx, b, bodies, emit)
	if r.memo == nil {
		s.reuse = reuse
	}
	s.prepare()
	steps := []func() error{
		s.emitAssets, s.emitNav, s.renderLeaves, s.renderSections, s.renderHome,
		s.render404, s.renderSearch, s.renderTags, s.emitSearch, s.emitSitemap, s.emitFeed,
		s.emitLLMs, s.emitAliases,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	if r.left != nil {
		// b's pages are written: what linkers kept for it is made again
		// if RenderPage needs it.
		r.graphMu.Lock()
		delete(r.graphs, b)
		r.graphMu.Unlock()
	}
	return nil
}
