package build

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// [page_access] in a section's _index.md sets that page's own access and
// passes nothing down: a public home page does not publish the pages
// without rules of their own, and a section page shared with a guest does
// not share its section.
func TestPageAccessIsNotInherited(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Intranet"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
[[guests]]
email = "carol@partner.example"
-- content/_index.md --
+++
title = "Welcome Harbor"
[page_access]
allow = ["anyone"]
+++
Hello.
-- content/handbook.md --
+++
title = "Members Handbook Lantern"
+++
For members.
-- content/eng/_index.md --
+++
title = "Engineering Kestrel"
[access]
allow = ["group:eng"]
[page_access]
grant = ["user:carol@partner.example"]
+++
The space.
-- content/eng/design.md --
+++
title = "Design Osprey"
+++
Inside.
`).build()
	s.assertFile("anonymous", "index.html", "Welcome Harbor")
	s.assertNoFile("anonymous", "handbook/index.html")
	s.assertNoTrace("anonymous", "Members Handbook Lantern", "Engineering Kestrel", "Design Osprey")
	s.assertFile("members", "handbook/index.html", "Members Handbook Lantern")
	s.assertNoTrace("members", "Engineering Kestrel", "Design Osprey")
	s.assertFile("user:carol@partner.example", "eng/index.html", "Engineering Kestrel")
	s.assertNoTrace("user:carol@partner.example", "Design Osprey", "Members Handbook Lantern")
	s.assertFile("group:eng", "eng/design/index.html", "Design Osprey")
	s.assertFile("group:eng", "eng/index.html", "Engineering Kestrel")
}

// A build warns when an audience other than anonymous sees no page, and
// when member builds are written for a site without member domains.
func TestPlanWarnings(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Portal"
[access]
allow = ["group:eng"]
-- config/access.toml --
[groups.eng]
[[guests]]
email = "idle@partner.example"
-- content/_index.md --
+++
title = "Home"
[page_access]
allow = ["anyone"]
+++
Hi.
-- content/eng.md --
+++
title = "Eng"
+++
Eng only.
`)
	var got []string
	if _, err := New(Options{Site: s.dir, Out: s.out, Warn: func(err error) { got = append(got, err.Error()) }}).Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"config/access.toml: no [members] domains: nobody can sign in as a member, yet member builds are written (declare domains, or ignore this for a public portal)",
	}
	// The guest sees the public home page, so only the domains warning.
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%q\nwant\n%q", got, want)
	}
	s.editFile("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n")
	got = nil
	if _, err := New(Options{Site: s.dir, Out: s.out, Warn: func(err error) { got = append(got, err.Error()) }}).Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"audience members sees no page at all", "audience user:idle@partner.example sees no page at all"} {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, w) }) {
			t.Errorf("no warning %q in %q", w, got)
		}
	}
	if slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, "audience anonymous") }) {
		t.Errorf("anonymous seeing nothing is warned about: %q", got)
	}
}
