package build

import (
	"strings"

	"github.com/facet-docs/facet/internal/manifest"
)

// The oracle of TestPropertyNoTrace: docs/ACCESS.md re-implemented from
// the page's text alone, without internal/access, so that a bug shared by
// the engine and its tests cannot hide a leak.

// oIdentity is who an audience is.
type oIdentity struct {
	kind   string // anonymous, member, guest
	email  string
	groups []string
}

func identityOf(a manifest.Audience) oIdentity {
	return oIdentity{kind: a.Kind, email: strings.ToLower(a.Email), groups: a.Groups}
}

// specificity of a principal the identity matches, -1 when it does not:
// user 3, group 2, members/guests 1, anyone 0.
func (id oIdentity) specificity(p string) int {
	switch {
	case p == "anyone":
		return 0
	case p == "members" && id.kind == "member", p == "guests" && id.kind == "guest":
		return 1
	case strings.HasPrefix(p, "group:") && id.kind != "anonymous":
		for _, g := range id.groups {
			if g == strings.TrimPrefix(p, "group:") {
				return 2
			}
		}
	case strings.HasPrefix(p, "user:") && id.email != "":
		if strings.EqualFold(strings.TrimPrefix(p, "user:"), id.email) {
			return 3
		}
	}
	return -1
}

// decideLevel is one level's answer: decided, and whether visible.
func (id oIdentity) decideLevel(r *pRules) (decided, visible bool) {
	best, deny := -1, false
	consider := func(list []string, isDeny bool) {
		for _, p := range list {
			sp := id.specificity(p)
			switch {
			case sp > best:
				best, deny = sp, isDeny
			case sp == best && sp >= 0 && isDeny:
				deny = true
			}
		}
	}
	consider(r.allow, false)
	consider(r.grant, false)
	consider(r.deny, true)
	if best >= 0 {
		return true, !deny
	}
	return r.closed, false
}

// chain is n's chain of levels, most specific first, the site default last.
func (s *propSite) chain(n *pNode) []*pRules {
	var ch []*pRules
	for x := n; x != nil; x = x.parent {
		if x.rules != nil {
			ch = append(ch, x.rules)
		}
	}
	return append(ch, &pRules{closed: true, allow: s.def})
}

// decide is ACCESS.md's decision for a page or section.
func (s *propSite) decide(n *pNode, id oIdentity) bool {
	for _, l := range s.chain(n) {
		if decided, vis := id.decideLevel(l); decided {
			return vis
		}
	}
	return false
}

// visible is the set of nodes an identity sees: pages and sections by the
// rules; a file when its owner is visible and, if any page references it,
// one of those pages is visible too.
func (s *propSite) visible(id oIdentity) map[*pNode]bool {
	vis := map[*pNode]bool{}
	for _, n := range s.nodes {
		if n.kind != "file" && s.decide(n, id) {
			vis[n] = true
		}
	}
	for _, n := range s.nodes {
		if n.kind != "file" || !vis[n.parent] {
			continue
		}
		used := len(n.refs) == 0
		for _, r := range n.refs {
			used = used || vis[r]
		}
		if used {
			vis[n] = true
		}
	}
	return vis
}
