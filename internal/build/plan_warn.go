package build

import (
	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/diag"
)

// planWarnings are the warnings of a plan that no page decides: an
// audience other than anonymous that sees no page at all (a guest nothing
// names, a group no rule opens anything to), and a members build written
// for a site that declares no member domain, where nobody can sign in as a
// member. Anonymous seeing nothing is an intranet: visitors are sent to
// sign in.
func (s *loadedSite) planWarnings(p *plan) []error {
	var out []error
	for i, a := range p.audiences {
		if a.Identity.Kind == access.Anonymous {
			continue
		}
		if bp := p.byAud[i]; bp != nil && bp.visible.Len() == 0 {
			out = append(out, &diag.Error{File: config.AccessFile, Msg: "audience " + a.ID + " sees no page at all: no rule opens a page to it"})
		}
	}
	if len(s.acc.Directory.MemberDomains) == 0 {
		for _, bp := range p.builds {
			if bp.kind == access.Member {
				out = append(out, &diag.Error{File: config.AccessFile,
					Msg: "no [members] domains: nobody can sign in as a member, yet member builds are written (declare domains, or ignore this for a public portal)"})
				break
			}
		}
	}
	return out
}
