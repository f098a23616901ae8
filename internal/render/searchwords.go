package render

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Words of the search index. A term is a word of a page's text folded as
// assets/facet.js folds what the reader types (the two must agree):
//
//   - the text is decomposed for compatibility (NFKD: "ﬁ" is "fi", "é"
//     is "e" and a combining accent) and combining marks (Mn) are dropped,
//     so accents do not matter;
//   - a word is a run of letters and decimal digits; everything else
//     separates words, "_" included, so code is split at its punctuation
//     ("read_file(x)" is "read", "file" and "x");
//   - a Han, Hiragana or Katakana character is a word of its own (those
//     scripts do not separate words with spaces);
//   - letters are lower-cased rune by rune, and a final sigma is a sigma;
//   - a word of mixed case whose case changes inside it ("ReadFile",
//     "parseHTTPHeader") is also indexed by its parts ("read", "file";
//     "parse", "http", "header"), so identifiers in code are found by
//     their words;
//   - words longer than maxTermLen bytes (hashes, base64 in code) are not
//     indexed.
//
// There is no stemming: the last word typed is also matched as a prefix,
// which finds "install" in "installing".

// maxTermLen is the longest term indexed, in bytes.
const maxTermLen = 64

// SearchWords calls fn with every term of text, in order, as the search
// index holds them; part is true for the parts of a mixed-case word
// (which follow the word). The verifier's shard check uses it to know
// which words a page holds.
func SearchWords(text string, fn func(term string, part bool)) {
	var w wordSplitter
	w.split(text, fn)
}

// wordSplitter splits text into terms, reusing its buffers.
type wordSplitter struct {
	word  []byte // the folded word being read
	orig  []rune // the word as written (for its mixed-case parts)
	mixed bool
}

func (w *wordSplitter) split(text string, fn func(string, bool)) {
	w.splitBytes(text, func(b []byte, part bool) { fn(string(b), part) })
}

// splitBytes is split handing over each term in a buffer that is reused.
func (w *wordSplitter) splitBytes(text string, fn func([]byte, bool)) {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii && !norm.NFKD.IsNormalString(text) {
		text = norm.NFKD.String(text)
	}
	w.word, w.orig = w.word[:0], w.orig[:0]
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			w.add(r, r)
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			w.add(r+'a'-'A', r)
		case r < utf8.RuneSelf:
			w.flush(fn)
		case unicode.Is(unicode.Mn, r):
			// an accent: dropped, inside the word
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			w.flush(fn)
			w.add(r, r)
			w.flush(fn)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			l := unicode.ToLower(r)
			if l == 'ς' {
				l = 'σ'
			}
			w.add(l, r)
		default:
			w.flush(fn)
		}
	}
	w.flush(fn)
}

func (w *wordSplitter) add(folded, orig rune) {
	w.word = utf8.AppendRune(w.word, folded)
	w.orig = append(w.orig, orig)
	if folded != orig {
		w.mixed = true
	}
}

// flush hands over the word read, and its parts when its case changes
// inside it.
func (w *wordSplitter) flush(fn func([]byte, bool)) {
	if len(w.word) == 0 {
		return
	}
	if len(w.word) <= maxTermLen {
		fn(w.word, false)
		if w.mixed {
			w.parts(fn)
		}
	}
	w.word, w.orig, w.mixed = w.word[:0], w.orig[:0], false
}

// parts hands over the parts of a mixed-case word: a part starts at an
// upper-case letter after a lower-case one ("read|File"), at the last of
// a run of upper-case letters followed by a lower-case one
// ("HTTP|Header"), and where letters and digits meet.
func (w *wordSplitter) parts(fn func([]byte, bool)) {
	o := w.orig
	start := 0
	var cuts []int
	for i := 1; i < len(o); i++ {
		a, b := o[i-1], o[i]
		switch {
		case unicode.IsLower(a) && unicode.IsUpper(b),
			unicode.IsUpper(a) && unicode.IsUpper(b) && i+1 < len(o) && unicode.IsLower(o[i+1]),
			unicode.IsDigit(a) != unicode.IsDigit(b):
			cuts = append(cuts, i)
		}
	}
	if len(cuts) == 0 {
		return
	}
	cuts = append(cuts, len(o))
	var b []byte
	for _, end := range cuts {
		b = b[:0]
		for _, r := range o[start:end] {
			l := unicode.ToLower(r)
			if l == 'ς' {
				l = 'σ'
			}
			b = utf8.AppendRune(b, l)
		}
		fn(b, true)
		start = end
	}
}

// BodyWords calls fn with every term the search index takes from a page
// body (its text, code included), as SearchWords splits it.
func BodyWords(body []byte, fn func(term string)) {
	pt := extractText(body)
	var w wordSplitter
	for _, seg := range pt.segs {
		w.split(seg, func(term string, _ bool) { fn(term) })
	}
}
