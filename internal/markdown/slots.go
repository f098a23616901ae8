package markdown

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// slot resolves a link, image or autolink node once and remembers the
// answer. The destination goes to the Resolver decoded (decodeDest); an
// autolink's URL has no escapes to decode.
func (b *builder) slot(n ast.Node) slot {
	if s, ok := b.slots[n]; ok {
		return s
	}
	var raw []byte
	var dest string
	var ref *ast.ReferenceLink
	switch v := n.(type) {
	case *ast.Link:
		raw, ref = v.Destination, v.Reference
		dest = decodeDest(raw)
	case *ast.Image:
		raw, ref = v.Destination, v.Reference
		dest = decodeDest(raw)
	case *ast.AutoLink:
		if v.AutoLinkType == ast.AutoLinkURL {
			raw = v.URL(b.src)
			dest = cleanURL(string(raw))
		}
	}
	var s slot
	if dest != "" && b.res != nil {
		line := b.destLine(n, raw, ref)
		if b.unsafe && scriptURL(dest) {
			b.refuse(line, "a %s URL runs script, which can carry links facet cannot redact: move the script to the theme", scheme(dest))
		}
		s.href, s.target, s.ok = b.res.Resolve(dest, line)
		s.ok = s.ok && s.target >= 0
	}
	b.slots[n] = s
	return s
}

// scheme returns the lower-cased "scheme:" of a URL that has one.
func scheme(u string) string {
	if i := strings.IndexByte(u, ':'); i >= 0 {
		return strings.ToLower(u[:i+1])
	}
	return ""
}

// resolve asks the Resolver about a raw-HTML reference, as the tokenizer
// decoded it (character references resolved), cleaned by cleanURL. A
// script URL is refused.
func (b *builder) resolve(dest string, pos int) slot {
	var s slot
	dest = cleanURL(dest)
	if dest != "" && b.res != nil {
		if scriptURL(dest) {
			b.refuse(b.lineAt(pos), "a %s URL runs script, which can carry links facet cannot redact: move the script to the theme", scheme(dest))
		}
		s.href, s.target, s.ok = b.res.Resolve(dest, b.lineAt(pos))
		s.ok = s.ok && s.target >= 0
	}
	return s
}

// refuse records that the construct at line is refused.
func (b *builder) refuse(line int, format string, args ...any) {
	b.refused = append(b.refused, Refusal{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// destLine finds the line of a link's destination: the definition's line
// for a reference link, else the line where "](dest" follows the link.
func (b *builder) destLine(n ast.Node, dest []byte, ref *ast.ReferenceLink) int {
	if ref != nil {
		if p, ok := b.definition(ref.Value); ok {
			return b.lineAt(p)
		}
	}
	p := n.Pos()
	if p < 0 {
		p = blockPos(n)
	}
	if a, auto := n.(*ast.AutoLink); auto {
		if q := bytes.Index(b.src[min(p, len(b.src)):], a.Label(b.src)); q >= 0 {
			p += q
		}
	} else if ref == nil {
		if q := findDest(b.src, p, dest); q >= 0 {
			p = q
		}
	}
	return b.lineAt(p)
}

// findDest returns the offset of dest in the first "](dest" or "](<dest"
// at or after p, or -1. It looks a bounded distance ahead.
func findDest(src []byte, p int, dest []byte) int {
	if p < 0 || p >= len(src) {
		return -1
	}
	limit := min(len(src), p+64<<10)
	for tries := 0; tries < 32; tries++ {
		k := bytes.Index(src[p:limit], []byte("]("))
		if k < 0 {
			return -1
		}
		j := p + k + 2
		for j < limit && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' || src[j] == '\r') {
			j++
		}
		if j < limit && src[j] == '<' {
			j++
		}
		if bytes.HasPrefix(src[j:limit], dest) {
			return j
		}
		p = p + k + 2
	}
	return -1
}

// blockPos is the start of the first line of n's nearest block with lines.
func blockPos(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

// definition returns where the reference definition for label starts.
func (b *builder) definition(label []byte) (int, bool) {
	if b.defs == nil {
		b.defs = map[string]int{}
		_ = ast.Walk(b.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if d, ok := n.(*ast.LinkReferenceDefinition); ok && entering {
				key := string(util.ToLinkReference(d.Label))
				if _, dup := b.defs[key]; !dup {
					b.defs[key] = d.Pos()
				}
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	p, ok := b.defs[string(util.ToLinkReference(label))]
	return p, ok && p >= 0
}

// lineAt is the 1-based line of byte offset p in src.
func (b *builder) lineAt(p int) int {
	if b.nl == nil {
		b.nl = make([]int, 0, 64)
		for i, c := range b.src {
			if c == '\n' {
				b.nl = append(b.nl, i)
			}
		}
	}
	return sort.SearchInts(b.nl, p) + 1
}

// cond returns the targets that must all be hidden for container n to drop
// with its content, or nil when n never drops. A paragraph, tight list
// text or table cell drops when its only content (whitespace and a task
// checkbox aside) is a link or image with a target, possibly inside
// emphasis; a list item, list, blockquote, callout, tab or tab set drops
// when all its children do.
func (b *builder) cond(n ast.Node) []int {
	if c, ok := b.cmemo[n]; ok {
		return c
	}
	var c []int
	switch n.Kind() {
	case ast.KindParagraph, ast.KindTextBlock, extast.KindTableCell:
		c = b.inlineCond(n)
	case ast.KindListItem, ast.KindList, ast.KindBlockquote, KindAlert, KindTab, KindTabSet:
		c = b.blockCond(n)
	}
	b.cmemo[n] = c
	return c
}

func (b *builder) blockCond(n ast.Node) []int {
	if n.FirstChild() == nil {
		return nil
	}
	var all []int
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		cc := b.cond(c)
		if cc == nil {
			return nil
		}
		all = append(all, cc...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

func (b *builder) inlineCond(n ast.Node) []int {
	var only ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if b.ignorable(c) {
			continue
		}
		if only != nil {
			return nil
		}
		only = c
	}
	switch only.(type) {
	case *ast.Link, *ast.Image, *ast.AutoLink:
		if s := b.slot(only); s.ok {
			return []int{s.target}
		}
	case *ast.Emphasis, *extast.Strikethrough:
		return b.inlineCond(only)
	}
	return nil
}

// ignorable reports whether an inline does not count as content: blank
// text or a task-list checkbox.
func (b *builder) ignorable(n ast.Node) bool {
	switch v := n.(type) {
	case *ast.Text:
		return util.IsBlank(v.Segment.Value(b.src))
	case *ast.String:
		return util.IsBlank(v.Value)
	case *extast.TaskCheckBox:
		return true
	}
	return false
}
