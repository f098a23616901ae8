package build

import "testing"

// advFeatureSite is a public site with members-only sections whose folder
// names a URL spells with percent-encoding ("Geheim Café", "tresor räume"),
// and a public page whose aliases lie under them.
const advFeatureSite = `
-- config/site.toml --
title = "Adv Features"
base_url = "https://example.com/docs/"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/café/_index.md --
+++
title = "Quokka Vault"
[access]
allow = ["members"]
+++
Vault.
-- content/tresor räume/plan.md --
+++
title = "Walrus Plan"
[access]
allow = ["members"]
+++
WALRUSBODY
-- content/pub.md --
+++
title = "Pub"
aliases = ["/café/old/", "/tresor räume/plan/older/", "/caf%C3%A9/old2/"]
+++
Public.
`

// An alias under a hidden folder whose name a URL percent-encodes was
// looked up in its encoded form, found no page above it and was written
// in every build holding its page: the anonymous build had a folder named
// after the hidden section. It now goes only where the hidden page above
// it is held.
func TestAdvAliasUnderEncodedHiddenFolder(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advFeatureSite).build()
	s.assertNoTrace("anonymous", "café/", "caf%C3%A9/", "tresor räume/", "tresor%20r%C3%A4ume/", "Quokka", "Walrus")
	s.assertFile("members", "café/old/index.html", `url=../../pub/"`)
	s.assertFile("members", "café/old2/index.html", `url=../../pub/"`)
	s.assertFile("members", "tresor räume/plan/older/index.html", `url=../../../pub/"`)
}
