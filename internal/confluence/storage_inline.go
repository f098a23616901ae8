package confluence

import (
	"fmt"
	"strings"
)

// inlines renders running text. White space is collapsed as a browser
// would; <br/> is a hard line break.
func (c *converter) inlines(ns []*node) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString(c.inline(n))
	}
	return collapse(b.String())
}

// collapse folds runs of white space (not the hard breaks) into one space.
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			space = true
			continue
		}
		if r == hardBreak {
			b.WriteString("\\\n")
			space = false
			continue
		}
		if space && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// hardBreak stands for <br/> until collapse writes it.
const hardBreak = '\uE000'

func (c *converter) inline(n *node) string {
	switch n.Name {
	case "":
		return escapeText(strings.ReplaceAll(n.Text, string(hardBreak), ""))
	case "strong", "b":
		return wrap("**", c.inlines(n.Children))
	case "em", "i", "cite":
		return wrap("*", c.inlines(n.Children))
	case "s", "del", "strike":
		return wrap("~~", c.inlines(n.Children))
	case "code", "kbd", "samp", "var":
		return codeSpan(n.text())
	case "br":
		return string(hardBreak)
	case "a":
		return c.anchorLink(n)
	case "img":
		if src := n.attr("src"); src != "" {
			return "![" + escapeText(n.attr("alt")) + "](" + dest(src) + ")"
		}
		return ""
	case "ac:link":
		return c.link(n)
	case "ac:image":
		return c.image(n)
	case "ac:emoticon":
		return escapeText(emoticon(n))
	case "ri:user":
		return escapeText("@" + firstNonEmpty(n.attr("ri:username"), "user"))
	case "ac:placeholder":
		return ""
	case "ac:structured-macro", "ac:macro":
		return c.inlineMacro(n)
	}
	return c.inlines(n.Children)
}

// wrap puts a marker around text, keeping surrounding spaces outside so
// that the emphasis still opens and closes.
func wrap(m, s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return s
	}
	lead := s[:len(s)-len(strings.TrimLeft(s, " "))]
	trail := s[len(strings.TrimRight(s, " ")):]
	return lead + m + t + m + trail
}

// codeSpan writes text as inline code, with enough backticks.
func codeSpan(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	ticks := "`"
	for strings.Contains(s, ticks) {
		ticks += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return ticks + " " + s + " " + ticks
	}
	return ticks + s + ticks
}

// anchorLink renders <a href>.
func (c *converter) anchorLink(n *node) string {
	text := strings.TrimSpace(c.inlines(n.Children))
	href := strings.TrimSpace(n.attr("href"))
	if href == "" {
		return text
	}
	if text == "" {
		text = escapeText(href)
	}
	return "[" + text + "](" + dest(href) + ")"
}

// link renders ac:link: to a page (ri:page), an attachment
// (ri:attachment), a user, a URL, or an anchor of the page itself.
func (c *converter) link(n *node) string {
	text := ""
	if b := n.child("ac:plain-text-link-body"); b != nil {
		text = escapeText(b.text())
	} else if b := n.child("ac:link-body"); b != nil {
		text = c.inlines(b.Children)
	}
	text = strings.TrimSpace(text)
	anchor := n.attr("ac:anchor")
	frag := ""
	if anchor != "" {
		frag = "#" + anchorID(anchor)
	}
	switch {
	case n.child("ri:page") != nil || n.child("ri:blog-post") != nil:
		// A link without text of its own is written with empty text:
		// facet fills it with the target's title in the builds that hold
		// the target and drops it in the others, so a restricted page's
		// title never reaches the builds of a page that links to it.
		ri := firstChild(n, "ri:page", "ri:blog-post")
		title := ri.attr("ri:content-title")
		href, ok := c.links.pageLink(ri.attr("ri:space-key"), title)
		if !ok {
			c.warn("link", fmt.Sprintf("a link to the page %q, which the export does not hold as a current page; its text is kept", title))
			return firstNonEmpty(text, escapeText(title))
		}
		return "[" + text + "](" + dest(href) + frag + ")"
	case n.child("ri:attachment") != nil:
		// as for a page: facet fills empty text with the file's name
		ri := n.child("ri:attachment")
		href, ok := c.attachment(ri)
		if !ok {
			return firstNonEmpty(text, escapeText(ri.attr("ri:filename")))
		}
		return "[" + text + "](" + dest(href) + ")"
	case n.child("ri:user") != nil:
		if text != "" {
			return text
		}
		return c.inline(n.child("ri:user"))
	case n.child("ri:url") != nil:
		u := n.child("ri:url").attr("ri:value")
		return "[" + firstNonEmpty(text, escapeText(u)) + "](" + dest(u) + ")"
	case anchor != "":
		return "[" + firstNonEmpty(text, escapeText(anchor)) + "](" + frag + ")"
	}
	return text
}

// attachment resolves ri:attachment, attached to this page or to the
// page its ri:page child names.
func (c *converter) attachment(ri *node) (string, bool) {
	name := ri.attr("ri:filename")
	space, owner := "", ""
	if p := ri.child("ri:page"); p != nil {
		space, owner = p.attr("ri:space-key"), p.attr("ri:content-title")
	}
	href, ok := c.links.attachmentLink(space, owner, name)
	if !ok {
		c.warn("link", fmt.Sprintf("the attachment %q is not in the export; the reference keeps its text only", name))
	}
	return href, ok
}

// image renders ac:image of an attachment or a URL.
func (c *converter) image(n *node) string {
	alt := firstNonEmpty(n.attr("ac:alt"), n.attr("ac:title"))
	title := n.attr("ac:title")
	var src string
	if ri := n.child("ri:attachment"); ri != nil {
		href, ok := c.attachment(ri)
		if !ok {
			return escapeText(alt)
		}
		src = href
		if alt == "" {
			alt = ri.attr("ri:filename")
		}
	} else if ri := n.child("ri:url"); ri != nil {
		src = ri.attr("ri:value")
	} else {
		return ""
	}
	t := ""
	if title != "" {
		t = ` "` + strings.ReplaceAll(title, `"`, `\"`) + `"`
	}
	return "![" + escapeText(alt) + "](" + dest(src) + t + ")"
}

func firstChild(n *node, names ...string) *node {
	for _, name := range names {
		if c := n.child(name); c != nil {
			return c
		}
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// emoticon is the text of ac:emoticon: its fallback character, or its name.
func emoticon(n *node) string {
	if f := n.attr("ac:emoji-fallback"); f != "" {
		return f
	}
	switch n.attr("ac:name") {
	case "smile":
		return "🙂"
	case "sad":
		return "🙁"
	case "tick":
		return "✅"
	case "cross":
		return "❌"
	case "warning":
		return "⚠️"
	case "information":
		return "ℹ️"
	}
	return ":" + n.attr("ac:name") + ":"
}

// dest writes a link destination; one with spaces or parentheses goes in
// angle brackets.
func dest(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(s) + ">"
	}
	return s
}

// escapeText escapes the characters markdown would read as markup.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~', '!', '#', '$':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeLineStarts escapes what would open a block at the start of a line
// of a paragraph: a list marker, a heading, a quote, a fence or a
// thematic break, and "+++" (facet's frontmatter fence).
func escapeLineStarts(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case t == "":
		case strings.HasPrefix(t, "- "), strings.HasPrefix(t, "+"), strings.HasPrefix(t, "="),
			t == "-" || strings.HasPrefix(t, "---"):
			lines[i] = "\\" + t
		case orderedMarker(t):
			j := strings.IndexAny(t, ".)")
			lines[i] = t[:j] + "\\" + t[j:]
		default:
			lines[i] = t
		}
	}
	return strings.Join(lines, "\n")
}

// orderedMarker reports whether s starts like "12. " or "3) ".
func orderedMarker(s string) bool {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}
