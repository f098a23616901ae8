package markdown

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// headings gives every heading an id and lists them, and picks the title:
// the first level-1 heading, else the first heading.
//
// The ids come from the headings' plain text, not from goldmark's
// WithAutoHeadingID: that one slugs the source line, so a heading holding
// a link would carry the link's destination (a hidden page's file name)
// in its id.
//
// skip, when not nil, says which links leave their text out (see
// builder.labelNames).
func headings(root ast.Node, src []byte, skip func(ast.Node) bool) (string, []Heading) {
	var hs []Heading
	used := map[string]bool{}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		var sb strings.Builder
		plainText(&sb, h, src, skip)
		txt := strings.TrimSpace(sb.String())
		id := uniqueID(slug(txt), used)
		h.SetAttributeString("id", []byte(id))
		hs = append(hs, Heading{Level: h.Level, ID: id, Text: txt})
		return ast.WalkSkipChildren, nil
	})
	title := ""
	for i, h := range hs {
		if h.Level == 1 || i == 0 {
			title = h.Text
		}
		if h.Level == 1 {
			break
		}
	}
	return title, hs
}

// slug makes an id from text: letters and digits lowercased, spaces,
// hyphens and underscores as hyphens, everything else left out.
func slug(text string) string {
	var sb strings.Builder
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			sb.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '-' || r == '_':
			sb.WriteByte('-')
		}
	}
	if sb.Len() == 0 {
		return "heading"
	}
	return sb.String()
}

// uniqueID returns id, or id-1, id-2, ... when already used, and marks it
// used.
func uniqueID(id string, used map[string]bool) string {
	out := id
	for i := 1; used[out]; i++ {
		out = id + "-" + strconv.Itoa(i)
	}
	used[out] = true
	return out
}

// plainText writes the text of n's inlines without markup: code spans and
// link text are kept, raw HTML and image alt text are left out (an image of
// a hidden target drops with its alt text, and headings are shared by every
// build), escapes and entities resolved. A link for which skip reports
// true is left out too.
func plainText(sb *strings.Builder, n ast.Node, src []byte, skip func(ast.Node) bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch v := c.(type) {
		case *ast.Text:
			val := v.Segment.Value(src)
			if !v.IsRaw() {
				val = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(val)))
			}
			sb.Write(val)
			if v.SoftLineBreak() || v.HardLineBreak() {
				sb.WriteByte(' ')
			}
		case *ast.String:
			sb.Write(v.Value)
		case *ast.RawHTML, *ast.Image:
		case *ast.Link:
			if skip == nil || !skip(c) {
				plainText(sb, c, src, skip)
			}
		default:
			plainText(sb, c, src, skip)
		}
	}
}
