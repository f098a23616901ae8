package build

import (
	"context"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
)

// TestRebuildAfterFailedRebuildSeesItsChanges: a Rebuild is told the
// paths changed since the last one, and compares them with what the last
// successful Rebuild published. When a Rebuild fails, the changes it was
// told about are still unpublished: the next Rebuild must take them into
// account, though the paths it is told about are others. Here a page is
// broken, then a guest is removed from the group that alone opens a
// section (the rebuild fails, for the page), then the page is fixed by a
// body edit alone: the guest's build must lose the section, as a clean
// build's does, rather than be published from the rules before the
// failure.
func TestRebuildAfterFailedRebuildSeesItsChanges(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Failed"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.ops]
title = "Operations"
[[guests]]
email = "dave@vendor.example"
groups = ["ops"]
-- content/a.md --
+++
title = "Alpha Notes"
+++
Alpha words.
-- content/ops/_index.md --
+++
title = "Ops Corner"
[access]
allow = ["group:ops"]
+++
Ops section.
-- content/ops/b.md --
+++
title = "Bravo Runbook"
+++
Bravo zqbravo words.
`)
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	good := "+++\ntitle = \"Alpha Notes\"\n+++\nAlpha words.\n"
	s.editFile("content/a.md", good+"\n+++\n[access]\nallow = [\"anyone\"]\n+++\n")
	if _, err := b.Rebuild(context.Background(), []string{"content/a.md"}); err == nil {
		t.Fatal("a rule in a body was accepted")
	}
	s.editFile("config/access.toml", "[members]\ndomains = [\"example.com\"]\n[groups.ops]\ntitle = \"Operations\"\n"+
		"[[guests]]\nemail = \"dave@vendor.example\"\ngroups = []\n")
	if _, err := b.Rebuild(context.Background(), []string{"config/access.toml"}); err == nil {
		t.Fatal("a site with a rule in a body was built")
	}
	s.editFile("content/a.md", good)
	rebuildEquals(t, s, b, "content/a.md")
	m, _, err := manifest.Read(s.out)
	if err != nil {
		t.Fatal(err)
	}
	s.man = m
	s.assertNoTrace("user:dave@vendor.example", "Bravo Runbook", "zqbravo", "Ops Corner")
}
