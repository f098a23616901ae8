package report

import (
	"slices"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/build"
)

// ExpiringWithin is how far ahead the audit looks for guests whose access
// ends.
const ExpiringWithin = 30 * 24 * time.Hour

// Admitted is a page an audience sees beyond what anonymous visitors see,
// with the rule that admits it.
type Admitted struct {
	// URL, Title and File name the page.
	URL   string `json:"url"`
	Title string `json:"title"`
	File  string `json:"file"`
	// Rule is the deciding entry as "file:line: key principal"
	// ("content/eng/api.md:4: grant user:carol@partner.example").
	Rule string `json:"rule"`
	// Personal is true when the deciding entry names one person
	// (user:EMAIL): the page is shared with them alone, not through a
	// group, "guests", "members" or "anyone".
	Personal bool `json:"personal"`
}

// GroupRow is one declared group on its own: the pages a member of it
// (and of no other group) sees beyond what anonymous visitors see.
type GroupRow struct {
	// Group is the group's name; Title its title in config/access.toml.
	Group string `json:"group"`
	Title string `json:"title"`
	// Beyond are the pages, in site order, with the rule admitting each.
	Beyond []Admitted `json:"beyond"`
}

// ExpiringGuest is a guest whose access ends within ExpiringWithin of the
// audit's instant.
type ExpiringGuest struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	// Expires is the expiry as written in config/access.toml.
	Expires string `json:"expires"`
	// Days is the number of whole days left (0: ends within a day).
	Days int `json:"days"`
}

// beyondAnonymous lists the counted pages id sees and anonymous visitors
// do not, in site order, each with the rule that admits it.
func beyondAnonymous(s *build.Site, id access.Identity) []Admitted {
	out := []Admitted{}
	anon := access.Identity{Kind: access.Anonymous}
	for _, p := range s.Tree.Pages {
		if !counted(p) || p.Index >= len(s.Rules.Chains) {
			continue
		}
		chain := s.Rules.Chains[p.Index]
		d := access.Decide(chain, id)
		if !d.Visible || access.Decide(chain, anon).Visible {
			continue
		}
		out = append(out, Admitted{URL: p.URL, Title: p.Title, File: p.File,
			Rule: strings.TrimPrefix(d.Reason(), "visible: "), Personal: personal(d)})
	}
	return out
}

// personal reports whether a visible decision was made by an entry naming
// one person.
func personal(d access.Decision) bool {
	return slices.ContainsFunc(d.Entries, func(e access.Entry) bool { return e.Principal.Class == access.ClassUser })
}

// groupRows lists every declared group, sorted, with what it alone adds
// to anonymous.
func groupRows(s *build.Site) []GroupRow {
	groups := slices.Clone(s.Access.Directory.Groups)
	slices.Sort(groups)
	out := []GroupRow{}
	for _, g := range groups {
		out = append(out, GroupRow{Group: g, Title: s.Access.GroupTitles[g],
			Beyond: beyondAnonymous(s, access.Identity{Kind: access.Member, Groups: []string{g}})})
	}
	return out
}

// expiring lists the guests, by email, whose expiry falls after now and
// within ExpiringWithin of it.
func expiring(s *build.Site, now time.Time) []ExpiringGuest {
	out := []ExpiringGuest{}
	for _, g := range s.Access.Directory.Guests {
		if g.Expires.IsZero() || g.Expired(now) || g.Expires.Sub(now) > ExpiringWithin {
			continue
		}
		out = append(out, ExpiringGuest{Email: g.Email, Name: g.Name, Expires: s.Access.GuestExpires[g.Email],
			Days: int(g.Expires.Sub(now) / (24 * time.Hour))})
	}
	slices.SortFunc(out, func(a, b ExpiringGuest) int { return strings.Compare(a.Email, b.Email) })
	return out
}
