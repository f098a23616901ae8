package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// slotRenderer wraps goldmark's HTML renderers for the node kinds that can
// be or hold a slot. Goldmark's functions still write the HTML; the wrappers
// cut the output into pieces and record slots and drop groups in the
// builder. It keeps no per-document state, so one instance serves
// concurrent conversions.
type slotRenderer struct {
	base  *html.Renderer
	table *extension.TableHTMLRenderer
}

func newSlotRenderer() *slotRenderer {
	return &slotRenderer{
		base:  html.NewRenderer().(*html.Renderer),
		table: extension.NewTableHTMLRenderer().(*extension.TableHTMLRenderer),
	}
}

// SetOption implements renderer.SetOptioner, so the wrapped renderers see
// the same options as goldmark's own.
func (r *slotRenderer) SetOption(name renderer.OptionName, value any) {
	r.base.SetOption(name, value)
	r.table.SetOption(name, value)
}

// funcTable captures the functions a NodeRenderer registers.
type funcTable map[ast.NodeKind]renderer.NodeRendererFunc

// Register implements renderer.NodeRendererFuncRegisterer.
func (t funcTable) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { t[k] = f }

// RegisterFuncs implements renderer.NodeRenderer.
func (r *slotRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	t := funcTable{}
	r.base.RegisterFuncs(t)
	r.table.RegisterFuncs(t)
	reg.Register(ast.KindLink, r.link(t[ast.KindLink]))
	reg.Register(ast.KindImage, r.image(t[ast.KindImage]))
	reg.Register(ast.KindAutoLink, r.autoLink(t[ast.KindAutoLink]))
	reg.Register(ast.KindHeading, heading(t[ast.KindHeading]))
	for _, k := range []ast.NodeKind{
		ast.KindParagraph, ast.KindTextBlock, ast.KindList, ast.KindListItem, ast.KindBlockquote,
	} {
		reg.Register(k, container(t[k]))
	}
	reg.Register(extast.KindTableCell, tableCell(t[extast.KindTableCell]))
	reg.Register(ast.KindRawHTML, r.rawInline(t[ast.KindRawHTML]))
	reg.Register(ast.KindHTMLBlock, r.rawBlock(t[ast.KindHTMLBlock]))
}

// link renders a markdown link: its start and end tags are slots, and a
// link with empty text is filled with the target's title. A link whose
// text names targets (labelTargets) is also wrapped in a group that drops
// it whole.
func (r *slotRenderer) link(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	inner := r.linkSlots(base)
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := w.(*builder)
		if !ok {
			return base(w, src, node, entering)
		}
		if entering {
			if ts := b.labelTargets(node); len(ts) > 0 {
				b.open[node] = b.openGroup(opDropAny, ts)
			}
			return inner(w, src, node, entering)
		}
		st, err := inner(w, src, node, entering)
		if g, ok := b.open[node]; ok {
			b.closeGroup(g)
			delete(b.open, node)
		}
		return st, err
	}
}

// linkSlots renders a link's start and end tags as slots.
func (r *slotRenderer) linkSlots(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b := w.(*builder)
		n := node.(*ast.Link)
		s := b.slot(n)
		if !s.ok {
			return base(w, src, node, entering)
		}
		empty := blankLabel(n, src)
		if entering {
			n.Destination = []byte(s.href)
			start := b.cut()
			st, err := base(w, src, node, true)
			if err != nil || !empty {
				b.alt(s.target, start)
				return st, err
			}
			mid := len(b.buf)
			st, err = base(w, src, node, false)
			b.fill(s.target, start, mid)
			return ast.WalkSkipChildren, err
		}
		if empty {
			return ast.WalkContinue, nil
		}
		start := b.cut()
		st, err := base(w, src, node, false)
		b.alt(s.target, start)
		return st, err
	}
}

// blankLabel reports whether a link has no text of its own.
func blankLabel(n ast.Node, src []byte) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok || !util.IsBlank(t.Segment.Value(src)) {
			return false
		}
	}
	return true
}

// image renders a markdown image as one slot: all or nothing. An image
// whose alt text names targets (labelTargets) drops with any of them too.
func (r *slotRenderer) image(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := w.(*builder)
		if !ok || !entering {
			return base(w, src, node, entering)
		}
		n := node.(*ast.Image)
		g := -1
		if ts := b.labelTargets(n); len(ts) > 0 {
			g = b.openGroup(opDropAny, ts)
		}
		s := b.slot(n)
		var st ast.WalkStatus
		var err error
		if s.ok {
			n.Destination = []byte(s.href)
			start := b.cut()
			st, err = base(w, src, node, true)
			b.alt(s.target, start)
		} else {
			st, err = base(w, src, node, true)
		}
		if g >= 0 {
			b.closeGroup(g)
		}
		return st, err
	}
}

// autoLink renders an autolink ("<https://…>" or a bare URL) that names
// the site as one slot, all or nothing: its text is the URL itself, so a
// hidden target takes it along. A visible one keeps its text as written
// and gets the resolver's href.
func (r *slotRenderer) autoLink(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := w.(*builder)
		if !ok || !entering {
			return base(w, src, node, entering)
		}
		n := node.(*ast.AutoLink)
		s := b.slot(n)
		if !s.ok {
			return base(w, src, node, entering)
		}
		start := b.cut()
		_, _ = w.WriteString(`<a href="`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(s.href), false)))
		_, _ = w.WriteString(`">`)
		_, _ = w.Write(util.EscapeHTML(n.Label(src)))
		_, _ = w.WriteString(`</a>`)
		b.alt(s.target, start)
		return ast.WalkContinue, nil
	}
}

// container wraps a block that drops as a whole when its content does.
func container(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := w.(*builder)
		if !ok {
			return base(w, src, node, entering)
		}
		if entering {
			b.openNodeGroup(node)
			return base(w, src, node, entering)
		}
		st, err := base(w, src, node, entering)
		b.closeNodeGroup(node)
		return st, err
	}
}

// tableCell wraps a table cell: when its content drops, an empty cell with
// the same start tag stays so the columns keep their places.
func tableCell(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := w.(*builder)
		if !ok {
			return base(w, src, node, entering)
		}
		if entering {
			if !b.openNodeGroup(node) {
				return base(w, src, node, entering)
			}
			start := len(b.buf)
			st, err := base(w, src, node, entering)
			b.topGroup(node).open = [2]int{start, len(b.buf)}
			return st, err
		}
		g := b.topGroup(node)
		if g == nil {
			return base(w, src, node, entering)
		}
		open := g.open
		start := len(b.buf)
		st, err := base(w, src, node, entering)
		end := len(b.buf)
		b.closeNodeGroup(node, b.buf[open[0]:open[1]], b.buf[start:end])
		return st, err
	}
}

// heading adds an anchor link to headings that have an id: for the
// mouse, hidden from assistive technology (it would read "#" after every
// heading) and so out of the keyboard's tab order too. A removable raw
// HTML element still open before a heading drops alone: the table of
// contents, the same in every build, lists every heading, so none may lie
// in what a build drops.
func heading(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if b, ok := w.(*builder); ok && entering {
			b.rawOpen = nil
		}
		if !entering {
			if id, ok := node.AttributeString("id"); ok {
				if v, ok := id.([]byte); ok && len(v) > 0 {
					_, _ = w.WriteString(`<a class="anchor" href="#`)
					_, _ = w.Write(util.EscapeHTML(v))
					_, _ = w.WriteString(`" aria-hidden="true" tabindex="-1">#</a>`)
				}
			}
		}
		return base(w, src, node, entering)
	}
}

// rawInline renders inline raw HTML, resolving its references when raw
// HTML is on.
func (r *slotRenderer) rawInline(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := w.(*builder)
		if !ok || !entering || !r.base.Unsafe {
			return base(w, src, node, entering)
		}
		n := node.(*ast.RawHTML)
		segs := make([]text.Segment, n.Segments.Len())
		for i := range segs {
			segs[i] = n.Segments.At(i)
		}
		if elem := b.rawHTML(segs, n.Parent()); elem != "" && !closesNext(n, elem, src) {
			b.refuse(b.lineAt(segs[0].Start), "<%s> with inline content: its content can carry links facet cannot redact; move it to the theme", elem)
		}
		return ast.WalkSkipChildren, nil
	}
}

// closesNext reports whether the inline raw HTML right after n is the end
// tag of elem, so that the element has no content.
func closesNext(n ast.Node, elem string, src []byte) bool {
	next, ok := n.NextSibling().(*ast.RawHTML)
	if !ok || next.Segments.Len() == 0 {
		return false
	}
	seg := next.Segments.At(0)
	v := seg.Value(src)
	return len(v) >= len(elem)+2 && strings.EqualFold(string(v[:len(elem)+2]), "</"+elem)
}

// rawBlock renders an HTML block, its closing line included, resolving its
// references when raw HTML is on.
func (r *slotRenderer) rawBlock(base renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := w.(*builder)
		if !ok || !r.base.Unsafe {
			return base(w, src, node, entering)
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*ast.HTMLBlock)
		segs := make([]text.Segment, 0, n.Lines().Len()+1)
		for i := range n.Lines().Len() {
			segs = append(segs, n.Lines().At(i))
		}
		if n.HasClosure() {
			segs = append(segs, n.ClosureLine)
		}
		b.rawHTML(segs, n.Parent())
		return ast.WalkContinue, nil
	}
}

var (
	_ renderer.NodeRenderer = (*slotRenderer)(nil)
	_ renderer.SetOptioner  = (*slotRenderer)(nil)
)
