package build

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// leakBase is a public site with one members-only page, a members-only
// bundle with an image and a members-only section: the anonymous build
// must hold no trace of them.
const leakBase = `
-- config/site.toml --
title = "Leak Site"
base_url = "https://docs.example.com/"
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
-- content/lounge.md --
+++
title = "Pangolin Lounge"
summary = "Okapi summary."
tags = ["okapi-tag"]
date = 2024-05-01
[access]
allow = ["members"]
+++
Members only.
-- content/vault/index.md --
+++
title = "Vault Bundle"
[access]
allow = ["members"]
+++
Vault.
-- content/vault/chart.png --
PNGDATA-VAULT
-- content/inner/_index.md --
+++
title = "Inner Sanctum"
[access]
allow = ["members"]
+++
Inner.
-- content/inner/child.md --
+++
title = "Public Child"
[access]
allow = ["anyone"]
+++
Child.
`

// probeSite is leakBase with content/probe.md, a public page holding body.
func probeSite(t *testing.T, body string) *testSite {
	t.Helper()
	return newTestSite(t, leakBase+"-- content/probe.md --\n+++\ntitle = \"Probe\"\n+++\n"+body).build()
}

// leakNeedles are the traces of leakBase's hidden pages and attachment.
var leakNeedles = []string{"Pangolin Lounge", "Okapi", "okapi-tag", "Vault Bundle", "vault/", "lounge",
	"PNGDATA", "Inner Sanctum", "inner/_index"}

// withAlt adds the alt text and titles the probes give hidden targets.
var withAlt = append([]string{"Axolotl", "axolotl"}, leakNeedles...)

// authorWords are needles for probes whose running text is the author's
// own words and stays: only words that must drop are looked for.
var authorWords = append([]string{"Axolotl alt", "Axolotl title", "Axolotl tip", "Axolotl ref title",
	"Axolotl cell", "Axolotl words"}, leakNeedles...)

// An image of a hidden attachment inside a heading dropped from the body,
// but its alt text stayed in the heading's id, the TOC and the search
// index, which are computed once for every build.
func TestLeakHeadingImageAlt(t *testing.T) {
	t.Parallel()
	s := probeSite(t, "## ![Axolotl alt](vault/chart.png) Overview\n\n## Two\n\n## Three\n")
	s.assertNoTrace("anonymous", withAlt...)
	s.assertFile("anonymous", "probe/index.html", `id="overview"`, "Overview")
	if !shardTerms(t, s, "anonymous")["overview"] {
		t.Errorf("anonymous search index lacks the heading's word")
	}
	s.assertFile("members", "probe/index.html", `alt="Axolotl alt"`, "../vault/chart.png")
}

// A page without a title takes its first heading's text; an image of a
// hidden target there must not lend it its alt text.
func TestLeakTitleFromHeadingImage(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, leakBase+"-- content/probe.md --\n+++\n+++\n# ![Axolotl alt](vault/chart.png) Guide\n\nx\n").build()
	s.assertNoTrace("anonymous", withAlt...)
	s.assertFile("anonymous", "probe/index.html", "Guide")
}

// Raw HTML URL attributes other than href/src/srcset (SVG xlink:href,
// cite, longdesc, lazy-loading data-src/data-srcset) were copied as
// written, publishing a hidden attachment's or page's path.
func TestLeakRawHTMLURLAttributes(t *testing.T) {
	t.Parallel()
	s := probeSite(t, `<svg><image xlink:href="vault/chart.png" /></svg>

<blockquote cite="lounge.md">Quoted words.</blockquote>

<img src="/favicon.ico" longdesc="lounge.md" alt="logo">

<img data-src="vault/chart.png" alt="lazy">

<img data-srcset="vault/chart.png 2x" alt="lazier">
`)
	s.assertNoTrace("anonymous", withAlt...)
	s.assertFile("anonymous", "probe/index.html", "Quoted words.", "<svg>", `alt="logo"`, "! lazy")
	s.assertFile("members", "probe/index.html", `xlink:href="../vault/chart.png"`, `cite="../lounge/"`,
		`longdesc="../lounge/"`, `data-src="../vault/chart.png"`, `data-srcset="../vault/chart.png 2x"`)
}

// TestNoTraceProbes are adversarial pages that do not leak; each keeps
// them so.
func TestNoTraceProbes(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"refDef":          "See [the den][d] now.\n\n[d]: lounge.md \"Axolotl ref title\"\n",
		"refImage":        "![Axolotl alt][i]\n\nText ![Axolotl alt][i] more.\n\n[i]: vault/chart.png\n",
		"rawA":            "<p>Go <a href=\"lounge.md\">there</a></p>\n",
		"rawImg":          "<img src=\"vault/chart.png\" alt=\"Axolotl alt\">\n",
		"rawUpper":        "<IMG SRC=\"vault/chart.png\" ALT=\"Axolotl alt\">\n",
		"rawSrcset":       "<img src=\"x.png\" srcset=\"vault/chart.png 2x\" alt=\"Axolotl alt\">\n",
		"rawInlineImg":    "Text <img src=\"vault/chart.png\" alt=\"Axolotl alt\"> more.\n",
		"rawPicture":      "<picture><source srcset=\"vault/chart.png\"><img src=\"x.png\" alt=\"a\"></picture>\n",
		"rawObject":       "<object data=\"vault/chart.png\">Axolotl fallback</object>\n",
		"rawVideoPoster":  "<video poster=\"vault/chart.png\">Axolotl v</video>\n",
		"noSlash":         "Go [there](/lounge) now.\n",
		"dotSlash":        "Go [there](./lounge.md) now.\n",
		"pctEncoded":      "Go [there](lo%75nge.md) now.\n",
		"imageTitle":      "![x](vault/chart.png \"Axolotl title\")\n",
		"imageInText":     "Text ![Axolotl alt](vault/chart.png) more.\n",
		"linkTitleAttr":   "Go [there](lounge.md \"Axolotl tip\") now.\n",
		"emptyHeading":    "## [](lounge.md)\n\nText.\n",
		"emptyInText":     "See [](lounge.md) here.\n",
		"summaryFallback": "[Axolotl words](lounge.md)\n\nSecond para.\n",
		"footnote":        "Text[^1].\n\n[^1]: [Axolotl fn](lounge.md)\n",
		"attachmentLink":  "Get [the Axolotl chart](vault/chart.png) now.\n",
		"tableCell":       "| a |\n|---|\n| [Axolotl cell](lounge.md) |\n",
		"htmlBlockMd":     "<div>\n\n[Axolotl](lounge.md)\n\n</div>\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := probeSite(t, body)
			s.assertNoTrace("anonymous", authorWords...)
			s.assertFile("members", "probe/index.html")
		})
	}
}

// A removed <object>, <video> or <iframe> goes with its content (its
// fallback) up to its end tag, also when the start tag and the end tag are
// separate raw HTML nodes: inline tags of one paragraph, or HTML blocks
// with markdown between them. The start tag alone used to drop, leaving
// the fallback text, which may describe the hidden file, and a stray end
// tag.
func TestNoTraceRawElementFallback(t *testing.T) {
	t.Parallel()
	s := probeSite(t, `Inline <object data="vault/chart.png">Axolotl one</object> after.

<object data="vault/chart.png">

Axolotl two

</object>

Text <video src="vault/chart.png">Axolotl *three*</video> and <iframe src="lounge.md">Axolotl four</iframe> more.

<object data="vault/chart.png"><object data="x.png">Axolotl five</object></object>

- item <object data="vault/chart.png">Axolotl six</object>

End.
`)
	s.assertNoTrace("anonymous", withAlt...)
	s.assertFile("anonymous", "probe/index.html", "Inline  after.", "Text  and  more.", "End.", "item", "! </object>", "! </video>", "! </iframe>")
	s.assertFile("members", "probe/index.html", "Axolotl one</object> after.", "<p>Axolotl two</p>\n</object>",
		"Axolotl <em>three</em></video>", "Axolotl four</iframe>", "Axolotl five</object></object>", "Axolotl six")
}

// An element left open before a heading drops alone: the table of
// contents lists every heading in every build, so no heading may lie in
// what one build drops.
func TestRawElementOpenOverHeading(t *testing.T) {
	t.Parallel()
	s := probeSite(t, "<object data=\"vault/chart.png\">\n\n## Kept Heading\n\nKept words.\n\n</object>\n")
	s.assertNoTrace("anonymous", leakNeedles...)
	s.assertFile("anonymous", "probe/index.html", `id="kept-heading"`, "Kept words.")
}

// A folder without _index.md whose only page is hidden has no generated
// section page in the build.
func TestNoTraceGeneratedFolder(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, leakBase+"-- content/gen/secret.md --\n+++\ntitle = \"Axolotl Gen\"\n[access]\nallow = [\"members\"]\n+++\nx\n").build()
	s.assertNoTrace("anonymous", append(withAlt, "gen/")...)
	s.assertFile("members", "gen/index.html", "Axolotl Gen")
}

// A precompressed sibling goes where its file goes: the gateway serves
// plan.csv.gz in place of plan.csv, and its bytes are plan.csv's. A file
// only a hidden page uses was held back while its .gz and .br siblings,
// used by nothing, were published with the section, named after it.
func TestNoTracePrecompressedSibling(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, leakBase+`-- content/pub/_index.md --
+++
title = "Pub"
+++
Public words.
-- content/pub/secret.md --
+++
title = "Axolotl Plan"
[access]
allow = ["members"]
+++
Get [the numbers](plan.csv).
-- content/pub/plan.csv --
Axolotl numbers
-- content/pub/free.csv --
free
`)
	planGz, planBr, freeGz := gzipped(t, "Axolotl numbers\n"), brotlied(t, "Axolotl numbers\n"), gzipped(t, "free\n")
	s.editFile("content/pub/plan.csv.gz", planGz)
	s.editFile("content/pub/plan.csv.br", planBr)
	s.editFile("content/pub/free.csv.gz", freeGz)
	s.build()
	s.assertNoTrace("anonymous", append(withAlt, "plan.csv", "AXOLOTL")...)
	s.assertFile("anonymous", "pub/free.csv.gz", freeGz)
	s.assertFile("members", "pub/plan.csv.gz", planGz)
	s.assertFile("members", "pub/plan.csv.br", planBr)
}

// gzipped and brotlied return text compressed as a precompressed sibling
// holds it.
func gzipped(t testing.TB, text string) string {
	t.Helper()
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	if _, err := z.Write([]byte(text)); err != nil || z.Close() != nil {
		t.Fatal("gzip")
	}
	return b.String()
}

func brotlied(t testing.TB, text string) string {
	t.Helper()
	var b bytes.Buffer
	z := brotli.NewWriter(&b)
	if _, err := z.Write([]byte(text)); err != nil || z.Close() != nil {
		t.Fatal("brotli")
	}
	return b.String()
}

// A page's "Edit this page" link names its source file, whose folders are
// its sections' folders. A page shared beyond a hidden section, which set
// its own url so that its address would not name that section, still
// named the section's folder in its edit link.
func TestNoTraceEditLinkSourcePath(t *testing.T) {
	t.Parallel()
	site := strings.Replace(leakBase, "[markdown]", "[layout]\nrepo_url = \"https://git.example.org/docs\"\n[markdown]", 1)
	site = strings.Replace(site, "title = \"Public Child\"\n", "title = \"Public Child\"\nurl = \"/shared/child/\"\n", 1)
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", append(leakNeedles, "inner/")...)
	s.assertFile("anonymous", "shared/child/index.html", "Child.", "! Edit this page")
	s.assertFile("anonymous", "index.html", "https://git.example.org/docs/edit/main/content/_index.md")
	s.assertFile("members", "shared/child/index.html", "https://git.example.org/docs/edit/main/content/inner/child.md")
}

// A link to an alias of a hidden page, or to a place under it, is a link
// to that page: the alias redirects there in the builds that hold it. As
// a link to nothing it stayed wherever the folder above it was visible,
// naming in the anonymous build the alias of a members-only page.
func TestNoTraceLinkToAlias(t *testing.T) {
	t.Parallel()
	site := strings.Replace(leakBase, "title = \"Pangolin Lounge\"\n", "title = \"Pangolin Lounge\"\naliases = [\"/old-den/\"]\n", 1)
	s := newTestSite(t, site+`-- content/probe.md --
+++
title = "Probe"
+++
See [the den](/old-den/) and [its chart](old-den/chart.png "Axolotl tip") now.

[/old-den/](/old-den/)

Also <https://docs.example.com/old-den/>.

<p><a href="/old-den/#top">raw</a></p>
`).build()
	s.assertNoTrace("anonymous", append(authorWords, "old-den")...)
	s.assertFile("anonymous", "probe/index.html", "See the den and its chart now.")
	s.assertFile("members", "probe/index.html", `<a href="../lounge/">the den</a>`, `<a href="../lounge/#top">raw</a>`)
	s.assertFile("members", "old-den/index.html", "Pangolin Lounge")
}

// TestThemeURLDoesNotExemptTitle: text every build carries exempts an
// item only as it names it. The default theme's script writes "../c/" (a
// comment), which names a page at /c/ by its URL: that must not exempt
// the page's title, which a hidden page's title written elsewhere would
// otherwise carry into every build.
func TestThemeURLDoesNotExemptTitle(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"c", "roadmap"} {
		s := newTestSite(t, `
-- config/site.toml --
title = "Gate Site"
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
-- content/`+name+`.md --
+++
title = "Table Roadmap"
[access]
allow = ["members"]
+++
Hidden.
-- content/notes.txt --
the Table Roadmap
`)
		if err := s.tryBuild(); err == nil {
			b, _ := s.read("anonymous", "notes.txt")
			t.Fatalf("page at /%s/: the anonymous build published notes.txt holding the hidden page's title: %q", name, b)
		}
	}
}
