package verify

import (
	"bytes"
	stdhtml "html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/facet-docs/facet/internal/siteurl"
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
	// live is the text of an element the theme draws as a diagram
	// (liveTag, open liveDepth times), gathered as the theme reads it.
	var live []byte
	var liveTag string
	liveDepth := 0
	opened := "" // the element whose start tag the token before was
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		rb := z.Raw()
		consumed += len(rb)
		in := opened
		opened = ""
		switch tt {
		case html.TextToken:
			t := z.Text()
			if liveDepth > 0 && raw == 0 {
				// a diagram's text is read as mermaid reads it (diagram),
				// not as running text
				live = append(live, t...)
				t = nil
			}
			if raw == 0 {
				if v := strings.TrimSpace(string(t)); textURLElems[in] && v != "" && !hasScheme(v) && v[0] != '/' && v[0] != '\\' {
					// a feed's or a sitemap's <link>../x/</link>: a
					// URL as text, resolved against the file's folder
					c.rel = append(c.rel, relText+v)
				}
				seg = append(seg, t...)
				continue
			}
			flush()
			c.rawText(raw, t)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			a := atom.Lookup(name)
			if !isInline(name) {
				flush()
			} else if a == atom.Br {
				seg = append(seg, ' ')
			}
			tag := a.String()
			if a == 0 {
				tag = string(name)
			}
			diagram := false
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				key := atom.Lookup(k).String()
				if key == "" {
					key = string(k)
				}
				c.attr(tag, key, v)
				diagram = diagram || key == "class" && liveClass(v)
			}
			if tt == html.StartTagToken && rawElems[a] {
				raw = a
			}
			if tt == html.StartTagToken {
				opened = tag
			}
			if tt == html.StartTagToken {
				switch {
				case liveDepth > 0 && tag == liveTag:
					liveDepth++
				case liveDepth == 0 && diagram:
					liveTag, liveDepth = tag, 1
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == raw {
				raw = 0
			}
			if !isInline(name) {
				flush()
			}
			if liveDepth > 0 && string(name) == liveTag {
				if liveDepth--; liveDepth == 0 {
					c.diagram(live)
					live = live[:0]
				}
			}
		case html.CommentToken:
			flush()
			if bytes.HasPrefix(rb, []byte("<?")) {
				// a processing instruction: <?xml-stylesheet href="x"?>
				// loads what its href names
				t := z.Text()
				c.text(t, true)
				c.pseudoAttrs(t)
				continue
			}
			clean = clean && (bytes.HasSuffix(rb, []byte("-->")) || bytes.HasSuffix(rb, []byte("--!>")))
			c.text(z.Text(), true)
		case html.DoctypeToken:
			// its public and system identifiers and the values of an
			// internal subset's entities (<!ENTITY p "/a/b/">)
			flush()
			c.text(rb, true)
			c.pseudoAttrs(rb)
		}
	}
	flush()
	if liveDepth > 0 {
		c.diagram(live)
	}
	return clean && raw == 0 && liveDepth == 0 && consumed == len(b)
}

// quotedRE finds quoted values, and the name before an "=" when there is
// one.
var quotedRE = regexp.MustCompile(`(?:([\w:.-]+)\s*=\s*)?(?:"([^"]*)"|'([^']*)')`)

// pseudoAttrs reads the quoted values of a processing instruction or a
// doctype: an href, and any quoted value that is a path (an entity's
// replacement text, a system identifier), is a link target.
func (c *collector) pseudoAttrs(b []byte) {
	for _, m := range quotedRE.FindAllSubmatch(b, -1) {
		v := stdhtml.UnescapeString(string(m[2]) + string(m[3]))
		switch {
		case urlAttr("", asciiLower(string(m[1]))):
			c.link(v)
		case strings.ContainsAny(v, "/.") && !strings.ContainsAny(strings.TrimSpace(v), " \t\n"):
			c.target(v)
		}
	}
}

// liveClass reports whether a class attribute's value names the class of
// the blocks the theme draws as mermaid diagrams (pre.fc-mermaid), in any
// case.
func liveClass(v []byte) bool {
	for _, f := range bytes.Fields(v) {
		if bytes.EqualFold(f, []byte("fc-mermaid")) {
			return true
		}
	}
	return false
}

// diagram scans the text of a block the theme draws as a mermaid diagram:
// mermaid makes links of URLs in it (click statements, a class diagram's
// link, an actor's links, a C4 $link, an <a href> in a label's HTML, and
// more with each release), so every word of it is a link target (a bare
// name too: `link A "x"` links to x beside the page; a kanban card's
// ticket in place of #TICKET# in the diagram's ticketBaseUrl), as is every URL attribute of its labels' HTML, also once
// mermaid's entity codes ("#47;") and character references are decoded.
// So a hidden page's URL there is a link, never the author's code.
func (c *collector) diagram(text []byte) {
	// Its text was searched for titles and URLs as text with the rest of
	// the file; here links alone are looked for.
	skip := c.skip
	c.skip[Title], c.skip[Text] = true, true
	defer func() { c.skip = skip }()
	spellings := []string{string(text)}
	if bytes.ContainsAny(text, "#&") {
		s := string(text)
		spellings = append(spellings, stdhtml.UnescapeString(mermaidEntities(s)),
			stdhtml.UnescapeString(mermaidEntities(stdhtml.UnescapeString(s))))
	}
	words := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || strings.ContainsRune("\"'`()<>,;={}[]|@", r)
		})
	}
	// A kanban card's link is its ticket in place of #TICKET# in the
	// diagram's ticketBaseUrl: a URL no word spells.
	var tickets []string
	if bytes.Contains(text, []byte("#TICKET#")) {
		for _, s := range spellings {
			for _, w := range words(s) {
				if strings.Contains(w, "#TICKET#") && !slices.Contains(tickets, w) {
					tickets = append(tickets, w)
				}
			}
		}
	}
	for i, s := range spellings {
		if i > 0 && s == spellings[0] {
			continue
		}
		if strings.IndexByte(s, '<') >= 0 {
			c.html([]byte(s))
		}
		for _, w := range words(s) {
			c.target(strings.TrimRight(w, ".,;:!?"))
			if len(tickets) == 0 {
				continue
			}
			w = strings.Trim(w, ".,;:!?")
			pieces := []string{w}
			if _, after, ok := strings.Cut(w, ":"); ok && after != "" {
				pieces = append(pieces, after)
			}
			for _, t := range tickets {
				for _, p := range pieces {
					c.target(strings.Replace(t, "#TICKET#", p, 1))
				}
			}
		}
	}
}

// mermaidEntity is one of mermaid's entity codes: "#47;" (a code point in
// decimal) or "#sol;" (an HTML entity's name).
var mermaidEntity = regexp.MustCompile(`#(\w+);`)

// mermaidEntities replaces mermaid's entity codes in s with the characters
// they stand for.
func mermaidEntities(s string) string {
	return mermaidEntity.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		if n, err := strconv.Atoi(name); err == nil {
			if n <= 0 || n > utf8.MaxRune {
				return m
			}
			return string(rune(n))
		}
		return stdhtml.UnescapeString("&" + name + ";")
	})
}

// textURLElems are the XML elements of feeds, sitemaps and manifests whose
// text is a URL a reader follows (RSS and Atom <link>, <guid>, <uri>,
// <icon>, <logo>; a sitemap's <loc>).
var textURLElems = map[string]bool{"link": true, "guid": true, "uri": true, "icon": true, "logo": true,
	"loc": true, "url": true, "comments": true, "docs": true}

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
	case atom.Script:
		c.text(t, true)
		c.quotedRel(t)
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
	} else {
		// names and keywords hold no title, but a URL written there
		// (class="/a/b/") is still one as text
		skip := c.skip[Title]
		c.skip[Title] = true
		c.text(v, false)
		c.skip[Title] = skip
	}
	switch {
	case key == "style":
		c.css(v)
	case key == "srcdoc":
		c.html(bytes.Clone(v))
	case key == "content" && tag == "meta":
		// <meta http-equiv="refresh" content="0; url=...">, also
		// "0;x/", "0; URL = 'x/'" as a browser reads it
		c.target(refreshURL(string(v)))
		if i := strings.Index(asciiLower(string(v)), "url="); i >= 0 {
			c.target(string(v[i:]))
		}
	case key == "href" && tag == "base" || key == "xml:base":
		// every relative link of the document resolves against it
		c.link(string(v))
		if ref := strings.TrimSpace(string(v)); ref != "" {
			c.rel = append(c.rel, relBase+ref)
		}
	case urlAttr(tag, key):
		c.link(string(v))
	}
	if !(key == "style" || key == "srcdoc") && bytes.Contains(bytes.ToLower(v), []byte("url(")) {
		// an SVG paint, mask, filter, marker or cursor (fill="url(x#g)"),
		// or an animation of one, loads what its url() names
		c.css(v)
	}
}

// refreshURL returns the URL of a meta refresh's content, "" when there
// is none: a refresh starts with its delay.
func refreshURL(v string) string {
	t := strings.TrimLeft(v, " \t\n\r\f")
	t = strings.TrimPrefix(t, ".")
	if t == "" || t[0] < '0' || t[0] > '9' {
		return ""
	}
	_, ref := siteurl.SplitRefresh(v)
	return ref
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
	titles, codeURLs, _ = ix.MentionsWords(body)
	return titles, codeURLs
}

// MentionsWords is Mentions with the words of the text it looked for
// titles in (see Words), when ix gathers words (GatherWords); else nil.
func (ix *Index) MentionsWords(body []byte) (titles, codeURLs []int, words *Words) {
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
			if !isInline(name) || a == atom.Br || a == atom.Img {
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
			if !isInline(name) {
				all = append(all, ' ')
			}
		}
	}
	c := newCollector(ix)
	c.skip[Text] = true
	c.words = ix.words
	c.text(all, false)
	c.text(attrs, false)
	if c.words {
		words = &Words{}
		words.addAll(c.wordBits())
	}
	c.words = false
	titles = c.refs.refs.ids(Title)
	c.refs = refSet{}
	c.skip = [Title + 1]bool{Title: true}
	c.text(code, false)
	codeURLs = c.refs.refs.ids(Text)
	c.release()
	return titles, codeURLs, words
}

// mentionBufs recycles the texts Mentions gathers.
var mentionBufs sync.Pool

// TitlesIn returns the items whose titles a plain text holds.
func (ix *Index) TitlesIn(text string) []int {
	c := &collector{ix: ix}
	c.text([]byte(text), true)
	return c.refs.refs.ids(Title)
}
