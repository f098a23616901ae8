package build

import (
	"strings"
	"testing"
)

// A browser reads "/../vault/gone/" as "/vault/gone/": dot segments never
// climb above the root. facet read a root-relative link's ".." against
// content/ and left the folder, so such a link named nothing and was near
// nothing: it stayed as written in every build, naming the hidden vault,
// and "/../vault/plan.md" was a broken link to a page that is there.
func TestAdvRootRelativeDotDot(t *testing.T) {
	t.Parallel()
	site := advBase + advVault + `
-- content/pub.md --
+++
title = "Pub"
+++
Gone [a](/../vault/gone/), plan [b](/../../vault/plan.md), odd [c](/./x/../../vault/).
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", "vault", "Quokka", "Walrus")
	s.assertFile("anonymous", "pub/index.html", "<p>Gone a, plan b, odd c.</p>")
	s.assertFile("members", "pub/index.html",
		`href="/../vault/gone/"`, `href="../vault/plan/"`, `href="../vault/"`)
}

// A link relative to its page's file is read first as a path from the
// file's folder (content.Tree.Resolve): from content/guide/other.md,
// "secret/x.txt" is /guide/secret/x.txt, under the address
// content/guide/secret.md had before it set its own url. Only the reading
// against the page's URL (/guide/other/secret/x.txt) was tried for such
// addresses, so these links stayed as written in every build holding the
// guide, naming the hidden page's file to readers who may not see it.
func TestAdvFileRelativeLinkToOldURL(t *testing.T) {
	t.Parallel()
	site := advBase + movedSecret + `
-- content/guide/other.md --
+++
title = "Other"
+++
One [x](secret/x.txt), two [y](secret/), three [z](./SECRET/index.html?a=1#b), four [w](/../guide/secret/w/).
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", "secret", "SECRET", "Marmot")
	s.assertFile("anonymous", "guide/other/index.html", "<p>One x, two y, three z, four w.</p>")
	s.assertFile("members", "guide/other/index.html",
		`href="../../s/x.txt"`, `href="../../s/"`, `href="../../s/?a=1#b"`, `href="../../s/w/"`)
}

// Link text that is a page's address from before it set its own url
// names that page as a link to the address does (the link is written
// against the page's new URL): Names said it named nothing, so the text
// stayed in builds that may not see the page, and a raw-HTML attribute
// holding it was not refused as one naming a page is.
func TestAdvOldURLAsLinkText(t *testing.T) {
	t.Parallel()
	site := advBase + movedSecret + `
-- content/pub.md --
+++
title = "Pub"
+++
Text [/guide/secret/](/pub/) and [guide/secret/x.txt](/pub/) end.
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", "secret", "Marmot")
	s.assertFile("anonymous", "pub/index.html", "<p>Text  and  end.</p>")
	s.assertFile("members", "pub/index.html", `<a href="./">/guide/secret/</a>`, `<a href="./">guide/secret/x.txt</a>`)

	s = newTestSite(t, advBase+movedSecret+`
-- content/pub.md --
+++
title = "Pub"
+++
<span data-ref="/guide/secret/">t</span>
`)
	err := s.tryBuild()
	if err == nil || !strings.Contains(err.Error(), "names a page or file of the site") {
		t.Errorf("an attribute holding a page's old address: err %v, want it refused", err)
	}
}

// A browser maps a URL's host through IDNA before it goes there: a full
// width letter or an ideographic full stop spells the site's own host. Such
// a link to a hidden page was taken for another site's and kept as written
// in every build, a live link to the hidden page.
func TestAdvIDNAHostLinks(t *testing.T) {
	t.Parallel()
	site := advBase + advVault + `
-- content/pub.md --
+++
title = "Pub"
+++
A [a](https://ｅxample.com/docs/vault/plan/) and <a href="https://example。com/docs/vault/">b</a> and [c](//EXAMPLE.ｃｏｍ/docs/vault/plan.md).
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", advNeedles...)
	s.assertFile("anonymous", "pub/index.html", "<p>A a and <a>b</a> and c.</p>")
	s.assertFile("members", "pub/index.html", `href="../vault/plan/"`, `href="../vault/"`)
}
