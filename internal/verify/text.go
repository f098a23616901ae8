package verify

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// decode appends to dst the text of src as a reader would take it from
// any of the encodings a file can carry a URL or a title in: HTML and XML
// character references ("&#47;", "&amp;"), JSON and JavaScript escapes
// ("\/", "\u002f"), and percent-encoding ("%63", "%20"), undone in turn
// until none is left (at most three rounds, for nested forms), with every
// run of white space made one space. entities is false for text an HTML
// tokenizer already decoded.
func decode(dst, src []byte, entities bool) []byte {
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
	return collapse(dst, buf)
}

// collapse appends src to dst with each run of Unicode white space
// (no-break spaces included) turned into one space.
func collapse(dst, src []byte) []byte {
	space := false
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				space = true
				i++
				continue
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, src[i:i+n]...)
		}
		i += n
	}
	if space {
		dst = append(dst, ' ')
	}
	return dst
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

// wordRune reports whether r belongs to a word: a letter, a digit, a
// combining mark, or "_".
func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return alnumTab[byte(r)] || r == '_'
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

// NormTitle is a title as the verifier looks for it: trimmed, with each run
// of white space made one space.
func NormTitle(t string) string {
	return strings.TrimSpace(string(collapse(nil, []byte(t))))
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
