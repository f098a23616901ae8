package report

import (
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// explain serves a member a member build and a guest a guest build, as the
// gateway does, even where a build of the other kind has the same pages:
// bob in eng and partners sees exactly guest gina's pages, and pat in
// partners exactly guest carol's.
func TestExplainChoosesByKind(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
-- config/site.toml --
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
[groups.partners]
[[guests]]
email = "carol@partner.example"
groups = ["partners"]
[[guests]]
email = "gina@partner.example"
groups = ["eng", "partners"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/eng.md --
+++
[access]
allow = ["group:eng"]
+++
Eng.
-- content/partners.md --
+++
[access]
allow = ["group:partners"]
+++
Partners.
`)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		as     string
		groups []string
		kind   access.Kind
		exact  bool
	}{
		{"bob@example.com", []string{"eng", "partners"}, access.Member, false},
		{"pat@example.com", []string{"partners"}, access.Member, true},
		{"gina@partner.example", nil, access.Guest, true},
		{"carol@partner.example", nil, access.Guest, true},
		{"x@else.example", nil, access.Anonymous, true},
	} {
		e, err := Explain(s, Query{Page: "content/partners.md", As: tc.as, Groups: tc.groups, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if e.Build == nil || e.Exact != tc.exact {
			t.Fatalf("%s: build %+v, exact %v, want exact %v", tc.as, e.Build, e.Exact, tc.exact)
		}
		for _, a := range e.Build.Audiences {
			if a.Identity.Kind != tc.kind {
				t.Errorf("%s: served build %s, which serves %s", tc.as, e.Build.Dir, a.ID)
			}
		}
		if !e.Build.Visible.SubsetOf(s.Rules.Visible(e.Identity)) {
			t.Errorf("%s: served build %s holds pages the identity may not see", tc.as, e.Build.Dir)
		}
	}
}
