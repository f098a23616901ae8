package markdown

import (
	"bytes"
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// A ```mermaid block is a diagram: its source is written as escaped text in
// <pre class="fc-mermaid">, which the theme renders with mermaid. The only
// links a diagram makes are its click lines (`click A "url"`, `click A
// href "url" "tooltip"`): each URL goes to the Resolver like a markdown
// link, and a line whose target is hidden goes from the builds that do not
// hold it, as a link's text would. Other text is code (labels hold no
// links: mermaid's strict security level, which the theme sets, renders
// them as text).

// clickURL finds the URL of a mermaid click line: group 1 is the quoted
// URL.
var clickURL = regexp.MustCompile(`^\s*click\s+\S+\s+(?:href\s+)?"([^"]*)"`)

// writeMermaid writes a mermaid block; b may be nil (no slots).
func writeMermaid(w util.BufWriter, b *builder, src []byte, n *ast.FencedCodeBlock) {
	_, _ = w.WriteString(`<pre class="fc-mermaid">`)
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		line := seg.Value(src)
		m := clickURL.FindSubmatchIndex(line)
		if b == nil || m == nil {
			_, _ = w.Write(util.EscapeHTML(line))
			continue
		}
		s := b.resolve(string(line[m[2]:m[3]]), seg.Start+m[2])
		if !s.ok {
			_, _ = w.Write(util.EscapeHTML(line))
			continue
		}
		start := b.cut()
		var out bytes.Buffer
		out.Write(line[:m[2]])
		out.WriteString(s.href)
		out.Write(line[m[3]:])
		_, _ = w.Write(util.EscapeHTML(out.Bytes()))
		b.alt(s.target, start)
	}
	_, _ = w.WriteString("</pre>\n")
}
