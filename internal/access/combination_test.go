package access

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// combinationsByID enumerates every combination (two groups or more) of
// groups, by audience id, the way Audiences would name them.
func combinationsByID(groups []string) map[string][][]string {
	out := map[string][][]string{}
	gs := slices.Clone(groups)
	slices.Sort(gs)
	gs = slices.Compact(gs)
	for mask := 0; mask < 1<<len(gs); mask++ {
		var c []string
		for i, g := range gs {
			if mask&(1<<i) != 0 {
				c = append(c, g)
			}
		}
		if len(c) >= 2 {
			out[CombinationID(c)] = append(out[CombinationID(c)], c)
		}
	}
	return out
}

// checkClashes compares Clashes with an enumeration of every combination:
// it finds a clash exactly when two combinations share an id, and each
// clash it reports is two different combinations of declared groups with
// one id, the first group of A a prefix of B's blamed group.
func checkClashes(t *testing.T, groups []string) {
	t.Helper()
	var shared []string
	for id, cs := range combinationsByID(groups) {
		if len(cs) > 1 {
			shared = append(shared, id)
		}
	}
	clashes := Clashes(groups)
	if (len(shared) > 0) != (len(clashes) > 0) {
		t.Fatalf("groups %q: ids shared by several combinations %q, Clashes %v", groups, shared, clashes)
	}
	for _, c := range clashes {
		if len(c.A) < 2 || len(c.B) < 2 || slices.Equal(c.A, c.B) || CombinationID(c.A) != CombinationID(c.B) ||
			!slices.IsSorted(c.A) || !slices.IsSorted(c.B) || !slices.Contains(c.B, c.Group) || !strings.Contains(c.Group, "+") {
			t.Fatalf("groups %q: bad clash %+v", groups, c)
		}
		for _, g := range append(slices.Clone(c.A), c.B...) {
			if !slices.Contains(groups, g) {
				t.Fatalf("groups %q: clash %+v names undeclared %q", groups, c, g)
			}
		}
	}
}

// TestCombinationIDClash is the class of group names holding "+": two
// different combinations must never share an audience id, and Clashes
// finds every set of declared groups where two could.
func TestCombinationIDClash(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		groups []string
		clash  bool
	}{
		{[]string{"a", "a+b", "b+c", "c"}, true}, // [a b+c] and [a+b c]
		{[]string{"a", "b", "c", "a+b"}, true},   // [a b c] and [a+b c]
		{[]string{"a", "b", "a+b"}, false},       // [a b] is groups:a+b, [a+b] alone group:a+b
		{[]string{"0", "a", "b", "a+b"}, true},   // [0 a b] and [0 a+b]
		{[]string{"c", "c++", "eng", "staff"}, false},
		{[]string{"c++", "c#", "eng"}, false},
		{[]string{"+", "c", "c++"}, false}, // [+ c] is groups:++c, never c++
		{[]string{"eng", "ops", "staff"}, false},
	} {
		checkClashes(t, tc.groups)
		if got := len(Clashes(tc.groups)) > 0; got != tc.clash {
			t.Errorf("groups %q: clash %v, want %v", tc.groups, got, tc.clash)
		}
	}
	// Random sets of names made of a few atoms and "+", against the
	// enumeration of every combination.
	atoms := []string{"a", "b", "c", "", "ab"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		seen := map[string]bool{}
		var groups []string
		for range 2 + r.IntN(6) {
			var parts []string
			for range 1 + r.IntN(3) {
				parts = append(parts, atoms[r.IntN(len(atoms))])
			}
			g := strings.Join(parts, "+")
			if g != "" && !seen[g] {
				seen[g] = true
				groups = append(groups, g)
			}
		}
		checkClashes(t, groups)
	}
}

// TestAudiencesCombinationIDs checks that Audiences names a combination
// by CombinationID and keeps "+" in group names that clash with nothing.
func TestAudiencesCombinationIDs(t *testing.T) {
	t.Parallel()
	d := &Directory{Groups: []string{"c++", "eng"}, Combinations: [][]string{{"c++", "eng"}}}
	var ids []string
	for _, a := range d.Audiences(nil) {
		ids = append(ids, a.ID)
	}
	want := []string{"anonymous", "members", "group:c++", "group:eng", "groups:c+++eng"}
	if !slices.Equal(ids, want) {
		t.Fatalf("audiences %q, want %q", ids, want)
	}
}
