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

// usesFileSite has a style sheet and an SVG that members see and that name
// files as a browser reads them but not as plain words: through CSS
// escapes, in quotes with spaces or brackets. A hidden page uses those
// files too; a second style sheet only the hidden page uses names a file
// nothing else uses.
const usesFileSite = `
-- config/site.toml --
title = "Files Site"
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
Home: [style](r/site.css), [picture](r/pic.svg).
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
![a](bad.png) ![b](<sp ace.png>) ![c](bad2.png) [d](eng.css)
-- content/r/bad.png --
PNG-BAD
-- content/r/bad2.png --
PNG-BAD2
-- content/r/sp ace.png --
PNG-SPACE
-- content/r/site.css --
body { background: url("b\61 d.png"); }
.a { background: url("sp ace.png"); }
-- content/r/pic.svg --
<svg xmlns="http://www.w3.org/2000/svg"><style>.q{background:url(bad\32 .png)}</style></svg>
-- content/r/eng.css --
.e { background: url("t\61 pir.png"); }
-- content/r/tapir.png --
PNG-TAPIR
`

// An attachment uses every file the release gate reads it naming: a file
// that a visible style sheet or SVG loads is published with it, however
// the sheet spells it (CSS escapes, quoted names with spaces), and a file
// only a hidden page's style sheet loads stays with that page.
func TestHoldFilesAsTheGateReadsThem(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, usesFileSite).build()
	for _, f := range []string{"r/bad.png", "r/bad2.png", "r/sp ace.png"} {
		s.assertFile("members", f, "PNG")
	}
	s.assertNoFile("members", "r/eng.css")
	s.assertNoFile("members", "r/tapir.png")
	s.assertNoTrace("members", "tapir", "TAPIR")
	s.assertFile("group:eng", "r/tapir.png", "PNG-TAPIR")
}
