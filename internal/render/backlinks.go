package render

import (
	"fmt"
	"html/template"
	"slices"
)

// backlinksMark is the layout's marker for the page's "Linked from" list
// (see skeleton.go), filled in per build.
const backlinksMark = template.HTML("\x00L\x00")

// BacklinksPartial is the theme's template of a page's "Linked from"
// list. Its dot is a Data whose LinkedFrom holds the pages of the build
// that link to the page, in sidebar order, with links relative to it.
const BacklinksPartial = "partials/backlinks.html"

// linkers returns, by page index, the pages of build b whose bodies (as
// b holds them) link to each page: made once per build and kept until
// ForgetLinks (a body edit that changes the pages a body links to) or a
// new Renderer.
func (r *Renderer) linkers(b *Target, bodies Bodies) [][]int {
	r.graphMu.Lock()
	to, ok := r.graphs[b]
	r.graphMu.Unlock()
	if ok {
		return to
	}
	to = make([][]int, len(r.tree.Pages))
	for _, p := range r.tree.Pages {
		if !b.Present.Has(p.Index) {
			continue
		}
		for _, t := range bodies.Links(p, b) {
			if t >= 0 && t < len(to) && t != p.Index {
				to[t] = append(to[t], p.Index)
			}
		}
	}
	r.graphMu.Lock()
	defer r.graphMu.Unlock()
	if r.graphs == nil {
		r.graphs = map[*Target][][]int{}
	}
	r.graphs[b] = to
	return to
}

// ForgetLinks drops what linkers keeps, so that every build's links are
// read again from the bodies when next needed: after an edit changed the
// pages a body links to.
func (r *Renderer) ForgetLinks() {
	r.graphMu.Lock()
	defer r.graphMu.Unlock()
	r.graphs = nil
}

// backlinks returns the "Linked from" list of nd's page in this build:
// the partial run over the present pages that link to it, in sidebar
// order, or "" when there are none or the site turned the list off. Only
// present pages are looked at, so a hidden page leaves no trace. It is
// rendered for each build: keeping each page's lists for the builds after
// cost more memory, for a large site, than rendering them costs time.
func (s *pass) backlinks(nd *node, lk linker) (template.HTML, error) {
	if !s.r.site.Backlinks {
		return "", nil
	}
	var from []*node
	for _, i := range s.r.linkers(s.b, s.bodies)[nd.page.Index] {
		if n := s.tree.byIndex[i]; n != nil {
			from = append(from, n)
		}
	}
	if len(from) == 0 {
		return "", nil
	}
	slices.SortFunc(from, func(a, b *node) int { return a.order - b.order })
	view := &Data{Site: &s.r.site, Kind: s.data.Kind, Title: nd.page.Title, URL: nd.page.URL, Root: lk.root()}
	for _, n := range from {
		view.LinkedFrom = append(view.LinkedFrom, Link{Title: n.page.Title, URL: lk.link(n.page.URL)})
	}
	h, err := s.r.partialMemo(BacklinksPartial, view)
	if err != nil {
		return "", fmt.Errorf("render: %s: theme %s: %w", nd.page.URL, BacklinksPartial, err)
	}
	return h, nil
}
