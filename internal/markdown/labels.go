package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// labelTargets returns the targets that the text of a link or image (its
// label or alt text) names by URL or path: "[https://example.com/docs/x/](…)",
// "[x.md](x.md)". Such text is the target's URL, not the author's words
// about it, so the link goes as a whole, text included, from a build that
// lacks any of them, as an autolink does. Words are found as in raw-HTML
// attributes (probeWords): runs holding a slash, dot, backslash, percent
// sign or colon.
func (b *builder) labelTargets(n ast.Node) []int {
	if b.res == nil {
		return nil
	}
	if ts, ok := b.labels[n]; ok {
		return ts
	}
	var sb strings.Builder
	plainText(&sb, n, b.src, nil)
	var ts []int
	for _, w := range probeWords(sb.String()) {
		w = strings.TrimRight(cleanURL(w), ".,;:!?")
		if w == "" || !b.res.Names(w) {
			continue
		}
		if _, t, ok := b.res.Resolve(w, b.lineAt(max(n.Pos(), blockPos(n)))); ok && t >= 0 {
			ts = append(ts, t)
		}
	}
	b.labels[n] = ts
	return ts
}

// labelNames reports whether a link's text names a page or file of the
// site (see labelTargets): a heading leaves such text out of its id and
// its entry in the table of contents, which every build shares.
func (b *builder) labelNames(n ast.Node) bool { return len(b.labelTargets(n)) > 0 }
