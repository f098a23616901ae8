package build

import (
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/sitetest"
)

// hiddenIndexCases are sites with pages hidden from some audiences
// (section pages, leaves, a bundle), each beside the same site without
// those files. ACCESS.md promises that a hidden page leaves no trace, its
// existence included: a build that may not see them must be the build of
// the site without them, byte for byte (no link names them here: a link
// to a missing file is broken, not redacted).
var hiddenIndexCases = []struct {
	name   string
	common string   // the files both sites share
	hidden string   // the section pages only the first site has
	blind  []string // audiences that see none of the hidden files
}{{
	name: "one section",
	common: `
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/_index.md --
+++
title = "Welcome"
[page_access]
allow = ["anyone"]
+++
home
-- content/team/open/visible.md --
+++
title = "Visible Page"
aliases = ["/team/open/older/", "sibling-old"]
[access]
allow = ["anyone"]
+++
visible words
-- content/plain/other.md --
+++
title = "Other Page"
aliases = ["/team/open/topold/"]
[access]
allow = ["anyone"]
+++
other words, [see the space](/team/open/) and [](/team/open/), and [a gone page](/team/open/gone/).

- [the space again](../team/open/)
`,
	hidden: `
-- content/team/open/_index.md --
+++
title = "Secret Section Title"
weight = 3
[access]
allow = ["group:eng"]
+++
hidden words
`,
	blind: []string{"anonymous", "members"},
}, {
	name: "nested sections",
	common: `
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[[guests]]
email = "pat@partner.example"
name = "Pat"
groups = []
-- content/_index.md --
+++
title = "Welcome"
[page_access]
allow = ["anyone"]
+++
home
-- content/a/b/c.md --
+++
title = "Deep Page"
tags = ["shared"]
[access]
allow = ["anyone"]
+++
deep words
-- content/a/b/d.md --
+++
title = "Guest Page"
[access]
allow = ["user:pat@partner.example"]
+++
guest words
-- content/z.md --
+++
title = "Top Page"
[access]
allow = ["anyone"]
+++
top
`,
	hidden: `
-- content/a/_index.md --
+++
title = "Outer Secret"
[access]
allow = ["group:eng"]
+++
outer
-- content/a/b/_index.md --
+++
title = "Inner Secret"
weight = 1
tags = ["secret-tag"]
[access]
allow = ["group:eng"]
+++
inner
`,
	blind: []string{"anonymous", "members", "user:pat@partner.example"},
}, {
	name: "leaf pages and a bundle",
	common: `
-- config/site.toml --
title = "Docs"
base_url = "https://docs.example.com/"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/_index.md --
+++
title = "Welcome"
+++
home
-- content/guide/_index.md --
+++
title = "Guide"
+++
guide
-- content/guide/first.md --
+++
title = "First Steps"
weight = 1
date = 2026-01-01
tags = ["setup", "basics"]
+++
first words
-- content/guide/third.md --
+++
title = "Third Steps"
weight = 3
date = 2026-01-03
tags = ["setup"]
+++
third words
`,
	hidden: `
-- content/guide/second.md --
+++
title = "Second Secret Steps"
weight = 2
date = 2026-05-01
summary = "A summary of secrets"
tags = ["setup", "secret-tag"]
aliases = ["/guide/old-second/"]
[access]
allow = ["group:eng"]
+++
second secret words
-- content/guide/bundle/index.md --
+++
title = "Bundled Secret"
date = 2026-05-02
tags = ["basics"]
[access]
allow = ["group:eng"]
+++
![diagram](diagram.svg)
-- content/guide/bundle/diagram.svg --
<svg xmlns="http://www.w3.org/2000/svg"><text>bundled</text></svg>
`,
	blind: []string{"anonymous", "members"},
}, {
	name: "home page",
	common: `
-- config/site.toml --
title = "Docs"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/open.md --
+++
title = "Open Page"
[access]
allow = ["anyone"]
+++
hello
`,
	hidden: `
-- content/_index.md --
+++
title = "Private Home Page"
+++
members
`,
	blind: []string{"anonymous"},
}}

// TestHiddenSectionPageLeavesNoGap builds each case with and without its
// hidden section pages and compares the builds of the audiences that may
// see none of them: a section page that is hidden must leave the build
// that a folder without _index.md gets (a generated section page where
// something beneath is present), not a gap that tells it exists.
func TestHiddenSectionPageLeavesNoGap(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	for _, tc := range hiddenIndexCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			with := newTestSite(t, tc.common+tc.hidden)
			with.now = now
			with.build()
			without := newTestSite(t, tc.common)
			without.now = now
			without.build()
			for _, hidden := range sitetest.Files(tc.hidden) {
				if !strings.Contains(hidden[1], `title = "`) {
					continue
				}
				title := strings.SplitN(strings.SplitN(hidden[1], `title = "`, 2)[1], `"`, 2)[0]
				for _, aud := range tc.blind {
					with.assertNoTrace(aud, title)
				}
			}
			for _, aud := range tc.blind {
				if diffs := compareTrees(treeOf(t, with.dirOf(aud)), treeOf(t, without.dirOf(aud))); len(diffs) > 0 {
					t.Errorf("%s: the build with the hidden files differs from the one without them:\n  %s", aud, strings.Join(diffs, "\n  "))
				}
			}
		})
	}
}

// TestStandinKeepsMovedFolderHidden: a page that sets its own url keeps a
// hidden section's folder name out of a build (ACCESS.md); the page that
// stands in for the hidden _index.md must not bring it back, while a page
// beneath that shows the folder in its URL brings the stand-in.
func TestStandinKeepsMovedFolderHidden(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/_index.md --
+++
title = "Welcome"
[page_access]
allow = ["anyone"]
+++
home
-- content/secret-project/_index.md --
+++
title = "Project Nightjar"
[access]
allow = ["group:eng"]
+++
eng only
-- content/secret-project/inner/deep.md --
+++
title = "Moved Deep"
url = "/shared/deep/"
[access]
allow = ["anyone"]
+++
moved words
-- content/secret-project/page.md --
+++
title = "Moved Page"
url = "/shared/page/"
[access]
allow = ["anyone"]
+++
moved words
-- content/open-space/_index.md --
+++
title = "Open Space Secret"
aliases = ["/old-open/"]
[access]
allow = ["group:eng"]
+++
eng only
-- content/linker.md --
+++
title = "Linker"
[access]
allow = ["anyone"]
+++
To [by folder](open-space/) and [](open-space/#top), not [by file](open-space/_index.md),
[](open-space/_index.md) or [by alias](/old-open/).
-- content/open-space/shown.md --
+++
title = "Shown Page"
[access]
allow = ["anyone"]
+++
shown words
`).build()
	s.assertFile("anonymous", "shared/page/index.html", "Moved Page")
	s.assertFile("anonymous", "shared/deep/index.html", "Moved Deep")
	s.assertNoTrace("anonymous", "secret-project", "Secret project", "Project Nightjar", "Open Space Secret")
	s.assertNoFile("anonymous", "secret-project/index.html")
	s.assertFile("anonymous", "open-space/index.html", "Open space", "shown/", "! Open Space Secret")
	// Only the folder's address leads to the stand-in: the file's name or
	// an alias would tell that the hidden _index.md exists.
	s.assertFile("anonymous", "linker/index.html", `<a href="../open-space/">by folder</a>`,
		`<a href="../open-space/#top">Open space</a>`, "not by file,", "or by alias.", "! _index", "! old-open")
	s.assertFile("group:eng", "linker/index.html", `<a href="../open-space/">by file</a>`, `<a href="../open-space/">Open Space Secret</a>`)
	s.assertFile("group:eng", "secret-project/index.html", "Project Nightjar")
	s.assertFile("group:eng", "open-space/index.html", "Open Space Secret")
}
