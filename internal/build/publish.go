package build

import (
	"time"

	"github.com/facet-docs/facet/internal/manifest"
)

// writeManifest writes manifest.json and rules.json into dir and returns
// the rules encoded. rules is the plan's rules encoded before (a rebuild
// with the same plan and site), or nil. The compiled rules go to the
// manifest package as they are: it alone encodes them, and decodes them
// for the gateway.
func (s *loadedSite) writeManifest(p *plan, dir, gen string, now time.Time, rules *manifest.EncodedRules) (*manifest.EncodedRules, error) {
	m := s.manifestOf(p, gen, now.UTC().Format(time.RFC3339))
	if rules == nil {
		var err error
		if rules, err = manifest.EncodeRules(s.publishedRules(p)); err != nil {
			return nil, err
		}
	}
	return rules, manifest.WriteEncoded(dir, m, rules)
}

// manifestOf is manifest.json of plan p as generation gen, built at built.
func (s *loadedSite) manifestOf(p *plan, gen, built string) *manifest.Manifest {
	m := &manifest.Manifest{Generation: gen, Built: built}
	for i, a := range p.audiences {
		bp := p.byAud[i]
		groups := a.Identity.Groups
		if groups == nil {
			groups = []string{}
		}
		m.Audiences = append(m.Audiences, manifest.Audience{
			ID: a.ID, Kind: string(a.Identity.Kind), Email: a.Identity.Email, Name: a.Name, Groups: groups,
			Expires: s.acc.GuestExpires[a.Identity.Email], Dir: bp.r.Dir,
		})
	}
	for _, bp := range p.builds {
		m.Builds = append(m.Builds, manifest.Build{Dir: bp.r.Dir, Pages: bp.r.Present.Len(), Files: bp.files})
	}
	return m
}

// publishedRules are the rules a build publishes: every page's chain, the
// people of config/access.toml and each build's kind and visible set.
func (s *loadedSite) publishedRules(p *plan) *manifest.Rules {
	r := &manifest.Rules{Access: *s.rules, Directory: s.acc.Directory}
	for _, pg := range s.tree.Pages {
		r.Pages = append(r.Pages, pg.URL)
	}
	for _, bp := range p.builds {
		r.Builds = append(r.Builds, manifest.BuildSet{Dir: bp.r.Dir, Kind: bp.kind, Visible: bp.visible})
	}
	return r
}
