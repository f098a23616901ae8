package render

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
)

// pass is one Render call: one build's view and its caches.
type pass struct {
	// pageOnly is set by RenderPage: write the page's own file, no search
	// fragment or postings (an edit it serves keeps them, see Shared).
	pageOnly bool
	r        *Renderer
	ctx      context.Context
	b        *Target
	bodies   Bodies
	emit     func(string, []byte) error
	reuse    Reuser // nil: every file is made and emitted

	tree  *navTree
	tags  []*tagGroup
	texts []string // plain text of present pages, by page index
	// filled marks the texts a pageOnly pass has taken (fillText); a full
	// pass takes every present page's in renderLeaves.
	filled     []bool
	post       [][]uint64 // search postings by term id: page id<<32 | info
	used       []uint32   // the term ids with postings, in the order met
	crumbCache map[crumbKey]template.HTML

	// reused per page
	back     template.HTML // the next layout's backlinks (backlinks.go)
	buf      bytes.Buffer
	page     []byte // the assembled file of the current content page, reused
	fragBuf  []byte // a page's search fragment, reused
	data     Data
	toc      []markdown.Heading
	tagLinks []Link
}

func (r *Renderer) newState(ctx context.Context, b *Target, bodies Bodies, emit func(string, []byte) error) *pass {
	return &pass{
		r: r, ctx: ctx, b: b, bodies: bodies, emit: emit,
		crumbCache: map[crumbKey]template.HTML{},
		texts:      make([]string, len(r.tree.Pages)),
	}
}

// prepare builds the visible tree and the tags.
func (s *pass) prepare() {
	s.tree = newNavTree(s.r.tree, s.r.ranked, s.b.Present)
	s.tags = s.groupTags()
}

// homeTitle is the home page's title: the root page's, or the site's when
// the root page is absent.
func (s *pass) homeTitle() string {
	if s.tree.root.page != nil {
		return s.tree.root.page.Title
	}
	return s.r.site.Title
}

// reset starts the data of a page.
func (s *pass) reset(kind, title, url string, lk linker) {
	s.data = Data{
		th: s.r.th, st: s,
		Site: &s.r.site, Kind: kind, Title: title, URL: url, Root: lk.root(),
		Description: s.r.site.Description,
	}
	s.data.TagsURL, s.data.FeedURL, s.data.SearchURL = siteLinks(s.data.Root, s.r.baseURL != "")
	if s.r.baseURL != "" {
		s.data.Permalink = s.r.baseURL + strings.TrimPrefix(url, "/")
	}
}

// fillPage sets the data that comes from a present page.
func (s *pass) fillPage(nd *node, lk linker) {
	p := nd.page
	inf := &s.r.info[p.Index]
	s.data.page = p
	s.data.Date, s.data.DateISO = inf.date, inf.dateISO
	s.data.PageMeta = s.r.site.pageMeta(p, s.r.updated, s.holdsSections(p))
	if sum := s.summary(nd); sum != "" {
		s.data.Description = sum
	}
	s.tagLinks = s.tagLinks[:0]
	for _, t := range inf.tags {
		s.tagLinks = append(s.tagLinks, Link{Title: t.name, URL: lk.link(t.url)})
	}
	s.data.Tags = s.tagLinks
	s.toc = s.toc[:0]
	for _, h := range s.bodies.Headings(p) {
		switch h.Level {
		case 1:
			s.data.BodyH1 = true
		case 2, 3:
			s.toc = append(s.toc, h)
		}
	}
	s.data.TOC = s.toc
}

// holdsSections reports whether the build holds every section whose folder
// lies on p's source path (the home page's aside, whose folder is content/
// alone): its page, or the page standing in for it.
func (s *pass) holdsSections(p *content.Page) bool {
	for sec := p.Section; sec != nil && sec.Depth > 0; sec = sec.Parent {
		if sec.Page != nil && !s.b.Present.Has(sec.Page.Index) && (sec.Standin == nil || !s.b.Present.Has(sec.Standin.Index)) {
			return false
		}
	}
	return true
}

// summary is a page's frontmatter summary, else the start of its text.
func (s *pass) summary(nd *node) string {
	if nd.page.Summary != "" {
		return nd.page.Summary
	}
	if s.pageOnly {
		s.fillText(nd)
	}
	return cut(s.texts[nd.page.Index], summaryLen)
}

// fillText takes the text of nd's page, as the build holds its body, for
// summaries, once: what renderLeaves does for every page in a full pass,
// a pageOnly pass does for the pages it lists. It returns the body.
func (s *pass) fillText(nd *node) []byte {
	i := nd.page.Index
	if s.filled == nil {
		s.filled = make([]bool, len(s.texts))
	}
	body := s.bodies.Body(nd.page, s.b)
	if !s.filled[i] {
		s.texts[i], s.filled[i] = plainText(body, summaryLen+1), true
	}
	return body
}

// entries lists nodes for a page list, links relative to lk.
func (s *pass) entries(nodes []*node, lk linker) []Entry {
	out := make([]Entry, len(nodes))
	for i, nd := range nodes {
		inf := &s.r.info[nd.page.Index]
		u := lk.link(nd.page.URL)
		out[i] = Entry{
			Title: nd.page.Title, URL: u, Link: hrefAttr(u), Summary: s.summary(nd),
			Date: inf.date, DateISO: inf.dateISO, Section: nd.page.IsSection,
		}
	}
	return out
}

// write emits one file, naming it in errors.
func (s *pass) write(path string, data []byte) error {
	if err := s.emit(path, data); err != nil {
		return fmt.Errorf("render: %s: %w", path, err)
	}
	return nil
}

// emitAssets writes the theme's assets.
func (s *pass) emitAssets() error {
	for _, a := range s.r.th.assets {
		if err := s.write(a.path, a.data); err != nil {
			return err
		}
	}
	return nil
}
