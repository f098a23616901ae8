package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/diag"
)

func lines(l diag.List) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.Error())
	}
	return out
}

func TestCheck(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite+`-- content/notes/b.md --
+++
title = "B"
+++
Links to [a draft](../eng/wip.md) and [nothing](/gone/).
`)
	f := Check(s, july)
	wantErrors := []string{
		`content/notes/b.md:4: link "../eng/wip.md" points to a draft`,
		`content/notes/b.md:4: broken link "/gone/": no page or file there`,
		`content/public.md:6: broken link "missing.md": no page or file there`,
	}
	if d := cmp.Diff(wantErrors, lines(f.Errors)); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	wantWarnings := []string{
		`config/access.toml:19: guest "old@partner.example" expired on 2026-06-30: signs in as an outsider and sees only what anonymous sees (remove the entry or extend expires)`,
		`content/eng/carol-only.md: visible to user:carol@partner.example under content/eng/_index.md, which is hidden from it: its URL /eng/carol-only/ shows the hidden section's name; set url in its frontmatter (url = "/shared/carol-only/") to publish it elsewhere`,
		`content/eng/shared.md: visible to user:carol@partner.example under content/eng/_index.md, which is hidden from it: its URL /eng/shared/ shows the hidden section's name; set url in its frontmatter (url = "/shared/shared/") to publish it elsewhere`,
		`content/secret/vault.md:3: nobody can see this page: no audience's build holds it (for members: hidden: content/secret/vault.md:3: closed level (allow) with no matching entry)`,
	}
	if d := cmp.Diff(wantWarnings, lines(f.Warnings)); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	if !f.Failed(false) || !f.Failed(true) {
		t.Error("errors must fail the check")
	}
	// The day before, the guest is still valid.
	if n := len(Check(s, june).Warnings); n != 3 {
		t.Errorf("june: %d warnings, want 3", n)
	}
}

func TestCheckWarningsOnly(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
-- config/site.toml --
[access]
allow = ["anyone"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/closed.md --
+++
title = "Closed"
[access]
allow = []
+++
Nobody.
`)
	f := Check(s, july)
	if len(f.Errors) != 0 || len(f.Warnings) != 1 {
		t.Fatalf("errors %q, warnings %q", lines(f.Errors), lines(f.Warnings))
	}
	if f.Failed(false) || !f.Failed(true) {
		t.Errorf("warnings fail only with strict: %v %v", f.Failed(false), f.Failed(true))
	}
}

// An [access] table on the home page or a space's front page that opens
// pages without rules of their own (or with rules that leave the question
// to the levels above, such as a grant) to more people is a warning naming the
// audiences, one such page and [page_access]; the same rule written as
// [page_access], or a rule that opens nothing, is not.
func TestCheckWidening(t *testing.T) {
	t.Parallel()
	site := func(home, space string) string {
		return `
-- config/site.toml --
title = "T"
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
title = "Home"
` + home + `
+++
Hi.
-- content/handbook.md --
+++
title = "Handbook"
+++
Members only, meant to be.
-- content/shared.md --
+++
title = "Shared"
[access]
grant = ["group:eng"]
+++
Members, and eng is named: a rule that leaves the rest to the levels above.
-- content/space/_index.md --
+++
title = "Space"
` + space + `
+++
A space.
-- content/space/deep/page.md --
+++
title = "Deep"
+++
Below.
-- content/space/own.md --
+++
title = "Own"
[access]
allow = ["members"]
+++
Has its own rule.
`
	}
	for _, tc := range []struct {
		name, home, space string
		want              []string
	}{
		{"home opened", "[access]\nallow = [\"anyone\"]", "", []string{
			"content/_index.md:3: [access] here applies to every page below / too: it opens 4 pages that no rule of their own decides (such as /handbook/) to anonymous, user:carol@partner.example; to set only this page's own access, use [page_access], or say cascade = true in [access] if every page below is meant"}},
		{"page_access", "[page_access]\nallow = [\"anyone\"]", "", nil},
		{"space granted", "", "[access]\ngrant = [\"guests\"]", []string{
			"content/space/_index.md:3: [access] here applies to every page below /space/ too: it opens 1 page that no rule of their own decides (such as /space/deep/page/) to user:carol@partner.example; to set only this page's own access, use [page_access], or say cascade = true in [access] if every page below is meant"}},
		{"space narrowed", "", "[access]\nallow = [\"group:eng\"]", nil},
		{"space meant", "", "[access]\ngrant = [\"guests\"]\ncascade = true", nil},
	} {
		s, _ := loadSite(t, site(tc.home, tc.space))
		var got []string
		for _, w := range Check(s, july).Warnings {
			if strings.Contains(w.Error(), "[page_access]") {
				got = append(got, w.Error())
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
