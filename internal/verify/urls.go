package verify

import (
	"bytes"
	"encoding/base64"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// collector gathers the references of one piece of a file: those that do
// not depend on where the file is (refs), and the relative link targets
// that do (rel), resolved later against the file's folder.
type collector struct {
	ix   *Index
	refs refSet
	rel  []string
	buf  []byte // decoded text
	fold []byte // buf case-folded (see collapse)
	seg  []byte // a text run being gathered
	// skip, when set, is the kinds of text reference not looked for
	// (Mentions wants titles from some texts, URLs from others).
	skip [Title + 1]bool
	// depth is how many data: URLs the text being read is inside.
	depth int
	// words, when set, gathers the bits of the words of every text
	// searched for titles (see Words).
	words bool
	wbits []uint16
}

// bufs recycles collectors' buffers.
var bufs sync.Pool

// newCollector returns a collector with recycled buffers; release gives
// them back.
func newCollector(ix *Index) *collector {
	c := &collector{ix: ix}
	if b, ok := bufs.Get().(*[3][]byte); ok {
		c.buf, c.fold, c.seg = b[0][:0], b[1][:0], b[2][:0]
	}
	return c
}

// wordBits returns the bits of the words gathered, each once, sorted;
// allWords alone when a run was too long to join.
func (c *collector) wordBits() []uint16 {
	if slices.Contains(c.wbits, allWords) {
		return []uint16{allWords}
	}
	slices.Sort(c.wbits)
	return slices.Compact(c.wbits)
}

func (c *collector) release() {
	bufs.Put(&[3][]byte{c.buf, c.fold, c.seg})
	c.buf, c.fold, c.seg = nil, nil, nil
}

// text searches a text for titles and for URLs written as text; entities
// is false when an HTML tokenizer already decoded it. Titles are found in
// the case-folded text, URLs (case-sensitive, as paths are) in the text.
func (c *collector) text(raw []byte, entities bool) {
	c.buf, c.fold = collapse(c.buf[:0], c.fold[:0], decode(raw, entities))
	text, fold := c.buf, c.fold
	if c.words {
		c.wbits = textWords(c.wbits, fold)
	}
	c.ix.m.each(fold, func(id int32, at, end int) bool {
		item, pat := int(id>>patShift), id&(1<<patShift-1)
		if c.skip[Title] && (pat == patTitle || pat == patWord) || c.skip[Text] && (pat == patRooted || pat == patRootless) {
			return true
		}
		switch pat {
		case patTitle:
			if titleBounded(fold, at, end) {
				c.refs.add(item, Title, func() string { return snippet(text, at, end) })
			}
		case patWord:
			if c.ix.sameCase(text[at:end], item) && titleBounded(fold, at, end) {
				c.refs.add(item, Title, func() string { return snippet(text, at, end) })
			}
		case patRooted:
			if c.ix.sameURL(text[at:end], item, 0) && c.ix.rootedStart(text, at) && c.ix.urlEnd(text, end, item, false) {
				c.refs.add(item, Text, func() string { return snippet(text, at, end) })
			}
		case patRootless:
			if c.ix.sameURL(text[at:end], item, 1) && c.ix.rootlessURL(text, at, end, item) {
				c.refs.add(item, Text, func() string { return snippet(text, at, end) })
			}
		}
		return true
	})
}

// sameURL reports whether m, found in the folded text, is item's rooted
// path (from byte skip on) in its own case; "+" in m stands for a space.
func (ix *Index) sameURL(m []byte, item, skip int) bool {
	p := ix.rooted[item][skip:]
	if len(m) != len(p) {
		return false
	}
	for i := range m {
		if m[i] != p[i] && !(m[i] == '+' && p[i] == ' ') {
			return false
		}
	}
	return true
}

// rootlessURL reports whether text[at:end], a URL without its leading
// "/", stands where a relative URL does: in quotes ("ops/", the search
// index's form) or as a markdown link destination ("](ops/)"), optionally
// after "./". A page's URL keeps its final slash there ("ops/"), so that a
// quoted word ("ops") is not taken for one.
func (ix *Index) rootlessURL(text []byte, at, end, item int) bool {
	if ix.page[item] && (end >= len(text) || text[end] != '/') {
		return false
	}
	for at >= 2 && text[at-1] == '/' && text[at-2] == '.' {
		at -= 2
	}
	switch {
	case at > 0 && isQuote(text[at-1]):
		return ix.urlEnd(text, end, item, true)
	case at > 1 && text[at-1] == '(' && text[at-2] == ']':
		return ix.urlEnd(text, end, item, false)
	}
	return false
}

func isQuote(c byte) bool { return c == '"' || c == '\'' || c == '`' }

// pathByte reports whether c continues a path or a word, so that a URL
// cannot start or end next to it.
func pathByte(c byte) bool {
	return alnumTab[c] || c == '-' || c == '_' || c == '~' || c == '%' || c == '+' || c >= utf8.RuneSelf
}

// rootedStart reports whether the "/" at text[at] starts one of the site's
// URLs: a root-relative path (nothing path-like before it), optionally
// after the base path, or after one of the site's hosts (with or without
// scheme) and the base path.
func (ix *Index) rootedStart(text []byte, at int) bool {
	// "/docs/./x", "/docs//x": dot segments and doubled slashes before
	// the match do not count.
	for {
		switch {
		case at >= 2 && text[at-1] == '.' && text[at-2] == '/':
			at -= 2
			continue
		case at >= 2 && text[at-1] == '/' && text[at-2] != ':' && text[at-2] != '/':
			at--
			continue
		}
		break
	}
	if at == 0 || !pathByte(text[at-1]) && text[at-1] != '/' && text[at-1] != '.' {
		return true
	}
	if ix.base != "" {
		if !bytes.HasSuffix(text[:at], []byte(ix.base)) {
			return false
		}
		at -= len(ix.base)
		if at == 0 || !pathByte(text[at-1]) && text[at-1] != '/' && text[at-1] != '.' {
			return true
		}
	}
	return ix.hostBefore(text, at)
}

// hostBefore reports whether text[:at] ends with one of the site's hosts,
// standing alone or after "//" and an optional http(s) scheme.
func (ix *Index) hostBefore(text []byte, at int) bool {
	if ix.site == nil {
		return false
	}
	j := at
	for j > 0 && hostByte(text[j-1]) {
		j--
	}
	if ix.isHostAt(text, j, at) {
		return true
	}
	// A host may be spelled with letters a browser maps to ASCII (IDNA:
	// "\uff45xample.com", "example\u3002com"): try it from each earlier
	// character start, a few dozen bytes back at most.
	for k := j - 1; k >= 0 && k >= j-64 && (text[k] >= utf8.RuneSelf || hostByte(text[k])); k-- {
		if utf8.RuneStart(text[k]) && ix.isHostAt(text, k, at) {
			return true
		}
	}
	return false
}

// isHostAt reports whether text[j:at] is one of the site's hosts, standing
// alone or after "//" and an optional http(s) scheme.
func (ix *Index) isHostAt(text []byte, j, at int) bool {
	if j == at {
		return false
	}
	scheme := ""
	if j >= 2 && text[j-1] == '/' && text[j-2] == '/' {
		k := j - 2
		for k > 0 && alnumTab[text[k-1]] {
			k--
		}
		if k < j-2 && text[j-3] == ':' {
			scheme = strings.ToLower(string(text[k : j-3]))
		}
	}
	return ix.site.IsHost(scheme, string(text[j:at]))
}

func hostByte(c byte) bool {
	return alnumTab[c] || c == '-' || c == '.' || c == ':' || c == '@' || c == '[' || c == ']' || c == '_'
}

// urlEnd reports whether a URL found ending at text[end] ends there: what
// follows is no more path (a page's URL may go on with "/", "/index.html",
// a query or a fragment); quoted URLs must end at a quote, query or
// fragment.
func (ix *Index) urlEnd(text []byte, end, item int, quoted bool) bool {
	rest := text[end:]
	if ix.page[item] && len(rest) > 0 && rest[0] == '/' {
		rest = bytes.TrimPrefix(rest[1:], []byte("index.html"))
	}
	if len(rest) == 0 {
		return !quoted
	}
	c := rest[0]
	if quoted {
		return isQuote(c) || c == '?' || c == '#'
	}
	if c == '.' {
		return len(rest) == 1 || !pathByte(rest[1])
	}
	return !pathByte(c) && c != '/'
}

// link takes the value of a URL attribute: the whole value and each of
// its fields (srcset, ping and SVG values lists) are link targets.
func (c *collector) link(val string) {
	v := strings.TrimSpace(val)
	c.target(v)
	if strings.ContainsAny(v, " \t\n\r\f,;") {
		for _, f := range strings.FieldsFunc(v, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == ',' || r == ';'
		}) {
			c.target(f)
		}
	}
}

// target records one link target: resolved now when absolute or
// root-relative, kept for the file's folder when relative.
func (c *collector) target(ref string) {
	ref = strings.Trim(ref, " \t\n\r\f\"'")
	if len(ref) > 4 && strings.EqualFold(ref[:4], "url=") {
		ref = strings.Trim(ref[4:], " \t\n\r\f\"'")
	}
	ref = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1 // a browser drops these from URLs
		}
		return r
	}, ref)
	if ref == "" || ref[0] == '#' || ref[0] == '?' {
		return
	}
	if len(ref) > 5 && strings.EqualFold(ref[:5], "data:") {
		c.dataURL(ref[5:])
		return
	}
	if id, ok := c.ix.absolute(ref); ok {
		c.refs.add(id, Link, func() string { return ref })
		return
	}
	if !hasScheme(ref) && ref[0] != '/' && ref[0] != '\\' {
		c.rel = append(c.rel, ref)
	}
}

// absolute resolves an absolute, scheme-relative or root-relative
// reference to an item.
func (ix *Index) absolute(ref string) (int, bool) {
	ref = strings.ReplaceAll(ref, `\`, "/")
	if hasScheme(ref) || strings.HasPrefix(ref, "//") {
		if ix.site == nil {
			return 0, false
		}
		p, _, ok := ix.site.Local(ref)
		if !ok {
			return 0, false
		}
		return ix.lookup(p)
	}
	if ref[0] != '/' {
		return 0, false
	}
	raw, _ := splitSuffix(ref)
	if ix.site != nil && ix.base != "" {
		if p, _, ok := ix.site.StripBase(raw, ""); ok {
			if id, ok := ix.lookup(p); ok {
				return id, true
			}
		}
	}
	return ix.lookup(raw)
}

// quotedRel takes the relative URLs that start with "./" or "../" in a
// script, a JSON file or plain text, quoted (fetch("../a/b/"),
// {"start_url": "./a/"}) or as a markdown link destination
// ("[x](../a/b/)", "[x]: ../a/b/" too), as URLs written as text (relText),
// resolved against the file's folder as a browser resolves them from a
// page beside it.
func (c *collector) quotedRel(raw []byte) {
	if !bytes.Contains(raw, []byte("./")) && !bytes.Contains(raw, []byte(".\\/")) {
		return
	}
	t := decode(raw, true)
	for i := 0; ; {
		j := bytes.Index(t[i:], []byte("./"))
		if j < 0 {
			return
		}
		at := i + j - 1 // the "." or the second "." of "../"
		if at >= 0 && t[at] == '.' {
			at--
		}
		i += j + 2
		start := at + 1
		if at < 0 {
			continue
		}
		var stop string
		switch t[at] {
		case '"', '\'', '`':
			stop = string(t[at]) + "\n"
		case '(':
			if at > 0 && t[at-1] == ']' {
				stop = ") \t\n"
			}
		case '<':
			if at > 1 && t[at-1] == '(' && t[at-2] == ']' {
				stop = ">\n"
			}
		case ' ', '\t':
			k := at
			for k > 0 && (t[k-1] == ' ' || t[k-1] == '\t') {
				k--
			}
			if k > 0 && t[k-1] == ':' && k > 1 && t[k-2] == ']' {
				stop = " \t\n" // [x]: ../a/b/
			}
		}
		if stop == "" {
			continue
		}
		end := bytes.IndexAny(t[start:], stop)
		if end < 0 {
			end = len(t) - start
		}
		c.rel = append(c.rel, relText+string(t[start:start+end]))
	}
}

// cleanPath percent-decodes and cleans a path as a browser reaches it,
// keeping a final slash (also after "." or "..").
func cleanPath(p string) string {
	if strings.IndexByte(p, '%') >= 0 {
		p = string(unescapePercent([]byte(p)))
	}
	dir := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") || p == "." || p == ".."
	c := path.Clean("/" + p)
	if dir && c != "/" {
		c += "/"
	}
	return c
}

// hasScheme reports whether ref starts with a URL scheme ("https:",
// "mailto:", "javascript:").
func hasScheme(ref string) bool {
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c == ':':
			return i > 0
		case alnumTab[c] && (i > 0 || c > '9'), i > 0 && (c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// splitSuffix splits "/a/b?q#f" into "/a/b" and "?q#f".
func splitSuffix(s string) (p, suffix string) {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// css finds the targets of a style sheet or style attribute: each url()
// (one a browser closes at the end of the sheet too), and each string
// that @import, image-set(), cross-fade(), image() or src() loads (written
// without url()), CSS escapes undone ("\\61 dmin" is "admin"); a
// sheet that holds escapes is also searched as text once they are undone.
func (c *collector) css(b []byte) {
	if bytes.IndexByte(b, '\\') >= 0 {
		b = unescapeCSS(b)
		c.text(b, true)
	}
	s := string(b)
	low := asciiLower(s)
	for off := 0; ; {
		i := strings.Index(low[off:], "url(")
		if i < 0 {
			break
		}
		off += i + 4
		end := strings.IndexByte(s[off:], ')')
		if end < 0 {
			end = len(s) - off // a browser closes it at the end
		}
		c.target(s[off : off+end])
		off += end
	}
	var fns []string // the functions open around i, innermost last
	for i := 0; i < len(s); {
		switch ch := s[i]; {
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return
			}
			i += end + 4
		case ch == '"' || ch == '\'':
			end := strings.IndexAny(s[i+1:], string(ch)+"\n")
			if end < 0 {
				end = len(s) - i - 1
			}
			if loadsString(low[:i], fns) {
				c.target(s[i+1 : i+1+end])
			}
			i += end + 2
		case ch == '(':
			j := i
			for j > 0 && (alnumTab[low[j-1]] || low[j-1] == '-') {
				j--
			}
			fns = append(fns, strings.TrimPrefix(strings.TrimPrefix(low[j:i], "-webkit-"), "-moz-"))
			i++
		case ch == ')':
			if len(fns) > 0 {
				fns = fns[:len(fns)-1]
			}
			i++
		case ch == ';' || ch == '{' || ch == '}':
			fns = fns[:0]
			i++
		default:
			i++
		}
	}
}

// loadsString reports whether a CSS string that follows before, inside
// the functions fns, is a URL a browser loads: after @import, or an
// argument of image-set(), cross-fade(), image() or src().
func loadsString(before string, fns []string) bool {
	if len(fns) > 0 {
		switch fns[len(fns)-1] {
		case "image-set", "cross-fade", "image", "src", "url":
			return true
		}
		return false
	}
	before = strings.TrimRight(before, " \t\r\n\f")
	for strings.HasSuffix(before, "*/") {
		k := strings.LastIndex(before, "/*")
		if k < 0 {
			break
		}
		before = strings.TrimRight(before[:k], " \t\r\n\f")
	}
	return strings.HasSuffix(before, "@import")
}

// asciiLower lower-cases the ASCII letters of s, keeping every offset.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// unescapeCSS undoes CSS escapes: a backslash and one to six hex digits
// (and one white space after them) is that code point, a backslash and a
// line break nothing, a backslash and another character that character.
func unescapeCSS(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		j, r := i+1, rune(0)
		for j < len(b) && j < i+7 && unhex(b[j]) >= 0 {
			r = r<<4 | rune(unhex(b[j]))
			j++
		}
		switch {
		case j > i+1:
			if r == 0 || r > utf8.MaxRune || r >= 0xD800 && r < 0xE000 {
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			if j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\f') {
				j++
			} else if j+1 < len(b) && b[j] == '\r' && b[j+1] == '\n' {
				j += 2
			}
			i = j - 1
		case b[j] == '\n' || b[j] == '\f':
			i = j
		case b[j] == '\r':
			i = j
			if j+1 < len(b) && b[j+1] == '\n' {
				i++
			}
		default:
			out = append(out, b[j])
			i = j
		}
	}
	return out
}

// maxDataDepth bounds how deep data: URLs nested in data: URLs are read.
const maxDataDepth = 8

// dataURL reads the payload of a data: URL (what follows "data:") as a
// browser draws it where the URL is used: an image's SVG, an iframe's
// HTML, a style sheet's text. The payload is percent-decoded, then, when
// its media type ends in ";base64", base64-decoded (ASCII white space
// ignored, up to the first byte that is not base64); text in any encoding
// Sniff tells is scanned as markup when the media type names HTML, SVG or
// XML or the payload starts with "<", else as text and CSS. A document
// made from a data: URL has no base URL, so its relative links lead
// nowhere and are not kept. A payload that is not base64 is read by the
// text scan of the value that holds it (percent-decoding included): its
// titles are not looked for again, so that TitleFilter, which reads the
// file's bytes, finds every title the scanner does.
func (c *collector) dataURL(v string) {
	if c.depth >= maxDataDepth {
		return
	}
	meta, payload, ok := strings.Cut(v, ",")
	if !ok {
		return
	}
	meta = strings.TrimSpace(asciiLower(meta))
	body := unescapePercent([]byte(payload))
	b64 := false
	if i := strings.LastIndexByte(meta, ';'); i >= 0 && strings.TrimSpace(meta[i+1:]) == "base64" {
		b64 = true
		body = forgivingBase64(body)
	}
	enc := Sniff(body)
	if enc == NotText || len(body) == 0 {
		return
	}
	skip, rel := c.skip, len(c.rel)
	c.depth++
	defer func() { c.skip, c.rel, c.depth = skip, c.rel[:rel], c.depth-1 }()
	markup := strings.Contains(meta, "html") || strings.Contains(meta, "svg") || strings.Contains(meta, "xml")
	_ = dataReadings(meta, body, enc, func(text []byte) error {
		c.skip, c.rel = skip, c.rel[:rel]
		if !b64 && bytes.Equal(text, body) {
			// the value's own text scan read these words as they are
			c.skip[Title] = true
		} else {
			// words no filter over the file's bytes can see
			c.refs.add(0, hidden, func() string { return "data:" + meta })
		}
		t := bytes.TrimLeft(bytes.TrimPrefix(text, []byte("\xef\xbb\xbf")), " \t\r\n")
		if markup || len(t) > 0 && t[0] == '<' {
			c.html(text)
			return nil
		}
		c.text(text, true)
		c.css(text)
		return nil
	})
}

// dataReadings calls fn with every text a browser may show for a data:
// URL's payload body of encoding enc (Sniff's): in the charset its media
// type names, when it names one a browser knows; else as EachReading
// reads a file (undeclared legacy text in every encoding a browser may
// guess), the payload read as Decode reads it first.
func dataReadings(meta string, body []byte, enc Encoding, fn func([]byte) error) error {
	for _, param := range strings.Split(meta, ";")[1:] {
		k, v, ok := strings.Cut(param, "=")
		if !ok || strings.TrimSpace(k) != "charset" {
			continue
		}
		if out, ok := decodeLabel(strings.Trim(strings.TrimSpace(v), `"'`), body); ok {
			return fn(out)
		}
	}
	// as a file of no name: the payload's markup, if any, declares
	return EachReading("", body, enc, fn)
}

// forgivingBase64 decodes base64 as a browser decodes a data: URL's
// payload, ASCII white space ignored; it stops at the first byte that is
// not base64 (or padding), decoding what came before.
func forgivingBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
scan:
	for _, c := range b {
		switch {
		case alnumTab[c] || c == '+' || c == '/':
			clean = append(clean, c)
		case asciiSpace[c]:
		default:
			break scan
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out, err := base64.RawStdEncoding.DecodeString(string(clean))
	if err != nil {
		return nil
	}
	return out
}
