package verify

import (
	"encoding/binary"
	"slices"
)

// matcher finds many literal patterns in a text at once: a trie of the
// patterns, entered only at positions where some pattern may start. A
// position is tested against bitmaps of the patterns' first bytes: over a
// hash of the first four bytes for patterns of four bytes or more, over
// the first two for two or three, and over the first byte for one-byte
// patterns and for patterns with an inline mark among their first four
// bytes. When the text holds an inline mark among the bytes tested, which
// the trie walk passes over (see walk), the bytes the walk would read are
// tested instead. No match starts between two ASCII letters or digits, so
// no position inside a word costs more than one table lookup. The caller
// decides, for each candidate match, whether its edges stand where a
// match may (see titleBounded and urlScan.bounded).
type matcher struct {
	head  bitmap   // over a hash of the first 4 bytes of patterns of 4 bytes or more
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

// bitmap is a set of hashes of 4 bytes, sized to the number of patterns
// so that few positions pass it by chance however many there are.
type bitmap struct {
	bits  []uint64
	shift uint // 32 - log2(len(bits)*64)
}

// newBitmap sizes a bitmap for n entries: at least 16 bits each, and
// 2^20 at least.
func newBitmap(n int) bitmap {
	lg := uint(20)
	for 1<<lg < 16*n && lg < 32 {
		lg++
	}
	return bitmap{bits: make([]uint64, 1<<lg/64), shift: 32 - lg}
}

func (b *bitmap) add(x uint32) {
	p := (x * 2654435761) >> b.shift
	b.bits[p>>6] |= 1 << (p & 63)
}

func (b *bitmap) has(x uint32) bool {
	p := (x * 2654435761) >> b.shift
	return b.bits[p>>6]&(1<<(p&63)) != 0
}

// hasEnds marks, in an edge's next, a child where patterns end.
const hasEnds = 1 << 31

type edge struct {
	b    byte
	next uint32
}

func newMatcher(pats []string, ids []int32) *matcher {
	n := 0
	for _, p := range pats {
		if len(p) >= 4 {
			n++
		}
	}
	m := &matcher{head: newBitmap(n), short: make([]uint64, 1<<16/64), ends: [][]int32{nil}}
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
// takes, or, when it has one byte or an inline mark among its first four
// (where text's marks are passed over), into first.
func (m *matcher) addHead(p []byte) {
	switch {
	case len(p) == 1 || slices.ContainsFunc(p[1:min(len(p), 4)], inlineMark):
		m.first[p[0]] = true
	case len(p) >= 4:
		m.head.add(binary.LittleEndian.Uint32(p))
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
		rest := len(text) - i
		cand := m.first[text[i]] ||
			rest >= 4 && m.head.has(binary.LittleEndian.Uint32(text[i:])) ||
			rest >= 2 && m.shortHas(uint32(text[i])|uint32(text[i+1])<<8)
		if !cand && (rest < 4 || markTab[text[i+1]] || markTab[text[i+2]] || markTab[text[i+3]]) {
			cand = m.passingMarks(text, i)
		}
		if cand && !m.walk(text, i, fn) {
			return
		}
	}
}

// passingMarks tests the bytes the trie walk would read from text[i],
// the inline marks after the first passed over (see walk), against the
// bitmaps.
func (m *matcher) passingMarks(text []byte, i int) bool {
	g, n := uint32(text[i]), 1
	for j := i + 1; j < len(text) && n < 4; j++ {
		if c := text[j]; !inlineMark(c) {
			g |= uint32(c) << (8 * n)
			n++
		}
	}
	return n >= 4 && m.head.has(g) || n >= 2 && m.shortHas(g&0xffff)
}

func (m *matcher) shortHas(x uint32) bool { return m.short[x>>6]&(1<<(x&63)) != 0 }

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

func inlineMark(c byte) bool { return markTab[c] }

// markTab marks the inline marks of plain-text formats.
var markTab = func() (t [256]bool) {
	for _, c := range "*_~`" {
		t[c] = true
	}
	return t
}()

// alnumTab marks ASCII letters and digits.
var alnumTab = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()
