package confluence

import (
	"fmt"
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/access"
)

// people maps Confluence's users and groups to facet principals: groups
// keep their names (the identity provider must send the same names), the
// group every user is in becomes members, users are named by email.
type people struct {
	membersGroup string
	domains      []string
	groups       map[string]string // Confluence name -> facet name, for the groups a rule names
	names        map[string]string // Confluence name -> facet name, for every group (nameGroups)
	noEmail      map[string][]string
	guests       map[string]bool
	warn         func(kind, page, msg string)
}

// atomOf turns a permission's subject into an atom with facet's names.
func (pp *people) atomOf(a atom, where string) atom {
	switch a.Kind {
	case "group":
		if a.Name == pp.membersGroup {
			return atom{Kind: "members"}
		}
		name, ok := pp.groups[a.Name]
		if !ok {
			name, ok = pp.names[a.Name]
			if !ok {
				name = groupName(a.Name)
			}
			if name != a.Name {
				pp.warn("group", where, fmt.Sprintf("the group %q is written %q (facet group names hold no spaces, commas or quotes); the identity provider must send that name", a.Name, name))
			}
			pp.groups[a.Name] = name
		}
		return atom{Kind: "group", Name: name}
	case "user":
		email := access.NormEmail(strings.TrimSpace(a.Email))
		if !access.ValidEmail(email) {
			if !slices.Contains(pp.noEmail[a.Name], where) {
				pp.noEmail[a.Name] = append(pp.noEmail[a.Name], where)
				pp.warn("user", where, fmt.Sprintf("the user %q has no usable email in the export; left out of the page's readers (see the TODO in config/access.toml)", a.Name))
			}
			return atom{Kind: "user", Name: a.Name}
		}
		if !slices.Contains(pp.domains, access.EmailDomain(email)) && !pp.guests[email] {
			pp.guests[email] = true
			pp.warn("user", where, fmt.Sprintf("%s is outside the member domains; declared as a guest in config/access.toml (TODO: check)", email))
		}
		return atom{Kind: "user", Name: email, Email: email}
	}
	return a
}

func (pp *people) atoms(as []atom, where string) []atom {
	out := make([]atom, 0, len(as))
	for _, a := range as {
		out = append(out, pp.atomOf(a, where))
	}
	return out
}

// nameGroups gives every Confluence group of names (the members group
// aside) a distinct facet name: a name facet can hold keeps it; the others
// are cleaned by groupName, in name order, and one that is then another
// group's name gets the first free numeric suffix ("eng team" and
// "eng-team" are two groups: "eng-team-2" and "eng-team"), with a warning.
func (pp *people) nameGroups(names []string) {
	names = slices.Clone(names)
	slices.Sort(names)
	names = slices.Compact(names)
	pp.names = map[string]string{}
	taken := map[string]bool{}
	for _, n := range names {
		if n != pp.membersGroup && groupName(n) == n {
			pp.names[n] = n
			taken[n] = true
		}
	}
	for _, n := range names {
		if _, done := pp.names[n]; done || n == pp.membersGroup {
			continue
		}
		base := groupName(n)
		name := base
		for i := 2; taken[name]; i++ {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		if name != base {
			pp.warn("group", "", fmt.Sprintf("the group %q, written %q, would be another group's name in facet; it is written %q (the identity provider must send that name for it)", n, base, name))
		}
		pp.names[n] = name
		taken[name] = true
	}
	pp.avoidClashes(taken)
}

// avoidClashes renames the groups whose "+" would give two combinations
// of groups one audience id (access.Clashes), which facet refuses: the
// group's "+" become "-", with the first free numeric suffix when that is
// another group's name, and a warning.
func (pp *people) avoidClashes(taken map[string]bool) {
	for {
		by := map[string]string{} // facet name -> Confluence name
		facet := make([]string, 0, len(pp.names))
		for c, f := range pp.names {
			by[f] = c
			facet = append(facet, f)
		}
		cs := access.Clashes(facet)
		if len(cs) == 0 {
			return
		}
		g := cs[0].Group
		base := strings.ReplaceAll(g, "+", "-")
		name := base
		for i := 2; taken[name]; i++ {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		pp.warn("group", "", fmt.Sprintf("the group %q, written %q, would give the combinations %q and %q one audience id in facet; it is written %q (the identity provider must send that name for it)",
			by[g], g, cs[0].A, cs[0].B, name))
		pp.names[by[g]] = name
		taken[name] = true
	}
}

// groupName is a Confluence group name as a valid facet group name.
func groupName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r <= ' ' || r == ',' || r == '"' || r == 0x7f {
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return "unnamed"
	}
	return s
}

// pageAccess is what the import decided for one page.
type pageAccess struct {
	readers   readers // who Confluence shows the page to
	m         mapping // what facet's rules name
	write     bool    // the page's file carries its own level
	reasons   []string
	inherited string // the file whose level decides, when not written
	// unknown is true when a restriction on the page or above it could
	// not be read: its Confluence readers are unknown, facet's are nobody.
	unknown bool
}

// spaceAccess computes every page's readers and which files need a level.
// A page's readers are the space's viewers intersected with every view
// restriction on it and on its ancestors; a file gets its own closed level
// when its allow list differs from the one its folder passes down.
func (pp *people) spaceAccess(s *space) (mapping, map[*page]*pageAccess) {
	where := s.dir + "/_index.md"
	viewers := union(pp.atoms(s.view, where))
	if len(s.view) == 0 {
		pp.warn("space", where, "no one has the View space permission; the space is hidden from everyone")
	}
	sm := mapReaders(viewers)
	if slices.ContainsFunc(viewers, func(t term) bool { return t.anyone }) {
		// Confluence shows a space to anonymous users only when the site
		// grants them "Use Confluence" too, which a space export does not
		// hold; facet will publish it to everyone.
		pp.warn("space", where, "anonymous users have the View space permission: the space is imported open to everyone on the internet; Confluence also needed the site-wide anonymous access permission, which the export does not hold (check it, or close the space in "+where+")")
	}
	out := map[*page]*pageAccess{}
	home := s.homePage()
	var walk func(p *page, conf readers, reasons []string, passed mapping, passedFile string)
	walk = func(p *page, conf readers, reasons []string, passed mapping, passedFile string) {
		pa := &pageAccess{readers: conf, reasons: reasons}
		if p.orphan {
			pp.warn("page", p.file, fmt.Sprintf("its parent page is not a current page of the space (trashed, a draft or an old version); imported at the top of the space, under the view restrictions of the %d page(s) above it in Confluence that have one", countTitles(p.above)))
		}
		for _, a := range p.above {
			pa.readers = pa.readers.intersect(union(pp.atoms(a.atoms, p.file)))
			pa.reasons = append(pa.reasons, fmt.Sprintf("restricted on %q (above it in Confluence, %s) to %s", a.title, a.state, describe(a.atoms)))
		}
		for _, v := range p.view {
			pa.readers = pa.readers.intersect(union(pp.atoms(v, p.file)))
			pa.reasons = append(pa.reasons, fmt.Sprintf("restricted on %q to %s", p.title, describe(v)))
		}
		for _, at := range p.unreadSubjects {
			pp.warn("restriction", p.file, at+": a view restriction names a user or group the import cannot read; left out (no one reads the page by it)")
		}
		pa.unknown = p.parent != nil && out[p.parent] != nil && out[p.parent].unknown
		for _, u := range p.unreadable {
			pa.readers, pa.unknown = nil, true
			pa.reasons = append(pa.reasons, u+", read as nobody")
			pp.warn("restriction", p.file, u+"; the page and the pages below it are hidden from everyone")
		}
		pa.m = mapReaders(pa.readers)
		pa.write = !pa.m.equal(passed)
		if !pa.write {
			pa.inherited = passedFile
		}
		out[p] = pa
		childPassed, childFile := passed, passedFile
		if pa.write && p != home {
			childPassed, childFile = pa.m, p.file
		}
		for _, c := range p.children {
			if p == home {
				// the home page's children live in the space folder, whose
				// [access] is the space's: their own level carries the
				// home page's restrictions.
				walk(c, pa.readers, pa.reasons, sm, where)
				continue
			}
			walk(c, pa.readers, pa.reasons, childPassed, childFile)
		}
	}
	for _, p := range s.roots {
		walk(p, viewers, []string{"space viewers: " + describe(s.view)}, sm, where)
	}
	return sm, out
}

// countTitles is the number of pages the restrictions are on.
func countTitles(as []ancestorView) int {
	seen := map[string]bool{}
	for _, a := range as {
		seen[a.title+"\x00"+a.state] = true
	}
	return len(seen)
}

// describe lists a permission's subjects as Confluence names them.
func describe(as []atom) string {
	if len(as) == 0 {
		return "nobody"
	}
	var parts []string
	for _, a := range as {
		switch a.Kind {
		case "anyone":
			parts = append(parts, "anonymous users")
		case "group":
			parts = append(parts, "group "+a.Name)
		default:
			parts = append(parts, "user "+firstNonEmpty(access.NormEmail(a.Email), a.Name))
		}
	}
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), ", ")
}
