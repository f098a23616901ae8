package build

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/render"
)

const whoSite = `
-- config/site.toml --
title = "Who"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[[guests]]
email = "carol@partner.example"
name = "Carol Quill"
[[guests]]
email = "dan@partner.example"
name = "Dan Heron"
-- content/_index.md --
+++
title = "Home"
[page_access]
allow = ["anyone"]
+++
Hi.
-- content/team.md --
+++
title = "Team"
+++
Members.
-- content/eng/_index.md --
+++
title = "Eng"
[access]
allow = ["group:eng"]
+++
Eng.
-- content/eng/api.md --
+++
title = "API"
[access]
grant = ["user:carol@partner.example", "user:boss@example.com"]
+++
Shared.
-- content/no-eng.md --
+++
title = "Not for Eng"
[access]
allow = ["members"]
deny = ["group:eng"]
+++
Everyone but eng.
-- content/dan.md --
+++
title = "For Dan"
[access]
allow = ["user:dan@partner.example"]
+++
Dan's.
`

// Member builds list who can read each page (everyone, all members,
// groups, guests by name, named members); guest and anonymous builds hold
// no such list and no other reader's name.
func TestWhoCanSee(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, whoSite).build()
	s.assertFile("group:eng", render.NavPath, render.WhoCanSeeMarker, `"Group: Engineering"`, `"Guest: Carol Quill"`,
		`"Member: boss@example.com"`, `"Everyone"`, `"All members"`, `! Dan Heron`)
	s.assertFile("members", render.NavPath, render.WhoCanSeeMarker, `"All members"`, `"All members but Engineering"`, `! Carol Quill`, `! Dan Heron`)
	for _, aud := range []string{"anonymous", "user:carol@partner.example", "user:dan@partner.example"} {
		s.assertFile(aud, render.NavPath, "! "+render.WhoCanSeeMarker)
		s.assertNoTrace(aud, "Carol Quill", "Dan Heron", "boss@example.com")
	}
	s.editFile("config/site.toml", "title = \"Who\"\n[build]\nwho_can_see = false\n[access]\nallow = [\"members\"]\n").build()
	s.assertFile("group:eng", render.NavPath, "! "+render.WhoCanSeeMarker)
	s.assertNoTrace("group:eng", "Carol Quill", "boss@example.com")
}

// The release gate refuses a readers list in a guest or anonymous build's
// nav.js, and lets a member build's through.
func TestGateWhoCanSee(t *testing.T) {
	t.Parallel()
	nav := []byte(`window.FACET_NAV = {"pages":[],"` + render.WhoCanSeeMarker + `":{"labels":["Guest: X"],"pages":[]}};`)
	for kind, bad := range map[access.Kind]bool{access.Guest: true, access.Anonymous: true, access.Member: false} {
		bp := &buildPlan{kind: kind, r: &render.Target{Dir: string(kind)}}
		err := checkWhoCanSee(bp, render.NavPath, nav)
		if (err != nil) != bad || (bad && !strings.Contains(err.Error(), "lists who can see its pages")) {
			t.Errorf("%s: %v", kind, err)
		}
		if err := checkWhoCanSee(bp, "page/index.html", nav); err != nil {
			t.Errorf("%s: an author's page that names the marker is refused: %v", kind, err)
		}
	}
}

// A generated section page (a folder without _index.md) is in a build
// only when a page beneath it is; its panel named the site default's
// readers ("Everyone") though only those who read a page beneath it get
// the folder page.
func TestWhoCanSeeGeneratedSection(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Who"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
[[guests]]
email = "carol@partner.example"
name = "Carol Quill"
-- content/_index.md --
+++
title = "Home"
+++
Hi.
-- content/secretdir/plan.md --
+++
title = "Plan"
[access]
allow = ["group:eng"]
+++
Eng only.
-- content/secretdir/deeper/ops.md --
+++
title = "Ops notes"
[access]
allow = ["group:ops"]
grant = ["user:carol@partner.example"]
+++
Ops only.
-- content/opendir/a.md --
+++
title = "Open"
+++
Open.
`)
	b := New(Options{Site: s.dir, Out: s.out})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for url, want := range map[string][]string{
		"/secretdir/":        {"Group: Engineering", "Group: Operations", "Guest: Carol Quill"},
		"/secretdir/deeper/": {"Group: Operations", "Guest: Carol Quill"},
		"/opendir/":          {"Everyone"},
		"/secretdir/plan/":   {"Group: Engineering"},
	} {
		got, ok := b.Readers(url)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("Readers(%s) = %q, %v; want %q", url, got, ok, want)
		}
	}
}

// A guest's name is text member builds carry (their "who can see" lists),
// not text every build carries: a hidden page titled with it is a trace
// in an anonymous or guest build, and stays allowed where the lists are.
func TestGuestNameIsMemberBuildText(t *testing.T) {
	t.Parallel()
	site := strings.Replace(whoSite, "[groups.eng]\n", "[groups.ops]\n[groups.eng]\n", 1) + `-- content/quill.md --
+++
title = "Carol Quill"
[access]
allow = ["group:ops"]
+++
A page titled like a guest.
-- content/open/index.md --
+++
title = "Open"
[access]
allow = ["anyone"]
+++
Open.
`
	s := newTestSite(t, site+"-- content/open/roster.csv --\nname\nCarol Quill\n")
	err := s.tryBuild()
	// the anonymous build and every guest build hold the roster; which
	// of them the gate reports first depends on the order builds finish
	if err == nil || !strings.Contains(err.Error(), "build anonymous") && !strings.Contains(err.Error(), "build guest-") || !strings.Contains(err.Error(), `contains the title "Carol Quill"`) {
		t.Fatalf("a public file naming a hidden page titled like a guest: err = %v", err)
	}
	// The eng build lists the guest by name beside the API page, and does
	// not hold the page so titled: its list is not a trace.
	s = newTestSite(t, site).build()
	s.assertFile("group:eng", render.NavPath, `"Guest: Carol Quill"`)
	s.assertNoTrace("anonymous", "Carol Quill")
}

// A page open to members but denied to a named member is not read by all
// members: its panel names who is shut out.
func TestWhoCanSeeDeniedMember(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, whoSite+`-- content/not-x.md --
+++
title = "Not for X"
[access]
allow = ["members"]
deny = ["user:x@example.com"]
+++
Everyone but x.
`)
	b := New(Options{Site: s.dir, Out: s.out})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for url, want := range map[string][]string{
		"/not-x/": {"All members but x@example.com"},
		"/team/":  {"All members"},
	} {
		if got, ok := b.Readers(url); !ok || !slices.Equal(got, want) {
			t.Errorf("Readers(%s) = %q, %v; want %q", url, got, ok, want)
		}
	}
}

// A page open to anyone but denied to a group, a guest or a named member
// is not read by everyone: its panel names who is shut out, as "All
// members but" does.
func TestWhoCanSeeDeniedEveryone(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, whoSite+`-- content/open-but.md --
+++
title = "Open but"
[access]
allow = ["anyone"]
deny = ["group:eng", "user:carol@partner.example", "user:x@example.com"]
+++
Everyone but some.
-- content/open-no-members.md --
+++
title = "Open to visitors"
[access]
allow = ["anyone"]
deny = ["members"]
+++
Not members.
`)
	b := New(Options{Site: s.dir, Out: s.out})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for url, want := range map[string][]string{
		"/open-but/":        {"Everyone but Engineering, x@example.com, Guest: Carol Quill"},
		"/open-no-members/": {"Visitors not signed in", "Guest: Carol Quill", "Guest: Dan Heron"},
		"/":                 {"Everyone"},
	} {
		if got, ok := b.Readers(url); !ok || !slices.Equal(got, want) {
			t.Errorf("Readers(%s) = %q, %v; want %q", url, got, ok, want)
		}
	}
}
