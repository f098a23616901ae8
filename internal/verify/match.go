package verify

import "bytes"

// matcher finds many literal patterns in a text at once: a trie of the
// patterns, entered only at positions whose first four bytes begin some
// pattern (one bitmap test a position). Patterns shorter than four bytes are
// found with bytes.Index each. A match must sit on word boundaries where the
// pattern starts or ends with a letter or digit, so a title "Ops" is not
// found inside "Operations".
type matcher struct {
	filter []uint64          // bitmap over a hash of the first 4 bytes
	edges  map[uint64]uint32 // node<<8 | byte -> child node
	ends   [][]int           // pattern ids ending at each node
	short  [][]byte
	sids   []int
}

const filterBits = 1 << 20

func newMatcher(pats []string, ids []int) *matcher {
	m := &matcher{filter: make([]uint64, filterBits/64), edges: map[uint64]uint32{}, ends: [][]int{nil}}
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
			next, ok := m.edges[k]
			if !ok {
				next = uint32(len(m.ends))
				m.ends = append(m.ends, nil)
				m.edges[k] = next
			}
			node = next
		}
		m.ends[node] = append(m.ends[node], ids[i])
	}
	return m
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
	for i := 0; i+4 <= len(text); i++ {
		x := hash20(head(text[i:]))
		if m.filter[x>>6]&(1<<(x&63)) == 0 {
			continue
		}
		node := uint32(0)
		for j := i; j < len(text); j++ {
			next, ok := m.edges[uint64(node)<<8|uint64(text[j])]
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

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

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
