package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A page visible to an audience under a section hidden from it shows the
// section's folder name in its URL: check warns, naming the page, and
// stays quiet once the page sets url elsewhere.
func TestCheckHiddenSectionSlug(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
[[guests]]
email = "carol@partner.example"
-- content/_index.md --
Home.
-- content/den/_index.md --
+++
[access]
allow = ["group:eng"]
+++
-- content/den/api.md --
+++
[access]
grant = ["user:carol@partner.example"]
+++
-- content/den/moved.md --
+++
url = "/shared/moved/"
[access]
grant = ["user:carol@partner.example"]
+++
-- content/den/inner/_index.md --
+++
[access]
allow = ["members"]
+++
-- content/den/inner/deep.md --
Deep.
-- content/den/kept.md --
Eng only.
-- content/open/_index.md --
+++
[access]
allow = ["anyone"]
+++
-- content/open/page.md --
Open page in an open section.
-- content/plain/p.md --
+++
[access]
allow = ["anyone"]
+++
Under a folder without _index.md.
`)
	f := Check(s, july)
	var got []string
	for _, w := range lines(f.Warnings) {
		if strings.Contains(w, "hidden section's name") {
			got = append(got, w)
		}
	}
	want := []string{
		`content/den/api.md: visible to user:carol@partner.example under content/den/_index.md, which is hidden from it: its URL /den/api/ shows the hidden section's name; set url in its frontmatter (url = "/shared/api/") to publish it elsewhere`,
		`content/den/inner/_index.md: visible to members under content/den/_index.md, which is hidden from it: its URL /den/inner/ shows the hidden section's name; move its folder out of content/den/`,
		`content/den/inner/deep.md: visible to members under content/den/_index.md, which is hidden from it: its URL /den/inner/deep/ shows the hidden section's name; set url in its frontmatter (url = "/shared/deep/") to publish it elsewhere`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	if slices.ContainsFunc(lines(f.Errors), func(e string) bool { return strings.Contains(e, "hidden section") }) {
		t.Error("a hidden section's name is a warning, not an error")
	}
}
