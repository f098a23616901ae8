package render

import (
	"bytes"
	"context"
	"errors"
	"strings"
)

// Files after a retitle. A content page's title shows in its own file and
// search files, in the files of the pages that fill an empty link to it
// and of the pages it links to ("Linked from"), in its parent's list, its
// tags' pages, the navigation script, llms.txt, the feed and its aliases'
// redirect pages; nowhere else (breadcrumbs show a section's title, never
// a content page's). When the page keeps its place in every list
// (KeepsOrder), an incremental rebuild writes those alone: RenderPage for
// the pages, RenderRetitled for the lists, the script, the feed and the
// aliases, RetitleLLMs and SearchRetitle. Whoever makes another file
// show a content page's title must add it here.

// KeepsOrder reports whether the page (by index), were its title title,
// would keep its place in the navigation order, so in every list of every
// build.
func (r *Renderer) KeepsOrder(page int, title string) bool {
	if page < 0 || page >= len(r.tree.Pages) {
		return false
	}
	p := r.tree.Pages[page]
	k := -1
	for i, q := range r.ranked {
		if q == p {
			k = i
			break
		}
	}
	if k < 0 {
		return false
	}
	lower := strings.ToLower(title)
	if k > 0 {
		q := r.ranked[k-1]
		if comparePages(q, strings.ToLower(q.Title), q.Title, p, lower, title) >= 0 {
			return false
		}
	}
	if k+1 < len(r.ranked) {
		q := r.ranked[k+1]
		if comparePages(p, lower, title, q, strings.ToLower(q.Title), q.Title) >= 0 {
			return false
		}
	}
	return true
}

// Retitled drops what r keeps for page (by index) that holds its title:
// its skeletons and search terms. Call it once the page's title changed,
// before r renders anything of it.
func (r *Renderer) Retitled(page int) {
	if page < 0 || page >= len(r.parts) {
		return
	}
	pp := &r.parts[page]
	pp.mu.Lock()
	pp.skel, pp.terms, pp.bodies = nil, nil, nil
	pp.mu.Unlock()
}

// RenderRetitled writes, through emit, the files of build b other than
// page and search files and llms.txt that show the title of page (by
// index), a content page that is no section, as Render writes them: its
// parent's page (a section's or the home page), the pages of its tags,
// the navigation script, the feed when the site has one and the page is
// dated, and the redirect pages of its aliases. It writes nothing when b
// does not hold the page.
func (r *Renderer) RenderRetitled(ctx context.Context, b *Target, bodies Bodies, page int, emit func(path string, data []byte) error) error {
	if b == nil || bodies == nil || emit == nil {
		return errors.New("render: RenderRetitled needs a build, bodies and emit")
	}
	s := r.newState(ctx, b, bodies, emit)
	s.pageOnly = true
	s.tree = r.pageTree(b)
	if page < 0 || page >= len(s.tree.byIndex) || s.tree.byIndex[page] == nil {
		return nil
	}
	nd := s.tree.byIndex[page]
	if nd.page.IsSection || nd.parent == nil {
		return errors.New("render: RenderRetitled needs a content page")
	}
	var err error
	if par := nd.parent; par == &s.tree.root {
		err = s.renderHome()
	} else {
		err = s.renderSection(par)
	}
	if err != nil {
		return err
	}
	var groups []*tagGroup
	for _, g := range s.groupTags() {
		for _, n := range g.nodes {
			if n == nd {
				groups = append(groups, g)
				break
			}
		}
	}
	if err := s.renderTagPages(groups); err != nil {
		return err
	}
	if err := s.emitNav(); err != nil {
		return err
	}
	if r.info[page].dateAtom != "" {
		if err := s.emitFeed(); err != nil {
			return err
		}
	}
	return s.emitAliasesOf(page)
}

// RetitleLLMs returns build b's llms.txt after the title of page (by
// index), a content page that is no section and kept its place
// (KeepsOrder), changed from oldTitle to its title, given the published
// old one: the page's line alone changes. ok is false when old does not
// hold the page's line exactly once.
func (r *Renderer) RetitleLLMs(page int, oldTitle string, old []byte) (out []byte, ok bool) {
	if page < 0 || page >= len(r.tree.Pages) {
		return nil, false
	}
	p := r.tree.Pages[page]
	was := []byte("\n" + r.llmsItem(p, oldTitle))
	at := -1
	for from := 0; ; {
		i := bytes.Index(old[from:], was)
		if i < 0 {
			break
		}
		i += from
		if end := i + len(was); end == len(old) || old[end] == ':' || old[end] == '\n' {
			if at >= 0 {
				return nil, false
			}
			at = i
		}
		from = i + 1
	}
	if at < 0 {
		return nil, false
	}
	out = make([]byte, 0, len(old)+len(p.Title))
	out = append(out, old[:at]...)
	out = append(out, "\n"+r.llmsItem(p, p.Title)...)
	return append(out, old[at+len(was):]...), true
}
