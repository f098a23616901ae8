package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// check lists the attachments builds hold that no page refers to, with
// the builds; files that pages link to, embed or reference in raw HTML
// are not listed, nor files only hidden pages use (no build holds them).
func TestCheckUnusedAttachments(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
-- config/site.toml --
[markdown]
unsafe = true
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/_index.md --
+++
title = "Home"
+++
See [the table](data/linked.csv), ![a chart](data/chart.png) and <a href="data/raw.pdf">raw</a>.
-- content/data/_index.md --
+++
title = "Data"
+++
Data.
-- content/data/linked.csv --
a
-- content/data/chart.png --
PNG
-- content/data/raw.pdf --
PDF
-- content/data/loose.txt --
loose
-- content/members/_index.md --
+++
title = "Members"
[access]
allow = ["members"]
+++
Members.
-- content/members/notes.txt --
notes
-- content/members/secret.md --
+++
title = "Secret"
[access]
allow = []
+++
[only hidden](../data/hidden-only.csv)
-- content/data/hidden-only.csv --
h
`)
	f := Check(s, july)
	want := []string{
		`content/data/loose.txt: no page links to or embeds this file, yet it is published in builds anonymous, members (readers reach it only by its URL; link it from a page, or remove it)`,
		`content/members/notes.txt: no page links to or embeds this file, yet it is published in build members (readers reach it only by its URL; link it from a page, or remove it)`,
		`content/members/secret.md:3: nobody can see this page: no audience's build holds it (for members: hidden: content/members/secret.md:3: closed level (allow) with no matching entry)`,
	}
	if d := cmp.Diff(want, lines(f.Warnings)); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
}
