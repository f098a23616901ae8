package render

import (
	"bytes"
	"html"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/facet-docs/facet/internal/content"
)

// Text lengths, in bytes.
const (
	summaryLen = 160 // a page summary made from its text
)

// blocks are elements whose edges separate words.
var blocks = map[string]bool{
	"p": true, "li": true, "br": true, "div": true, "pre": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "td": true, "th": true, "tr": true,
	"blockquote": true, "dt": true, "dd": true, "figcaption": true, "hr": true, "section": true,
}

// plainText returns about the first limit bytes of body's text, with
// whitespace collapsed and entities decoded. Comments, scripts, styles and
// aria-hidden elements (heading anchors) are left out. It is a small
// scanner rather than a full tokenizer: it runs for every page of every
// build and stops as soon as it has enough text.
func plainText(body []byte, limit int) string {
	var sb strings.Builder
	sb.Grow(limit + utf8.UTFMax)
	space := false
	for len(body) > 0 && sb.Len() < limit {
		i := bytes.IndexAny(body, "<&")
		if i < 0 {
			appendWords(&sb, body, space, limit)
			break
		}
		space = appendWords(&sb, body[:i], space, limit)
		body = body[i:]
		if body[0] == '&' {
			text, n := entity(body)
			space = appendWords(&sb, text, space, limit)
			body = body[n:]
			continue
		}
		var t tag
		t, body = readTag(body)
		if blocks[t.name] {
			space = true
		}
		if t.start && (t.name == "script" || t.name == "style" || t.name == "template" || t.hidden) {
			body = skipElement(body, t.name)
			space = true
		}
	}
	return sb.String()
}

// tag is what plainText needs of a tag.
type tag struct {
	name   string // lower case; "" for comments and other markup
	start  bool   // an opening tag that is not self-closing
	hidden bool   // it has aria-hidden="true"
}

// readTag reads the tag (or comment) at the start of b, which begins with
// '<', and returns it with the rest of b.
func readTag(b []byte) (tag, []byte) {
	if bytes.HasPrefix(b, []byte("<!--")) {
		end := bytes.Index(b[4:], []byte("-->"))
		if end < 0 {
			return tag{}, nil
		}
		return tag{}, b[4+end+3:]
	}
	end, quote := 1, byte(0)
	for ; end < len(b); end++ {
		c := b[end]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			goto done
		}
	}
done:
	inner := b[1:min(end, len(b))]
	rest := b[min(end+1, len(b)):]
	t := tag{start: true}
	if len(inner) > 0 && inner[0] == '/' {
		t.start, inner = false, inner[1:]
	}
	n := 0
	for n < len(inner) && (isAlnum(inner[n])) {
		n++
	}
	if n == 0 {
		return tag{}, rest
	}
	t.name = strings.ToLower(string(inner[:n]))
	if bytes.HasSuffix(inner, []byte("/")) {
		t.start = false
	}
	t.hidden = t.start && bytes.Contains(inner[n:], []byte(`aria-hidden="true"`))
	return t, rest
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// skipElement skips past the end tag closing an element named name whose
// start tag was just read, counting nested elements of the same name.
func skipElement(b []byte, name string) []byte {
	depth := 1
	for len(b) > 0 {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			return nil
		}
		var t tag
		t, b = readTag(b[i:])
		if t.name != name {
			continue
		}
		if t.start {
			depth++
		} else if depth--; depth == 0 {
			return b
		}
	}
	return nil
}

// entity decodes the character reference at the start of b ("&amp;"),
// returning its text and length; a lone "&" is itself.
func entity(b []byte) ([]byte, int) {
	end := bytes.IndexByte(b[:min(len(b), 40)], ';')
	if end < 0 {
		return b[:1], 1
	}
	s := html.UnescapeString(string(b[:end+1]))
	return []byte(s), end + 1
}

// appendWords appends text to sb with whitespace collapsed; space says a
// separator is pending. It returns whether one still is.
func appendWords(sb *strings.Builder, text []byte, space bool, limit int) bool {
	for len(text) > 0 && sb.Len() < limit {
		c := text[0]
		if c < utf8.RuneSelf {
			text = text[1:]
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				space = true
				continue
			}
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteByte(c)
			continue
		}
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
