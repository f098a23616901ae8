package report

import (
	"testing"
	"time"
)

// explain names the folder the build writes for a guest, though a guest
// declared before it has expired, and never a build only expired guests
// had: an expired guest is served the anonymous build.
func TestExplainNamesWrittenBuild(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
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
-- content/z.md --
+++
[access]
allow = ["user:zzz@here.example"]
+++
Z.
`)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ page, as, build string }{
		{"content/z.md", "zzz@here.example", "guest-1"},
		{"content/a.md", "aaa@gone.example", "anonymous"},
	} {
		e, err := Explain(s, Query{Page: tc.page, As: tc.as, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if e.Build == nil || e.Build.Dir != tc.build {
			t.Errorf("%s as %s: build %+v, want %s", tc.page, tc.as, e.Build, tc.build)
		}
	}
	a := NewAudit(s, now)
	for _, g := range a.Guests {
		if g.Email == "zzz@here.example" && g.Build != "guest-1" {
			t.Errorf("audit: zzz in build %q, want guest-1", g.Build)
		}
	}
}
