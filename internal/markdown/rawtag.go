package markdown

import (
	"strings"

	"golang.org/x/net/html"
)

// writeTag writes a start tag from its parsed attributes, each value
// escaped. An element with a src-like reference is wrapped in a drop group
// that holds when any of its targets is hidden; for an element with
// content the group stays open until its end tag.
func (b *builder) writeTag(name string, attrs []rawAttr, tt html.TokenType, open *[]rawElem) {
	var removal []int
	for _, a := range attrs {
		if a.role == roleRemove || a.role == roleSrcset || a.role == roleRefresh {
			removal = append(removal, targets(a.slots)...)
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

// targets lists the targets of the internal slots among ss.
func targets(ss []slot) []int {
	var ts []int
	for _, s := range ss {
		if s.ok {
			ts = append(ts, s.target)
		}
	}
	return ts
}

// writeAttr writes one attribute of a rewritten tag. An href-like
// reference or list leaves the attribute out when a target is hidden;
// src-like ones are covered by the element's drop group.
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
	case roleRefresh:
		if len(a.slots) > 0 && a.slots[0].ok {
			val = a.parts[0] + a.slots[0].href
		}
	case roleSrcset:
		val = joinList(a, ", ")
	case roleList:
		if ts := targets(a.slots); len(ts) > 0 {
			g := b.openGroup(opDropAny, ts)
			b.appendAttr(a.key, joinList(a, " "))
			b.closeGroup(g)
			return
		}
	}
	b.appendAttr(a.key, val)
}

// joinList writes a list attribute's URLs (resolved hrefs for internal
// ones) back with their descriptors.
func joinList(a rawAttr, sep string) string {
	var sb strings.Builder
	for i, s := range a.slots {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteString(s.href)
		if a.parts[i] != "" {
			sb.WriteByte(' ')
			sb.WriteString(a.parts[i])
		}
	}
	return sb.String()
}

// appendAttr writes ` key="value"` with the value escaped.
func (b *builder) appendAttr(key, val string) {
	b.buf = append(b.buf, ' ')
	b.secureWrite([]byte(key))
	b.buf = append(b.buf, `="`...)
	b.secureWrite([]byte(html.EscapeString(val)))
	b.buf = append(b.buf, '"')
}
