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
