package verify

import (
	"encoding/binary"
	"slices"
)

// matcher finds many literal patterns in a text at once: a trie of the
// patterns, entered only at positions where some pattern may start. A
// position is tested against bitmaps of the patterns' first bytes as the
// trie walk would read them from the text (inline marks after the first
// byte passed over, see walk): over a hash of the first eight bytes for
// patterns of eight bytes or more, of the first four for patterns of four
// to seven, over the first two for two or three, and over the first byte
// for one-byte patterns and for patterns with an inline mark of their own
// among the bytes hashed. No match starts between two ASCII letters or
// digits, so no position inside a word costs more than one table lookup.
// The caller decides, for each candidate match, whether its edges stand
// where a match may (see titleBounded and urlScan.bounded).
type matcher struct {
	long  bitmap   // over a hash of the first 8 bytes of patterns of 8 bytes or more
	mid   bitmap   // over a hash of the first 4 bytes of patterns of 4 to 7 bytes
	short []uint64 // over the first 2 bytes of patterns of 2 or 3 bytes
	first [256]bool
	// The trie, frozen into flat arrays: node n's children are
	// edges[start[n]:start[n+1]], sorted by byte.
	start []uint32
	edges []edge      // next has hasEnds set when patterns end at the child
	root  [256]uint32 // the root's edges by byte (0: none), as next
	endAt []uint32    // node n's pattern ids are endIDs[endAt[n]:endAt[n+1]]
	endID []int32
	ends  [][]int32 // pattern ids ending at each node, while building
}

// bitmap is a set of hashes of a pattern's first bytes, sized to the
// number of patterns so that few positions pass it by chance.
type bitmap struct {
	bits  []uint64
	shift uint // 64 - log2(len(bits)*64)
}

// newBitmap sizes a bitmap for n entries: at least 16 bits each, and
// 2^20 at least.
func newBitmap(n int) bitmap {
	lg := uint(20)
	for 1<<lg < 16*n {
		lg++
	}
	return bitmap{bits: make([]uint64, 1<<lg/64), shift: 64 - lg}
}

func (b *bitmap) pos(x uint64) uint64 { return (x * 0x9E3779B97F4A7C15) >> b.shift }

func (b *bitmap) add(x uint64) {
	p := b.pos(x)
	b.bits[p>>6] |= 1 << (p & 63)
}

func (b *bitmap) has(x uint64) bool {
	p := b.pos(x)
	return b.bits[p>>6]&(1<<(p&63)) != 0
}

// hasEnds marks, in an edge's next, a child where patterns end.
const hasEnds = 1 << 31

type edge struct {
	b    byte
	next uint32
}

func newMatcher(pats []string, ids []int32) *matcher {
	n4, n8 := 0, 0
	for _, p := range pats {
		switch {
		case len(p) >= 8:
			n8++
		case len(p) >= 4:
			n4++
		}
	}
	m := &matcher{long: newBitmap(n8), mid: newBitmap(n4), short: make([]uint64, 1<<16/64), ends: [][]int32{nil}}
	build := map[uint64]uint32{} // node<<8 | byte -> child, while building
	for i, p := range pats {
		if p == "" {
			continue
		}
		m.addHead([]byte(p))
		node := uint32(0)
		for j := 0; j < len(p); j++ {
			k := uint64(node)<<8 | uint64(p[j])
			next, ok := build[k]
			if !ok {
				next = uint32(len(m.ends))
				m.ends = append(m.ends, nil)
				build[k] = next
			}
			node = next
		}
		if !slices.Contains(m.ends[node], ids[i]) {
			m.ends[node] = append(m.ends[node], ids[i])
		}
	}
	m.freeze(build)
	m.endAt = make([]uint32, len(m.ends)+1)
	for n, ids := range m.ends {
		m.endID = append(m.endID, ids...)
		m.endAt[n+1] = uint32(len(m.endID))
	}
	m.ends = nil
	return m
}

// addHead enters a pattern's first bytes into the bitmap its length
// takes, or, when one is an inline mark (which the text's bytes are read
// past) or it has one byte, into first.
func (m *matcher) addHead(p []byte) {
	k := min(len(p), 8)
	switch {
	case k == 1 || slices.ContainsFunc(p[1:k], inlineMark):
		m.first[p[0]] = true
	case k == 8:
		m.long.add(binary.LittleEndian.Uint64(p))
	case k >= 4:
		m.mid.add(uint64(binary.LittleEndian.Uint32(p)))
	default:
		x := uint32(p[0]) | uint32(p[1])<<8
		m.short[x>>6] |= 1 << (x & 63)
	}
}

// freeze lays the trie's edges out by node, sorted by byte.
func (m *matcher) freeze(build map[uint64]uint32) {
	count := make([]uint32, len(m.ends)+1)
	for k := range build {
		count[k>>8+1]++
	}
	m.start = make([]uint32, len(m.ends)+1)
	for n := 1; n <= len(m.ends); n++ {
		m.start[n] = m.start[n-1] + count[n]
	}
	m.edges = make([]edge, len(build))
	fill := make([]uint32, len(m.ends))
	for k, next := range build {
		n := k >> 8
		if len(m.ends[next]) > 0 {
			next |= hasEnds
		}
		m.edges[m.start[n]+fill[n]] = edge{b: byte(k), next: next}
		if n == 0 {
			m.root[byte(k)] = next
		}
		fill[n]++
	}
	for n := range m.ends {
		es := m.edges[m.start[n]:m.start[n+1]]
		slices.SortFunc(es, func(a, b edge) int { return int(a.b) - int(b.b) })
	}
}

// child follows the edge of node for byte c.
func (m *matcher) child(node uint32, c byte) (uint32, bool) {
	es := m.edges[m.start[node]:m.start[node+1]]
	if len(es) > 8 {
		i, ok := slices.BinarySearchFunc(es, c, func(e edge, c byte) int { return int(e.b) - int(c) })
		if !ok {
			return 0, false
		}
		return es[i].next, true
	}
	for _, e := range es {
		if e.b == c {
			return e.next, true
		}
	}
	return 0, false
}

// each calls fn with every pattern id found in text and where
// (text[at:end]), stopping early when fn returns false.
func (m *matcher) each(text []byte, fn func(id int32, at, end int) bool) {
	if len(m.edges) == 0 {
		return
	}
	prev := false
	for i := 0; i < len(text); i++ {
		w := alnumTab[text[i]]
		inside := w && prev
		prev = w
		if inside {
			continue // inside a word: no match may start here
		}
		if m.candidate(text, i) && !m.walk(text, i, fn) {
			return
		}
	}
}

// candidate reports whether a pattern may start at text[i]: whether the
// bytes walk would read from there (inline marks after the first passed
// over) begin some pattern, as far as the bitmaps tell.
func (m *matcher) candidate(text []byte, i int) bool {
	if m.first[text[i]] {
		return true
	}
	g, n := gather(text, i)
	switch {
	case n >= 8 && m.long.has(g):
		return true
	case n >= 4 && m.mid.has(g&0xffffffff):
		return true
	case n >= 2:
		x := uint32(g & 0xffff)
		return m.short[x>>6]&(1<<(x&63)) != 0
	}
	return false
}

// gather returns up to 8 bytes of text from i on, little-endian, inline
// marks after the first passed over as walk passes over them, and how
// many it found.
func gather(text []byte, i int) (uint64, int) {
	if i+8 <= len(text) {
		w := binary.LittleEndian.Uint64(text[i:])
		if !hasMark(w >> 8) {
			return w, 8
		}
	}
	g, n := uint64(text[i]), 1
	for j := i + 1; j < len(text) && n < 8; j++ {
		if c := text[j]; !inlineMark(c) {
			g |= uint64(c) << (8 * n)
			n++
		}
	}
	return g, n
}

// hasMark reports whether any byte of w is an inline mark (inlineMark).
func hasMark(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	return zero(w^('*'*ones))|zero(w^('_'*ones))|zero(w^('~'*ones))|zero(w^('`'*ones)) != 0
}

// walk follows the trie from text[i], reporting each pattern that ends.
// Inline markup of plain-text formats (markdown's "*", "_", "~", "`")
// inside a pattern is passed over where the pattern has none: "**Table**
// Roadmap" holds "Table Roadmap".
func (m *matcher) walk(text []byte, i int, fn func(id int32, at, end int) bool) bool {
	node := uint32(0)
	for j := i; j < len(text); j++ {
		var next uint32
		ok := true
		if j == i {
			next = m.root[text[j]]
			ok = next != 0
		} else {
			next, ok = m.child(node, text[j])
		}
		if !ok {
			if j > i && inlineMark(text[j]) {
				continue
			}
			return true
		}
		node = next &^ hasEnds
		if next&hasEnds == 0 {
			continue
		}
		for _, id := range m.endID[m.endAt[node]:m.endAt[node+1]] {
			if !fn(id, i, j+1) {
				return false
			}
		}
	}
	return true
}

func inlineMark(c byte) bool { return c == '*' || c == '_' || c == '~' || c == '`' }

// alnumTab marks ASCII letters and digits.
var alnumTab = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()
