package verify

import (
	"bytes"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// html scans markup: text runs (cut at block elements), attribute values,
// URL attributes, scripts, styles and comments. It reports false when b
// ends inside a tag, a comment or a raw text element, so that the caller
// can scan a longer piece instead.
func (c *collector) html(b []byte) bool {
	z := html.NewTokenizer(bytes.NewReader(b))
	seg := c.seg[:0]
	c.seg = nil // a nested scan (srcdoc, noscript) gets its own
	defer func() { c.seg = seg[:0] }()
	flush := func() {
		if len(seg) > 0 {
			c.text(seg, false)
			seg = seg[:0]
		}
	}
	consumed, clean := 0, true
	var raw atom.Atom // the raw text element open, if any
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		rb := z.Raw()
		consumed += len(rb)
		switch tt {
		case html.TextToken:
			if raw == 0 {
				seg = append(seg, z.Text()...)
				continue
			}
			flush()
			c.rawText(raw, z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			a := atom.Lookup(name)
			if !inline[a] {
				flush()
			} else if a == atom.Br {
				seg = append(seg, ' ')
			}
			tag := a.String()
			if a == 0 {
				tag = string(name)
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				key := atom.Lookup(k).String()
				if key == "" {
					key = string(k)
				}
				c.attr(tag, key, v)
			}
			if tt == html.StartTagToken && rawElems[a] {
				raw = a
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == raw {
				raw = 0
			}
			if !inline[a] {
				flush()
			}
		case html.CommentToken:
			flush()
			clean = clean && (bytes.HasSuffix(rb, []byte("-->")) || bytes.HasSuffix(rb, []byte("--!>")))
			c.text(z.Text(), true)
		}
	}
	flush()
	return clean && raw == 0 && consumed == len(b)
}

// rawElems are the elements whose content the tokenizer hands over as
// one raw text.
var rawElems = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Textarea: true, atom.Title: true, atom.Xmp: true,
	atom.Iframe: true, atom.Noembed: true, atom.Noframes: true, atom.Noscript: true, atom.Plaintext: true,
}

// rawText scans the content of a raw text element: fallback markup as
// markup, a style sheet for url(), anything else as text.
func (c *collector) rawText(a atom.Atom, t []byte) {
	switch a {
	case atom.Noscript, atom.Iframe, atom.Noembed, atom.Noframes:
		c.html(bytes.Clone(t))
	case atom.Style:
		c.text(t, true)
		c.css(t)
	default:
		c.text(t, true)
	}
}

// attr scans one attribute: its value as text, and as link targets when
// the attribute holds URLs.
func (c *collector) attr(tag, key string, v []byte) {
	if len(v) == 0 {
		return
	}
	if !plainAttrs[key] {
		c.text(v, false)
	}
	switch {
	case key == "style":
		c.css(v)
	case key == "srcdoc":
		c.html(bytes.Clone(v))
	case key == "content" && tag == "meta":
		// <meta http-equiv="refresh" content="0; url=...">
		if i := strings.Index(asciiLower(string(v)), "url="); i >= 0 {
			c.target(string(v[i:]))
		}
	case urlAttr(tag, key):
		c.link(string(v))
	}
}

// plainAttrs hold neither words nor URLs (names, numbers, keywords): their
// values are not searched as text.
var plainAttrs = map[string]bool{
	"class": true, "id": true, "rel": true, "type": true, "lang": true, "dir": true, "role": true,
	"aria-hidden": true, "aria-controls": true, "aria-expanded": true, "width": true, "height": true,
	"tabindex": true, "target": true, "loading": true, "decoding": true, "charset": true,
	"autocomplete": true, "spellcheck": true, "hidden": true, "defer": true, "async": true,
}

// urlAttrs are the attributes that hold a URL or a list of URLs.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "srcset": true, "action": true, "formaction": true, "poster": true,
	"data": true, "cite": true, "longdesc": true, "background": true, "ping": true, "manifest": true,
	"icon": true, "codebase": true, "classid": true, "archive": true, "usemap": true, "profile": true,
	"lowsrc": true, "dynsrc": true, "xml:base": true, "itemid": true, "itemtype": true,
}

func urlAttr(tag, key string) bool {
	switch {
	case urlAttrs[key]:
		return true
	case key == "to" || key == "from" || key == "by" || key == "values":
		return strings.HasPrefix(tag, "animate") || tag == "set"
	case key == "value":
		return tag == "param"
	}
	return strings.HasSuffix(key, "href") || strings.HasSuffix(key, "src") || strings.HasSuffix(key, "srcset") ||
		strings.HasSuffix(key, "url") || strings.HasSuffix(key, "uri")
}

// codeElems hold code: URLs written there are an author's mention.
var codeElems = map[atom.Atom]bool{atom.Code: true, atom.Pre: true, atom.Kbd: true, atom.Samp: true, atom.Tt: true}

// Mentions finds what a page's rendered body says in its author's own
// words: the titles in its text (blocks joined by a space, since derived
// text such as a search excerpt joins them) and in its attribute values
// (alt, title), and the URLs written as text inside code (code, pre, kbd, samp).
// Scripts, styles, comments and aria-hidden elements (heading anchors) are
// not the author's words.
func (ix *Index) Mentions(body []byte) (titles, codeURLs []int) {
	z := html.NewTokenizer(bytes.NewReader(body))
	var all, attrs, code []byte
	if b, ok := mentionBufs.Get().(*[3][]byte); ok {
		all, attrs, code = b[0][:0], b[1][:0], b[2][:0]
	}
	defer func() { mentionBufs.Put(&[3][]byte{all, attrs, code}) }()
	depth := 0
	var raw, hid atom.Atom // hid: an aria-hidden element open (a heading anchor)
	hidDepth := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			if raw != 0 || hidDepth > 0 {
				continue
			}
			t := z.Text()
			all = append(all, t...)
			if depth > 0 {
				code = append(code, t...)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			a := atom.Lookup(name)
			if !inline[a] || a == atom.Br || a == atom.Img {
				all = append(all, ' ')
			}
			hidden := false
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs = append(append(attrs, v...), '\n')
				hidden = hidden || string(k) == "aria-hidden" && string(v) == "true"
			}
			if tt == html.StartTagToken && (hidDepth > 0 && a == hid || hidDepth == 0 && hidden) {
				hid = a
				hidDepth++
			}
			if tt == html.StartTagToken {
				if codeElems[a] {
					depth++
				} else if rawElems[a] {
					raw = a
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == raw {
				raw = 0
			}
			if hidDepth > 0 && a == hid {
				hidDepth--
			}
			if codeElems[a] && depth > 0 {
				depth--
				code = append(code, ' ')
			}
			if !inline[a] {
				all = append(all, ' ')
			}
		}
	}
	c := newCollector(ix)
	c.skip[Text] = true
	c.text(all, false)
	c.text(attrs, false)
	titles = c.refs.refs.ids(Title)
	c.refs = refSet{}
	c.skip = [Title + 1]bool{Title: true}
	c.text(code, false)
	codeURLs = c.refs.refs.ids(Text)
	c.release()
	return titles, codeURLs
}

// mentionBufs recycles the texts Mentions gathers.
var mentionBufs sync.Pool

// TitlesIn returns the items whose titles a plain text holds.
func (ix *Index) TitlesIn(text string) []int {
	c := &collector{ix: ix}
	c.text([]byte(text), true)
	return c.refs.refs.ids(Title)
}
