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
