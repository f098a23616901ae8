package confluence

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/facet-docs/facet/internal/content"
)

// linker resolves what a body refers to: other pages and attachments,
// as relative links from the page being converted.
type linker interface {
	// pageLink returns the relative .md link to the page titled title in
	// the space key ("" for the page's own space); ok is false when the
	// export holds no such current page.
	pageLink(space, title string) (string, bool)
	// attachmentLink returns the relative link to the file name attached
	// to the page titled pageTitle ("" for the page itself).
	attachmentLink(space, pageTitle, name string) (string, bool)
	// namesContent reports whether text names a page (its title) or an
	// attachment (its file name) of the export.
	namesContent(text string) bool
}

// converter turns one page body into markdown. Warnings name the page.
type converter struct {
	page  string
	links linker
	warn  func(kind, msg string)
}

// convert returns the markdown of a storage-format body.
func (c *converter) convert(body string) string {
	root, err := parseStorage(body)
	if err != nil {
		c.warn("body", fmt.Sprintf("the body is not well-formed XHTML (%v); kept as plain text", err))
		return escapeLineStarts(escapeText(plainText(body))) + "\n"
	}
	out := strings.TrimSpace(c.blocks(root.Children))
	if out == "" {
		return ""
	}
	return defuseRules(out + "\n")
}

// defuseRules rewrites each line of md that facet would refuse in a body
// (text that looks like an access rule or a frontmatter fence, outside
// code: content.StrayRule) so that it reads the same but is plain text:
// its first non-space character becomes a character reference. Without it
// a page that quotes such text would stop the imported site's build.
func defuseRules(md string) string {
	for range 1000 { // each pass fixes one line; a body has far fewer
		line, _ := content.StrayRule([]byte(md))
		if line == 0 {
			return md
		}
		lines := strings.SplitAfter(md, "\n")
		if line > len(lines) {
			return md
		}
		l := lines[line-1]
		i := len(l) - len(strings.TrimLeft(l, " \t"))
		if i >= len(l) {
			return md
		}
		r, size := utf8.DecodeRuneInString(l[i:])
		lines[line-1] = l[:i] + fmt.Sprintf("&#%d;", r) + l[i+size:]
		md = strings.Join(lines, "")
	}
	return md
}

// blocks renders a list of nodes as markdown blocks separated by blank
// lines; runs of inline nodes form a paragraph.
func (c *converter) blocks(ns []*node) string {
	var parts []string
	var run []*node
	flush := func() {
		if s := strings.TrimSpace(c.inlines(run)); s != "" {
			parts = append(parts, escapeLineStarts(s))
		}
		run = nil
	}
	for _, n := range ns {
		if isInline(n) {
			run = append(run, n)
			continue
		}
		flush()
		if s := strings.TrimRight(c.block(n), "\n "); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	flush()
	return strings.Join(parts, "\n\n")
}

// inlineNames are the elements rendered as running text.
var inlineNames = map[string]bool{
	"": true, "strong": true, "b": true, "em": true, "i": true, "u": true, "s": true, "del": true,
	"strike": true, "code": true, "a": true, "span": true, "br": true, "sub": true, "sup": true,
	"img": true, "ac:link": true, "ac:image": true, "ac:emoticon": true, "ri:user": true,
	"ac:inline-comment-marker": true, "ac:placeholder": true, "time": true, "small": true, "big": true,
	"font": true, "cite": true, "q": true, "abbr": true, "kbd": true, "var": true, "samp": true, "mark": true,
}

// inlineMacros are the macros rendered inside running text.
var inlineMacros = map[string]bool{"status": true, "anchor": true}

func isInline(n *node) bool {
	if n.Name == "ac:structured-macro" || n.Name == "ac:macro" {
		return inlineMacros[n.attr("ac:name")]
	}
	return inlineNames[n.Name]
}

// block renders one block element.
func (c *converter) block(n *node) string {
	switch n.Name {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		level := int(n.Name[1] - '0')
		t := strings.TrimSpace(oneLine(c.inlines(n.Children)))
		if t == "" {
			return ""
		}
		return strings.Repeat("#", level) + " " + t
	case "p":
		return escapeLineStarts(strings.TrimSpace(c.inlines(n.Children)))
	case "ul", "ol":
		return c.list(n)
	case "table":
		return c.table(n)
	case "blockquote":
		return quote(c.blocks(n.Children))
	case "pre":
		return fence(n.text(), "")
	case "hr":
		return "---"
	case "ac:structured-macro", "ac:macro":
		return c.macro(n)
	case "ac:task-list":
		return c.tasks(n)
	case "ac:rich-text-body", "ac:layout", "ac:layout-section", "ac:layout-cell", "div", "section",
		"article", "header", "footer", "main", "aside", "center", "tbody", "thead":
		return c.blocks(n.Children)
	case "ac:parameter", "ac:plain-text-body", "colgroup", "col", "script", "style":
		return ""
	}
	c.warn("element", fmt.Sprintf("unsupported element <%s>; its text is kept", n.Name))
	return c.blocks(n.Children)
}

// list renders ul/ol with nested lists indented under their item.
func (c *converter) list(n *node) string {
	var items []string
	i := 1
	for _, li := range n.Children {
		if li.Name != "li" {
			continue
		}
		marker := "- "
		if n.Name == "ol" {
			marker = fmt.Sprintf("%d. ", i)
			i++
		}
		body := c.blocks(li.Children)
		if tightItem(li) {
			body = strings.ReplaceAll(body, "\n\n", "\n")
		}
		items = append(items, marker+indent(body, len(marker)))
	}
	return strings.Join(items, "\n")
}

// tightItem reports whether a list item holds only running text and
// nested lists, so that it stays a tight list item.
func tightItem(li *node) bool {
	for _, c := range li.Children {
		if !isInline(c) && c.Name != "ul" && c.Name != "ol" {
			return false
		}
	}
	return true
}

// tasks renders an ac:task-list as a task list.
func (c *converter) tasks(n *node) string {
	var items []string
	for _, t := range n.Children {
		if t.Name != "ac:task" {
			continue
		}
		box := "[ ] "
		if st := t.child("ac:task-status"); st != nil && strings.TrimSpace(st.text()) == "complete" {
			box = "[x] "
		}
		body := ""
		if b := t.child("ac:task-body"); b != nil {
			body = strings.TrimSpace(c.inlines(b.Children))
		}
		items = append(items, "- "+box+indent(body, 2))
	}
	return strings.Join(items, "\n")
}

// table renders a GFM table; the first row is the header. Cell content
// is flattened to one line.
func (c *converter) table(n *node) string {
	var rows [][]string
	var walk func(*node)
	walk = func(n *node) {
		for _, ch := range n.Children {
			switch ch.Name {
			case "tr":
				var row []string
				for _, cell := range ch.Children {
					if cell.Name == "td" || cell.Name == "th" {
						row = append(row, c.cell(cell))
					}
				}
				rows = append(rows, row)
			case "tbody", "thead", "tfoot":
				walk(ch)
			}
		}
	}
	walk(n)
	if len(rows) == 0 {
		return ""
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	return b.String()
}

// cell renders a table cell on one line: its blocks joined by "; ".
func (c *converter) cell(n *node) string {
	var parts []string
	for _, l := range strings.Split(c.blocks(n.Children), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	// pipes the text escaped stay; those in code spans get their escape
	out := strings.ReplaceAll(strings.Join(parts, "; "), `\|`, "\x00")
	out = strings.ReplaceAll(out, "|", `\|`)
	return strings.ReplaceAll(out, "\x00", `\|`)
}

// quote prefixes every line with "> ".
func quote(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// indent indents every line but the first by n spaces.
func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// fence writes code in a fence longer than any run of backticks in it.
func fence(code, lang string) string {
	code = strings.Trim(code, "\n")
	longest, run := 0, 0
	for _, r := range code {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	return f + lang + "\n" + code + "\n" + f
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\\\n", " ")), " ")
}
