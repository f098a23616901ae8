package access

import (
	"encoding/hex"
	"fmt"
	"math/bits"
	"slices"
	"strings"
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
	// Audiences are the ids of the audiences the build is made for. Among
	// builds with the same set, Select prefers the identity's own.
	Audiences []string
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
// want: SelectFor with an identity of that kind and no groups or email.
func Select(builds []Candidate, kind Kind, want Set) (index int, exact bool) {
	return SelectFor(builds, Identity{Kind: kind}, want)
}

// SelectFor picks the build for id whose visible set is want, per
// ACCESS.md: among the builds of the identity's served kind, the one with
// an equal set (exact true), else the largest that is a subset of want. A
// build of another kind is never chosen for its set alone; only when no
// build of the kind is a subset is the anonymous build tried (exact
// false). It returns -1 when no build is a subset: possible when a rule
// denies the identity a page that anonymous sees; callers then serve
// nothing.
//
// Audiences with the same pages have builds of their own when their
// badges differ (a group's build says its group), so several builds may
// tie. The tie goes to the build made for the identity's own audience
// (OwnAudience, or its user: id), then to one made for an audience the
// identity belongs to ("members", a group of its own), then to the
// earlier build: a reader is never shown the badge of a group they are not
// in when their own build exists.
func SelectFor(builds []Candidate, id Identity, want Set) (index int, exact bool) {
	kind := ServedKind(id.Kind)
	if i, exact := selectOfKind(builds, kind, id, want); i >= 0 {
		return i, exact
	}
	if kind != Anonymous {
		i, _ := selectOfKind(builds, Anonymous, Identity{Kind: Anonymous}, want)
		return i, false
	}
	return -1, false
}

// selectOfKind is SelectFor restricted to the builds of one kind.
func selectOfKind(builds []Candidate, kind Kind, id Identity, want Set) (index int, exact bool) {
	best, bestLen, bestRank := -1, -1, -1
	for i, b := range builds {
		if b.Kind != kind {
			continue
		}
		n := b.Visible.Len()
		switch {
		case b.Visible.Equal(want):
			n = 1 << 62 // an equal set beats every subset
		case !b.Visible.SubsetOf(want):
			continue
		}
		if r := ownRank(b.Audiences, id); n > bestLen || n == bestLen && r > bestRank {
			best, bestLen, bestRank = i, n, r
		}
	}
	return best, best >= 0 && bestLen == 1<<62
}

// ownRank ranks a build's audiences for id: 2 when it is made for the
// identity's own audience, 1 for an audience the identity belongs to
// (anonymous, members, one of its groups), else 0.
func ownRank(auds []string, id Identity) int {
	own := OwnAudience(id)
	rank := 0
	for _, a := range auds {
		switch {
		case a == own || id.Email != "" && a == "user:"+id.Email:
			return 2
		case a == "anonymous" || id.Kind == Member && a == "members":
			rank = 1
		case id.Kind == Member || id.Kind == Guest:
			if g, ok := strings.CutPrefix(a, "group:"); ok && slices.Contains(id.Groups, g) {
				rank = 1
			}
		}
	}
	return rank
}

// OwnAudience is the audience id the generator gives the identity's own
// audience (ACCESS.md, "Audiences and builds"): "anonymous" for anonymous
// visitors and outsiders, "user:EMAIL" for a guest, and for a member by
// their groups "members", "group:G" or the combination's id. A member a
// rule names has a "user:" audience too, which this does not give.
func OwnAudience(id Identity) string {
	switch {
	case id.Kind == Anonymous || id.Kind == Outsider:
		return "anonymous"
	case id.Kind == Guest:
		return "user:" + id.Email
	case len(id.Groups) == 0:
		return "members"
	case len(id.Groups) == 1:
		return "group:" + id.Groups[0]
	}
	return CombinationID(id.Groups)
}
