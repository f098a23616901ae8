package verify

import "bytes"

// matcher finds many literal patterns in a text at once. Patterns of four
// bytes or more are found through a filter on their first four bytes (one
// table look-up a position); shorter ones with bytes.Index each. Matches
// must sit on word boundaries when the pattern starts or ends with a letter
// or digit, so a title "Ops" is not found inside "Operations".
type matcher struct {
	filter [1 << 16]uint64 // bitmap over a 20-bit hash of the first 4 bytes
	heads  map[uint32][]int
	short  []int
	pats   [][]byte
	ids    []int
}

func newMatcher(pats []string, ids []int) *matcher {
	m := &matcher{heads: map[uint32][]int{}}
	for i, p := range pats {
		if p == "" {
			continue
		}
		m.pats = append(m.pats, []byte(p))
		m.ids = append(m.ids, ids[i])
		k := len(m.pats) - 1
		if len(p) < 4 {
			m.short = append(m.short, k)
			continue
		}
		h := head(m.pats[k])
		m.filter[hash20(h)>>6] |= 1 << (hash20(h) & 63)
		m.heads[h] = append(m.heads[h], k)
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
	if len(m.pats) == 0 {
		return
	}
	for _, k := range m.short {
		p := m.pats[k]
		for off := 0; off < len(text); {
			i := bytes.Index(text[off:], p)
			if i < 0 {
				break
			}
			at := off + i
			if bounded(text, at, len(p)) && !fn(m.ids[k]) {
				return
			}
			off = at + 1
		}
	}
	if len(m.heads) == 0 {
		return
	}
	for i := 0; i+4 <= len(text); i++ {
		h := head(text[i:])
		x := hash20(h)
		if m.filter[x>>6]&(1<<(x&63)) == 0 {
			continue
		}
		for _, k := range m.heads[h] {
			p := m.pats[k]
			if bytes.HasPrefix(text[i:], p) && bounded(text, i, len(p)) && !fn(m.ids[k]) {
				return
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
