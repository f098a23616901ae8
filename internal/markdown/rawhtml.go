package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"

	"github.com/facet-docs/facet/internal/siteurl"
)

// attrRole says how a URL attribute of a hidden target leaves the output.
type attrRole uint8

const (
	roleNone    attrRole = iota
	roleLose             // the attribute goes, the element stays (href, action)
	roleList             // a list of URLs: the attribute goes when any is hidden (ping)
	roleRemove           // the element goes (src, poster, object data)
	roleSrcset           // like roleRemove, with a list of candidates
	roleRefresh          // like roleRemove, for the URL in a meta refresh's content
)

// withContent lists the elements whose content goes with them when they are
// removed, up to the matching end tag in the same raw HTML node or in a
// later raw HTML node of the same parent (an inline tag later in the same
// paragraph, an HTML block later in the same container), with whatever
// markdown lies between.
var withContent = map[string]bool{
	"iframe": true, "video": true, "audio": true, "object": true, "script": true,
}

// markupInside lists the elements a tokenizer reads as raw text but whose
// content a browser may read as markup (noscript without script) or that
// facet reads as markup to be safe: tags in them are resolved too.
var markupInside = map[string]bool{
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
	"textarea": true, "title": true, "xmp": true,
}

// rawAttr is one attribute of a raw start tag, with its resolved slots.
type rawAttr struct {
	key, val string
	at       int // offset in src of the value, for lines
	kind     attrKind
	role     attrRole
	slots    []slot   // one per URL (several for srcset and lists)
	parts    []string // srcset descriptors, one per slot; a refresh's prefix
}

// rawElem is a removable element whose end tag has not been seen yet.
type rawElem struct {
	name   string
	group  int // its drop op
	tagEnd int // op index just past its start tag
	depth  int // nested elements of the same name
}

// rawPiece is one raw HTML node being written: its text and where it lies
// in the source.
type rawPiece struct {
	raw  []byte
	segs []text.Segment
}

// pos maps an offset in the piece back to src.
func (b *builder) pos(p *rawPiece, off int) int { return srcPos(b.src, p.segs, off) }

// rawHTML writes raw HTML made of segments of the source, turning URL
// attributes into slots, dropping comments and doctypes, and refusing what
// could carry a link facet cannot redact. Tags it does not change are
// copied byte for byte. It returns the name of a script or style element
// left open at the end of the piece, "" if none. parent is the node's
// parent: a removable element left open at the end of the piece drops
// with everything up to its end tag in a later raw HTML node of the same
// parent, else alone.
func (b *builder) rawHTML(segs []text.Segment, parent ast.Node) string {
	p := &rawPiece{segs: segs}
	for _, s := range segs {
		p.raw = append(p.raw, s.Value(b.src)...)
	}
	z := html.NewTokenizer(bytes.NewReader(p.raw))
	open := b.rawOpen[parent]
	rawIn, rawAt := "", 0
	end := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		start := end
		end += len(z.Raw())
		tok := p.raw[start:end]
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name := b.rawStartTag(z, tt, tok, p, start, &open)
			switch {
			case tt != html.StartTagToken:
			case name == "script" || name == "style":
				rawIn, rawAt = name, start
			case markupInside[name]:
				z.NextIsNotRawText()
			}
		case html.EndTagToken:
			rawIn = ""
			b.secureWrite(tok)
			name, _ := z.TagName()
			open = b.rawEndTag(string(name), open)
		case html.TextToken:
			if rawIn != "" {
				b.rawText(rawIn, string(tok), b.pos(p, rawAt), b.pos(p, start))
			}
			b.secureWrite(tok)
		case html.CommentToken, html.DoctypeToken:
			// Comments (CDATA and processing instructions read as
			// comments too) and doctypes never reach the output.
		}
	}
	if rest := p.raw[end:]; len(rest) > 0 {
		if i := bytes.IndexByte(rest, '<'); i >= 0 {
			b.refuse(b.lineAt(b.pos(p, end+i)), "unterminated tag %q: a browser would read what follows into it; close it with >", firstLine(rest[i:]))
		}
		b.secureWrite(rest)
	}
	// An element whose end tag lies outside this node drops alone, unless
	// a later raw HTML node of the same parent closes it (rawEndTag then
	// widens its group to the end tag).
	for k := len(open) - 1; k >= 0; k-- {
		b.cut()
		b.ops[open[k].group].skip = int32(open[k].tagEnd - open[k].group - 1)
	}
	if len(open) > 0 || b.rawOpen[parent] != nil {
		if b.rawOpen == nil {
			b.rawOpen = map[ast.Node][]rawElem{}
		}
		b.rawOpen[parent] = open
	}
	return rawIn
}

// rawEndTag closes the drop group of a removable element at its end tag
// and returns the elements still open.
func (b *builder) rawEndTag(name string, open []rawElem) []rawElem {
	if k := len(open) - 1; k >= 0 && open[k].name == name {
		if open[k].depth > 0 {
			open[k].depth--
		} else {
			b.closeGroup(open[k].group)
			open = open[:k]
		}
	}
	return open
}

// rawText checks the content of a script or style element: script
// content is refused, CSS is refused when it loads a URL.
func (b *builder) rawText(elem, content string, tagAt, at int) {
	if strings.TrimSpace(content) == "" {
		return
	}
	if elem == "script" {
		b.refuse(b.lineAt(tagAt), "<script> with inline content: script can carry links facet cannot redact; move it to the theme or load it with src")
		return
	}
	if i := cssLoads(content); i >= 0 {
		b.refuse(b.lineAt(at+i), "<style> element %s", cssMsg)
	}
}

// firstLine returns p up to its first line break, shortened.
func firstLine(p []byte) string {
	if i := bytes.IndexAny(p, "\r\n"); i >= 0 {
		p = p[:i]
	}
	if len(p) > 40 {
		p = p[:40]
	}
	return string(p)
}

// srcPos maps an offset in the concatenated values of segs back to src.
// A value starts with Padding spaces that are not in the source.
func srcPos(src []byte, segs []text.Segment, off int) int {
	for _, s := range segs {
		n := len(s.Value(src))
		if off < n {
			return s.Start + max(off-s.Padding, 0)
		}
		off -= n
	}
	if len(segs) > 0 {
		return segs[len(segs)-1].Stop
	}
	return 0
}

// rawStartTag writes one start tag, found at offset start of piece p, and
// returns its name. Every attribute is classified (classify); a tag
// without internal references is copied as written, otherwise it is
// written again by writeTag.
func (b *builder) rawStartTag(z *html.Tokenizer, tt html.TokenType, tok []byte, p *rawPiece, start int, open *[]rawElem) string {
	nameB, hasAttr := z.TagName()
	name := string(nameB)
	var attrs []rawAttr
	lower := bytes.ToLower(tok)
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		at := start
		if i := bytes.Index(tok, v); i >= 0 && len(v) > 0 {
			at += i
		} else if i := bytes.Index(lower, k); i >= 0 {
			at += i
		}
		attrs = append(attrs, rawAttr{key: string(k), val: string(v), at: b.pos(p, at)})
	}
	if name == "base" {
		b.refuse(b.lineAt(b.pos(p, start)), "<base> changes where every link of the page points: remove it")
	}
	resolved := false
	for i := range attrs {
		resolved = b.checkAttr(name, &attrs[i], attrs) || resolved
	}
	if resolved {
		b.writeTag(name, attrs, tt, open)
		return name
	}
	b.secureWrite(tok)
	if k := len(*open) - 1; k >= 0 && (*open)[k].name == name && tt == html.StartTagToken {
		(*open)[k].depth++
	}
	return name
}

// checkAttr classifies one attribute of element tag, resolves it when it
// is a URL attribute, refuses it when it could carry a link facet cannot
// redact, and reports whether it holds an internal reference.
func (b *builder) checkAttr(tag string, a *rawAttr, all []rawAttr) bool {
	get := func(k string) string {
		for _, x := range all {
			if x.key == k {
				return x.val
			}
		}
		return ""
	}
	kind, role, msg := classify(tag, a.key, get)
	a.kind, a.role = kind, role
	line := b.lineAt(a.at)
	switch kind {
	case kindURL:
		return b.resolveAttr(a)
	case kindRefuse:
		b.refuse(line, "%s", msg)
	case kindCSS:
		if cssLoads(a.val) >= 0 {
			b.refuse(line, "style attribute %s", cssMsg)
		}
	case kindText, kindProbe:
		if b.res == nil || kind == kindText && !strings.Contains(strings.ToLower(a.val), "url(") {
			// a text attribute is the author's words, unless it loads
			// what a CSS url() names (an SVG fill, stroke or animation
			// value: fill="url(x.svg#g)")
			return false
		}
		for _, w := range probeWords(a.val) {
			if b.res.Names(cleanURL(w)) {
				b.refuse(line, "attribute %s of <%s> holds %q, which names a page or file of the site: facet resolves links only in URL attributes (href, src, …); use one, or remove it", a.key, tag, w)
				break
			}
		}
	}
	return false
}

// resolveAttr resolves the references of one URL attribute and reports
// whether any of them is internal.
func (b *builder) resolveAttr(a *rawAttr) bool {
	switch a.role {
	case roleRefresh:
		head, ref := siteurl.SplitRefresh(a.val)
		if ref == "" {
			return false
		}
		s := b.resolve(ref, a.at)
		a.slots, a.parts = []slot{s}, []string{head}
		return s.ok
	case roleSrcset, roleList:
		return b.resolveList(a)
	}
	s := b.resolve(a.val, a.at)
	a.slots = []slot{s}
	return s.ok
}

// resolveList resolves a srcset (comma-separated candidates, each a URL
// and descriptors) or a list of URLs separated by spaces.
func (b *builder) resolveList(a *rawAttr) bool {
	items := strings.Split(a.val, ",")
	if a.role == roleList {
		items = strings.Fields(a.val)
	}
	found := false
	for _, cand := range items {
		f := strings.Fields(cand)
		if len(f) == 0 {
			continue
		}
		s := b.resolve(f[0], a.at)
		if !s.ok {
			s.href = f[0]
		}
		a.slots = append(a.slots, s)
		a.parts = append(a.parts, strings.Join(f[1:], " "))
		found = found || s.ok
	}
	return found
}
