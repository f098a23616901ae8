package verify

import (
	"bytes"
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// decode returns the text of src as a reader would take it from
// any of the encodings a file can carry a URL or a title in: HTML and XML
// character references ("&#47;", "&amp;"), JSON and JavaScript escapes
// ("\/", "\u002f"), and percent-encoding ("%63", "%20"), undone in turn
// until none is left (at most three rounds, for nested forms); the caller
// then collapses it (see collapse). entities is false for text an HTML
// tokenizer already decoded.
func decode(src []byte, entities bool) []byte {
	buf := src
	for round := 0; round < 3 && bytes.ContainsAny(buf, "&\\%"); round++ {
		next := buf
		if (entities || round > 0) && bytes.IndexByte(next, '&') >= 0 {
			next = []byte(html.UnescapeString(string(next)))
		}
		if bytes.IndexByte(next, '\\') >= 0 {
			next = unescapeJSON(next)
		}
		if bytes.IndexByte(next, '%') >= 0 {
			next = unescapePercent(next)
		}
		if bytes.Equal(next, buf) {
			break
		}
		buf = next
	}
	return buf
}

// collapse appends src to dst with each run of Unicode white space
// (no-break spaces included) turned into one space, invisible format
// characters (soft hyphen, zero-width space and joiners, bidi marks)
// dropped, typographic apostrophes and quotes made ASCII, and decomposed
// letters composed (NFC); fold receives the same text case-folded, at the
// same offsets (see foldRune). It returns both.
func collapse(dst, fold, src []byte) ([]byte, []byte) {
	start, fstart := len(dst), len(fold)
	space, marks := false, false
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				space = true
				i++
				continue
			}
			if space {
				dst, fold = append(dst, ' '), append(fold, ' ')
				space = false
			}
			j := i + 1
			for j < len(src) && src[j] < utf8.RuneSelf && !asciiSpace[src[j]] {
				j++
			}
			dst, fold = append(dst, src[i:j]...), appendLower(fold, src[i:j])
			i = j
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		i += n
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			dst, fold = append(dst, ' '), append(fold, ' ')
			space = false
		}
		if a := asciiPunct(r); a != 0 {
			dst, fold = append(dst, a), append(fold, a)
			continue
		}
		marks = marks || unicode.Is(unicode.Mn, r)
		dst = utf8.AppendRune(dst, r)
		fold = utf8.AppendRune(fold, foldRune(r))
	}
	if space {
		dst, fold = append(dst, ' '), append(fold, ' ')
	}
	if marks && !norm.NFC.IsNormal(dst[start:]) {
		composed := norm.NFC.Bytes(dst[start:])
		return collapse(dst[:start], fold[:fstart], composed)
	}
	return dst, fold
}

// foldRune is r lower-cased when that keeps its UTF-8 length (so that a
// text and its folded copy share offsets), else r.
func foldRune(r rune) rune {
	l := unicode.ToLower(r)
	if utf8.RuneLen(l) != utf8.RuneLen(r) {
		return r
	}
	return l
}

// appendLower appends the ASCII text run, lower-cased, to dst.
func appendLower(dst, run []byte) []byte {
	dst = slices.Grow(dst, len(run))
	k := len(dst)
	dst = dst[:k+len(run)]
	for x, b := range run {
		dst[k+x] = lowerASCII[b]
	}
	return dst
}

// asciiSpace marks ASCII white space.
var asciiSpace = [256]bool{' ': true, '\n': true, '\t': true, '\r': true, '\f': true, '\v': true}

// lowerASCII lower-cases ASCII letters.
var lowerASCII = func() (t [128]byte) {
	for c := range t {
		t[c] = byte(c)
		if c >= 'A' && c <= 'Z' {
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

// asciiPunct maps typographic apostrophes and quotes to the ASCII ones an
// author may type for them; 0 for other runes.
func asciiPunct(r rune) byte {
	switch r {
	case '\u2018', '\u2019', '\u02bc', '\u2032', '\uff07':
		return '\''
	case '\u201c', '\u201d', '\u201e', '\u2033', '\uff02':
		return '"'
	}
	return 0
}

// unescapeJSON undoes "\uXXXX" (surrogate pairs included) and the one-
// character escapes of JSON and JavaScript; other backslashes stay.
func unescapeJSON(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			out = append(out, c)
			continue
		}
		switch e := b[i+1]; e {
		case '/', '"', '\'', '\\':
			out = append(out, e)
			i++
		case 'n', 't', 'r':
			out = append(out, ' ')
			i++
		case 'u':
			r, n := hexRune(b[i+2:])
			if n == 0 {
				out = append(out, c)
				continue
			}
			if utf16Surrogate(r) && n == 4 && len(b) >= i+12 && b[i+6] == '\\' && b[i+7] == 'u' {
				if lo, m := hexRune(b[i+8:]); m == 4 {
					r = (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
					n += 6
				}
			}
			out = utf8.AppendRune(out, r)
			i += 1 + n
		default:
			out = append(out, c)
		}
	}
	return out
}

func utf16Surrogate(r rune) bool { return r >= 0xD800 && r < 0xDC00 }

// hexRune reads the four hex digits of a \u escape.
func hexRune(b []byte) (rune, int) {
	if len(b) < 4 {
		return 0, 0
	}
	var r rune
	for _, c := range b[:4] {
		d := unhex(c)
		if d < 0 {
			return 0, 0
		}
		r = r<<4 | rune(d)
	}
	return r, 4
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unescapePercent undoes every valid "%XX"; a "%" without two hex digits
// stays as written ("100%").
func unescapePercent(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '%' && i+2 < len(b) {
			if h, l := unhex(b[i+1]), unhex(b[i+2]); h >= 0 && l >= 0 {
				out = append(out, byte(h<<4|l))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// wordRune reports whether r belongs to a word: a letter, a digit or a
// combining mark ("_" is not: "_Title_" is markdown emphasis).
func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return alnumTab[byte(r)]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// unspaced are scripts written without spaces between words: every
// character boundary in them is a word boundary.
var unspaced = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar}

func isUnspaced(r rune) bool { return r >= 0x0E00 && unicode.In(r, unspaced...) }

// boundary reports whether a word boundary lies between runes a and b
// (utf8.RuneError standing for the start or end of the text).
func boundary(a, b rune) bool {
	if a == utf8.RuneError || b == utf8.RuneError {
		return true
	}
	if !wordRune(a) || !wordRune(b) {
		return true
	}
	return isUnspaced(a) || isUnspaced(b)
}

// titleBounded reports whether text[at:end] stands on word boundaries.
func titleBounded(text []byte, at, end int) bool {
	before, after := utf8.RuneError, utf8.RuneError
	if at > 0 {
		before, _ = utf8.DecodeLastRune(text[:at])
	}
	if end < len(text) {
		after, _ = utf8.DecodeRune(text[end:])
	}
	first, _ := utf8.DecodeRune(text[at:end])
	last, _ := utf8.DecodeLastRune(text[at:end])
	return boundary(before, first) && boundary(last, after)
}

// NormTitle is a title as the verifier looks for it: trimmed, collapsed
// and case-folded as every text it scans is (see collapse).
func NormTitle(t string) string {
	_, f := collapse(nil, nil, []byte(t))
	return strings.TrimSpace(string(f))
}

// LowInfo reports whether a title says too little to be told apart from
// ordinary text, so that only its page's URL is looked for: it holds fewer
// than three letters (an ideograph counts as two: "Go", "v2", "2024-05-01",
// "42"), or every word of it is a number (optionally ordinal: "3rd"), a
// month or a weekday name or abbreviation ("May 2024", "Mon 3 June").
func LowInfo(t string) bool {
	letters := 0
	for _, r := range t {
		switch {
		case isUnspaced(r):
			letters += 2
		case unicode.IsLetter(r):
			letters++
		}
	}
	if letters < 3 {
		return true
	}
	words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		if !dateWord(w) {
			return false
		}
	}
	return len(words) > 0
}

// dateWord reports whether w is a number or a calendar word.
func dateWord(w string) bool {
	digits := strings.TrimRightFunc(w, unicode.IsLetter)
	if digits != "" && strings.TrimLeftFunc(digits, unicode.IsDigit) == "" {
		suffix := strings.ToLower(w[len(digits):])
		return suffix == "" || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th"
	}
	return calendarWords[strings.ToLower(w)]
}

var calendarWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`january february march april may june july august
		september october november december jan feb mar apr jun jul aug sep sept oct nov dec
		monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
		thurs fri sat sun`) {
		m[w] = true
	}
	return m
}()
