package render

import (
	"cmp"
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/content"
)

// node is a page present in one build, placed in that build's visible tree.
type node struct {
	// page is nil only for the root of a build whose home page is absent.
	page     *content.Page
	parent   *node
	children []*node
	// order is the position in sidebar order (navTree.order), -1 for an
	// absent home page.
	order int
}

// navTree is one build's view of the site: the present pages, each under
// its nearest present ancestor section (a page whose sections are all
// hidden sits at the top level, so no hidden section's title is needed to
// reach it).
type navTree struct {
	root    node
	byIndex []*node // by page index; nil for absent pages
	order   []*node // present pages depth first in sidebar order
}

// sortPages orders pages for navigation: weight ascending with 0 after any
// weight, then title, then URL.
// Titles compare case-insensitively first, so "gen" does not sort after
// "Zeta".
func sortPages(pages []*content.Page) []*content.Page {
	type key struct {
		p     *content.Page
		title string
	}
	keys := make([]key, len(pages))
	for i, p := range pages {
		keys[i] = key{p, strings.ToLower(p.Title)}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return comparePages(a.p, a.title, a.p.Title, b.p, b.title, b.p.Title)
	})
	out := make([]*content.Page, len(keys))
	for i, k := range keys {
		out[i] = k.p
	}
	return out
}

// comparePages is sortPages' order of a and b, whose titles are at and
// bt (lower, their lower-case forms).
func comparePages(a *content.Page, lowerA, at string, b *content.Page, lowerB, bt string) int {
	return cmp.Or(
		cmp.Compare(weightKey(a.Weight), weightKey(b.Weight)),
		cmp.Compare(lowerA, lowerB),
		cmp.Compare(at, bt),
		cmp.Compare(a.URL, b.URL),
	)
}

// weightKey maps weight 0 (unweighted) after every real weight.
func weightKey(w int) int64 {
	if w == 0 {
		return 1 << 62
	}
	return int64(w)
}

// newNavTree places the present pages of t. ranked is t.Pages in sortPages
// order: appending children in that order keeps every list sorted, with
// sections and pages interleaved.
func newNavTree(t *content.Tree, ranked []*content.Page, present access.Set) *navTree {
	n := &navTree{byIndex: make([]*node, len(t.Pages))}
	n.root.order = -1
	var rootPage, rootStandin *content.Page
	if t.Root != nil {
		rootPage, rootStandin = t.Root.Page, t.Root.Standin
	}
	nodes := make([]node, 0, present.Len())
	for _, p := range t.Pages {
		if p == nil || !present.Has(p.Index) || p.Index < 0 || p.Index >= len(t.Pages) {
			continue
		}
		if p == rootPage || p == rootStandin && p != nil {
			n.root.page = p
			n.byIndex[p.Index] = &n.root
			continue
		}
		nodes = append(nodes, node{page: p})
		n.byIndex[p.Index] = &nodes[len(nodes)-1]
	}
	// nearest present section page of every section; parents come first.
	near := make(map[*content.Section]*node, len(t.Sections))
	for _, s := range t.Sections {
		switch {
		case s.Page != nil && s.Page.Index >= 0 && s.Page.Index < len(n.byIndex) && n.byIndex[s.Page.Index] != nil:
			near[s] = n.byIndex[s.Page.Index]
		case s.Standin != nil && s.Standin.Index >= 0 && s.Standin.Index < len(n.byIndex) && n.byIndex[s.Standin.Index] != nil:
			near[s] = n.byIndex[s.Standin.Index]
		case s.Parent != nil && near[s.Parent] != nil:
			near[s] = near[s.Parent]
		default:
			near[s] = &n.root
		}
	}
	for _, p := range ranked {
		nd := n.byIndex[p.Index]
		if nd == nil || nd == &n.root {
			continue
		}
		sec := p.Section
		if p.IsSection && sec != nil {
			sec = sec.Parent
		}
		parent := near[sec]
		if parent == nil {
			parent = &n.root
		}
		nd.parent = parent
		parent.children = append(parent.children, nd)
	}
	n.walk(&n.root)
	return n
}

// walk numbers the subtree of nd in sidebar order.
func (n *navTree) walk(nd *node) {
	if nd.page != nil {
		nd.order = len(n.order)
		n.order = append(n.order, nd)
	}
	for _, c := range nd.children {
		n.walk(c)
	}
}

// ancestors returns the chain from the root down to nd, both included.
func ancestors(nd *node) []*node {
	var out []*node
	for a := nd; a != nil; a = a.parent {
		out = append(out, a)
	}
	slices.Reverse(out)
	return out
}
