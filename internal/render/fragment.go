package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"html"
	"html/template"
	"strconv"
	"strings"
	"sync"
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

// fragment is the navigation around the pages of one fragKey: the
// sidebar and the breadcrumbs.
type fragment struct {
	*sidebar
	crumbs template.HTML
}

// sidebar is a rendered sidebar split at the items that may be current.
// It is immutable, and shared by every build whose sidebar items are the
// same (see Renderer.sidebar); a page only stitches the pieces together,
// marking its own item.
type sidebar struct {
	pieces []string // len(slots)+1 pieces
	slots  []int    // page index of the item between pieces[i] and pieces[i+1]
	size   int      // total size of pieces
}

// appendSidebar appends the sidebar with page cur (a page index, -1 for
// none) marked current.
func (f *sidebar) appendSidebar(dst []byte, cur int) []byte {
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
	side, err := s.r.sidebar(s.navItems(k, s.tree.root.children, openSet(k.ctx)))
	if err != nil {
		return nil, err
	}
	f := &fragment{sidebar: side}
	if crumbs == nil {
		crumbs = s.crumbs(k)
	}
	var buf bytes.Buffer
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
		it.Link = hrefAttr(it.URL) + it.Attr
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
func splitSlots(html string) *sidebar {
	f := &sidebar{}
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

// sidebarCache shares rendered sidebars between builds. Builds that differ
// only in pages far from a section see the same sidebar there; rendering
// it once saves most of the template work sidebars cost.
type sidebarCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]*sidebar
}

// sidebar renders items with partials/sidebar.html, or returns the
// rendering of identical items. Items are keyed by a SHA-256 of every
// field the template can see, so two builds share a sidebar only when its
// input is the same: nothing of one build reaches another.
func (r *Renderer) sidebar(items []*NavItem) (*sidebar, error) {
	h := sha256.New()
	hashItems(h, items, make([]byte, 0, 256))
	var key [sha256.Size]byte
	h.Sum(key[:0])
	r.sidebars.mu.Lock()
	side, ok := r.sidebars.m[key]
	r.sidebars.mu.Unlock()
	if ok {
		return side, nil
	}
	var buf bytes.Buffer
	if err := r.th.sidebar.Execute(&buf, items); err != nil {
		return nil, fmt.Errorf("render: theme partials/sidebar.html: %w", err)
	}
	side = splitSlots(buf.String())
	r.sidebars.mu.Lock()
	if r.sidebars.m == nil {
		r.sidebars.m = map[[sha256.Size]byte]*sidebar{}
	}
	r.sidebars.m[key] = side
	r.sidebars.mu.Unlock()
	return side, nil
}

// hashItems writes an unambiguous encoding of items to h: every string
// length-prefixed, each list closed.
func hashItems(h hash.Hash, items []*NavItem, b []byte) {
	for _, it := range items {
		b = b[:0]
		b = append(b, '(')
		for _, s := range []string{it.Title, it.URL, string(it.Attr), string(it.Link)} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = append(b, flag(it.Section), flag(it.Open))
		h.Write(b)
		hashItems(h, it.Children, b)
	}
	h.Write([]byte{')'})
}

func flag(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// hrefAttr is the attribute href="url", escaped. The renderer's URLs are
// root-relative or relative paths (relURL never yields a scheme), so they
// need no filtering, only attribute escaping.
func hrefAttr(url string) template.HTMLAttr {
	return template.HTMLAttr(`href="` + html.EscapeString(url) + `"`)
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
