package accessdiff

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/manifest"
)

// FromSite is the side of a loaded site: its pages keyed by source path,
// with titles and content hashes. Generated section pages are left out:
// they have no rules of their own and follow what lies beneath them.
func FromSite(label string, s *build.Site) Side {
	side := Side{Label: label, Dir: s.Access.Directory}
	for i, p := range s.Tree.Pages {
		if p.Generated || i >= len(s.Rules.Chains) {
			continue
		}
		pg := Page{Key: p.File, URL: p.URL, Title: p.Title, Chain: s.Rules.Chains[i], Hidden: p.Draft}
		if len(p.Body) > 0 {
			sum := sha256.Sum256(p.Body)
			pg.Hash = hex.EncodeToString(sum[:])
		}
		side.Pages = append(side.Pages, pg)
	}
	side.Users = namedUsers(s.Rules.Chains)
	return side
}

// FromRules is the side of the rules a build published (rules.json):
// pages keyed by URL, without titles.
func FromRules(label string, r *manifest.Rules) Side {
	side := Side{Label: label, Dir: r.Directory}
	for i, url := range r.Pages {
		if i >= len(r.Access.Chains) {
			break
		}
		side.Pages = append(side.Pages, Page{Key: url, URL: url, Chain: r.Access.Chains[i]})
	}
	side.Users = namedUsers(r.Access.Chains)
	return side
}

// namedUsers are the emails user: principals name, sorted, each once.
func namedUsers(chains []access.Chain) []string {
	var out []string
	for _, c := range chains {
		for _, l := range c {
			for _, e := range l.Entries {
				if e.Principal.Class == access.ClassUser {
					out = append(out, e.Principal.Name)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
