package report

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/sitetest"
)

// exampleSite follows ACCESS.md's examples: site default members, groups
// eng, staff, contractors, leads and partners, member domain example.com,
// guest carol with group partners; plus an expired guest, a draft, a page
// nobody sees, an attachment and a folder without _index.md.
const exampleSite = `
-- config/site.toml --
title = "Example <Site>"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]

[groups.eng]
[groups.staff]
[groups.contractors]
[groups.leads]
[groups.partners]

[[guests]]
email   = "carol@partner.example"
name    = "Carol (Partner Inc)"
groups  = ["partners"]
expires = 2026-12-31

[[guests]]
email   = "old@partner.example"
groups  = ["partners"]
expires = 2026-06-30
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/public.md --
+++
title = "Public"
[access]
allow = ["anyone"]
+++
See [the missing page](missing.md).
-- content/eng/_index.md --
+++
title = "Engineering"
[access]
allow = ["group:eng"]
+++
Eng.
-- content/eng/shared.md --
+++
title = "Shared design"
[access]
grant = ["user:carol@partner.example"]
+++
Shared.
-- content/eng/carol-only.md --
+++
title = "For Carol"
[access]
allow = ["user:carol@partner.example"]
+++
Carol only.
-- content/eng/no-bob.md --
+++
title = "Not for Bob"
[access]
allow = ["group:eng"]
deny = ["user:bob@example.com"]
+++
No Bob.
-- content/eng/wip.md --
+++
title = "Work in progress"
draft = true
[access]
allow = ["anyone"]
+++
A draft open to anyone once published.
-- content/eng/arch/index.md --
+++
title = "Architecture"
+++
![diagram](diagram.png)
-- content/eng/arch/diagram.png --
PNG
-- content/open/_index.md --
+++
title = "Open space"
[access]
allow = ["anyone"]
+++
Open.
-- content/open/inner/_index.md --
+++
title = "Inner"
[access]
allow = ["group:eng"]
+++
Inner.
-- content/open/inner/page.md --
+++
title = "Inner page"
+++
Inner page.
-- content/notes/a.md --
+++
title = "A note"
+++
A note.
-- content/secret/vault.md --
+++
title = "Vault"
[access]
allow = []
+++
Nobody.
`

// loadSite writes a txtar archive into a temporary folder and loads it as
// facet explain, audit and check do.
func loadSite(t *testing.T, archive string) (*build.Site, string) {
	t.Helper()
	dir := sitetest.New(t, archive)
	s, err := build.Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return s, dir
}

// june is an instant when carol is valid and old@partner.example is not
// yet expired; july one when old@partner.example has expired.
var (
	june = time.Date(2026, 6, 30, 23, 59, 0, 0, time.UTC)
	july = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
)

func TestSpaces(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	got, of := spaces(s.Tree)
	want := []Space{
		{URL: "/", Title: "Top level", Dir: "content", Pages: 2},
		{URL: "/eng/", Title: "Engineering", Dir: "content/eng", Pages: 5},
		{URL: "/notes/", Title: "Notes", Dir: "content/notes", Pages: 1},
		{URL: "/open/", Title: "Open space", Dir: "content/open", Pages: 3},
		{URL: "/secret/", Title: "Secret", Dir: "content/secret", Pages: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("spaces (-want +got):\n%s", d)
	}
	for _, p := range s.Tree.Pages {
		i, ok := of[p.Index]
		if ok != counted(p) {
			t.Errorf("%s: mapped %v, counted %v", p.File, ok, counted(p))
		}
		if ok && p.File == "content/open/inner/page.md" && got[i].URL != "/open/" {
			t.Errorf("inner page in space %s, want /open/", got[i].URL)
		}
	}
}
