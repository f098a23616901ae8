package config

import (
	"errors"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/tomlx"
)

// AccessFile is the path of the people settings in a site folder.
const AccessFile = "config/access.toml"

// Access is config/access.toml: who the members, groups and guests are.
type Access struct {
	// Directory is what the access engine needs: member domains (lower
	// case), declared groups (sorted), guests (lower-cased emails, sorted
	// groups, expiry as the first instant they are no longer valid) and the
	// group combinations of [[audiences]] (each sorted).
	Directory access.Directory
	// GroupTitles maps each declared group to its title, the group's name
	// when it has none.
	GroupTitles map[string]string
	// GuestExpires maps a guest's email to its expiry as written, in a
	// fixed form ("2026-12-31", or RFC 3339 for a datetime), for the
	// manifest; guests without expiry are absent.
	GuestExpires map[string]string
	// GuestExpiresLine maps a guest's email to the line of its expires key
	// in File, for messages about the expiry; guests without expiry are
	// absent.
	GuestExpiresLine map[string]int
	// File is the file the settings came from, "" when there was none.
	File string
}

// LoadAccess reads config/access.toml from the site folder fsys. A missing
// file means no member domains, no groups and no guests: only rules for
// anyone decide anything. Every problem is reported, as a diag.List.
//
// A guest's email may be in a member domain: a listed guest is a guest
// (ACCESS.md: members are those "not listed as a guest").
func LoadAccess(fsys fs.FS) (*Access, error) {
	a := &Access{GroupTitles: map[string]string{}, GuestExpires: map[string]string{}, GuestExpiresLine: map[string]int{}}
	text, err := readConfig(fsys, AccessFile)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, err
	}
	doc, err := tomlx.Parse(AccessFile, text, 0)
	if err != nil {
		var l diag.List
		l.Append(err)
		return nil, l
	}
	a.File = AccessFile
	root := doc.Root()
	if m := root.Table("members"); m != nil {
		a.Directory.MemberDomains = readDomains(m)
		m.Finish()
	}
	groups := root.Table("groups")
	if groups != nil {
		a.readGroups(groups)
	}
	for _, g := range root.Tables("guests") {
		a.readGuest(g)
	}
	var lines []int
	for _, t := range root.Tables("audiences") {
		if a.readAudience(t) {
			lines = append(lines, t.Line("groups"))
		}
	}
	if groups != nil {
		a.checkCombinationIDs(groups, lines)
	}
	root.Finish()
	if err := doc.Problems().Err(); err != nil {
		return nil, err
	}
	return a, nil
}

func readDomains(m *tomlx.Table) []string {
	vals, lines, _ := m.Strings("domains")
	var out []string
	for i, d := range vals {
		d = access.NormEmail(d)
		if !validDomain(d) {
			m.ErrorAt(lines[i], "invalid member domain %q", vals[i])
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

func (a *Access) readGroups(groups *tomlx.Table) {
	for _, name := range groups.Keys() {
		if _, err := access.ParsePrincipal("group:" + name); err != nil {
			groups.Errorf(name, "invalid group name %q", name)
			continue
		}
		title := name
		if g := groups.Table(name); g != nil {
			g.String("title", &title)
			g.Finish()
		}
		a.Directory.Groups = append(a.Directory.Groups, name)
		a.GroupTitles[name] = title
	}
}

func (a *Access) readGuest(g *tomlx.Table) {
	var email string
	if !g.String("email", &email) {
		if !g.Has("email") {
			g.Errorf("", "a [[guests]] entry needs an email")
		}
		a.finishGuest(g)
		return
	}
	written := email
	email = access.NormEmail(email)
	if !access.ValidEmail(email) {
		g.Errorf("email", "invalid guest email %q", written)
		a.finishGuest(g)
		return
	}
	if _, dup := a.Directory.Guest(email); dup {
		g.Errorf("email", "guest %q is declared twice", email)
		a.finishGuest(g)
		return
	}
	entry := access.GuestEntry{Email: email}
	g.String("name", &entry.Name)
	entry.Groups = a.declaredGroups(g, "groups")
	if d, ok := g.Date("expires"); ok {
		entry.Expires = d.Time
		if d.DateOnly {
			entry.Expires = d.Time.AddDate(0, 0, 1)
		}
		a.GuestExpires[email] = d.Written
		a.GuestExpiresLine[email] = g.Line("expires")
	}
	g.Finish()
	a.Directory.Guests = append(a.Directory.Guests, entry)
}

// finishGuest reads the rest of a rejected guest for its own problems.
func (a *Access) finishGuest(g *tomlx.Table) {
	var name string
	g.String("name", &name)
	a.declaredGroups(g, "groups")
	g.Date("expires")
	g.Finish()
}

// readAudience reads an [[audiences]] entry and reports whether it added
// a combination.
func (a *Access) readAudience(t *tomlx.Table) bool {
	vals, lines, ok := t.Strings("groups")
	if !t.Has("groups") || ok && len(vals) == 0 {
		t.Errorf("groups", "an [[audiences]] entry needs groups")
	}
	groups := a.declared(t, vals, lines)
	t.Finish()
	if len(groups) > 0 {
		a.Directory.Combinations = append(a.Directory.Combinations, groups)
		return true
	}
	return false
}

// checkCombinationIDs refuses what would give two different combinations
// of groups one audience id (access.CombinationID), since only one of them
// would be built and a member of the other never served their own build:
// two [[audiences]] entries (lines are the lines of the combinations'
// groups keys), and any group of groups (the [groups] table) whose name,
// holding "+", lets combinations that members may have or the gateway may
// record as wanted share an id.
func (a *Access) checkCombinationIDs(groups *tomlx.Table, lines []int) {
	first := map[string]int{}
	for i, c := range a.Directory.Combinations {
		if len(c) < 2 {
			continue
		}
		id := access.CombinationID(c)
		j, ok := first[id]
		if !ok {
			first[id] = i
			continue
		}
		if other := a.Directory.Combinations[j]; !slices.Equal(other, c) {
			groups.ErrorAt(lines[i], "[[audiences]] groups %s and the [[audiences]] at line %d (groups %s) have one audience id %q; rename a group",
				quoted(c), lines[j], quoted(other), id)
		}
	}
	for _, c := range access.Clashes(a.Directory.Groups) {
		groups.Errorf(c.Group, "group %q gives two combinations one audience id: groups %s and %s would both be %q; rename a group",
			c.Group, quoted(c.A), quoted(c.B), access.CombinationID(c.A))
	}
}

// quoted writes group names as a TOML array.
func quoted(groups []string) string {
	q := make([]string, len(groups))
	for i, g := range groups {
		q[i] = strconv.Quote(g)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// declaredGroups reads an array of group names that must be declared, and
// returns them sorted without duplicates.
func (a *Access) declaredGroups(t *tomlx.Table, key string) []string {
	vals, lines, _ := t.Strings(key)
	return a.declared(t, vals, lines)
}

// declared returns the group names vals (written at lines) that are
// declared, sorted without duplicates, and reports the others.
func (a *Access) declared(t *tomlx.Table, vals []string, lines []int) []string {
	var out []string
	for i, g := range vals {
		if !a.Directory.HasGroup(g) {
			t.ErrorAt(lines[i], "undeclared group %q (declare it as [groups.%s])", g, g)
			continue
		}
		out = append(out, g)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// validDomain reports whether d is a lower-case host name: dot-separated
// labels of letters, digits and inner hyphens, 253 bytes at most.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if r != '-' && !unicode.IsDigit(r) && !(unicode.IsLetter(r) && !unicode.IsUpper(r)) {
				return false
			}
		}
	}
	return true
}
