package render

import (
	"bytes"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/facet-docs/facet/internal/content"
)

// Text lengths, in bytes.
const (
	summaryLen = 160 // a page summary made from its text
	excerptLen = 400 // a page's text in the search index
)

// blocks are elements whose edges separate words.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Br: true, atom.Div: true, atom.Pre: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Td: true, atom.Th: true, atom.Tr: true, atom.Blockquote: true, atom.Dt: true,
	atom.Dd: true, atom.Figcaption: true, atom.Hr: true, atom.Section: true,
}

// plainText returns about the first limit bytes of body's text, with
// whitespace collapsed. Scripts, styles and aria-hidden elements (heading
// anchors) are left out.
func plainText(body []byte, limit int) string {
	if len(body) == 0 {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	var sb strings.Builder
	space := false
	var skip atom.Atom // the element being skipped
	depth := 0         // nesting of skip inside itself
	for sb.Len() < limit {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return sb.String()
		case html.TextToken:
			if depth == 0 {
				space = appendWords(&sb, z.Text(), space, limit)
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if blocks[a] {
				space = true
			}
			switch {
			case depth > 0 && a == skip && tt == html.StartTagToken:
				depth++
			case depth > 0 && a == skip && tt == html.EndTagToken:
				depth--
			case depth == 0 && tt == html.StartTagToken && (a == atom.Script || a == atom.Style || a == atom.Template || (hasAttr && ariaHidden(z))):
				skip, depth = a, 1
			}
		}
	}
	return sb.String()
}

// ariaHidden reports whether the current tag has aria-hidden="true".
func ariaHidden(z *html.Tokenizer) bool {
	for {
		k, v, more := z.TagAttr()
		if string(k) == "aria-hidden" && string(v) == "true" {
			return true
		}
		if !more {
			return false
		}
	}
}

// appendWords appends text to sb with whitespace collapsed; space says a
// separator is pending. It returns whether one still is.
func appendWords(sb *strings.Builder, text []byte, space bool, limit int) bool {
	for len(text) > 0 && sb.Len() < limit {
		r, n := utf8.DecodeRune(text)
		text = text[n:]
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return space
}

// cut shortens text to at most n bytes at a word boundary, adding "…".
func cut(text string, n int) string {
	if len(text) <= n {
		return text
	}
	i := strings.LastIndexByte(text[:n], ' ')
	if i <= n/2 {
		i = n
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
	}
	return strings.TrimRight(text[:i], " ,;:.-") + "…"
}

// Date layouts.
const (
	dateLayout = "2 Jan 2006"
	isoLayout  = "2006-01-02"
)

// newPageInfo precomputes a page's dates and tags.
func newPageInfo(p *content.Page) pageInfo {
	var inf pageInfo
	if !p.Date.IsZero() {
		inf.date = p.Date.Format(dateLayout)
		inf.dateISO = p.Date.Format(isoLayout)
		inf.dateAtom = p.Date.UTC().Format(time.RFC3339)
	}
	seen := map[string]bool{}
	for _, t := range p.Tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		s := slugify(t)
		if !seen[s] {
			seen[s] = true
			inf.tags = append(inf.tags, tagRef{name: t, slug: s, url: "/tags/" + url.PathEscape(s) + "/"})
		}
	}
	return inf
}

// formatExpiry shows a guest's expiry as a date ("31 Dec 2026", with the
// time when it is not midnight), or as written when it is not a date.
func formatExpiry(s string) string {
	for _, layout := range []string{isoLayout, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
			return t.Format(dateLayout)
		}
		return t.Format(dateLayout + " 15:04 MST")
	}
	return s
}
