package markdown

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
// (diagramWords: any word, a bare name too), also once mermaid's entity codes
// and character references are decoded (mermaidSpellings), is taken as a
// link too; a line
// with a target hidden from a build goes from that build, as a link's text
// would. A label's HTML is drawn even at mermaid's strict security level,
// which the theme sets (its sanitizer keeps <a href>), so a label that names
// a page is such a word.

// clickURL finds the URL of a mermaid click statement: group 1 is the
// quoted URL.
var clickURL = regexp.MustCompile(`^\s*click\s+\S+\s+(?:href\s+)?"([^"]*)"`)

// mermaidEntity is one of mermaid's entity codes: "#47;" (a code point in
// decimal) or "#sol;" (an HTML entity's name).
var mermaidEntity = regexp.MustCompile(`#(\w+);`)

// mermaidSpellings are the ways a diagram line may read once mermaid
// draws it, other than as written: its entity codes ("#47;", "#sol;")
// become the characters they stand for, and HTML character references,
// which a label's HTML holds, do too (in either order, as "&#47;" holds
// "#47;"). A word that names a page in one of these spellings is a link as
// much as one written plainly.
func mermaidSpellings(line string) []string {
	if !strings.ContainsAny(line, "#&") {
		return nil
	}
	var out []string
	for _, s := range []string{
		html.UnescapeString(mermaidEntities(line)),
		html.UnescapeString(mermaidEntities(html.UnescapeString(line))),
	} {
		if s != line && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// mermaidEntities replaces mermaid's entity codes in s with the characters
// they stand for: a number in decimal is that code point, a name is the
// HTML entity of that name.
func mermaidEntities(s string) string {
	return mermaidEntity.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		if n, err := strconv.Atoi(name); err == nil {
			if n <= 0 || n > utf8.MaxRune {
				return m
			}
			return string(rune(n))
		}
		return html.UnescapeString("&" + name + ";")
	})
}

// diagramWords are the words of a diagram line that mermaid may take for
// a URL. Any word may be one: a class diagram's `link A "x"`, an actor's
// `link A: label @x` and a label's `<a href=x>` make a link of a bare name,
// which the browser resolves against the page's URL (a child page of a
// section, a file of a bundle), so every word is one, not only those that
// hold a slash or a dot as elsewhere (probeWords). The separators are those
// the release gate splits a diagram at (verify's diagram).
func diagramWords(line string) []string {
	return strings.FieldsFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("\"'`()<>,;={}[]|@", r)
	})
}

// writeMermaid writes a mermaid block; b may be nil (no slots).
func writeMermaid(w util.BufWriter, b *builder, src []byte, n *ast.FencedCodeBlock) {
	_, _ = w.WriteString(`<pre class="fc-mermaid">`)
	lines := n.Lines()
	var tickets []string
	if b != nil {
		var all []byte
		for i := range lines.Len() {
			seg := lines.At(i)
			all = append(all, seg.Value(src)...)
		}
		tickets = ticketTemplates(string(all))
	}
	for i := range lines.Len() {
		seg := lines.At(i)
		line := seg.Value(src)
		if b == nil {
			_, _ = w.Write(util.EscapeHTML(line))
			continue
		}
		out, ts := b.mermaidLine(line, seg.Start, tickets)
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

// ticketTemplates returns the URL templates of a diagram's kanban cards:
// each word of it (in any of mermaid's spellings) that holds #TICKET#,
// where mermaid puts a card's ticket to make the card's link
// (`ticketBaseUrl: '/issues/#TICKET#/'` in its config, with
// `@{ ticket: x }` on a card), so a URL that no word of the diagram spells.
func ticketTemplates(text string) []string {
	if !strings.Contains(text, "#TICKET#") {
		return nil
	}
	var out []string
	for _, s := range append([]string{text}, mermaidSpellings(text)...) {
		for _, w := range diagramWords(s) {
			if strings.Contains(w, "#TICKET#") && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// ticketURLs returns the URLs word makes as a kanban card's ticket in
// each of the templates: the word, or the part of it after a colon
// (`ticket:x`), in place of the first #TICKET#, as mermaid puts it.
func ticketURLs(word string, templates []string) []string {
	if len(templates) == 0 {
		return nil
	}
	pieces := []string{word}
	if _, after, ok := strings.Cut(word, ":"); ok && after != "" {
		pieces = append(pieces, after)
	}
	var out []string
	for _, t := range templates {
		for _, p := range pieces {
			out = append(out, strings.Replace(t, "#TICKET#", p, 1))
		}
	}
	return out
}

// mermaidLine resolves the links of one diagram line starting at offset
// pos of the source: it returns the line with each click statement's URL
// rewritten, and the targets without which the line goes. tickets are
// the diagram's ticket URL templates (ticketTemplates).
func (b *builder) mermaidLine(line []byte, pos int, tickets []string) ([]byte, []int) {
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
		words := diagramWords(string(line))
		for _, d := range mermaidSpellings(string(line)) {
			words = append(words, diagramWords(d)...)
		}
		var made []string
		for _, w := range words {
			made = append(made, ticketURLs(strings.Trim(w, ".,;:!?"), tickets)...)
		}
		words = append(words, made...)
		for _, w := range words {
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
