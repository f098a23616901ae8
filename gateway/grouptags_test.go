package gateway

import (
	"slices"
	"testing"
)

// Tags are mapped back through the declared groups of the generation
// serving the request: a group no longer declared drops out, and comes back
// when it is declared again, without signing in again.
func TestSessionGroupsFromTags(t *testing.T) {
	t.Parallel()
	payload, err := encodeSession(&session{ID: "x", Issued: 1, Expires: 2, Groups: []string{"ops", "eng", "gone", "eng"}})
	if err != nil {
		t.Fatal(err)
	}
	sess, ok := decodeSession(payload)
	if !ok || sess.Groups != nil || len(sess.tags) != 3*tagBytes {
		t.Fatalf("decoded %+v, %v: want 3 tags and no names", sess, ok)
	}
	stateOf := func(groups ...string) *generation {
		st := &generation{groups: map[string]bool{}}
		for _, g := range groups {
			st.groups[g] = true
		}
		st.tagged, _ = tagIndex(groups)
		return st
	}
	for _, tc := range []struct {
		declared, want []string
	}{
		{[]string{"eng", "ops"}, []string{"eng", "ops"}},
		{[]string{"eng", "qa"}, []string{"eng"}},
		{[]string{"eng", "gone", "ops", "qa"}, []string{"eng", "gone", "ops"}},
		{nil, nil},
	} {
		if got := stateOf(tc.declared...).sessionGroups(sess); !slices.Equal(got, tc.want) {
			t.Errorf("declared %v: groups %v, want %v", tc.declared, got, tc.want)
		}
	}
	// A session made in this process keeps its names, filtered the same way.
	made := &session{Groups: []string{"eng", "qa"}}
	if got := stateOf("qa").sessionGroups(made); !slices.Equal(got, []string{"qa"}) {
		t.Errorf("in-process session: groups %v, want [qa]", got)
	}
	// Re-sealing a decoded session keeps its tags.
	again, err := encodeSession(sess)
	if err != nil || !slices.Equal(again, payload) {
		t.Errorf("re-sealed payload differs: %q vs %q (%v)", again, payload, err)
	}
}

func TestTagIndex(t *testing.T) {
	t.Parallel()
	m, ok := tagIndex([]string{"eng", "ops", "eng"})
	if !ok || len(m) != 2 || m[tagOf("eng")] != "eng" || m[tagOf("ops")] != "ops" {
		t.Errorf("tagIndex = %v, %v", m, ok)
	}
	if tagOf("eng") == tagOf("Eng") || tagOf("eng") == tagOf("eng ") {
		t.Error("tags of different names are equal")
	}
}
