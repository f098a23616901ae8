package gateway

import (
	"bytes"
	"crypto/sha256"
	"slices"
)

// A session stores its groups as tags: the first tagBytes bytes of a
// SHA-256 of each group's name, appended raw after the session's JSON (a
// NUL byte between them; JSON never holds one). A member of 300 declared
// groups of any length then needs 1,800 bytes before sealing, so a
// session stays one cookie under 4 KB where the names themselves would
// not fit. The gateway maps tags back to names through the declared groups
// of the generation serving the request; a tag of no declared group is
// ignored, as an undeclared group matches no rule. Two declared groups
// sharing a tag (one chance in 2^48 for a pair) make loading the
// generation fail with an error, never a confusion of the two.
const tagBytes = 6

// groupTag is a group's tag.
type groupTag [tagBytes]byte

// tagOf returns the tag of the group named g.
func tagOf(g string) groupTag {
	sum := sha256.Sum256([]byte("facet group\x00" + g))
	return groupTag(sum[:tagBytes])
}

// appendTags appends the tags of groups, sorted, to b.
func appendTags(b []byte, groups []string) []byte {
	tags := make([]groupTag, len(groups))
	for i, g := range groups {
		tags[i] = tagOf(g)
	}
	slices.SortFunc(tags, func(x, y groupTag) int { return bytes.Compare(x[:], y[:]) })
	for _, t := range slices.Compact(tags) {
		b = append(b, t[:]...)
	}
	return b
}

// validTags reports whether raw is a whole number of tags, at most
// maxGroups of them.
func validTags(raw []byte) bool {
	return len(raw)%tagBytes == 0 && len(raw)/tagBytes <= maxGroups
}

// tagIndex maps the tags of the declared groups to their names. It
// reports false when two groups share a tag.
func tagIndex(groups []string) (map[groupTag]string, bool) {
	m := make(map[groupTag]string, len(groups))
	for _, g := range groups {
		t := tagOf(g)
		if other, dup := m[t]; dup && other != g {
			return nil, false
		}
		m[t] = g
	}
	return m, true
}

// sessionGroups are the declared groups of a session in this generation,
// sorted: its Groups when it was made in this process (sign-in, refresh),
// else its tags mapped through the generation's declared groups.
func (st *generation) sessionGroups(sess *session) []string {
	if sess.Groups != nil {
		var out []string
		for _, g := range sess.Groups {
			if st.groups[g] {
				out = append(out, g)
			}
		}
		return out
	}
	var out []string
	for i := 0; i+tagBytes <= len(sess.tags); i += tagBytes {
		if g, ok := st.tagged[groupTag(sess.tags[i:i+tagBytes])]; ok {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return out
}
