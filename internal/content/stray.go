package content

import (
	"bytes"
	"fmt"
	"regexp"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// strayRE matches a body line that only frontmatter would hold: a +++
// fence, a TOML [access] table header in any spelling ("[access]",
// "[ access ]", "[access.x]", "[[access]]", `["access"]`), a dotted
// "access.allow =" key, or a YAML "access:" mapping.
var strayRE = regexp.MustCompile(`(?m)^[ \t]*(?:` +
	`(\+\+\+)[ \t]*` +
	`|\[\[?[ \t]*(?:access|"access"|'access')[ \t]*(?:\.[^\]\n]*)?\]\]?[ \t]*(?:#.*)?` +
	`|access[ \t]*\.[ \t]*(?:allow|grant|deny)[ \t]*=.*` +
	`|access[ \t]*:[ \t]*(?:#.*)?` +
	`)\r?$`)

// blockParser parses block structure the way internal/markdown does (GFM
// and footnotes), to tell code from text.
var blockParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote)).Parser()
})

// strayFrontmatter finds the first line of body, outside code blocks and
// HTML blocks, that only frontmatter would hold: the first line of a pair
// of +++ lines (a lone +++ is text), or an access rule line (see strayRE). Such rules
// in the body would be rendered as text and silently ignored, so they are
// an error; a page that shows them does so in a code block. It returns the
// 1-based line in body and the message, or 0.
func strayFrontmatter(body []byte) (line int, msg string) {
	if !bytes.Contains(body, []byte("+++")) && !bytes.Contains(body, []byte("access")) {
		return 0, ""
	}
	found := strayRE.FindAllSubmatchIndex(body, -1)
	if found == nil {
		return 0, ""
	}
	code := codeSpans(body)
	fences := 0
	firstFence, firstRule := -1, -1
	for _, m := range found {
		switch {
		case overlaps(code, m[0], m[1]):
		case m[2] >= 0:
			if fences++; firstFence < 0 {
				firstFence = m[0]
			}
		case firstRule < 0:
			firstRule = m[0]
		}
	}
	if fences >= 2 && (firstRule < 0 || firstFence < firstRule) {
		return lineAt(body, firstFence), "a +++ fenced block in the body: frontmatter must open the file " +
			"(only blank lines may come before it), or its rules are ignored; to show one, put it in a code block"
	}
	if firstRule >= 0 {
		what := bytes.TrimSpace(body[firstRule:lineEnd(body, firstRule)])
		return lineAt(body, firstRule), fmt.Sprintf("%q in the body: access rules belong in the frontmatter "+
			"between +++ lines at the top of the file, where they apply; to show them, put them in a code block", what)
	}
	return 0, ""
}

// lineAt returns the 1-based line of offset off in src.
func lineAt(src []byte, off int) int { return 1 + bytes.Count(src[:off], []byte("\n")) }

// codeSpans returns the byte ranges of body that code blocks and HTML
// blocks hold, as pairs of offsets.
func codeSpans(body []byte) [][2]int {
	var spans [][2]int
	doc := blockParser().Parse(text.NewReader(body))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindHTMLBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				spans = append(spans, [2]int{seg.Start, seg.Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return spans
}

// overlaps reports whether [start, end) shares a byte with a span.
func overlaps(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if s[0] < end && s[1] > start {
			return true
		}
	}
	return false
}
