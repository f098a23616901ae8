package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"
)

// attrRole says what a raw-HTML attribute of a hidden target does.
type attrRole uint8

const (
	roleNone   attrRole = iota
	roleLose            // the attribute goes, the element stays (href, action)
	roleRemove          // the element goes (src, poster, object data)
	roleSrcset          // like roleRemove, with a list of candidates
)

// roleOf classifies attribute key of element tag.
func roleOf(tag, key string) attrRole {
	switch key {
	case "href", "xlink:href", "action", "formaction", "cite", "longdesc":
		return roleLose
	case "src", "poster", "data-src":
		return roleRemove
	case "srcset", "data-srcset":
		return roleSrcset
	case "data":
		if tag == "object" {
			return roleRemove
		}
	}
	return roleNone
}

// withContent lists the elements whose content goes with them when they are
// removed, up to the matching end tag in the same raw block.
var withContent = map[string]bool{
	"iframe": true, "video": true, "audio": true, "object": true, "script": true,
}

// rawAttr is one attribute of a raw start tag, with its resolved slots.
type rawAttr struct {
	key, val string
	role     attrRole
	slots    []slot   // one per URL (several for srcset)
	parts    []string // srcset descriptors, one per slot
}

// rawElem is a removable element whose end tag has not been seen yet.
type rawElem struct {
	name   string
	group  int // its drop op
	tagEnd int // op index just past its start tag
	depth  int // nested elements of the same name
}

// rawHTML writes raw HTML made of segments of the source, turning href/src
// references into slots. Everything else is copied byte for byte.
func (b *builder) rawHTML(segs []text.Segment) {
	var raw []byte
	for _, s := range segs {
		raw = append(raw, s.Value(b.src)...)
	}
	z := html.NewTokenizer(bytes.NewReader(raw))
	var open []rawElem
	end := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		start := end
		end += len(z.Raw())
		tok := raw[start:end]
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			b.rawStartTag(z, tt, tok, segs, start, &open)
		case html.EndTagToken:
			b.secureWrite(tok)
			name, _ := z.TagName()
			if k := len(open) - 1; k >= 0 && open[k].name == string(name) {
				if open[k].depth > 0 {
					open[k].depth--
				} else {
					b.closeGroup(open[k].group)
					open = open[:k]
				}
			}
		default:
			b.secureWrite(tok)
		}
	}
	b.secureWrite(raw[end:])
	// An element whose end tag lies outside this block drops alone.
	for k := len(open) - 1; k >= 0; k-- {
		b.cut()
		b.ops[open[k].group].skip = open[k].tagEnd - open[k].group - 1
	}
}

// srcPos maps an offset in the concatenated values of segs back to src.
// A value starts with Padding spaces that are not in the source.
func srcPos(src []byte, segs []text.Segment, off int) int {
	for _, s := range segs {
		n := len(s.Value(src))
		if off < n {
			return s.Start + max(off-s.Padding, 0)
		}
		off -= n
	}
	if len(segs) > 0 {
		return segs[len(segs)-1].Stop
	}
	return 0
}

// rawStartTag writes one start tag, found at offset start of the raw
// text made of segs. A tag without internal references is copied as
// written; otherwise it is written again by writeTag.
func (b *builder) rawStartTag(z *html.Tokenizer, tt html.TokenType, tok []byte, segs []text.Segment, start int, open *[]rawElem) {
	nameB, hasAttr := z.TagName()
	name := string(nameB)
	var attrs []rawAttr
	resolved := false
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		a := rawAttr{key: string(k), val: string(v), role: roleOf(name, string(k))}
		if a.role != roleNone {
			at := start
			if i := bytes.Index(tok, v); i >= 0 && len(v) > 0 {
				at += i
			}
			resolved = b.resolveAttr(&a, srcPos(b.src, segs, at)) || resolved
		}
		attrs = append(attrs, a)
	}
	if resolved {
		b.writeTag(name, attrs, tt, open)
		return
	}
	b.secureWrite(tok)
	if k := len(*open) - 1; k >= 0 && (*open)[k].name == name && tt == html.StartTagToken {
		(*open)[k].depth++
	}
}

// writeTag writes a start tag from its parsed attributes, each value
// escaped. An element with a src-like reference is wrapped in a drop group
// that holds when any of its targets is hidden; for an element with
// content the group stays open until its end tag.
func (b *builder) writeTag(name string, attrs []rawAttr, tt html.TokenType, open *[]rawElem) {
	var removal []int
	for _, a := range attrs {
		if a.role == roleRemove || a.role == roleSrcset {
			for _, s := range a.slots {
				if s.ok {
					removal = append(removal, s.target)
				}
			}
		}
	}
	g := -1
	if len(removal) > 0 {
		g = b.openGroup(opDropAny, removal)
	}
	b.buf = append(b.buf, '<')
	b.secureWrite([]byte(name))
	for _, a := range attrs {
		b.writeAttr(a)
	}
	if tt == html.SelfClosingTagToken {
		b.buf = append(b.buf, " />"...)
	} else {
		b.buf = append(b.buf, '>')
	}
	switch {
	case g < 0:
	case tt == html.StartTagToken && withContent[name]:
		b.cut()
		*open = append(*open, rawElem{name: name, group: g, tagEnd: len(b.ops)})
	default:
		b.closeGroup(g)
	}
}

// resolveAttr resolves the references of one attribute and reports whether
// any of them is internal.
func (b *builder) resolveAttr(a *rawAttr, at int) bool {
	if a.role != roleSrcset {
		s := b.resolve(strings.TrimSpace(a.val), at)
		a.slots = []slot{s}
		return s.ok
	}
	found := false
	for _, cand := range strings.Split(a.val, ",") {
		f := strings.Fields(cand)
		if len(f) == 0 {
			continue
		}
		s := b.resolve(f[0], at)
		a.slots = append(a.slots, s)
		a.parts = append(a.parts, strings.Join(f[1:], " "))
		if !s.ok {
			s.href = f[0]
			a.slots[len(a.slots)-1] = s
		}
		found = found || s.ok
	}
	return found
}

// writeAttr writes one attribute of a rewritten tag. An href-like
// reference becomes a slot that leaves the attribute out for a hidden
// target; src-like ones are covered by the element's drop group.
func (b *builder) writeAttr(a rawAttr) {
	val := a.val
	switch a.role {
	case roleLose:
		if s := a.slots[0]; s.ok {
			start := b.cut()
			b.appendAttr(a.key, s.href)
			b.alt(s.target, start)
			return
		}
	case roleRemove:
		if s := a.slots[0]; s.ok {
			val = s.href
		}
	case roleSrcset:
		var sb strings.Builder
		for i, s := range a.slots {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(s.href)
			if a.parts[i] != "" {
				sb.WriteByte(' ')
				sb.WriteString(a.parts[i])
			}
		}
		val = sb.String()
	}
	b.appendAttr(a.key, val)
}

// appendAttr writes ` key="value"` with the value escaped.
func (b *builder) appendAttr(key, val string) {
	b.buf = append(b.buf, ' ')
	b.secureWrite([]byte(key))
	b.buf = append(b.buf, `="`...)
	b.secureWrite([]byte(html.EscapeString(val)))
	b.buf = append(b.buf, '"')
}
