package build

import (
	"strings"
	"testing"
)

// advBase is a public site at https://example.com/docs/ with a members-only
// section: the tests below write the hidden section, or links to it, in
// ways the generator once got wrong.
const advBase = `
-- config/site.toml --
title = "Adv Site"
base_url = "https://example.com/docs/"
hosts = ["intranet:8443"]
[markdown]
unsafe = true
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
-- content/vault/plan.md --
+++
title = "Walrus Plan"
+++
WALRUSBODY
`

// advVault is the hidden section's index, written correctly.
const advVault = "-- content/vault/_index.md --\n+++\ntitle = \"Quokka Vault\"\n[access]\nallow = [\"members\"]\n+++\nVault.\n"

// advNeedles are what the anonymous build must never hold.
var advNeedles = []string{"vault", "Vault", "Walrus", "WALRUSBODY", "Quokka"}

// A section index whose rules a reader cannot tell from frontmatter (a
// fence behind an invisible character or a tab, YAML after a comment or a
// blank line, JSON, an inline table, a quote) lost them silently: the
// section went public. Each is now an error at its line; a file with
// classic Mac line ends (lone CR) keeps its rules.
func TestAdvFrontmatterSpellings(t *testing.T) {
	t.Parallel()
	fails := map[string]struct{ src, at string }{
		"nbsp fence":          {"\u00a0+++\ntitle = \"Quokka Vault\"\naccess = { allow = [\"members\"] }\n+++\nVault.\n", ":1:"},
		"zero-width fence":    {"\u200b+++\ntitle = \"Quokka Vault\"\n[access]\nallow = [\"members\"]\n\u200b+++\nVault.\n", ":1:"},
		"tab-indented fences": {"\t+++\ntitle = \"Quokka Vault\"\naccess = { allow = [\"members\"] }\n\t+++\nVault.\n", ":3:"},
		"yaml after comment":  {"---\n# settings\ntitle: Quokka Vault\naccess: {allow: [members]}\n---\nVault.\n", ":1:"},
		"yaml after blank":    {"---\n\ntitle: Quokka Vault\naccess:\n  allow: [members]\n---\nVault.\n", ":1:"},
		"yaml quoted keys":    {"---\n\"title\": Quokka Vault\n\"access\": {allow: [members]}\n---\nVault.\n", ":1:"},
		"json":                {"{\n  \"title\": \"Quokka Vault\",\n  \"access\": {\"allow\": [\"members\"]}\n}\nVault.\n", ":3:"},
		"body inline table":   {"+++\ntitle = \"Quokka Vault\"\n+++\naccess = { allow = [\"members\"] }\n", ":4:"},
		"body quoted dotted":  {"+++\ntitle = \"Quokka Vault\"\n+++\n\"access\".deny = [\"anyone\"]\n", ":4:"},
		"body quoted table":   {"+++\ntitle = \"Quokka Vault\"\n+++\n> [access]\n> allow = [\"members\"]\n", ":4:"},
	}
	for name, c := range fails {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, advBase+advVault).build()
			before := snapshot(t, s.out)
			s.editFile("content/vault/_index.md", c.src)
			failsWith(t, s, before, "content/vault/_index.md"+c.at)
		})
	}
	t.Run("lone CR line ends", func(t *testing.T) {
		t.Parallel()
		src := strings.ReplaceAll("+++\ntitle = \"Quokka Vault\"\n[access]\nallow = [\"members\"]\n+++\nVault.\n", "\n", "\r")
		s := newTestSite(t, advBase+"-- content/vault/_index.md --\n"+src).build()
		s.assertNoTrace("anonymous", advNeedles...)
		s.assertFile("members", "vault/index.html", "Quokka Vault", "! allow")
	})
	t.Run("lone CR attachment", func(t *testing.T) {
		t.Parallel()
		src := strings.ReplaceAll("+++\ntitle = \"Quokka Vault\"\n[access]\nallow = [\"members\"]\n+++\nWALRUSBODY\n", "\n", "\r")
		s := newTestSite(t, advBase+advVault).build()
		before := snapshot(t, s.out)
		s.editFile("content/notes.txt", src)
		failsWith(t, s, before, "content/notes.txt:1:")
	})
}

// Links to a hidden page in spellings a browser follows to the site but
// siteurl did not recognise stayed live: a port with leading zeros, a
// percent-encoded host, three slashes before the host.
func TestAdvSiteURLSpellings(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"https://example.com:0443/docs/vault/plan/",
		"https://ex%61mple.com/docs/vault/plan/",
		"https://EXAMPLE%2ECOM/docs/vault/plan/",
		"///example.com/docs/vault/plan/",
		"http://intranet:08443/docs/vault/plan/",
	} {
		t.Run(u, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, advBase+advVault+"-- content/pub.md --\n+++\ntitle = \"Pub\"\n+++\n"+
				"See [the plan]("+u+") now.\n\nRaw <a href=\""+u+"\">plan</a> too.\n").build()
			s.assertNoTrace("anonymous", advNeedles...)
			s.assertFile("anonymous", "pub/index.html", "See the plan now.", "Raw plan too.")
			s.assertFile("members", "pub/index.html", `<a href="../vault/plan/">the plan</a>`, `<a href="../vault/plan/">plan</a>`)
		})
	}
}

// A link that names nothing kept its href as written in every build, so a
// broken link under a hidden section ("vault/gone.md", the old URL of a page
// that set its own url, another case) named the hidden folder. It now goes
// wherever the nearest page above it is hidden, and stays as written where
// that page is visible.
func TestAdvBrokenLinkUnderHiddenSection(t *testing.T) {
	t.Parallel()
	site := advBase + advVault + `
-- content/vault/moved.md --
+++
title = "Moved Page"
url = "/shared/moved/"
[access]
allow = ["anyone"]
+++
Moved.
-- content/pub.md --
+++
title = "Pub"
+++
A [gone](vault/gone.md) b [old](vault/moved/) c [case](VAULT/PLAN.md) d [abs](https://example.com/docs/vault/plan/old.html) e [new](vault/moved.md) f [keep](elsewhere/gone/).

![chart](/docs/vault/chart.png)

<link rel="stylesheet" href="/vault/plan/x.css"><a href="vault/nothing/">raw</a>
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", advNeedles...)
	s.assertFile("anonymous", "pub/index.html", "A gone b old c case d abs e", `<a href="../shared/moved/">new</a>`, `<a href="elsewhere/gone/">keep</a>`)
	s.assertFile("members", "pub/index.html", `<a href="vault/gone.md">gone</a>`, `<a href="VAULT/PLAN.md">case</a>`,
		`href="/vault/plan/x.css"`, `<a href="vault/nothing/">raw</a>`, `src="/docs/vault/chart.png"`)
}

// A link whose text is its URL or file name kept the text when the link
// went, so the hidden page's URL stayed in the body, and in a heading's id
// and table-of-contents entry, which every build shares. Such a link now
// goes whole, as an autolink does; an image's alt text likewise.
func TestAdvLinkTextNamesHiddenPage(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advBase+advVault+`
-- content/pub.md --
+++
title = "Pub"
+++
## Read [vault/plan.md](vault/plan.md) first

A [https://example.com/docs/vault/plan/](https://example.com/docs/vault/plan/) b.

C [../vault/plan/](https://other.example/) d.

![vault/plan.md](/pic.png)

E [Home](_index.md) and [pub.md](pub.md) f.
-- content/pic.png --
PNG
`).build()
	s.assertNoTrace("anonymous", advNeedles...)
	s.assertFile("anonymous", "pub/index.html", "A  b.", "C  d.", `<a href="../">Home</a>`, `<a href="./">pub.md</a>`)
	s.assertFile("members", "pub/index.html", `<a href="../vault/plan/">vault/plan.md</a>`,
		`>https://example.com/docs/vault/plan/</a>`, `alt="vault/plan.md"`)
}

// Sites that document facet, quote rules in code, link to other sites and
// to the site by its own URL still build with verification on.
func TestAdvLegitimateContentBuilds(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advBase+advVault+"-- content/howto.md --\n"+
		"+++\ntitle = \"How to\"\n+++\nRules look like this:\n\n```toml\n+++\ntitle = \"Partner API\"\n[access]\nallow = [\"group:eng\"]\naccess.deny = [\"x\"]\n+++\n```\n\n"+
		"    +++\n    access = { allow = [\"members\"] }\n    +++\n\n"+
		"Use `[access]` and `access = {}` inline. access: members only. Access: anyone.\n\n"+
		"> See [the partner site](https://partner.example/docs/x/) and [mail](mailto:a@example.com).\n\n"+
		"| key | value |\n|---|---|\n| access | allow = [\"x\"] |\n\n+++ b/file.go\n\n~~~\n---\ntitle: yaml\n---\n~~~\n\n"+
		"[Home](/docs/) and [again](https://example.com/docs/) and [howto.md](howto.md).\n").build()
	s.assertFile("anonymous", "howto/index.html", `<a href="https://partner.example/docs/x/">`, `<a href="../">Home</a>`,
		`<a href="../">again</a>`, `<a href="./">howto.md</a>`, "access: members only")
	s.assertNoTrace("anonymous", advNeedles...)
}
