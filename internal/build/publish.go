package build

import (
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// writeManifest writes manifest.json and rules.json into the stage.
func (s *site) writeManifest(p *plan, st *stage, gen string, now time.Time) error {
	m := &manifest.Manifest{Generation: gen, Built: now.UTC().Format(time.RFC3339)}
	for i, a := range p.audiences {
		bp := p.byAud[i]
		groups := a.Identity.Groups
		if groups == nil {
			groups = []string{}
		}
		kind := string(a.Identity.Kind)
		m.Audiences = append(m.Audiences, manifest.Audience{
			ID: a.ID, Kind: kind, Email: a.Identity.Email, Name: a.Name, Groups: groups,
			Expires: s.acc.GuestExpires[a.Identity.Email], Dir: bp.r.Dir,
		})
	}
	r := &manifest.Rules{Generation: gen}
	levelIndex := map[*access.Level]int{}
	addLevel := func(l *access.Level) int {
		if i, ok := levelIndex[l]; ok {
			return i
		}
		ml := manifest.Level{File: l.File, Line: l.Line, Closed: l.Closed, Entries: []manifest.Entry{}}
		for _, e := range l.Entries {
			ml.Entries = append(ml.Entries, manifest.Entry{Key: e.Key, Principal: e.Principal.String(), Line: e.Line})
		}
		r.Levels = append(r.Levels, ml)
		levelIndex[l] = len(r.Levels) - 1
		return len(r.Levels) - 1
	}
	for i, pg := range s.tree.Pages {
		mp := manifest.Page{URL: pg.URL, Chain: []int{}}
		for _, l := range s.rules.Chains[i] {
			mp.Chain = append(mp.Chain, addLevel(l))
		}
		r.Pages = append(r.Pages, mp)
	}
	for _, bp := range p.builds {
		m.Builds = append(m.Builds, manifest.Build{Dir: bp.r.Dir, Pages: bp.r.Present.Len(), Files: bp.files})
		r.Builds = append(r.Builds, manifest.BuildSet{Dir: bp.r.Dir, Kind: string(bp.kind), Visible: bp.visible.String()})
	}
	d := s.acc.Directory
	r.Directory = manifest.Directory{
		MemberDomains: nonNil(d.MemberDomains), Groups: nonNil(d.Groups),
		Guests: []manifest.Guest{}, Combinations: d.Combinations,
	}
	for _, g := range d.Guests {
		mg := manifest.Guest{Email: g.Email, Name: g.Name, Groups: nonNil(g.Groups)}
		if !g.Expires.IsZero() {
			mg.Expires = g.Expires.UTC().Format(time.RFC3339)
		}
		r.Directory.Guests = append(r.Directory.Guests, mg)
	}
	return manifest.Write(st.dir, m, r)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
