package build

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/render"
)

// whoCanSee lists who can read each page, for the "who can see this page"
// panel of member builds ([build] who_can_see): "Everyone" for a page
// anonymous visitors see; else "All members" when every member does, or
// each declared group that does on its own; then each guest valid at now
// that does (by name, else address), and each member named by a user:
// rule who does when all members do not. Drafts get no list.
func (s *site) whoCanSee(now time.Time) *render.WhoCanSee {
	w := &render.WhoCanSee{Pages: make([][]int, len(s.tree.Pages))}
	ids := map[string]int{}
	label := func(l string) int {
		if i, ok := ids[l]; ok {
			return i
		}
		ids[l] = len(w.Labels)
		w.Labels = append(w.Labels, l)
		return ids[l]
	}
	dir := &s.acc.Directory
	groups := slices.Clone(dir.Groups)
	slices.Sort(groups)
	for i, p := range s.tree.Pages {
		if p.Draft || i >= len(s.rules.Chains) {
			continue
		}
		chain := s.rules.Chains[i]
		sees := func(id access.Identity) bool { return access.Decide(chain, id).Visible }
		if sees(access.Identity{Kind: access.Anonymous}) {
			w.Pages[i] = []int{label("Everyone")}
			continue
		}
		var who []int
		all := sees(access.Identity{Kind: access.Member})
		if all {
			who = append(who, label("All members"))
		} else {
			for _, g := range groups {
				if sees(access.Identity{Kind: access.Member, Groups: []string{g}}) {
					who = append(who, label("Group: "+cmpOr(s.acc.GroupTitles[g], g)))
				}
			}
		}
		for _, g := range dir.Guests {
			if !g.Expired(now) && sees(access.Identity{Kind: access.Guest, Email: g.Email, Groups: g.Groups}) {
				who = append(who, label("Guest: "+cmpOr(g.Name, g.Email)))
			}
		}
		for _, u := range s.users {
			if _, guest := dir.Guest(u); !all && !guest && dir.IsMemberDomain(u) && sees(access.Identity{Kind: access.Member, Email: u}) {
				who = append(who, label("Member: "+u))
			}
		}
		w.Pages[i] = who
	}
	return w
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkWhoCanSee is the release gate's rule for the readers list: only a
// member build's nav.js may hold it. A guest or anonymous build that did
// would tell its readers who else reads each page.
func checkWhoCanSee(bp *buildPlan, name string, data []byte) error {
	if bp.kind == access.Member || name != render.NavPath || !bytes.Contains(data, []byte(render.WhoCanSeeMarker)) {
		return nil
	}
	return fmt.Errorf("verify: build %s: %s lists who can see its pages, which only member builds may", bp.r.Dir, name)
}
