package build

import "testing"

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
