package build

import "testing"

// [page_access] opens a section's page alone: the files in the section's
// folder that no page uses (published wherever their section is seen) stay
// with those the section passes down to; a file the opened page uses goes
// with it.
func TestPageAccessKeepsSectionFiles(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Intranet"
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
title = "Welcome"
[page_access]
allow = ["anyone"]
+++
Hello. ![logo](logo.svg)
-- content/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
-- content/board-minutes.txt --
Board minutes Kestrel
-- content/eng/_index.md --
+++
title = "Engineering"
[access]
allow = ["group:eng"]
[page_access]
grant = ["user:carol@partner.example"]
+++
The space.
-- content/eng/roadmap.txt --
Roadmap Osprey
`).build()
	s.assertFile("anonymous", "index.html", "Welcome")
	s.assertFile("anonymous", "logo.svg", "svg")
	s.assertNoFile("anonymous", "board-minutes.txt")
	s.assertFile("members", "board-minutes.txt", "Board minutes Kestrel")
	s.assertFile("user:carol@partner.example", "eng/index.html", "Engineering")
	s.assertNoFile("user:carol@partner.example", "eng/roadmap.txt")
	s.assertNoFile("user:carol@partner.example", "board-minutes.txt")
	s.assertFile("group:eng", "eng/roadmap.txt", "Roadmap Osprey")
}
