package render

import (
	"context"
	"errors"
)

// Shared is what files other than a page's own and its search files take
// from its body (as a build holds it): the start of its text, for the
// summaries of section lists and the home page. An incremental rebuild
// re-renders only a page's own file (RenderPage) and updates its search
// files (SearchEdit) after an edit that keeps this, its headings and its
// title; whoever makes another file depend on more of a body must add it
// here.
func Shared(body []byte) string {
	return plainText(body, summaryLen+1)
}

// RenderPage writes, through emit, the file of page (by index) in one
// build, the same bytes Render writes for it: the page's OutPath, or
// index.html for the root page. It writes nothing when the page is not
// present in b.
func (r *Renderer) RenderPage(ctx context.Context, b *Target, bodies Bodies, page int, emit func(path string, data []byte) error) error {
	if b == nil || bodies == nil || emit == nil {
		return errors.New("render: RenderPage needs a build, bodies and emit")
	}
	s := r.newState(ctx, b, bodies, emit)
	s.pageOnly = true
	s.tree = r.pageTree(b) // the tags, for the tag pages, are not needed
	if page < 0 || page >= len(s.tree.byIndex) || s.tree.byIndex[page] == nil {
		return nil
	}
	nd := s.tree.byIndex[page]
	body := s.fillText(nd)
	switch {
	case nd == &s.tree.root:
		return s.renderHome()
	case nd.page.IsSection:
		return s.renderSection(nd)
	}
	return s.renderLeaf(nd, body)
}

// pageTree is b's navigation tree for RenderPage and SearchEdit, made once
// per build and kept: the tree and b.Present do not change for the life of
// a Renderer.
func (r *Renderer) pageTree(b *Target) *navTree {
	r.navMu.Lock()
	defer r.navMu.Unlock()
	if t, ok := r.navs[b]; ok {
		return t
	}
	if r.navs == nil {
		r.navs = map[*Target]*navTree{}
	}
	t := newNavTree(r.tree, r.ranked, b.Present)
	r.navs[b] = t
	return t
}
