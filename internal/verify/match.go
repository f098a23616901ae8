package verify

import (
	"slices"
)

// matcher finds many literal patterns in a text at once: a trie of the
// patterns, entered only at positions whose first bytes begin some pattern
// (a bitmap test a position: over a hash of four bytes for long patterns,
// over the first two bytes for patterns of one to three bytes). No match
// starts between two ASCII letters or digits, so no position inside a word
// costs more than one table lookup. The caller decides, for each candidate
// match, whether its edges stand where a match may (see titleBounded and
// urlScan.bounded).
type matcher struct {
	filter []uint64 // bitmap over a hash of the first 4 bytes
	short  []uint64 // bitmap over the first 2 bytes of patterns under 4 bytes
	// The trie, frozen into flat arrays: node n's children are
	// edges[first[n]:first[n+1]], sorted by byte.
	first []uint32
	edges []edge      // next has hasEnds set when patterns end at the child
	root  [256]uint32 // the root's edges by byte (0: none), as next
	endAt []uint32    // node n's pattern ids are endIDs[endAt[n]:endAt[n+1]]
	endID []int32
	ends  [][]int32 // pattern ids ending at each node, while building
}

// hasEnds marks, in an edge's next, a child where patterns end.
const hasEnds = 1 << 31

type edge struct {
	b    byte
	next uint32
}

const filterBits = 1 << 20

func newMatcher(pats []string, ids []int32) *matcher {
	m := &matcher{filter: make([]uint64, filterBits/64), short: make([]uint64, 1<<16/64), ends: [][]int32{nil}}
	build := map[uint64]uint32{} // node<<8 | byte -> child, while building
	for i, p := range pats {
		if p == "" {
			continue
		}
		if len(p) < 4 {
			x := head2([]byte(p))
			m.short[x>>6] |= 1 << (x & 63)
		} else {
			x := hash20(head([]byte(p)))
			m.filter[x>>6] |= 1 << (x & 63)
		}
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

// freeze lays the trie's edges out by node, sorted by byte.
func (m *matcher) freeze(build map[uint64]uint32) {
	count := make([]uint32, len(m.ends)+1)
	for k := range build {
		count[k>>8+1]++
	}
	m.first = make([]uint32, len(m.ends)+1)
	for n := 1; n <= len(m.ends); n++ {
		m.first[n] = m.first[n-1] + count[n]
	}
	m.edges = make([]edge, len(build))
	fill := make([]uint32, len(m.ends))
	for k, next := range build {
		n := k >> 8
		if len(m.ends[next]) > 0 {
			next |= hasEnds
		}
		m.edges[m.first[n]+fill[n]] = edge{b: byte(k), next: next}
		if n == 0 {
			m.root[byte(k)] = next
		}
		fill[n]++
	}
	for n := range m.ends {
		es := m.edges[m.first[n]:m.first[n+1]]
		slices.SortFunc(es, func(a, b edge) int { return int(a.b) - int(b.b) })
	}
}

// child follows the edge of node for byte c.
func (m *matcher) child(node uint32, c byte) (uint32, bool) {
	es := m.edges[m.first[node]:m.first[node+1]]
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

func head(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func head2(b []byte) uint32 {
	if len(b) == 1 {
		return uint32(b[0])
	}
	return uint32(b[0]) | uint32(b[1])<<8
}

func hash20(h uint32) uint32 { return (h * 2654435761) >> 12 }

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
		cand := false
		if i+4 <= len(text) {
			x := hash20(head(text[i:]))
			cand = m.filter[x>>6]&(1<<(x&63)) != 0
		}
		if !cand {
			var x uint32
			if i+1 < len(text) {
				x = head2(text[i : i+2])
				cand = m.short[x>>6]&(1<<(x&63)) != 0
			}
			if x = uint32(text[i]); !cand {
				cand = m.short[x>>6]&(1<<(x&63)) != 0
			}
		}
		if cand && !m.walk(text, i, fn) {
			return
		}
	}
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
