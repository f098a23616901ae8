package access

import (
	"slices"
	"strings"
	"time"
)

// Audience is one identity the generator builds for. Identities with the
// same visible set as an audience's see exactly its build.
type Audience struct {
	// ID is "anonymous", "members", "group:NAME", "groups:A+B" (a declared
	// combination, see CombinationID) or "user:EMAIL" (a guest or a member
	// named in a rule).
	ID string
	// Identity is the representative identity of the audience.
	Identity Identity
	// Name is a display name (a guest's configured name), possibly empty.
	Name string
	// Expires is a guest's expiry, zero when none.
	Expires time.Time
}

// Audiences lists the audiences of ACCESS.md in a fixed order: anonymous,
// members, each declared group alone, each declared combination, each
// declared guest, then each member named by a user: principal in users.
// users holds lower-cased emails; guests among them are not repeated. A
// combination declared twice is one audience; config refuses the groups
// with which two different combinations would have one id (Clashes).
func (d *Directory) Audiences(users []string) []Audience {
	out := []Audience{
		{ID: "anonymous", Identity: Identity{Kind: Anonymous}},
		{ID: "members", Identity: Identity{Kind: Member}},
	}
	groups := slices.Clone(d.Groups)
	slices.Sort(groups)
	for _, g := range groups {
		out = append(out, Audience{ID: "group:" + g, Identity: Identity{Kind: Member, Groups: []string{g}}})
	}
	seen := map[string]bool{}
	for _, combo := range d.Combinations {
		c := normGroups(combo)
		id := CombinationID(c)
		if len(c) < 2 || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, Audience{ID: id, Identity: Identity{Kind: Member, Groups: c}})
	}
	guests := slices.Clone(d.Guests)
	slices.SortFunc(guests, func(a, b GuestEntry) int { return strings.Compare(a.Email, b.Email) })
	for _, g := range guests {
		if seen["user:"+g.Email] {
			continue
		}
		seen["user:"+g.Email] = true
		out = append(out, Audience{
			ID:       "user:" + g.Email,
			Identity: Identity{Kind: Guest, Email: g.Email, Groups: normGroups(g.Groups)},
			Name:     g.Name,
			Expires:  g.Expires,
		})
	}
	us := slices.Clone(users)
	slices.Sort(us)
	for _, u := range slices.Compact(us) {
		u = NormEmail(u)
		if seen["user:"+u] || !d.IsMemberDomain(u) {
			continue
		}
		seen["user:"+u] = true
		out = append(out, Audience{ID: "user:" + u, Identity: Identity{Kind: Member, Email: u}})
	}
	return out
}
