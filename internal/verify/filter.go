package verify

import (
	"hash/maphash"
	"sync"
	"unicode/utf8"
)

// TitleFilter tells, without tokenizing or decoding a file, that the
// scanner cannot find some titles in it. A rebuild after a page's title
// changed keeps the references of every unchanged file that the filter
// clears and scans again only the others.
//
// It looks for each title as the index does (NormTitle): its ASCII letters
// and digits in order, and between two runs of them a gap (what the title
// has there: spaces, punctuation, other letters). A title the scanner
// finds is that sequence in the folded text it matches; each letter of it
// comes from the file as
//   - the same ASCII letter or digit, in either case;
//   - part of an escape the scanner decodes (a character reference, a
//     JSON, JavaScript or CSS escape, percent-encoding, nested up to three
//     times), each of which starts with "&", "\" or "%" and decodes to at
//     most two characters ("&fjlig;" is "fj");
//   - a non-ASCII character made ASCII (NFC makes the Kelvin sign a "K");
//
// and each gap from one or more bytes that are not ASCII letters or
// digits, or from escapes. Between two letters the file may hold what the
// scanner passes over: an inline tag, a markdown mark ("*", "_", "~",
// "`"), a format character (a soft hyphen) or the rest of an escape's
// syntax. So the filter runs a shift-and automaton over the raw bytes in
// which
//   - an ASCII letter or digit is itself;
//   - another ASCII byte is a byte of a gap; a markdown mark may also be
//     nothing;
//   - "&", "\", "%" and every non-ASCII character may stand for up to two
//     characters of any kind or for nothing; after "&", "\" or "%", each
//     of the next 40 bytes that may belong to an escape's syntax
//     ([A-Za-z0-9#;{}], and one white space after a backslash) may be
//     itself or nothing;
//   - a tag ("<" to the ">" outside quoted attribute values) may be
//     nothing or a gap (<br>), while its own bytes (attribute values, or
//     text in a file where "<" is text) are searched as well; a "<" that
//     opens no tag in HTML (before anything but a letter, "/", "!" or
//     "?") is a byte of a gap.
//
// Every way the scanner can read a title is one of the automaton's paths,
// so a file the filter clears holds none of the titles, and a file it
// does not clear may or may not (it is scanned). Markup re-parsed after
// decoding (an iframe's srcdoc, whose tags are character references) is
// one case the automaton does not model: a file with a tag naming
// srcdoc is never cleared. The payload of a data: URL in base64, which
// the scanner reads for titles its bytes do not show, is the other: the
// scan of such a file says so (Packed.Hides), and a rebuild scans it
// again rather than ask the filter. FuzzTitleFilter checks the promise
// against the scanner.
type TitleFilter struct {
	titles []filterTitle
	pieces [][pieceShards]pieceShard // by title: what its automaton did over pieces met before
	seeds  [2]maphash.Seed
}

// A rebuild filters every file of every build, and files share most of
// their bytes: the variants of a page differ in a few links, and every
// page carries the same header and footer. So MayHold cuts a file into
// pieces where the scanner cuts it (nextSplit: line starts that open or
// close a block, after pieceMin bytes) and keeps, by a hash of each
// piece, what the automaton did over it when it entered it clean (where
// every file starts): whether the title ended in it, and the state it
// left. A piece met again entered clean is not run; one entered in any
// other state is. The answer is the automaton's over the whole file,
// exactly (TestTitleFilterPiecesExactly).

// pieceMin is the least length of a piece, as of the scanner's chunks.
const pieceMin = minChunk

// pieceShards is the number of locks the pieces are kept under.
const pieceShards = 16

// pieceShard holds pieces by one of their two hashes.
type pieceShard struct {
	mu sync.Mutex
	m  map[uint64]pieceRun
}

// pieceRun is what a title's automaton did over a piece entered clean;
// check and n are the piece's other hash and its length.
type pieceRun struct {
	check uint64
	n     int
	held  bool
	end   filterState
}

// filterTitle is one title as a shift-and automaton: a bit per letter and
// per gap, in order.
type filterTitle struct {
	mask    [256]uint64 // bit i: the byte is letter i (either case)
	letters uint64      // the bits of letters
	gaps    uint64      // the bits of gaps
	preGap  uint64      // the bits of letters a gap follows
	final   uint64      // the bit of the last letter
	// skip marks the bytes after which no state is set when none was:
	// ASCII bytes other than the first letter and the first bytes of
	// escapes, tags and marks.
	skip [256]bool
}

// minFilterLetters is the fewest letters a filter looks for: fewer are in
// too many files to clear any.
const minFilterLetters = 3

// escapeTail is how many bytes after an escape's first byte may belong to
// its syntax: the longest character reference name is 32 bytes.
const escapeTail = 40

// NewTitleFilter returns a filter for titles, as items carry them (an
// empty title is not looked for and is skipped). ok is false when a title
// has fewer than three ASCII letters and digits to look for: the caller
// must scan every file.
func NewTitleFilter(titles []string) (f *TitleFilter, ok bool) {
	f = &TitleFilter{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	for _, t := range titles {
		n := NormTitle(t)
		if n == "" {
			continue
		}
		ft, ok := newFilterTitle(n)
		if !ok {
			return nil, false
		}
		f.titles = append(f.titles, ft)
	}
	f.pieces = make([][pieceShards]pieceShard, len(f.titles))
	return f, true
}

// newFilterTitle makes the automaton of a normalized title: from its
// first ASCII letter or digit to its last, each a bit, each run of other
// bytes between them one gap bit; a title longer than 64 bits is cut (a
// part of a title is in every file the title is).
func newFilterTitle(n string) (filterTitle, bool) {
	var ft filterTitle
	first, last := -1, -1
	for i := 0; i < len(n); i++ {
		if alnumTab[n[i]] {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return ft, false
	}
	bit, letters := 0, 0
	for i := first; i <= last && bit < 64; i++ {
		c := n[i]
		if !alnumTab[c] {
			if i > 0 && alnumTab[n[i-1]] {
				if bit == 63 {
					break // a gap cannot end the title
				}
				ft.preGap |= 1 << (bit - 1)
				ft.gaps |= 1 << bit
				bit++
			}
			continue
		}
		ft.mask[c] |= 1 << bit
		if c >= 'a' && c <= 'z' {
			ft.mask[c-'a'+'A'] |= 1 << bit
		}
		ft.letters |= 1 << bit
		ft.final = 1 << bit
		bit++
		letters++
	}
	if letters < minFilterLetters {
		return ft, false
	}
	ft.preGap &^= ft.final
	for c := 0; c < utf8.RuneSelf; c++ {
		ft.skip[c] = ft.mask[c]&1 == 0 && plainByte[c]
	}
	return ft, true
}

// MayHold reports whether the scanner may find one of the filter's titles
// in data; false means it finds none of them.
func (f *TitleFilter) MayHold(data []byte) bool {
	if f == nil {
		return false
	}
	for i := range f.titles {
		if f.in(i, data) {
			return true
		}
	}
	return false
}

// in is f.titles[i].in(data), piece by piece.
func (f *TitleFilter) in(i int, data []byte) bool {
	ft := &f.titles[i]
	if len(data) < 2*pieceMin {
		return ft.in(data)
	}
	var st filterState
	for start := 0; start < len(data); {
		end := nextSplit(data, start+pieceMin)
		piece := data[start:end]
		start = end
		if !st.clean() {
			if ft.runFrom(&st, piece, true) {
				return true
			}
			continue
		}
		h, check := maphash.Bytes(f.seeds[0], piece), maphash.Bytes(f.seeds[1], piece)
		sh := &f.pieces[i][h%pieceShards]
		sh.mu.Lock()
		r, ok := sh.m[h]
		sh.mu.Unlock()
		if !ok || r.check != check || r.n != len(piece) {
			var end filterState
			r = pieceRun{check: check, n: len(piece), held: ft.runFrom(&end, piece, true), end: end}
			sh.mu.Lock()
			if sh.m == nil {
				sh.m = map[uint64]pieceRun{}
			}
			sh.m[h] = r
			sh.mu.Unlock()
		}
		if r.held {
			return true
		}
		st = r.end
	}
	return false
}

// srcdoc is the attribute whose value the scanner parses as markup.
const srcdoc = "srcdoc"

// letter is the states after the letter c.
func (ft *filterTitle) letter(d uint64, c byte) uint64 {
	return (d<<1 | 1) & ft.mask[c]
}

// gap is the states after a byte of a gap.
func (ft *filterTitle) gap(d uint64) uint64 {
	return (d&ft.preGap)<<1 | d&ft.gaps
}

// tagReader follows a tag as the tokenizer reads it: where it ends (the
// first ">" outside a quoted attribute value) and whether an attribute
// name in it is srcdoc.
type tagReader struct {
	quote byte // the quote of the attribute value open
	eq    bool // after "=", before the value
	name  int  // the bytes of "srcdoc" just read
}

// step reads the tag's next byte c: end when it ends the tag, named when
// it completes "srcdoc" outside a quoted value.
func (t *tagReader) step(c byte) (end, named bool) {
	switch {
	case t.quote != 0:
		if c == t.quote {
			t.quote = 0
		}
	case c == '>':
		return true, false
	case t.eq && (c == '"' || c == '\''):
		t.quote, t.eq = c, false
	case c == '=':
		t.eq = true
	case !asciiSpace[c]:
		t.eq = false
	}
	switch l := lowerASCII[c&0x7f]; {
	case t.quote != 0 || c >= utf8.RuneSelf:
		t.name = 0
	case l == srcdoc[t.name]:
		if t.name++; t.name == len(srcdoc) {
			return false, true
		}
	case l == srcdoc[0]:
		t.name = 1
	default:
		t.name = 0
	}
	return false, false
}

// opensTag marks the bytes after "<" at which the HTML tokenizer opens a
// tag, a comment or a doctype: ASCII letters, "/", "!" and "?".
var opensTag = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	t['/'], t['!'], t['?'] = true, true, true
	return t
}()

// anyTwo is the states after up to two characters of any kind.
func (ft *filterTitle) anyTwo(d uint64) uint64 {
	one := (d<<1|1)&ft.letters | ft.gap(d)
	two := (one<<1|1)&ft.letters | ft.gap(one)
	return d | one | two
}

// in runs the automaton over b (see TitleFilter): whether the title is
// one of its paths, or b has a tag naming srcdoc.
func (ft *filterTitle) in(b []byte) bool { return ft.run(b, true) }

// run is in. With skip, it passes over the bytes after which no state is
// set when none was, in text and in tags, without stepping the automaton
// through them: the answer is the same (TestTitleFilterSkipsExactly),
// only sooner.
func (ft *filterTitle) run(b []byte, skip bool) bool {
	var st filterState
	return ft.runFrom(&st, b, skip)
}

// filterState is where one title's automaton is after some bytes.
type filterState struct {
	d, outer uint64 // states: bit i set when the title up to i may end here
	tag      bool   // in a tag; outer is the states before it
	t        tagReader
	tail     int  // bytes that may still belong to an escape
	space    bool // the escape open is a backslash's
}

// clean reports whether the automaton is where it starts: no state set,
// in text, no escape open. What it does next does not depend on the rest
// of st (outer and t are set anew at the next tag, space at the next
// escape).
func (st *filterState) clean() bool { return st.d == 0 && !st.tag && st.tail == 0 }

// runFrom is run from the state st, which it leaves where the automaton
// is after b (unless it reports true).
func (ft *filterTitle) runFrom(st *filterState, b []byte, skip bool) bool {
	d, outer, tag, t, tail, space := st.d, st.outer, st.tag, st.t, st.tail, st.space
	for i := 0; i < len(b); i++ {
		if tag && skip && d == 0 && tail == 0 {
			if i = ft.skipInTag(b, i, &t); i == len(b) {
				*st = filterState{d, outer, tag, t, tail, space}
				return false
			}
		}
		c := b[i]
		if !tag && tail == 0 && plainByte[c] {
			// the common case: an ASCII byte in text
			if d == 0 && skip {
				for ft.skip[c] {
					if i++; i == len(b) {
						*st = filterState{d, outer, tag, t, tail, space}
						return false
					}
					c = b[i]
				}
				if !plainByte[c] {
					i--
					continue
				}
			}
			if alnumTab[c] {
				d = ft.letter(d, c)
			} else {
				d = ft.gap(d)
			}
			if d&ft.final != 0 {
				return true
			}
			continue
		}
		if tag {
			end, named := t.step(c)
			if named {
				return true
			}
			if end {
				// a tag is nothing or, like <br>, a space
				d, tag, tail = d|outer|ft.gap(outer), false, 0
				continue
			}
		}
		switch {
		case c >= utf8.RuneSelf:
			_, n := utf8.DecodeRune(b[i:])
			i += n - 1
			d, tail = ft.anyTwo(d), 0
		case c == '&' || c == '%':
			d, tail, space = ft.anyTwo(d), escapeTail, false
		case c == '\\':
			d, tail, space = ft.anyTwo(d), escapeTail, true
		case c == '<' && !tag && i+1 < len(b) && !opensTag[b[i+1]]:
			// text: the tokenizer opens nothing at "<" but before a
			// letter, "/", "!" or "?" ("<0<a>00" is "<0" and a tag)
			d, tail = ft.gap(d), 0
		case c == '<' && !tag:
			// nothing (a tag), or a byte of a gap in text
			outer, d, tag, t, tail = d, ft.gap(d), true, tagReader{}, 0
		case markTab[c]:
			d |= ft.gap(d)
			tail = max(0, tail-1)
		case tail > 0 && escapeSyntax[c]:
			if alnumTab[c] {
				d |= ft.letter(d, c)
			} else {
				d |= ft.gap(d)
			}
			tail--
		case tail > 0 && space && asciiSpace[c]:
			// the white space ending a CSS escape
			d |= ft.gap(d)
			space = false
			tail--
		case alnumTab[c]:
			d, tail = ft.letter(d, c), 0
		default:
			d, tail = ft.gap(d), 0
		}
		if d&ft.final != 0 {
			return true
		}
	}
	*st = filterState{d, outer, tag, t, tail, space}
	return false
}

// skipInTag passes over the bytes of a tag, from i, that leave the states
// empty (d is 0 and no escape is open) and that the tag reader passes
// over too: in a quoted value, all but its quote; elsewhere, all but the
// bytes that end the tag, open a value or are white space, following
// "srcdoc" as the reader does. It returns where the automaton must go on
// (at the latest, the byte that completes "srcdoc"), and sets the tag
// reader as the bytes passed over leave it.
func (ft *filterTitle) skipInTag(b []byte, i int, t *tagReader) int {
	j := i
	if t.quote != 0 {
		for j < len(b) && ft.skip[b[j]] && b[j] != t.quote {
			j++
		}
		if j > i {
			t.name = 0
		}
		return j
	}
	name := t.name
	for ; j < len(b) && ft.skip[b[j]] && tagPlain[b[j]]; j++ {
		switch l := lowerASCII[b[j]&0x7f]; {
		case l == srcdoc[name]:
			if name+1 == len(srcdoc) {
				// the tag reader, stepping this byte, names srcdoc
				t.name, t.eq = name, false
				return j
			}
			name++
		case l == srcdoc[0]:
			name = 1
		default:
			name = 0
		}
	}
	if j > i {
		t.name, t.eq = name, false
	}
	return j
}

// tagPlain marks the bytes of a tag, outside quoted values, that end no
// tag, open no value and are not white space: after one, the tag reader
// is not before a value.
var tagPlain = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = c != '>' && c != '"' && c != '\'' && c != '=' && !asciiSpace[c]
	}
	return t
}()

// plainByte marks the ASCII bytes that are themselves outside tags and
// escapes: all but the first bytes of escapes and tags and the marks.
var plainByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = c != '&' && c != '\\' && c != '%' && c != '<' && !markTab[c]
	}
	return t
}()

// escapeSyntax marks the bytes that may follow an escape's first byte as
// part of it or of an escape its decoding makes: names and numbers of
// character references, the letters and hex digits of JSON, JavaScript,
// CSS and percent escapes. (One white space after a backslash escape may
// end a CSS escape.)
var escapeSyntax = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = alnumTab[c]
	}
	for _, c := range "#;{}" {
		t[c] = true
	}
	return t
}()
