package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// ruleRE matches a body line, trimmed (see strayLine), that only
// frontmatter would hold as an access rule: a TOML [access] table header in
// any spelling ("[access]", "[ access ]", "[access.x]", "[[access]]",
// `["access"]`), a TOML key assigning access or one of its keys
// ("access = {allow = [...]}", "access.allow =", `"access".deny =`), or a
// YAML or JSON "access:" key opening a mapping, a list or a comment.
var ruleRE = regexp.MustCompile(`^(?:` +
	`\[\[?\s*` + accessKey + `\s*(?:\.[^\]]*)?\]\]?\s*(?:#.*)?` +
	`|` + accessKey + `\s*(?:\.\s*[^=]+)?=.*` +
	`|` + accessKey + `\s*:\s*(?:[\[{#].*)?` +
	`)$`)

// accessKey is the key access or page_access, bare or quoted.
const accessKey = `(?:(?:page_)?access|"(?:page_)?access"|'(?:page_)?access')`

// blockParser parses block structure the way internal/markdown does (GFM
// and footnotes), to tell code from text.
var blockParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote)).Parser()
})

// strayFrontmatter finds the first line of body, outside code blocks and
// HTML blocks, that only frontmatter would hold: the first line of a pair
// of +++ lines (a lone +++ is text), or an access rule line (see ruleRE).
// Lines are compared trimmed (see strayLine), so spaces, a BOM or an
// invisible character before a fence do not hide it. Such rules in the
// body would be rendered as text and silently ignored, so they are an
// error; a page that shows them does so in a code block. It returns the
// 1-based line in body and the message, or 0.
func strayFrontmatter(body []byte) (line int, msg string) {
	if !bytes.Contains(body, []byte("+++")) && !bytes.Contains(body, []byte("access")) {
		return 0, ""
	}
	var code [][2]int
	parsed := false
	fences := 0
	firstFence, firstRule := -1, -1
	for off := 0; off < len(body); {
		end := lineEnd(body, off)
		t := strayLine(body[off:end])
		isFence := t == "+++"
		isRule := strings.Contains(t, "access") && ruleRE.MatchString(t)
		if isFence || isRule && firstRule < 0 {
			if !parsed {
				code, parsed = codeSpans(body), true
			}
			switch {
			case overlaps(code, off, end):
			case isFence:
				if fences++; firstFence < 0 {
					firstFence = off
				}
			default:
				firstRule = off
			}
		}
		off = end
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

// strayLine is a body line as strayFrontmatter compares it: without
// blockquote markers, white space and invisible characters (BOM, zero-width
// and other format characters) at either end.
func strayLine(line []byte) string {
	t := strings.TrimFunc(string(line), invisible)
	for strings.HasPrefix(t, ">") {
		t = strings.TrimFunc(t[1:], invisible)
	}
	return t
}

// invisible reports whether r shows as nothing: white space, or a format
// character such as a BOM or a zero-width space.
func invisible(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }

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

// StrayRule is the check a page body passes before it is built: the
// 1-based line of the first line outside code that only frontmatter would
// hold (a +++ pair, an access rule in any spelling), and why; 0 when there
// is none. Tools that write pages (the Confluence import) use it to keep
// such text from stopping the build.
func StrayRule(body []byte) (line int, msg string) { return strayFrontmatter(body) }
