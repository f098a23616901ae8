package confluence

import (
	"slices"
	"strings"
)

// atom is one principal of a Confluence permission, as facet will name it:
// anyone (anonymous access), members (the group every user is in), a group,
// or a user (by email; Email is "" when the export has none).
type atom struct {
	Kind  string // "anyone", "members", "group", "user"
	Name  string // group name, or the user's Confluence name
	Email string // users only
}

// term is a conjunction of atoms: the people who match all of them. The
// readers of a page are a union of terms (a disjunctive normal form): each
// restriction is a union of atoms, and intersecting two unions pairs every
// term of one with every term of the other.
type term struct {
	anyone  bool
	members bool
	groups  []string // sorted
	users   []atom   // distinct users; two make the term empty
}

// readers is a union of terms.
type readers []term

// maxTerms bounds the normal form; past it the terms facet cannot express
// are dropped (and reported), keeping the import linear.
const maxTerms = 4096

// union returns the readers of one permission list.
func union(atoms []atom) readers {
	var r readers
	for _, a := range atoms {
		r = append(r, single(a))
	}
	return r.simplify()
}

func single(a atom) term {
	switch a.Kind {
	case "anyone":
		return term{anyone: true}
	case "members":
		return term{members: true}
	case "group":
		return term{groups: []string{a.Name}}
	}
	return term{users: []atom{a}}
}

// intersect returns the people in both r and s.
func (r readers) intersect(s readers) readers {
	var out readers
	for _, a := range r {
		for _, b := range s {
			if t, ok := meet(a, b); ok {
				out = append(out, t)
			}
		}
	}
	return out.simplify()
}

// meet is the conjunction of two terms; ok is false when it is empty (two
// different users).
func meet(a, b term) (term, bool) {
	t := term{anyone: a.anyone && b.anyone, members: a.members || b.members}
	t.groups = append(slices.Clone(a.groups), b.groups...)
	slices.Sort(t.groups)
	t.groups = slices.Compact(t.groups)
	t.users = slices.Clone(a.users)
	for _, u := range b.users {
		if !slices.Contains(t.users, u) {
			t.users = append(t.users, u)
		}
	}
	if len(t.users) > 1 {
		return term{}, false
	}
	if len(t.groups) > 0 || len(t.users) > 0 {
		t.members = false // a group or a user is narrower than members
	}
	if t.members || len(t.groups) > 0 || len(t.users) > 0 {
		t.anyone = false
	}
	return t, true
}

// within reports whether every person of t is in u (u's atoms are a
// subset of t's).
func (t term) within(u term) bool {
	if u.anyone {
		return true
	}
	if u.members {
		return !t.anyone
	}
	if t.anyone || t.members {
		return false
	}
	for _, g := range u.groups {
		if !slices.Contains(t.groups, g) {
			return false
		}
	}
	for _, x := range u.users {
		if !slices.Contains(t.users, x) {
			return false
		}
	}
	return true
}

// simplify drops duplicate terms and terms within another.
func (r readers) simplify() readers {
	var out readers
	for i, t := range r {
		keep := true
		for j, u := range r {
			if i == j || !t.within(u) {
				continue
			}
			// equal terms: keep the first only
			if u.within(t) && j > i {
				continue
			}
			keep = false
			break
		}
		if keep {
			out = append(out, t)
		}
	}
	if len(out) > maxTerms {
		var exact readers
		for _, t := range out {
			if _, ok := t.principal(); ok {
				exact = append(exact, t)
			}
		}
		out = exact
	}
	return out
}

// principal is the facet principal that names exactly the people of t;
// ok is false when no single principal does (a user who must also be in a
// group, two groups at once, a user without an email).
func (t term) principal() (string, bool) {
	switch {
	case t.anyone:
		return "anyone", true
	case len(t.users) == 1 && len(t.groups) == 0:
		if t.users[0].Email == "" {
			return "", false
		}
		return "user:" + t.users[0].Email, true
	case len(t.users) == 0 && len(t.groups) == 1:
		return "group:" + t.groups[0], true
	case len(t.users) == 0 && len(t.groups) == 0 && t.members:
		return "members", true
	}
	return "", false
}

// String describes the term for the report.
func (t term) String() string {
	var parts []string
	if t.anyone {
		return "anyone"
	}
	if t.members && len(t.groups) == 0 && len(t.users) == 0 {
		return "every user"
	}
	for _, u := range t.users {
		if u.Email != "" {
			parts = append(parts, "user "+u.Email)
		} else {
			parts = append(parts, "user "+u.Name+" (no email in the export)")
		}
	}
	for _, g := range t.groups {
		parts = append(parts, "group "+g)
	}
	return strings.Join(parts, " who is also in ")
}

// mapping is what facet can express of a set of readers: the allow list,
// and the terms it leaves out (people Confluence may show the page to whom
// facet will not).
type mapping struct {
	Allow   []string
	Missing []string
}

// mapReaders splits r into facet principals and the terms no principal
// names exactly. Leaving those out only ever hides a page from someone.
func mapReaders(r readers) mapping {
	var m mapping
	for _, t := range r {
		if p, ok := t.principal(); ok {
			m.Allow = append(m.Allow, p)
		} else {
			m.Missing = append(m.Missing, t.String())
		}
	}
	slices.SortFunc(m.Allow, comparePrincipals)
	m.Allow = slices.Compact(m.Allow)
	slices.Sort(m.Missing)
	m.Missing = slices.Compact(m.Missing)
	return m
}

// comparePrincipals orders anyone, members, groups, users.
func comparePrincipals(a, b string) int {
	rank := func(p string) int {
		switch {
		case p == "anyone":
			return 0
		case p == "members":
			return 1
		case strings.HasPrefix(p, "group:"):
			return 2
		}
		return 3
	}
	if d := rank(a) - rank(b); d != 0 {
		return d
	}
	return strings.Compare(a, b)
}

// Exact reports whether facet's allow list names exactly Confluence's
// readers.
func (m mapping) Exact() bool { return len(m.Missing) == 0 }

// equal reports whether two mappings give the same allow list.
func (m mapping) equal(o mapping) bool { return slices.Equal(m.Allow, o.Allow) }
