package build

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// advPeopleSite names people in every place a rule can: a guest granted a
// section alone, members allowed or denied one page, a guest with no
// groups and one whose name holds markup, with tags, dates and a base URL
// so that every generated file (feeds, sitemap, tags, search) is written.
const advPeopleSite = `
-- config/site.toml --
title = "People Two"
base_url = "https://docs.example.com/kb/"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.partners]
title = "Partners"
[[guests]]
email = "zed@solo.example"
name = "Zed Quillfeather"
expires = 2099-01-01T10:00:00+02:00
[[guests]]
email = "ann@twin.example"
name = "Ann <b>Vale</b> & Co"
groups = ["partners"]
[[guests]]
email = "bea@twin.example"
name = "Bea Marsh"
groups = ["partners"]
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["anyone"]
+++
Home.
-- content/solo/_index.md --
+++
title = "Solo Room"
tags = ["rooms"]
[access]
grant = ["user:zed@solo.example"]
+++
Solo.
-- content/solo/note.md --
+++
title = "Solo Note"
date = 2026-01-02
tags = ["rooms"]
+++
Note.
-- content/cpage.md --
+++
title = "Chief Page"
date = 2026-01-03
tags = ["rooms"]
[access]
allow = ["user:chief@example.com"]
+++
Chief.
-- content/opennote.md --
+++
title = "No Lead"
tags = ["rooms"]
[access]
deny = ["user:lead@example.com"]
+++
No lead.
-- content/twins.md --
+++
title = "Twin Page"
[access]
allow = ["group:partners"]
+++
Twins.
`

// No byte and no file name of any build names a person, whoever is named
// in rules: a guest whose build is theirs alone, members named in allow
// and deny, guests who see the same pages, names holding markup.
func TestAdversarialNoPersonAnywhere(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advPeopleSite).build()
	dirs := s.audienceDirs()
	for _, id := range []string{"user:zed@solo.example", "user:chief@example.com", "user:lead@example.com", "user:ann@twin.example", "user:bea@twin.example"} {
		if dirs[id] == "" {
			t.Fatalf("no build for %s: %v", id, dirs)
		}
	}
	// Twins see the same pages yet have a build each: a guest's build is
	// named by the guest's place in the configuration, never by who else
	// sees the same pages.
	if dirs["user:ann@twin.example"] == dirs["user:bea@twin.example"] {
		t.Errorf("ann and bea share a build: %v", dirs)
	}
	s.assertFile("user:zed@solo.example", "solo/note/index.html", "Solo Note")
	s.assertFile("user:chief@example.com", "cpage/index.html", "Chief Page")
	assertNoPerson(t, s, "zed@solo.example", "Zed Quillfeather", "Quillfeather", "chief@example.com", "lead@example.com",
		"ann@twin.example", "Vale", "bea@twin.example", "Bea Marsh", "solo.example", "twin.example", "2099-01-01")
}

// A guest's expiry is the first instant they are no longer valid: a date
// is valid through that day (UTC), a datetime with an offset until that
// instant, a local datetime until that time in UTC. Built at the last
// valid moment the guest has a build; a moment later none, and no guest
// folder is left in the output.
func TestAdversarialExpiryEdges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		expires     string
		last, first time.Time
	}{
		{"2030-05-06", time.Date(2030, 5, 6, 23, 59, 59, 0, time.UTC), time.Date(2030, 5, 7, 0, 0, 0, 0, time.UTC)},
		{"2030-05-06T10:00:00+02:00", time.Date(2030, 5, 6, 7, 59, 59, 0, time.UTC), time.Date(2030, 5, 6, 8, 0, 0, 0, time.UTC)},
		{"2030-05-06T10:00:00", time.Date(2030, 5, 6, 9, 59, 59, 0, time.UTC), time.Date(2030, 5, 6, 10, 0, 0, 0, time.UTC)},
		{`"2030-05-06"`, time.Date(2030, 5, 6, 23, 0, 0, 0, time.FixedZone("x", -5*3600)).Add(-5 * time.Hour), time.Date(2030, 5, 6, 20, 0, 0, 0, time.FixedZone("x", -4*3600))},
	} {
		s := newTestSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.partners]
[[guests]]
email = "tess@edge.example"
name = "Tess Edge"
groups = ["partners"]
expires = `+tc.expires+`
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["anyone"]
+++
Home.
-- content/edge.md --
+++
title = "Edge Page"
[access]
grant = ["user:tess@edge.example"]
+++
Edge.
-- content/part/_index.md --
+++
title = "Partner Part"
[access]
allow = ["group:partners"]
+++
Part.
`)
		buildAt(t, s, tc.last)
		if _, ok := s.audienceDirs()["user:tess@edge.example"]; !ok {
			t.Errorf("expires %s: no build at %s", tc.expires, tc.last)
		}
		buildAt(t, s, tc.first)
		if _, ok := s.audienceDirs()["user:tess@edge.example"]; ok {
			t.Errorf("expires %s: build at %s", tc.expires, tc.first)
		}
		entries, err := os.ReadDir(s.out)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "guest") {
				t.Errorf("expires %s at %s: folder %s left", tc.expires, tc.first, e.Name())
			}
		}
		for _, b := range s.man.Builds {
			if strings.HasPrefix(b.Dir, "guest") {
				t.Errorf("expires %s at %s: guest build %s left", tc.expires, tc.first, b.Dir)
			}
		}
	}
}

// The reports plan what the build writes: with a guest expired before
// another is declared, every build that exists has the folder Build gives
// it (so audit and explain name the folder the gateway serves), and the
// expired guest's own build is marked expired under a name no written
// build has.
func TestAdversarialReportsNameRealBuilds(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[[guests]]
email = "aaa@gone.example"
expires = 2020-01-01
[[guests]]
email = "mmm@here.example"
[[guests]]
email = "zzz@here.example"
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["anyone"]
+++
Home.
-- content/a.md --
+++
[access]
allow = ["user:aaa@gone.example"]
+++
A.
-- content/m.md --
+++
[access]
allow = ["user:mmm@here.example"]
+++
M.
-- content/z.md --
+++
[access]
allow = ["user:zzz@here.example", "user:lead@example.com"]
+++
Z.
`)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	buildAt(t, s, now)
	real := s.audienceDirs()
	ls, err := Load(context.Background(), s.dir)
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]bool{}
	for _, b := range s.man.Builds {
		written[b.Dir] = true
	}
	sawExpired := false
	for _, b := range ls.BuildsAt(now) {
		for _, a := range b.Audiences {
			if dir, ok := real[a.ID]; ok && dir != b.Dir {
				t.Errorf("%s: reports name %s, build wrote %s", a.ID, b.Dir, dir)
			}
		}
		if b.Expired != !written[b.Dir] {
			t.Errorf("%s: expired %v, written %v", b.Dir, b.Expired, written[b.Dir])
		}
		sawExpired = sawExpired || b.Expired
	}
	if !sawExpired {
		t.Error("no expired build in the reports")
	}
}
