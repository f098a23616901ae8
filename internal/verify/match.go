package verify

import (
	"encoding/binary"
	"slices"
	"strings"
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
	m := &matcher{head: newBitmap(n), short: make([]uint64, 1<<16/64)}
	// The patterns in order (ties by position, so that the ids ending at a
	// node keep the order they are given in): each shares with the one
	// before it the nodes of their common prefix and adds one node for
	// each byte after it. So nodes are numbered in depth-first order, and
	// a node's children are made in the order of their bytes.
	order := make([]int, 0, len(pats))
	for i, p := range pats {
		if p != "" {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(pats[a], pats[b]) })
	shared := make([]int, len(order)) // bytes each shares with the one before
	nodes := 1
	for k, i := range order {
		if k > 0 {
			shared[k] = commonPrefix(pats[i], pats[order[k-1]])
		}
		nodes += len(pats[i]) - shared[k]
	}
	parent := make([]uint32, nodes) // of node c >= 1, by the byte in[c]
	in := make([]byte, nodes)
	type end struct {
		node uint32
		id   int32
	}
	ends := make([]end, 0, len(order))
	var path []uint32 // path[d]: the node of the last pattern's first d+1 bytes
	next := uint32(1)
	for k, i := range order {
		p := pats[i]
		m.addHead(p)
		path = path[:shared[k]]
		node := uint32(0)
		if len(path) > 0 {
			node = path[len(path)-1]
		}
		for j := shared[k]; j < len(p); j++ {
			parent[next], in[next] = node, p[j]
			path = append(path, next)
			node = next
			next++
		}
		// equal patterns come one after another
		dup := false
		for e := len(ends) - 1; e >= 0 && ends[e].node == node && !dup; e-- {
			dup = ends[e].id == ids[i]
		}
		if !dup {
			ends = append(ends, end{node, ids[i]})
		}
	}
	m.endAt = make([]uint32, nodes+1)
	for _, e := range ends {
		m.endAt[e.node+1]++
	}
	for c := 1; c <= nodes; c++ {
		m.endAt[c] += m.endAt[c-1]
	}
	m.endID = make([]int32, len(ends))
	for k, e := range ends { // by node, as made
		m.endID[k] = e.id
	}
	m.freeze(parent, in)
	return m
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// addHead enters a pattern's first bytes into the bitmap its length
// takes, or, when it has one byte or an inline mark among its first four
// (where text's marks are passed over), into first.
func (m *matcher) addHead(p string) {
	switch {
	case len(p) == 1 || strings.ContainsFunc(p[1:min(len(p), 4)], func(r rune) bool { return r < 0x80 && inlineMark(byte(r)) }):
		m.first[p[0]] = true
	case len(p) >= 4:
		m.head.add(uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16 | uint32(p[3])<<24)
	default:
		x := uint32(p[0]) | uint32(p[1])<<8
		m.short[x>>6] |= 1 << (x & 63)
	}
}

// freeze lays the trie's edges out by node: node c >= 1 is the child of
// parent[c] by the byte in[c]. Children are numbered in the order of their
// bytes (newMatcher), which their edges keep.
func (m *matcher) freeze(parent []uint32, in []byte) {
	nodes := len(parent)
	m.start = make([]uint32, nodes+1)
	for c := 1; c < nodes; c++ {
		m.start[parent[c]+1]++
	}
	for n := 1; n <= nodes; n++ {
		m.start[n] += m.start[n-1]
	}
	m.edges = make([]edge, nodes-1)
	fill := slices.Clone(m.start[:nodes])
	for c := 1; c < nodes; c++ {
		next := uint32(c)
		if m.endAt[c+1] > m.endAt[c] {
			next |= hasEnds
		}
		f := parent[c]
		m.edges[fill[f]] = edge{b: in[c], next: next}
		fill[f]++
		if f == 0 {
			m.root[in[c]] = next
		}
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
// inside a pattern is passed over: "**Table** Roadmap" holds "Table
// Roadmap". A mark in the text is passed over and, where the trie goes on
// by it (a pattern holds that mark there), followed as well: both ways
// are walked, so that whether one pattern is found never depends on the
// others ("_Config_ Files" holds "Config Files" whether or not another
// title is "Config_Loader").
func (m *matcher) walk(text []byte, i int, fn func(id int32, at, end int) bool) bool {
	first := m.root[text[i]]
	if first == 0 {
		return true
	}
	if first&hasEnds != 0 && !m.ends(first&^hasEnds, i, i+1, fn) {
		return false
	}
	// the nodes the walk is at, two buffers taken in turn
	var bufA, bufB [4]uint32
	cur, spare := append(bufA[:0], first&^hasEnds), bufB[:0]
	for j := i + 1; j < len(text) && len(cur) > 0; j++ {
		c := text[j]
		mark := inlineMark(c)
		if len(cur) == 1 && !mark {
			// one way on, as almost always
			child, ok := m.child(cur[0], c)
			if !ok {
				return true
			}
			cur[0] = child &^ hasEnds
			if child&hasEnds != 0 && !m.ends(cur[0], i, j+1, fn) {
				return false
			}
			continue
		}
		next := spare[:0]
		for _, node := range cur {
			if child, ok := m.child(node, c); ok {
				n := child &^ hasEnds
				if !slices.Contains(next, n) {
					next = append(next, n)
					if child&hasEnds != 0 && !m.ends(n, i, j+1, fn) {
						return false
					}
				}
			}
			if mark && !slices.Contains(next, node) {
				next = append(next, node)
			}
		}
		cur, spare = next, cur
	}
	return true
}

// ends reports the patterns that end at node, found at text[at:end].
func (m *matcher) ends(node uint32, at, end int, fn func(id int32, at, end int) bool) bool {
	for _, id := range m.endID[m.endAt[node]:m.endAt[node+1]] {
		if !fn(id, at, end) {
			return false
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
