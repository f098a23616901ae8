package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// ariaCurrent marks the current page's sidebar item.
const ariaCurrent = ` aria-current="page"`

// fragKey names a navigation fragment: the sidebar and breadcrumbs around
// one nav node, as written from one folder, for either the node's own page
// (self) or any of its leaf children.
type fragKey struct {
	ctx  *node
	link linker
	self bool
}

// fragment is a rendered sidebar split at the items that may be current,
// plus the breadcrumbs. Sidebars are rendered once per fragKey; a page
// only stitches the pieces together, marking its own item.
type fragment struct {
	pieces []string // len(slots)+1 pieces
	slots  []int    // page index of the item between pieces[i] and pieces[i+1]
	size   int      // total size of pieces
	crumbs template.HTML
}

// appendSidebar appends the sidebar with page cur (a page index, -1 for
// none) marked current.
func (f *fragment) appendSidebar(dst []byte, cur int) []byte {
	dst = append(dst, f.pieces[0]...)
	for i, s := range f.slots {
		if s == cur {
			dst = append(dst, ariaCurrent...)
		}
		dst = append(dst, f.pieces[i+1]...)
	}
	return dst
}

// fragment returns the cached fragment for k, rendering it on first use.
// crumbs overrides the breadcrumbs computed from the tree (for pages
// outside it: tags pages); nil means "from the tree".
func (s *state) fragment(k fragKey, crumbs []Link) (*fragment, error) {
	if f, ok := s.frags[k]; ok {
		return f, nil
	}
	items := s.navItems(k, s.tree.root.children, openSet(k.ctx))
	var buf bytes.Buffer
	if err := s.r.th.sidebar.Execute(&buf, items); err != nil {
		return nil, fmt.Errorf("render: theme partials/sidebar.html: %w", err)
	}
	f := splitSlots(buf.String())
	if crumbs == nil {
		crumbs = s.crumbs(k)
	}
	buf.Reset()
	if err := s.r.th.crumbs.Execute(&buf, crumbs); err != nil {
		return nil, fmt.Errorf("render: theme partials/breadcrumbs.html: %w", err)
	}
	f.crumbs = template.HTML(buf.String())
	s.frags[k] = f
	return f, nil
}

// openSet is the nodes whose children the sidebar lists: ctx and its
// ancestors.
func openSet(ctx *node) map[*node]bool {
	open := map[*node]bool{}
	for a := ctx; a != nil; a = a.parent {
		open[a] = true
	}
	return open
}

// navItems makes the sidebar items for nodes. Leaf children of k.ctx get a
// slot marker in Attr (when !k.self): any of them may be the current page.
func (s *state) navItems(k fragKey, nodes []*node, open map[*node]bool) []*NavItem {
	items := make([]*NavItem, len(nodes))
	for i, nd := range nodes {
		it := &NavItem{
			Title:   nd.page.Title,
			URL:     k.link.link(nd.page.URL),
			Section: nd.page.IsSection,
			Open:    open[nd] && len(nd.children) > 0,
		}
		switch {
		case k.self && nd == k.ctx:
			it.Attr = ariaCurrent
		case !k.self && nd.parent == k.ctx && !nd.page.IsSection:
			it.Attr = template.HTMLAttr("\x00" + strconv.Itoa(nd.page.Index) + "\x00")
		}
		if it.Open {
			it.Children = s.navItems(k, nd.children, open)
		}
		items[i] = it
	}
	return items
}

// splitSlots cuts a rendered sidebar at its "\x00N\x00" slot markers.
// html/template escapes NUL in every context, so the markers are the only
// NUL bytes: they come from NavItem.Attr, printed verbatim.
func splitSlots(html string) *fragment {
	f := &fragment{}
	rest := html
	for {
		i := strings.IndexByte(rest, 0)
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i+1:], 0)
		if j < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1 : i+1+j])
		if err != nil {
			break
		}
		f.pieces = append(f.pieces, rest[:i])
		f.slots = append(f.slots, n)
		rest = rest[i+2+j:]
	}
	f.pieces = append(f.pieces, rest)
	for _, p := range f.pieces {
		f.size += len(p)
	}
	f.size += len(ariaCurrent)
	return f
}

// crumbs lists the links above the page(s) of k: the build's home, then
// each present ancestor section (hidden ones are simply not in the tree).
func (s *state) crumbs(k fragKey) []Link {
	end := k.ctx
	if k.self {
		end = k.ctx.parent
	}
	if end == nil {
		return []Link{}
	}
	chain := ancestors(end)
	out := make([]Link, 0, len(chain))
	for _, a := range chain {
		if a == &s.tree.root {
			out = append(out, Link{Title: s.homeTitle(), URL: k.link.root()})
			continue
		}
		out = append(out, Link{Title: a.page.Title, URL: k.link.link(a.page.URL)})
	}
	return out
}
