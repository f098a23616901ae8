package markdown

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// builder is the state of one Convert. Goldmark's renderer writes into it as
// into any util.BufWriter; the slot renderer cuts what was written into
// pieces and records ops around them.
type builder struct {
	doc  *Doc
	src  []byte
	root ast.Node
	res  Resolver

	unsafe  bool      // raw HTML reaches the output
	refused []Refusal // raw HTML refused, in the order found

	buf   []byte
	ops   []op
	conds []int
	mark  int // start of the text not yet covered by an op

	groups []nodeGroup // drop groups of nodes being rendered

	// rawOpen holds, by parent node, the removable raw HTML elements
	// whose end tag a later raw HTML node of that parent may hold.
	rawOpen map[ast.Node][]rawElem

	slots  map[ast.Node]slot  // resolved links and images
	labels map[ast.Node][]int // targets named by link text (labelTargets)
	open   map[ast.Node]int   // drop groups of links whose text names targets
	cmemo  map[ast.Node][]int // drop conditions of containers; nil: never drops
	defs   map[string]int     // reference label -> definition position
	nl     []int              // offsets of '\n' in src
}

// nodeGroup is a drop group opened when rendering of node began.
type nodeGroup struct {
	node ast.Node
	op   int
	// open is the range of the node's start tag, for table cells.
	open [2]int
}

// slot is a link or image destination as the Resolver answered it.
type slot struct {
	href   string
	target int
	ok     bool
}

func newBuilder(d *Doc, src []byte, root ast.Node, r Resolver, unsafe bool) *builder {
	return &builder{
		doc:    d,
		src:    src,
		root:   root,
		res:    r,
		unsafe: unsafe,
		buf:    make([]byte, 0, len(src)+len(src)/2+64),
		slots:  map[ast.Node]slot{},
		labels: map[ast.Node][]int{},
		open:   map[ast.Node]int{},
		cmemo:  map[ast.Node][]int{},
	}
}

// Write implements io.Writer.
func (b *builder) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// WriteString implements util.BufWriter.
func (b *builder) WriteString(s string) (int, error) {
	b.buf = append(b.buf, s...)
	return len(s), nil
}

// WriteByte implements util.BufWriter.
func (b *builder) WriteByte(c byte) error {
	b.buf = append(b.buf, c)
	return nil
}

// WriteRune implements util.BufWriter.
func (b *builder) WriteRune(r rune) (int, error) {
	n := len(b.buf)
	b.buf = utf8.AppendRune(b.buf, r)
	return len(b.buf) - n, nil
}

// Available implements util.BufWriter; the buffer grows as needed.
func (b *builder) Available() int { return cap(b.buf) - len(b.buf) }

// Buffered implements util.BufWriter.
func (b *builder) Buffered() int { return len(b.buf) }

// Flush implements util.BufWriter; there is nothing to flush.
func (b *builder) Flush() error { return nil }

// cut closes the pending text into an op and returns the current offset,
// where the next piece starts.
func (b *builder) cut() int {
	if len(b.buf) > b.mark {
		b.ops = append(b.ops, op{kind: opText, a: int32(b.mark), b: int32(len(b.buf))})
	}
	b.mark = len(b.buf)
	return b.mark
}

// alt records that buf[start:] (up to now) is written only when target is
// visible; a hidden target writes nothing in its place.
func (b *builder) alt(target, start int) {
	end := len(b.buf)
	b.ops = append(b.ops, op{kind: opAlt, target: int32(target), a: int32(start), b: int32(end), c: int32(end), d: int32(end)})
	b.mark = end
}

// fill records an empty link: buf[start:mid] opens it and buf[mid:] closes
// it; the target's title goes between when the target is visible.
func (b *builder) fill(target, start, mid int) {
	end := len(b.buf)
	b.ops = append(b.ops, op{kind: opFill, target: int32(target), a: int32(start), b: int32(mid), c: int32(mid), d: int32(end)})
	b.mark = end
}

// openGroup starts a drop group over the ops that follow and returns its
// op index. kind is opDropAll or opDropAny.
func (b *builder) openGroup(kind opKind, cond []int) int {
	b.cut()
	c := len(b.conds)
	b.conds = append(b.conds, cond...)
	b.ops = append(b.ops, op{kind: kind, c: int32(c), d: int32(len(b.conds))})
	return len(b.ops) - 1
}

// closeGroup ends the drop group at op index g, setting the replacement
// written when it drops (alt, possibly empty).
func (b *builder) closeGroup(g int, alt ...[]byte) {
	b.cut()
	b.ops[g].skip = int32(len(b.ops) - g - 1)
	start := len(b.buf)
	for _, p := range alt {
		b.buf = append(b.buf, p...)
	}
	b.ops[g].a, b.ops[g].b = int32(start), int32(len(b.buf))
	b.mark = len(b.buf)
}

// openNodeGroup starts a drop group for node when it has a condition.
func (b *builder) openNodeGroup(n ast.Node) bool {
	c := b.cond(n)
	if c == nil {
		return false
	}
	b.groups = append(b.groups, nodeGroup{node: n, op: b.openGroup(opDropAll, c)})
	return true
}

// topGroup returns the innermost open group when it belongs to n.
func (b *builder) topGroup(n ast.Node) *nodeGroup {
	if len(b.groups) == 0 || b.groups[len(b.groups)-1].node != n {
		return nil
	}
	return &b.groups[len(b.groups)-1]
}

// closeNodeGroup ends n's drop group, if it has one.
func (b *builder) closeNodeGroup(n ast.Node, alt ...[]byte) {
	if g := b.topGroup(n); g != nil {
		b.closeGroup(g.op, alt...)
		b.groups = b.groups[:len(b.groups)-1]
	}
}

// secureWrite writes p with NUL bytes replaced, as goldmark does for raw
// HTML.
func (b *builder) secureWrite(p []byte) {
	for {
		i := bytes.IndexByte(p, 0)
		if i < 0 {
			b.buf = append(b.buf, p...)
			return
		}
		b.buf = append(b.buf, p[:i]...)
		b.buf = append(b.buf, "\ufffd"...)
		p = p[i+1:]
	}
}

// finish moves the program into the Doc.
func (b *builder) finish() {
	b.cut()
	d := b.doc
	// A Doc lives as long as the build: keep its pieces and ops without
	// the room left over from growing them (the buffer starts at 1.5
	// times the source, and appends double it).
	d.buf, d.ops, d.conds = tight(b.buf), tight(b.ops), b.conds
	d.size = len(b.buf)
	d.pack()
	var ts []int
	for _, o := range b.ops {
		if o.kind == opAlt || o.kind == opFill {
			ts = append(ts, int(o.target))
		}
	}
	ts = append(ts, b.conds...)
	slices.Sort(ts)
	d.targets = slices.Compact(ts)
	d.seal()
}

// tight returns s, copied into a slice of its own length when more than
// an eighth of its capacity is unused.
func tight[T any](s []T) []T {
	if cap(s)-len(s) <= len(s)/8 {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}

var _ util.BufWriter = (*builder)(nil)
