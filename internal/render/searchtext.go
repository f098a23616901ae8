package render

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"unicode"
	"unicode/utf8"
)

// pageText is one page body's text as the search index takes it: the
// text before the first heading with an id, then each such heading's
// part of the page (its text first), whitespace collapsed.
type pageText struct {
	ids   []string // ids of the headings that start parts 1..n
	heads []string // their text
	segs  []string // segs[0]: before any heading; segs[k]: under ids[k-1]
	// inHead[k] is the length of the start of segs[k] that is its
	// heading's text.
	inHead []int
}

// extractText reads the full text of a page body. Like plainText it skips
// comments, scripts, styles and aria-hidden elements (heading anchors),
// and separates the text of blocks; the text of code blocks is kept.
func extractText(body []byte) pageText {
	var pt pageText
	// The text of every part goes into one buffer, made a string once:
	// the parts and headings are pieces of it.
	tb := textBuf{b: make([]byte, 0, len(body)/2)}
	var segEnds, headEnds []int // where each part and each heading end in tb.b
	space := false
	heading := "" // the heading element being read ("h2"), or ""
	startSeg := func() {
		segEnds = append(segEnds, len(tb.b))
		tb.seg = len(tb.b)
		space = false
	}
	for len(body) > 0 {
		i := bytes.IndexAny(body, "<&")
		if i < 0 {
			space = tb.add(body, space)
			break
		}
		space = tb.add(body[:i], space)
		body = body[i:]
		if body[0] == '&' {
			text, n := entity(body)
			space = tb.add(text, space)
			body = body[n:]
			continue
		}
		whole := body
		var t tag
		t, body = readTag(body)
		inner := whole[1 : len(whole)-len(body)]
		if isHeading(t.name) {
			switch {
			case t.start && heading == "":
				if id := attrValue(inner, "id"); id != "" {
					startSeg()
					pt.ids = append(pt.ids, id)
					heading = t.name
				}
			case !t.start && t.name == heading:
				headEnds = append(headEnds, len(tb.b))
				pt.inHead = append(pt.inHead, len(tb.b)-tb.seg)
				heading = ""
			}
		}
		if blocks[t.name] {
			space = true
		}
		if t.start && (t.name == "script" || t.name == "style" || t.name == "template" || t.hidden) {
			body = skipElement(body, t.name)
			space = true
		}
	}
	if heading != "" { // an unclosed heading
		headEnds = append(headEnds, len(tb.b))
		pt.inHead = append(pt.inHead, len(tb.b)-tb.seg)
	}
	segEnds = append(segEnds, len(tb.b))
	all := string(tb.b)
	pt.segs = make([]string, len(segEnds))
	start := 0
	for k, end := range segEnds {
		pt.segs[k] = all[start:end]
		start = end
	}
	pt.heads = make([]string, len(headEnds))
	for k, end := range headEnds {
		pt.heads[k] = all[segEnds[k]:end] // heading k starts part k+1
	}
	pt.inHead = append([]int{0}, pt.inHead...)
	return pt
}

// textBuf collects a page's text, whitespace collapsed; seg is where the
// current part starts in b.
type textBuf struct {
	b   []byte
	seg int
}

// add appends text with whitespace collapsed, as appendWords does
// without a limit, a run of non-space bytes at a time; space says a
// separator is pending (none starts a part). It returns whether one
// still is.
func (tb *textBuf) add(text []byte, space bool) bool {
	for len(text) > 0 {
		i := 0
		for i < len(text) {
			if k := byteClass[text[i]]; k == 1 {
				i++
			} else if n := uniSpace(text[i:], k); n > 0 {
				i += n
			} else {
				break
			}
			space = true
		}
		text = text[i:]
		j := 0
		for j < len(text) {
			k := byteClass[text[j]]
			if k == 0 {
				j++
				continue
			}
			if k == 1 || uniSpace(text[j:], k) > 0 {
				break
			}
			_, n := utf8.DecodeRune(text[j:])
			j += n
		}
		if j == 0 {
			break
		}
		if space && len(tb.b) > tb.seg {
			tb.b = append(tb.b, ' ')
		}
		space = false
		tb.b = append(tb.b, text[:j]...)
		text = text[j:]
	}
	return space
}

// byteClass: 0 for an ASCII byte that is not white space, 1 for ASCII
// white space, 2 for the first byte of a non-ASCII character.
var byteClass = func() (t [256]byte) {
	for c := 0x80; c < 256; c++ {
		t[c] = 2
	}
	for _, c := range " \t\n\r\f\v" {
		t[c] = 1
	}
	return t
}()

// uniSpace returns the length of the non-ASCII white space character at
// the start of b (class k), 0 when there is none.
func uniSpace(b []byte, k byte) int {
	if k != 2 {
		return 0
	}
	r, n := utf8.DecodeRune(b)
	if unicode.IsSpace(r) {
		return n
	}
	return 0
}

func isHeading(name string) bool {
	return len(name) == 2 && name[0] == 'h' && '1' <= name[1] && name[1] <= '6'
}

// attrValue returns the value of attribute name in a tag's inner text
// ("h2 id=\"x\""), "" when absent. Rendered markdown quotes attributes
// with '"'; other quoting is read too.
func attrValue(inner []byte, name string) string {
	for i := 0; i+len(name) < len(inner); i++ {
		c := inner[i]
		if c != ' ' && c != '\t' && c != '\n' {
			continue
		}
		rest := inner[i+1:]
		if !bytes.HasPrefix(rest, []byte(name)) || len(rest) <= len(name) || rest[len(name)] != '=' {
			continue
		}
		v := rest[len(name)+1:]
		if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
			end := bytes.IndexByte(v[1:], v[0])
			if end < 0 {
				return ""
			}
			return string(unescapeAttr(v[1 : 1+end]))
		}
		end := bytes.IndexAny(v, " \t\n/>")
		if end < 0 {
			end = len(v)
		}
		return string(v[:end])
	}
	return ""
}

// unescapeAttr decodes the character references of an attribute value.
func unescapeAttr(v []byte) []byte {
	if bytes.IndexByte(v, '&') < 0 {
		return v
	}
	var out []byte
	for len(v) > 0 {
		i := bytes.IndexByte(v, '&')
		if i < 0 {
			return append(out, v...)
		}
		out = append(out, v[:i]...)
		text, n := entity(v[i:])
		out = append(out, text...)
		v = v[i+n:]
	}
	return out
}

// Term flags, the low bits of a posting's info (see searchIndex).
const (
	inTitle   = 1 << 3
	inHeading = 1 << 2
	infoShift = 4 // info = anchor<<infoShift | flags | tf bucket
)

// termInfo is one term of a page: where it occurs and how often.
type termInfo struct {
	term   string
	anchor int // the part of its first occurrence (0: before any heading)
	flags  int // inTitle, inHeading
	count  int // occurrences in the body
}

// pageTerms lists the terms of a page: those of its title, then of its
// text by part, each once, in the order first met.
func pageTerms(title string, pt *pageText) []termInfo {
	var out []termInfo
	at := make(map[string]int, 256)
	var ws wordSplitter
	note := func(word []byte, anchor, flags int, body bool) {
		i, ok := at[string(word)]
		if !ok {
			i = len(out)
			term := string(word)
			at[term] = i
			out = append(out, termInfo{term: term, anchor: anchor})
		}
		ti := &out[i]
		if ti.count == 0 && body && ti.flags&inHeading == 0 {
			ti.anchor = anchor
		}
		if flags&inHeading != 0 && ti.flags&inHeading == 0 {
			ti.anchor = anchor
		}
		ti.flags |= flags
		if body {
			ti.count++
		}
	}
	ws.splitBytes(title, func(w []byte, _ bool) { note(w, 0, inTitle, false) })
	for k, seg := range pt.segs {
		h := pt.inHead[k]
		if h > 0 {
			ws.splitBytes(seg[:h], func(w []byte, _ bool) { note(w, k, inHeading, true) })
		}
		ws.splitBytes(seg[h:], func(w []byte, _ bool) { note(w, k, 0, true) })
	}
	return out
}

// tfBucket is a term's count in a page on a scale of 0 to 3.
func tfBucket(n int) int {
	switch {
	case n <= 1:
		return 0
	case n <= 3:
		return 1
	case n <= 7:
		return 2
	}
	return 3
}

// appendJSString appends s as a double-quoted JavaScript string that is
// also safe in HTML and JSON: quotes, backslashes, control characters,
// "<", ">", "&", U+2028 and U+2029 are escaped.
func appendJSString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' || r == utf8.RuneError && n == 1 {
			dst = append(dst, s[start:i]...)
			if r == utf8.RuneError {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&15])
			}
			i += n
			start = i
			continue
		}
		i += n
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// key is a 128-bit hash of everything pt holds, under two seeds.
// The headings are not hashed apart: each is the start of its part, as
// long as inHead says.
func (pt *pageText) key(seeds [2]maphash.Seed) [2]uint64 {
	var k [2]uint64
	for j, seed := range seeds {
		var h maphash.Hash
		h.SetSeed(seed)
		var n [8]byte
		list := func(ss []string) {
			binary.LittleEndian.PutUint64(n[:], uint64(len(ss)))
			h.Write(n[:])
			for _, s := range ss {
				binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
				h.Write(n[:])
				h.WriteString(s)
			}
		}
		list(pt.ids)
		list(pt.segs) // each heading is the start of its part (inHead)
		for _, v := range pt.inHead {
			binary.LittleEndian.PutUint64(n[:], uint64(v))
			h.Write(n[:])
		}
		k[j] = h.Sum64()
	}
	return k
}
