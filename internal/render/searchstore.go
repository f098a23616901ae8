package render

import (
	"encoding/binary"
	"slices"
	"strings"
)

// SearchStore keeps, between runs, what search takes from a version of a
// page's body: its fragment file and its terms (the build cache). The
// key names everything they depend on (the body as the build holds it,
// the page's title and URL); Get's value is what Put was given, or false.
type SearchStore interface {
	Get(key [][]byte) ([]byte, bool)
	Put(key [][]byte, value []byte)
}

// SetSearchStore makes a one-off build (RenderReusing) take each body
// version's fragment and terms from st when it holds them, and give them
// to it when it does not.
func (r *Renderer) SetSearchStore(st SearchStore) { r.store = st }

// searchKey is the store's key of a body version of page p.
func searchKey(body []byte, title, url string) [][]byte {
	return [][]byte{body, []byte(title), []byte(url)}
}

// encodeSearch packs a fragment and terms (each with its info) for the
// store: the fragment's length and bytes, then each term's length, bytes
// and info.
func encodeSearch(frag []byte, terms []string, infos []uint32) []byte {
	n := 16 + len(frag)
	for _, t := range terms {
		n += len(t) + 8
	}
	out := make([]byte, 0, n)
	out = binary.AppendUvarint(out, uint64(len(frag)))
	out = append(out, frag...)
	out = binary.AppendUvarint(out, uint64(len(terms)))
	for i, t := range terms {
		out = binary.AppendUvarint(out, uint64(len(t)))
		out = append(out, t...)
		out = binary.AppendUvarint(out, uint64(infos[i]))
	}
	return out
}

// decodeStored unpacks encodeSearch; ok is false for anything else.
func decodeStored(b []byte) (frag []byte, terms []string, infos []uint32, ok bool) {
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	take := func(n uint64) ([]byte, bool) {
		if n > uint64(len(b)) {
			return nil, false
		}
		out := b[:n]
		b = b[n:]
		return out, true
	}
	fl, ok := next()
	if !ok {
		return nil, nil, nil, false
	}
	if frag, ok = take(fl); !ok {
		return nil, nil, nil, false
	}
	count, ok := next()
	if !ok || count > uint64(len(b)) {
		return nil, nil, nil, false
	}
	terms, infos = make([]string, 0, count), make([]uint32, 0, count)
	for range count {
		tl, ok := next()
		if !ok {
			return nil, nil, nil, false
		}
		t, ok := take(tl)
		if !ok || len(t) == 0 {
			return nil, nil, nil, false
		}
		info, ok := next()
		if !ok || info > 0xffffffff {
			return nil, nil, nil, false
		}
		terms, infos = append(terms, string(t)), append(infos, uint32(info))
	}
	if len(b) != 0 || !slices.IsSorted(terms) || hasDup(terms) {
		return nil, nil, nil, false
	}
	return frag, terms, infos, true
}

// hasDup reports whether sorted holds a term twice.
func hasDup(sorted []string) bool {
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return true
		}
	}
	return false
}

// variantOf interns terms (with their infos) into r's term table.
func (r *Renderer) variantOf(terms []string, infos []uint32) pageVariant {
	packed := make([]uint64, len(terms))
	r.terms.mu.Lock()
	for j, t := range terms {
		packed[j] = uint64(r.terms.id(t))<<32 | uint64(infos[j])
	}
	r.terms.mu.Unlock()
	return packVariant(packed)
}

// termsOfVariant lists v's terms, sorted, with their infos: what the store
// keeps of it.
func (r *Renderer) termsOfVariant(v pageVariant) ([]string, []uint32) {
	var ids []uint64
	v.each(func(t uint64) { ids = append(ids, t) })
	type ti struct {
		t string
		i uint32
	}
	list := make([]ti, len(ids))
	r.terms.mu.Lock()
	for j, t := range ids {
		list[j] = ti{r.terms.list[t>>32], uint32(t)}
	}
	r.terms.mu.Unlock()
	slices.SortFunc(list, func(a, b ti) int { return strings.Compare(a.t, b.t) })
	terms, infos := make([]string, len(list)), make([]uint32, len(list))
	for j, x := range list {
		terms[j], infos[j] = x.t, x.i
	}
	return terms, infos
}
