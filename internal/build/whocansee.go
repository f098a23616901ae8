package build

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/render"
)

// whoCanSee lists who can read each page, for the "who can see this page"
// panel of member builds ([build] who_can_see): see readers. Drafts get no
// list.
func (s *loadedSite) whoCanSee(now time.Time) *render.WhoCanSee {
	w := &render.WhoCanSee{Pages: make([][]int, len(s.tree.Pages))}
	ids := map[string]int{}
	for i, p := range s.tree.Pages {
		if p.Draft || i >= len(s.rules.Chains) {
			continue
		}
		who := []int{}
		for _, l := range s.pageReaders(p, now) {
			n, ok := ids[l]
			if !ok {
				n = len(w.Labels)
				ids[l] = n
				w.Labels = append(w.Labels, l)
			}
			who = append(who, n)
		}
		w.Pages[i] = who
	}
	return w
}

// readers names who can read a page with chain at now: "Everyone" when
// anonymous visitors and members can ("Everyone but" those a deny shuts
// out: see shutOut); "Visitors not signed in" first when anonymous
// visitors can and members cannot; then "All members" when every member
// can ("All members but TITLE, EMAIL, ..." when members of some declared
// groups, or members a user: rule names, cannot), or each declared group ("Group: TITLE") that can on its own; then each
// guest valid at now who can ("Guest: NAME", else the address), and each
// member named by a user: rule who can ("Member: EMAIL") when not all
// members can.
func (s *loadedSite) readers(chain access.Chain, now time.Time) []string {
	return s.readersBy(func(id access.Identity) bool { return access.Decide(chain, id).Visible }, now)
}

// readersBy is readers with who can read decided by sees.
func (s *loadedSite) readersBy(sees func(access.Identity) bool, now time.Time) []string {
	dir := &s.acc.Directory
	var out []string
	if sees(access.Identity{Kind: access.Anonymous}) {
		if sees(access.Identity{Kind: access.Member}) {
			return []string{everyoneBut(s.shutOut(sees, dir, now))}
		}
		// a deny shuts members out: visitors who are not signed in read
		// it, and those listed below
		out = append(out, "Visitors not signed in")
	}
	groups := slices.Clone(dir.Groups)
	slices.Sort(groups)
	all := sees(access.Identity{Kind: access.Member})
	var in, out2 []string // groups that can, and (when members can) groups and named members that cannot
	for _, g := range groups {
		if sees(access.Identity{Kind: access.Member, Groups: []string{g}}) {
			in = append(in, "Group: "+cmpOr(s.acc.GroupTitles[g], g))
		} else {
			out2 = append(out2, cmpOr(s.acc.GroupTitles[g], g))
		}
	}
	if all {
		// members a user: rule shuts out (deny) are not all members
		for _, u := range s.users {
			if _, guest := dir.Guest(u); !guest && dir.IsMemberDomain(u) && !sees(access.Identity{Kind: access.Member, Email: u}) {
				out2 = append(out2, u)
			}
		}
	}
	switch {
	case all && len(out2) == 0:
		out = append(out, "All members")
	case all:
		out = append(out, "All members but "+strings.Join(out2, ", "))
	default:
		out = append(out, in...)
	}
	for _, g := range dir.Guests {
		if !g.Expired(now) && sees(access.Identity{Kind: access.Guest, Email: g.Email, Groups: g.Groups}) {
			out = append(out, "Guest: "+cmpOr(g.Name, g.Email))
		}
	}
	for _, u := range s.users {
		if _, guest := dir.Guest(u); !all && !guest && dir.IsMemberDomain(u) && sees(access.Identity{Kind: access.Member, Email: u}) {
			out = append(out, "Member: "+u)
		}
	}
	return out
}

// Readers names who can read the page at url (its root-relative URL) in
// the site as the last Build or Rebuild of b published it, with the labels
// of the "who can see this page" panel; false when b has built nothing
// yet, or has no such page (a draft included).
func (b *Builder) Readers(url string) ([]string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.snap == nil {
		return nil, false
	}
	s := b.snap.s
	p := s.tree.Page(url)
	if p == nil || p.Draft || p.Index >= len(s.rules.Chains) {
		return nil, false
	}
	return s.pageReaders(p, b.opts.Now()), true
}

// pageReaders names who can read page p at now (see readers). A generated
// section page is in a build only when something beneath it is (present):
// its readers are those who can read a page beneath it, not those its own
// chain (the site's default) lets in. So are a stand-in's
// (content.Section.Standin), never those who read the _index.md it stands
// in for.
func (s *loadedSite) pageReaders(p *content.Page, now time.Time) []string {
	if !p.Generated {
		return s.readers(s.rules.Chains[p.Index], now)
	}
	sec := p.Section // a generated page's (or stand-in's) own section
	if sec == nil {
		return s.readers(s.rules.Chains[p.Index], now)
	}
	chains := s.chainsBeneath(sec, nil)
	return s.readersBy(func(id access.Identity) bool {
		for _, c := range chains {
			if access.Decide(c, id).Visible {
				return true
			}
		}
		return false
	}, now)
}

// chainsBeneath appends the chains of the pages beneath sec that a build
// can hold for themselves and that bring sec's generated page into it
// (present): every page but drafts and generated section pages, at any
// depth, whose URL lies under sec's (not a page moved out by its url).
func (s *loadedSite) chainsBeneath(sec *content.Section, out []access.Chain) []access.Chain {
	add := func(p *content.Page) {
		if !p.Draft && !p.Generated && p.Index < len(s.rules.Chains) && strings.HasPrefix(p.URL, sec.URL) {
			out = append(out, s.rules.Chains[p.Index])
		}
	}
	for _, p := range sec.Pages {
		add(p)
	}
	for _, sub := range sec.Sections {
		add(sub.Page)
		out = s.chainsBeneath(sub, out)
	}
	return out
}

// shutOut names, for a page anonymous visitors and members read, those a
// deny keeps out: each declared group whose members cannot, each member a user: rule names who
// cannot, and each guest valid at now who cannot ("Guest: NAME").
func (s *loadedSite) shutOut(sees func(access.Identity) bool, dir *access.Directory, now time.Time) []string {
	var out []string
	groups := slices.Clone(dir.Groups)
	slices.Sort(groups)
	for _, g := range groups {
		if !sees(access.Identity{Kind: access.Member, Groups: []string{g}}) {
			out = append(out, cmpOr(s.acc.GroupTitles[g], g))
		}
	}
	for _, u := range s.users {
		if _, guest := dir.Guest(u); !guest && dir.IsMemberDomain(u) && !sees(access.Identity{Kind: access.Member, Email: u}) {
			out = append(out, u)
		}
	}
	for _, g := range dir.Guests {
		if !g.Expired(now) && !sees(access.Identity{Kind: access.Guest, Email: g.Email, Groups: g.Groups}) {
			out = append(out, "Guest: "+cmpOr(g.Name, g.Email))
		}
	}
	return out
}

// everyoneBut is "Everyone", or "Everyone but" those shut out.
func everyoneBut(out []string) string {
	if len(out) == 0 {
		return "Everyone"
	}
	return "Everyone but " + strings.Join(out, ", ")
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
