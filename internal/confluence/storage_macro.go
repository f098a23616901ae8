package confluence

import (
	"fmt"
	"slices"
	"strings"
)

// alerts maps Confluence's panels to GitHub-style alerts by their colour
// and meaning: info (blue) is a note, tip (green) a tip, note (yellow) a
// warning, warning (red) a caution.
var alerts = map[string]string{"info": "NOTE", "tip": "TIP", "note": "WARNING", "warning": "CAUTION"}

// macro renders a block macro.
func (c *converter) macro(n *node) string {
	name := n.attr("ac:name")
	switch name {
	case "code", "noformat":
		return fence(plainBody(n), codeLanguage(n.param("language")))
	case "info", "tip", "note", "warning":
		return c.alert(alerts[name], n)
	case "panel":
		return c.alert("NOTE", n)
	case "expand":
		return c.expand(n)
	case "toc", "children", "pagetree", "recently-updated", "contentbylabel", "livesearch":
		c.warn("macro", fmt.Sprintf("the %q macro lists other pages and has no markdown form (facet's navigation lists them); left out", name))
		return ""
	}
	if inlineMacros[name] {
		return c.inlineMacro(n)
	}
	return c.unknownMacro(n)
}

// inlineMacro renders the status and anchor macros inside running text.
func (c *converter) inlineMacro(n *node) string {
	switch name := n.attr("ac:name"); name {
	case "status":
		t := strings.TrimSpace(n.param("title"))
		if t == "" {
			t = strings.ToUpper(firstNonEmpty(n.param("colour"), "status"))
		}
		return "**\\[" + escapeText(strings.ToUpper(t)) + "\\]**"
	case "anchor":
		id := anchorID(n.param(""))
		if id == "" {
			return ""
		}
		return `<a id="` + id + `"></a>`
	default:
		return c.unknownMacro(n)
	}
}

// alert renders a panel as a GitHub-style alert; a title becomes its
// first line, in bold.
func (c *converter) alert(kind string, n *node) string {
	body := ""
	if b := n.child("ac:rich-text-body"); b != nil {
		body = c.blocks(b.Children)
	}
	if t := n.param("title"); t != "" {
		body = strings.TrimSpace("**" + escapeText(t) + "**\n\n" + body)
	}
	return quote("[!" + kind + "]\n" + body)
}

// expand renders the expand macro as a <details> block: the site facet
// import writes turns raw HTML on ([markdown] unsafe = true), and
// details/summary carry no URL, so the build keeps them.
func (c *converter) expand(n *node) string {
	title := firstNonEmpty(n.param("title"), "Click here to expand...")
	body := ""
	if b := n.child("ac:rich-text-body"); b != nil {
		body = c.blocks(b.Children)
	}
	return "<details>\n<summary>" + htmlEscape(title) + "</summary>\n\n" + body + "\n\n</details>"
}

// unknownMacro keeps a macro facet has no form for as readable text: its
// name and parameters in a quote, then its body, with a warning. Readers
// saw the macro's output in Confluence, never its parameters: one whose
// text names a page or attachment of the export (a gallery's page, a
// query with a title) is left out with a warning, so that a restricted
// page's title never reaches the readers of this page.
func (c *converter) unknownMacro(n *node) string {
	name := firstNonEmpty(n.attr("ac:name"), "unnamed")
	c.warn("macro", fmt.Sprintf("the %q macro has no markdown form; kept as text", name))
	var params []string
	for _, ch := range n.Children {
		if ch.Name == "ac:parameter" {
			k := firstNonEmpty(ch.attr("ac:name"), "value")
			v := strings.TrimSpace(ch.text())
			if c.links.namesContent(v) {
				c.warn("macro", fmt.Sprintf("the %q parameter of the %q macro names a page or attachment of the export; left out", k, name))
				continue
			}
			params = append(params, k+"="+v)
		}
	}
	slices.Sort(params)
	head := "*Confluence macro " + escapeText(name)
	if len(params) > 0 {
		head += " (" + escapeText(strings.Join(params, ", ")) + ")"
	}
	head += "*"
	var parts []string
	parts = append(parts, head)
	if b := n.child("ac:rich-text-body"); b != nil {
		parts = append(parts, c.blocks(b.Children))
	}
	if b := n.child("ac:plain-text-body"); b != nil {
		parts = append(parts, fence(b.text(), ""))
	}
	return quote(strings.Join(parts, "\n\n"))
}

// plainBody is the text of a macro's plain-text body.
func plainBody(n *node) string {
	if b := n.child("ac:plain-text-body"); b != nil {
		return b.text()
	}
	if b := n.child("ac:rich-text-body"); b != nil {
		return b.text()
	}
	return ""
}

// codeLanguage is the code macro's language as a fence info word.
func codeLanguage(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	switch l {
	case "none", "text":
		return ""
	case "js":
		return "javascript"
	case "shell", "sh", "bash":
		return "bash"
	}
	if strings.ContainsAny(l, "` \t") {
		return ""
	}
	return l
}

// anchorID turns an anchor name into an id: letters, digits, '-' and
// '_', spaces as '-'.
func anchorID(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
