package markdown

import (
	"bytes"
	"slices"
)

// Resolver maps link destinations to targets. The build package implements
// it over the content tree.
type Resolver interface {
	// Resolve is called once for every link, image, URL autolink and (when Unsafe) raw-HTML URL
	// attribute, with the destination decoded as a browser reads the written href (escapes and
	// character references resolved, surrounding spaces, tabs and line breaks removed; percent-
	// encoding kept), and the 1-based line of the destination in src. For an internal target it returns the href to
	// write (already relative and with #fragment/?query kept) and the target id (>= 0). ok=false means
	// "leave the destination exactly as written" (external URL, pure #fragment, or broken: the resolver
	// reports broken ones itself).
	Resolve(dest string, line int) (href string, target int, ok bool)
	// Names reports whether ref, a word found in a raw-HTML attribute that
	// is not a known URL attribute, names a page or file of the site
	// (visible to anyone or not). It never reports anything itself.
	Names(ref string) bool
}

// Heading is one heading of a Doc, for a table of contents.
type Heading struct {
	// Level is 1 to 6.
	Level int
	// ID is the heading's id attribute, unique within the Doc.
	ID string
	// Text is the heading's plain text, not HTML-escaped.
	Text string
}

// Doc is one converted page: its headings and its body, pre-rendered into
// pieces and slots that Render assembles for one audience at a time. A Doc
// is immutable after Convert and safe for concurrent Render calls.
type Doc struct {
	// Title is the plain text of the first level-1 heading, else of the
	// first heading; "" if none.
	Title string
	// Headings holds every heading in document order.
	Headings []Heading

	buf     []byte    // every piece, back to back; nil when packed
	packed  []byte    // buf compressed (see pack), or nil
	n       int       // len(buf)
	ops     []op      // the program Render runs
	conds   []int     // target lists of drop ops, indexed by op.c:op.d
	targets []int     // distinct slot targets, ascending
	size    int       // bytes written when every target is visible
	sum     [2]uint64 // Sum, set by seal
}

// opKind says what one op of a Doc's program does.
type opKind uint8

const (
	// opText writes buf[a:b].
	opText opKind = iota
	// opAlt writes buf[a:b] when target is visible, else buf[c:d].
	opAlt
	// opFill writes buf[a:b], the escaped title of target and buf[c:d]
	// when target is visible, else nothing.
	opFill
	// opDropAll writes buf[a:b] and skips the next skip ops when every
	// target in conds[c:d] is hidden.
	opDropAll
	// opDropAny writes buf[a:b] and skips the next skip ops when any
	// target in conds[c:d] is hidden.
	opDropAny
)

// op is one step of a Doc's program.
type op struct {
	kind       opKind
	target     int32
	a, b, c, d int32
	skip       int32
}

// Render appends the body HTML for one audience. visible(target) says whether a target is in the
// audience's build; title(target) is the target's title, used only to fill a link whose text is
// empty (e.g. `[](b.md)`), and only when the target is visible.
// A nil visible hides every target; a nil title fills with nothing.
func (d *Doc) Render(w *bytes.Buffer, visible func(target int) bool, title func(target int) string) {
	if visible == nil {
		visible = hideAll
	}
	w.Grow(d.size)
	buf, done := d.pieces()
	defer done()
	for i := 0; i < len(d.ops); i++ {
		o := &d.ops[i]
		switch o.kind {
		case opText:
			w.Write(buf[o.a:o.b])
		case opAlt:
			if visible(int(o.target)) {
				w.Write(buf[o.a:o.b])
			} else {
				w.Write(buf[o.c:o.d])
			}
		case opFill:
			if visible(int(o.target)) {
				w.Write(buf[o.a:o.b])
				if title != nil {
					escapeTo(w, title(int(o.target)))
				}
				w.Write(buf[o.c:o.d])
			}
		case opDropAll, opDropAny:
			if d.drops(o, visible) {
				w.Write(buf[o.a:o.b])
				i += int(o.skip)
			}
		}
	}
}

// drops reports whether a drop op's condition holds for an audience.
func (d *Doc) drops(o *op, visible func(int) bool) bool {
	dropOnAny := o.kind == opDropAny
	for _, t := range d.conds[o.c:o.d] {
		if visible(t) != dropOnAny {
			return dropOnAny
		}
	}
	return !dropOnAny
}

// LinksIn lists, ascending and distinct, the targets a body rendered for
// one audience (visible as for Render) links to: those of the link slots
// (links, images, autolinks, raw-HTML href-like attributes) that Render
// writes as links. A target a label only names, a hidden one, and one of
// a slot inside a group that drops for that audience are left out.
func (d *Doc) LinksIn(visible func(target int) bool) []int {
	if visible == nil {
		visible = hideAll
	}
	var out []int
	for i := 0; i < len(d.ops); i++ {
		o := &d.ops[i]
		switch o.kind {
		case opAlt, opFill:
			if visible(int(o.target)) {
				out = append(out, int(o.target))
			}
		case opDropAll, opDropAny:
			if d.drops(o, visible) {
				i += int(o.skip)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Targets lists the distinct target ids of all slots, sorted ascending.
func (d *Doc) Targets() []int {
	return slices.Clone(d.targets)
}

func hideAll(int) bool { return false }

// escapeTo writes s HTML-escaped, without allocating.
func escapeTo(w *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}
