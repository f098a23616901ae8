package report

import (
	"testing"
	"time"
)

// An attachment is in a build only when its owner is visible there and a
// page of that build uses it (or nothing does): explain of a file that
// only a page hidden from the identity uses says it is hidden, and that
// the build the gateway serves does not hold it, as the build writes it.
func TestExplainAttachmentFollowsItsUsers(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["anyone"]
+++
Home.
-- content/mix/_index.md --
+++
title = "Mix"
+++
Mix.
-- content/mix/data.csv --
a,b
-- content/mix/spare.csv --
c,d
-- content/vault/_index.md --
+++
title = "Vault"
[access]
allow = ["group:eng"]
[page_access]
allow = ["anyone"]
+++
Vault.
-- content/vault/notes.txt --
notes
-- content/mix/eng.md --
+++
title = "Eng numbers"
[access]
allow = ["group:eng"]
+++
See [the data](data.csv).
`)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		file, as string
		groups   []string
		visible  bool
	}{
		{"content/mix/data.csv", "anonymous", nil, false},
		{"content/mix/data.csv", "dave@example.com", nil, false},
		{"content/mix/data.csv", "dave@example.com", []string{"eng"}, true},
		{"/mix/data.csv", "anonymous", nil, false},
		{"content/mix/spare.csv", "anonymous", nil, true},
		{"content/vault/notes.txt", "anonymous", nil, false},
		{"content/vault/notes.txt", "dave@example.com", []string{"eng"}, true},
	} {
		e, err := Explain(s, Query{Page: tc.file, As: tc.as, Groups: tc.groups, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if e.Attachment == nil {
			t.Fatalf("%s: not taken as an attachment", tc.file)
		}
		if e.Visible() != tc.visible || e.Present != tc.visible {
			t.Errorf("%s as %s %v: visible %v, build %s holds it %v; want %v", tc.file, tc.as, tc.groups,
				e.Visible(), e.Build.Dir, e.Present, tc.visible)
		}
	}
}
