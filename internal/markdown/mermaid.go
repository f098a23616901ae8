package markdown

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// A ```mermaid block is a diagram: its source is written as escaped text in
// <pre class="fc-mermaid">, which the theme renders with mermaid. Mermaid
// makes links in many ways: click statements (`click A "url"`, `click A
// href "url" "tooltip"`, also after another statement on the line, past a
// `;`), a class diagram's `link A "url"`, a sequence diagram's actor
// links (`link A: label @ url`, `links A: {...}`), a C4 element's
// `$link="url"`, and more with each release. So each line is read as a
// whole: the URL of each click statement goes to the Resolver like a
// markdown link (and is rewritten to the page's relative address), and
// every other word of the line that names a page or file of the site
// (probeWords, as in raw-HTML attributes) is taken as a link too; a line
// with a target hidden from a build goes from that build, as a link's text
// would. Labels hold no links themselves (mermaid's strict security level,
// which the theme sets, renders them as text), but a label that names a
// hidden page goes with its line as well.

// clickURL finds the URL of a mermaid click statement: group 1 is the
// quoted URL.
var clickURL = regexp.MustCompile(`^\s*click\s+\S+\s+(?:href\s+)?"([^"]*)"`)

// writeMermaid writes a mermaid block; b may be nil (no slots).
func writeMermaid(w util.BufWriter, b *builder, src []byte, n *ast.FencedCodeBlock) {
	_, _ = w.WriteString(`<pre class="fc-mermaid">`)
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		line := seg.Value(src)
		if b == nil {
			_, _ = w.Write(util.EscapeHTML(line))
			continue
		}
		out, ts := b.mermaidLine(line, seg.Start)
		if len(ts) == 0 {
			_, _ = w.Write(util.EscapeHTML(out))
			continue
		}
		g := b.openGroup(opDropAny, ts)
		_, _ = w.Write(util.EscapeHTML(out))
		b.closeGroup(g)
	}
	_, _ = w.WriteString("</pre>\n")
}

// mermaidLine resolves the links of one diagram line starting at offset
// pos of the source: it returns the line with each click statement's URL
// rewritten, and the targets without which the line goes.
func (b *builder) mermaidLine(line []byte, pos int) ([]byte, []int) {
	var out bytes.Buffer
	var ts []int
	var asked []string // the click URLs given to the Resolver
	start := 0
	for start <= len(line) {
		end := bytes.IndexByte(line[start:], ';')
		if end < 0 {
			end = len(line)
		} else {
			end += start
		}
		stmt := line[start:end]
		if m := clickURL.FindSubmatchIndex(stmt); m != nil {
			asked = append(asked, strings.TrimRight(cleanURL(string(stmt[m[2]:m[3]])), ".,;:!?"))
			if s := b.resolve(string(stmt[m[2]:m[3]]), pos+start+m[2]); s.ok {
				out.Write(stmt[:m[2]])
				out.WriteString(s.href)
				out.Write(stmt[m[3]:])
				ts = append(ts, s.target)
			} else {
				out.Write(stmt)
			}
		} else {
			out.Write(stmt)
		}
		if end < len(line) {
			out.WriteByte(';')
		}
		start = end + 1
	}
	if b.res != nil {
		for _, w := range probeWords(string(line)) {
			w = strings.TrimRight(cleanURL(w), ".,;:!?")
			if w == "" || slices.Contains(asked, w) || !b.res.Names(w) {
				continue
			}
			if _, t, ok := b.res.Resolve(w, b.lineAt(pos)); ok && t >= 0 {
				ts = append(ts, t)
			}
		}
	}
	return out.Bytes(), ts
}
