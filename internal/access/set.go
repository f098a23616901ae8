package access

import (
	"encoding/hex"
	"fmt"
	"math/bits"
)

// Set is a set of page indexes: the pages an identity or a build sees.
type Set []uint64

// NewSet returns an empty set with room for n pages.
func NewSet(n int) Set { return make(Set, (n+63)/64) }

// Add puts page i in the set.
func (s Set) Add(i int) { s[i/64] |= 1 << (uint(i) % 64) }

// Remove removes i from s.
func (s Set) Remove(i int) { s[i/64] &^= 1 << (uint(i) % 64) }

// Has reports whether page i is in the set.
func (s Set) Has(i int) bool {
	if i < 0 || i/64 >= len(s) {
		return false
	}
	return s[i/64]&(1<<(uint(i)%64)) != 0
}

// Len is the number of pages in the set.
func (s Set) Len() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// Equal reports whether both sets hold the same pages.
func (s Set) Equal(t Set) bool {
	for i := 0; i < max(len(s), len(t)); i++ {
		if word(s, i) != word(t, i) {
			return false
		}
	}
	return true
}

// SubsetOf reports whether every page of s is in t.
func (s Set) SubsetOf(t Set) bool {
	for i := range s {
		if s[i]&^word(t, i) != 0 {
			return false
		}
	}
	return true
}

// String encodes the set as lower-case hex of its words, little-endian, for
// manifests and map keys.
func (s Set) String() string {
	b := make([]byte, 8*len(s))
	for i, w := range s {
		for j := 0; j < 8; j++ {
			b[8*i+j] = byte(w >> (8 * j))
		}
	}
	return hex.EncodeToString(b)
}

// ParseSet decodes a set written by Set.String.
func ParseSet(str string) (Set, error) {
	b, err := hex.DecodeString(str)
	if err != nil || len(b)%8 != 0 {
		return nil, fmt.Errorf("invalid page set %q", str)
	}
	s := make(Set, len(b)/8)
	for i := range s {
		for j := 0; j < 8; j++ {
			s[i] |= uint64(b[8*i+j]) << (8 * j)
		}
	}
	return s, nil
}

func word(s Set, i int) uint64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// Candidate is a build offered to Select: the kind of the audiences that
// share it (Anonymous, Member or Guest) and its visible set.
type Candidate struct {
	Kind    Kind
	Visible Set
}

// ServedKind is the kind of build an identity of kind k is served:
// outsiders are served as anonymous.
func ServedKind(k Kind) Kind {
	if k == Outsider {
		return Anonymous
	}
	return k
}

// Select picks the build for an identity of kind kind whose visible set is
// want, per ACCESS.md: among the builds of the identity's served kind, the
// one with an equal set (exact true), else the largest that is a subset of
// want (ties go to the earlier build). A build of another kind is never
// chosen for its set alone; only when no build of the kind is a subset is
// the anonymous build tried (exact false). It returns -1 when no build is
// a subset: possible when a rule denies the identity a page that anonymous
// sees; callers then serve nothing.
func Select(builds []Candidate, kind Kind, want Set) (index int, exact bool) {
	kind = ServedKind(kind)
	if i, exact := selectOfKind(builds, kind, want); i >= 0 {
		return i, exact
	}
	if kind != Anonymous {
		i, _ := selectOfKind(builds, Anonymous, want)
		return i, false
	}
	return -1, false
}

// selectOfKind is Select restricted to the builds of one kind.
func selectOfKind(builds []Candidate, kind Kind, want Set) (index int, exact bool) {
	best, bestLen := -1, -1
	for i, b := range builds {
		if b.Kind != kind {
			continue
		}
		if b.Visible.Equal(want) {
			return i, true
		}
		if b.Visible.SubsetOf(want) {
			if n := b.Visible.Len(); n > bestLen {
				best, bestLen = i, n
			}
		}
	}
	return best, false
}
