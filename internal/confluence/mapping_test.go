package confluence

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/facet-docs/facet/internal/access"
)

// person is a Confluence user with the groups they are in.
type person struct {
	u      atom // Email "" for a user the export gives no email
	groups []string
	anon   bool
}

// confluenceSees is Confluence's decision: the space permission, then
// every view restriction on the page and its ancestors.
func confluenceSees(p person, space []atom, restrictions [][]atom) bool {
	in := func(as []atom) bool {
		for _, a := range as {
			switch {
			case a.Kind == "anyone":
				return true
			case p.anon:
			case a.Kind == "members":
				return true
			case a.Kind == "group" && slices.Contains(p.groups, a.Name):
				return true
			case a.Kind == "user" && a.Name == p.u.Name:
				return true
			}
		}
		return false
	}
	if !in(space) {
		return false
	}
	for _, r := range restrictions {
		if !in(r) {
			return false
		}
	}
	return true
}

// facetSees is facet's decision for a page whose chain is one closed level
// allowing m.Allow (the level the import writes or the page inherits).
func facetSees(t *testing.T, p person, m mapping) bool {
	lvl := &access.Level{File: "page.md", Closed: true}
	for _, s := range m.Allow {
		pr, err := access.ParsePrincipal(s)
		if err != nil {
			t.Fatalf("mapping wrote an invalid principal %q: %v", s, err)
		}
		lvl.Entries = append(lvl.Entries, access.Entry{Principal: pr, Key: "allow"})
	}
	id := access.Identity{Kind: access.Anonymous}
	if !p.anon {
		email := p.u.Email
		if email == "" {
			email = p.u.Name + "@unnamed.example" // no rule can name them
		}
		id = access.Identity{Kind: access.Member, Email: email, Groups: p.groups}
	}
	return access.Decide(access.Chain{lvl}, id).Visible
}

// readersOf computes a page's readers as spaceAccess does.
func readersOf(space []atom, restrictions [][]atom) readers {
	r := union(space)
	for _, x := range restrictions {
		r = r.intersect(union(x))
	}
	return r
}

// TestMappingNeverShowsMore checks, over random space permissions, chains
// of view restrictions and people in random groups, that facet never shows
// a page Confluence hides, and shows exactly Confluence's readers whenever
// the mapping says it is exact.
func TestMappingNeverShowsMore(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 7))
	groups := []string{"eng", "ops", "staff"}
	users := []atom{
		{Kind: "user", Name: "a@example.com", Email: "a@example.com"},
		{Kind: "user", Name: "b@example.com", Email: "b@example.com"},
		{Kind: "user", Name: "c@example.com", Email: "c@example.com"},
		{Kind: "user", Name: "noemail"},
	}
	var pool []atom
	for _, g := range groups {
		pool = append(pool, atom{Kind: "group", Name: g})
	}
	pool = append(pool, users...)
	var people []person
	people = append(people, person{anon: true})
	for _, u := range users {
		for mask := range 1 << len(groups) {
			var gs []string
			for i, g := range groups {
				if mask&(1<<i) != 0 {
					gs = append(gs, g)
				}
			}
			people = append(people, person{u: u, groups: gs})
		}
	}
	pick := func(extra ...atom) []atom {
		all := append(slices.Clone(pool), extra...)
		var out []atom
		for _, a := range all {
			if rng.IntN(3) == 0 {
				out = append(out, a)
			}
		}
		return out
	}
	exact := 0
	for i := range 3000 {
		space := pick(atom{Kind: "anyone"}, atom{Kind: "members"})
		var rs [][]atom
		for range rng.IntN(4) {
			rs = append(rs, pick())
		}
		m := mapReaders(readersOf(space, rs))
		if m.Exact() {
			exact++
		}
		for _, p := range people {
			c, f := confluenceSees(p, space, rs), facetSees(t, p, m)
			if f && !c {
				t.Fatalf("case %d: facet shows a page Confluence hides from %+v\nspace %v\nrestrictions %v\nallow %v", i, p, space, rs, m.Allow)
			}
			if m.Exact() && f != c {
				t.Fatalf("case %d: an exact mapping differs for %+v (confluence %v, facet %v)\nspace %v\nrestrictions %v\nallow %v", i, p, c, f, space, rs, m.Allow)
			}
		}
	}
	if exact == 0 || exact == 3000 {
		t.Fatalf("the cases should mix exact and inexact mappings; %d of 3000 exact", exact)
	}
}

// TestMappingCases states the mapping of the usual shapes.
func TestMappingCases(t *testing.T) {
	t.Parallel()
	anyone, members := atom{Kind: "anyone"}, atom{Kind: "members"}
	eng, ops := atom{Kind: "group", Name: "eng"}, atom{Kind: "group", Name: "ops"}
	alice := atom{Kind: "user", Name: "alice@example.com", Email: "alice@example.com"}
	bob := atom{Kind: "user", Name: "bob@example.com", Email: "bob@example.com"}
	dana := atom{Kind: "user", Name: "dana"}
	cases := []struct {
		space        []atom
		restrictions [][]atom
		allow        string
		missing      string
	}{
		{[]atom{anyone}, nil, "[anyone]", "[]"},
		{[]atom{anyone, eng}, [][]atom{{eng, bob}}, "[group:eng user:bob@example.com]", "[]"},
		{[]atom{members}, [][]atom{{eng, bob}}, "[group:eng user:bob@example.com]", "[]"},
		// a child's user inside a parent's group: covered by the group
		{[]atom{anyone}, [][]atom{{eng, alice, bob}, {alice, eng}}, "[group:eng user:alice@example.com]", "[]"},
		// a user named on the child, a group on the parent: unknowable
		{[]atom{anyone}, [][]atom{{eng}, {alice}}, "[]", "[user alice@example.com who is also in group eng]"},
		{[]atom{anyone}, [][]atom{{eng}, {ops}}, "[]", "[group eng who is also in group ops]"},
		{[]atom{eng}, [][]atom{{alice}}, "[]", "[user alice@example.com who is also in group eng]"},
		{[]atom{anyone}, [][]atom{{alice}, {bob}}, "[]", "[]"},
		{[]atom{anyone}, [][]atom{{dana, bob}}, "[user:bob@example.com]", "[user dana (no email in the export)]"},
		{nil, nil, "[]", "[]"},
	}
	for i, c := range cases {
		m := mapReaders(readersOf(c.space, c.restrictions))
		if got := fmt.Sprint(m.Allow); got != c.allow {
			t.Errorf("case %d: allow %s, want %s", i, got, c.allow)
		}
		if got := fmt.Sprint(nonNil(m.Missing)); got != c.missing {
			t.Errorf("case %d: missing %s, want %s", i, got, c.missing)
		}
	}
}
