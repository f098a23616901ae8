package build

import (
	"strings"
	"testing"
)

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

// Near compared percent-encoded URLs, so an alias or a broken link under a
// hidden folder whose name has letters outside ASCII, spelled with another
// Unicode normalization or case ("cafe" and a combining accent, "CAFÉ"),
// found no page above it: the alias was written, and the link kept its
// href, in builds that may not see the folder. They now go as the plain
// spelling does.
func TestAdvNearNonASCIISpellings(t *testing.T) {
	t.Parallel()
	site := strings.Replace(advFeatureSite, `"/caf%C3%A9/old2/"]`, `"/caf%C3%A9/old2/", "/cafe\u0301/old3/", "/CAFÉ/old4/"]`, 1)
	site = strings.Replace(site, "Public.\n", "Public [a](/CAFÉ/gone/) b [c](/cafe\u0301/gone/) d.\n", 1)
	s := newTestSite(t, site).build()
	for _, f := range []string{"cafe\u0301/old3/index.html", "CAFÉ/old4/index.html"} {
		s.assertNoFile("anonymous", f)
		s.assertFile("members", f, `url=../../pub/"`)
	}
	s.assertFile("anonymous", "pub/index.html", "<p>Public a b c d.</p>", "! CAF%C3%89", "! cafe%CC%81")
	s.assertFile("members", "pub/index.html", `<a href="/CAF%C3%89/gone/">a</a>`, `<a href="/cafe%CC%81/gone/">c</a>`)
}
