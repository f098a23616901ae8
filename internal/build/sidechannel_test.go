package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A page hidden from an audience changes nothing that audience receives:
// its build, with the page in the site, is byte for byte the build it has
// when the page does not exist at all. The shapes below are ones where a
// build's files once depended on how audiences shared builds (which a
// hidden page decides): the badge named the groups the sharing audiences
// had in common, a member named in a rule saw "Member" rather than
// "Members", and the files of a section opened by [page_access] followed
// the audiences a build was shared with. The first shape holds counts,
// numbering, ordering and dates that the hidden page sits among.
func TestSideChannelHiddenPageChangesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// site is the archive without the hidden page; hidden adds it.
		site, hidden string
		// pairs maps an audience of the site with the page to the audience
		// of the site without it whose build must be the same.
		pairs map[string]string
	}{
		{
			name: "counts numbering order dates",
			site: `
-- config/site.toml --
title = "Side"
base_url = "https://example.com/docs/"
[layout]
repo_url = "https://git.example.com/r"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/_index.md --
+++
title = "Home"
+++
Welcome home.
-- content/guide/_index.md --
+++
title = "Guide"
date = 2024-01-01
tags = ["alpha"]
+++
The guide.
-- content/guide/first.md --
+++
title = "First Steps"
date = 2024-02-01
weight = 1
tags = ["alpha", "beta"]
+++
First body.[^1]

[^1]: A note.

## Setup

## Setup
-- content/guide/second.md --
+++
title = "Second Steps"
date = 2024-03-01
weight = 3
tags = ["alpha"]
+++
Second body.
-- content/notes/plain.md --
+++
title = "Plain Note"
+++
In a folder without _index.md.
`,
			hidden: `
-- content/guide/zanzibar.md --
+++
title = "Zanzibar Plans"
date = 2025-06-01
weight = 2
tags = ["alpha", "gamma"]
summary = "hush"
[access]
allow = ["group:eng"]
+++
Zanzibar quokka.[^1]

[^1]: Hidden note.

## Setup
-- content/notes/zeta.md --
+++
title = "Zeta Note"
date = 2026-01-01
[access]
allow = ["group:eng"]
+++
Zeta.
-- content/vaultonly/v.md --
+++
title = "Vault Only"
[access]
allow = ["group:eng"]
+++
V.
`,
			pairs: map[string]string{"anonymous": "anonymous", "members": "members"},
		},
		{
			name: "aliases bundles moved pages and shared words",
			site: `
-- config/site.toml --
title = "Side"
base_url = "https://example.com/docs/"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/_index.md --
+++
title = "Home"
+++
Home words: roadmap.
-- content/guide/_index.md --
+++
title = "Guide"
+++
Guide.
-- content/guide/roadmap.md --
+++
title = "Roadmap"
weight = 5
+++
The public roadmap.
-- content/guide/pic/index.md --
+++
title = "Picture Page"
+++
![a picture](p.png)
-- content/guide/pic/p.png --
PNG
`,
			hidden: `
-- content/guide/roadmap-internal/index.md --
+++
title = "Roadmap Internal"
weight = 1
aliases = ["/old-roadmap/", "older"]
[access]
allow = ["group:eng"]
+++
Roadmap internal words: roadmap roadmap.
-- content/guide/roadmap-internal/plan.csv --
a,b
-- content/guide/moved.md --
+++
title = "Moved Away"
url = "/elsewhere/moved/"
[access]
allow = ["group:eng"]
+++
Moved.
`,
			pairs: map[string]string{"anonymous": "anonymous", "members": "members"},
		},
		{
			name: "who can see lists",
			site: `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
[[guests]]
email = "carol@partner.example"
name = "Carol"
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/ops.md --
+++
title = "Ops Page"
[access]
allow = ["group:ops"]
+++
Ops.
`,
			hidden: `
-- content/h.md --
+++
title = "Hidden From Ops"
[access]
allow = ["group:eng", "user:carol@partner.example", "user:dan@example.com"]
deny = ["group:ops"]
+++
H.
`,
			pairs: map[string]string{"members": "members", "group:ops": "group:ops"},
		},
		{
			name: "group badge of a shared build",
			site: `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/p.md --
+++
title = "Shared Plan"
[access]
allow = ["group:eng", "group:ops"]
+++
P.
`,
			hidden: `
-- content/q.md --
+++
title = "Eng Only"
[access]
allow = ["group:eng"]
+++
Q.
`,
			pairs: map[string]string{"group:ops": "group:ops", "members": "members"},
		},
		{
			name: "guest badge of a shared build",
			site: `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.partners]
title = "Partners"
[groups.vendors]
title = "Vendors"
[[guests]]
email = "fay@one.example"
groups = ["partners", "vendors"]
[[guests]]
email = "gus@two.example"
groups = ["partners"]
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["guests"]
+++
Home.
`,
			hidden: `
-- content/f.md --
+++
title = "For Gus"
[access]
allow = ["user:gus@two.example"]
+++
F.
`,
			pairs: map[string]string{"user:fay@one.example": "user:fay@one.example"},
		},
		{
			name: "member named in a rule of a page hidden from them",
			site: `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/open.md --
+++
title = "Open Page"
+++
Open.
`,
			hidden: `
-- content/x.md --
+++
title = "Not For Bob"
[access]
deny = ["user:bob@example.com"]
+++
X.
`,
			pairs: map[string]string{"user:bob@example.com": "members"},
		},
		{
			name: "files of a section opened by page_access",
			site: `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/s/_index.md --
+++
title = "Special Space"
[page_access]
grant = ["group:ops"]
[access]
allow = ["group:eng"]
+++
S.
-- content/s/file.txt --
data
`,
			hidden: `
-- content/q.md --
+++
title = "Ops Only"
[access]
allow = ["group:ops"]
+++
Q.
`,
			pairs: map[string]string{"group:eng": "group:eng"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			with := newTestSite(t, tc.site+strings.TrimPrefix(tc.hidden, "\n")).build()
			without := newTestSite(t, tc.site).build()
			for a, b := range tc.pairs {
				diffBuilds(t, a, with.dirOf(a), without.dirOf(b))
			}
		})
	}
}

// diffBuilds reports every file that differs between two build folders,
// or that one has and the other lacks.
func diffBuilds(t *testing.T, aud, a, b string) {
	t.Helper()
	fa, fb := buildFiles(t, a), buildFiles(t, b)
	var names []string
	for n := range fa {
		names = append(names, n)
	}
	for n := range fb {
		if _, ok := fa[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		x, inA := fa[n]
		y, inB := fb[n]
		switch {
		case !inA:
			t.Errorf("%s: %s is in the build without the hidden page only", aud, n)
		case !inB:
			t.Errorf("%s: %s is in the build with the hidden page only", aud, n)
		case x != y:
			t.Errorf("%s: %s differs:\nwith the hidden page:    %.400s\nwithout the hidden page: %.400s", aud, n, x, y)
		}
	}
}

// buildFiles reads every file of a build folder but the theme's vendored
// libraries (the same bytes in every build).
func buildFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, vendorDir) {
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
