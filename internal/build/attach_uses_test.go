package build

import "testing"

// usesAliasSite has a bundle members see, published under an alias and, for a
// second bundle, under its own url, whose files only eng's hidden page
// names, in code, in raw HTML that is not rendered (unsafe is off) and in
// its summary, through the alias or the address from before the url.
const usesAliasSite = `
-- config/site.toml --
title = "Uses Site"
base_url = "https://docs.example.com/"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/pub/_index.md --
+++
title = "Pub"
+++
Pub.
-- content/pub/bee/index.md --
+++
title = "Bee Page"
aliases = ["/old/"]
+++
Bee.
-- content/pub/bee/okapi-code.png --
OKAPI-CODE
-- content/pub/bee/okapi-html.png --
OKAPI-HTML
-- content/pub/bee/okapi-text.png --
OKAPI-TEXT
-- content/pub/kit/index.md --
+++
title = "Kit Page"
url = "/k/"
+++
Kit.
-- content/pub/kit/okapi-moved.png --
OKAPI-MOVED
-- content/pub/hid.md --
+++
title = "Hidden Zed"
summary = "Holds /old/okapi-text.png here"
[access]
allow = ["group:eng"]
+++
Files:

` + "```" + `
see /old/okapi-code.png
` + "```" + `

<img src="/old/okapi-html.png">

And ` + "`/pub/kit/okapi-moved.png`" + `.
`

// A page that names a file through an alias of the file's page, or
// through the address its page had before it set its own url, uses it as
// much as one that links to it there (a link is written against the page's
// URL): a file only a hidden page names that way stays with that page.
func TestHoldFilesNamedThroughAliasOrOldURL(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, usesAliasSite).build()
	files := []string{"pub/bee/okapi-code.png", "pub/bee/okapi-html.png", "pub/bee/okapi-text.png", "k/okapi-moved.png"}
	for _, f := range files {
		s.assertNoFile("members", f)
		if _, ok := s.read("group:eng", f); !ok {
			t.Errorf("group:eng: %s missing", f)
		}
	}
	s.assertNoTrace("members", "okapi", "OKAPI")
}

// usesWordsSite has files in a section members see whose names hold
// spaces, brackets, "=", "!" or a dash, and files that only eng's hidden
// page names in prose: in typographic quotes, at the end of a sentence,
// before a colon.
const usesWordsSite = `
-- config/site.toml --
title = "Words Site"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/r/_index.md --
+++
title = "Reports"
+++
Reports.
-- content/r/plan.md --
+++
title = "Eng Plan"
[access]
allow = ["group:eng"]
+++
Files:

` + "```" + `
cp "photo (1).png" /tmp
cat r/report=final.csv
open ../r/my files/b!g.csv
` + "```" + `

The table is in “ocelot-a.csv” and in ocelot-b.csv. See ocelot-c.csv: it holds
ocelot—draft.pdf.
-- content/r/photo (1).png --
OCELOT-PHOTO
-- content/r/report=final.csv --
OCELOT-REPORT
-- content/r/my files/b!g.csv --
OCELOT-BIG
-- content/r/ocelot-a.csv --
OCELOT-A
-- content/r/ocelot-b.csv --
OCELOT-B
-- content/r/ocelot-c.csv --
OCELOT-C
-- content/r/ocelot—draft.pdf --
OCELOT-DRAFT
`

// A page names a file whatever characters its name holds (spaces,
// brackets, "=", "!", a dash), and whatever punctuation of prose stands
// around it (typographic quotes, a full stop, a colon after it): a file only a
// hidden page names is not published with its section.
func TestHoldFilesNamedInProse(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, usesWordsSite).build()
	files := []string{"r/photo (1).png", "r/report=final.csv", "r/my files/b!g.csv", "r/ocelot-a.csv",
		"r/ocelot-b.csv", "r/ocelot-c.csv", "r/ocelot—draft.pdf"}
	for _, f := range files {
		s.assertNoFile("members", f)
		if _, ok := s.read("group:eng", f); !ok {
			t.Errorf("group:eng: %s missing", f)
		}
	}
	s.assertNoTrace("members", "OCELOT")
}
