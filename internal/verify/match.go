package verify

import (
	"bytes"
	"slices"
)

// matcher finds many literal patterns in a text at once: a trie of the
// patterns, entered only at positions whose first four bytes begin some
// pattern (one bitmap test a position). Patterns shorter than four bytes are
// found with bytes.Index each. A match must sit on word boundaries where the
// pattern starts or ends with a letter or digit, so a title "Ops" is not
// found inside "Operations".
type matcher struct {
	filter []uint64 // bitmap over a hash of the first 4 bytes
	// The trie, frozen into flat arrays: node n's children are
	// edges[first[n]:first[n+1]], sorted by byte.
	first []uint32
	edges []edge
	ends  [][]int // pattern ids ending at each node
	short [][]byte
	sids  []int
}

type edge struct {
	b    byte
	next uint32
}

const filterBits = 1 << 20

func newMatcher(pats []string, ids []int) *matcher {
	m := &matcher{filter: make([]uint64, filterBits/64), ends: [][]int{nil}}
	build := map[uint64]uint32{} // node<<8 | byte -> child, while building
	for i, p := range pats {
		switch {
		case p == "":
			continue
		case len(p) < 4:
			m.short = append(m.short, []byte(p))
			m.sids = append(m.sids, ids[i])
			continue
		}
		x := hash20(head([]byte(p)))
		m.filter[x>>6] |= 1 << (x & 63)
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
		m.ends[node] = append(m.ends[node], ids[i])
	}
	m.freeze(build)
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
		m.edges[m.first[n]+fill[n]] = edge{b: byte(k), next: next}
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

func hash20(h uint32) uint32 { return (h * 2654435761) >> 12 }

// each calls fn with the id of every pattern found in text (possibly more
// than once), stopping early when fn returns false.
func (m *matcher) each(text []byte, fn func(id int) bool) {
	for k, p := range m.short {
		for off := 0; off < len(text); {
			i := bytes.Index(text[off:], p)
			if i < 0 {
				break
			}
			at := off + i
			if bounded(text, at, len(p)) && !fn(m.sids[k]) {
				return
			}
			off = at + 1
		}
	}
	if len(m.ends) == 1 {
		return
	}
	prevWord := false
	for i := 0; i+4 <= len(text); i++ {
		w := wordTab[text[i]]
		inside := w && prevWord
		prevWord = w
		if inside {
			continue // inside a word: no match may start here
		}
		x := hash20(head(text[i:]))
		if m.filter[x>>6]&(1<<(x&63)) == 0 {
			continue
		}
		node := uint32(0)
		for j := i; j < len(text); j++ {
			next, ok := m.child(node, text[j])
			if !ok {
				break
			}
			node = next
			for _, id := range m.ends[node] {
				if bounded(text, i, j-i+1) && !fn(id) {
					return
				}
			}
		}
	}
}

// wordTab marks the bytes of words: ASCII letters and digits, and every
// byte of a multi-byte UTF-8 sequence.
var wordTab = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	return t
}()

func wordByte(c byte) bool { return wordTab[c] }

// bounded reports whether text[at:at+n] stands on word boundaries where the
// pattern itself begins or ends with a word character.
func bounded(text []byte, at, n int) bool {
	if wordByte(text[at]) && at > 0 && wordByte(text[at-1]) {
		return false
	}
	end := at + n
	if wordByte(text[end-1]) && end < len(text) && wordByte(text[end]) {
		return false
	}
	return true
}
