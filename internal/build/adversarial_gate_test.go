package build

import (
	"strings"
	"testing"
)

// advGateExtra adds, to gateBase, hidden pages whose titles or URLs are hard to spell:
// an ampersand, a curly apostrophe, an accented letter, CJK, a path with
// "$&=" and "+".
const advGateExtra = `
-- content/rd.md --
+++
title = "R&D Budget"
[access]
allow = ["members"]
+++
RD.
-- content/alice.md --
+++
title = "Alice’s Ledger"
[access]
allow = ["members"]
+++
Alice.
-- content/cafe.md --
+++
title = "Café Reorganisation"
[access]
allow = ["members"]
+++
Cafe.
-- content/cjk.md --
+++
title = "秘密计划"
[access]
allow = ["members"]
+++
CJK.
-- content/odd/a$b&c=d.md --
+++
title = "Odd Path Page"
[access]
allow = ["members"]
+++
Odd.
-- content/odd/p+q.md --
+++
title = "Plus Path Page"
[access]
allow = ["members"]
+++
Plus.
`

// A text attachment holding a hidden page's URL or title in any spelling
// a reader takes for it (encodings, hosts, markup, case, typographic
// apostrophes, decomposed letters, invisible characters, CSS escapes,
// markdown syntax in a .txt) fails the build naming the attachment.
func TestAdvGateAttachmentSpellings(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ file, data string }{
		"pctAll":          {"n.txt", "x /docs/%61%64%6d%69%6e/ y\n"},
		"pctMid":          {"n.txt", "x /docs/adm%69n/ y\n"},
		"pctSlash":        {"n.txt", "x %2Fdocs%2Fadmin%2F y\n"},
		"entHexSlash":     {"n.txt", "x &#x2F;docs&#x2F;admin&#x2F; y\n"},
		"entSol":          {"n.html", "<p>x &sol;docs&sol;admin&sol; y</p>\n"},
		"entSolTxt":       {"n.txt", "x &sol;docs&sol;admin&sol; y\n"},
		"jsonEsc":         {"n.txt", `x \/docs\/admin\/ y` + "\n"},
		"jsonU":           {"n.js", `var u="\u002Fdocs\u002Fadmin\u002F";` + "\n"},
		"query":           {"n.txt", "x /docs/admin/?a=1 y\n"},
		"fragment":        {"n.txt", "x /docs/admin/#top y\n"},
		"indexHTML":       {"n.txt", "x /docs/admin/index.html y\n"},
		"noSlashEnd":      {"n.txt", "x /docs/admin y\n"},
		"hostNoScheme":    {"n.txt", "x example.com/docs/admin/ y\n"},
		"hostUpper443":    {"n.txt", "x HTTPS://EXAMPLE.COM:443/docs/admin y\n"},
		"protoRel":        {"n.txt", "x //example.com/docs/admin/ y\n"},
		"wwwLess":         {"n.txt", "x http://example.com/docs/admin/ y\n"},
		"unquoted":        {"n.html", "<a href=/docs/admin/>x</a>\n"},
		"singleQ":         {"n.html", "<a href='/docs/admin/'>x</a>\n"},
		"srcsetMany":      {"n.html", "<img srcset=\"a.png 1x, b.png 2x, /docs/admin/ 3x\">\n"},
		"srcsetNoSp":      {"n.html", "<img srcset=\"a.png 1x,/docs/admin/ 2x\">\n"},
		"cssEsc":          {"n.css", "a{background:url(\"/docs/\\61 dmin/\")}\n"},
		"cssEsc2":         {"n.html", "<div style=\"background:url(/docs/\\61 dmin/)\">x</div>\n"},
		"svgXlink":        {"n.svg", `<svg xmlns="http://www.w3.org/2000/svg"><a xlink:href="/docs/admin/"><text>x</text></a></svg>`},
		"svgUse":          {"n.svg", `<svg xmlns="http://www.w3.org/2000/svg"><use href="/docs/admin/#i"/></svg>`},
		"sitemap":         {"s.xml", `<urlset><url><loc>https://example.com/docs/admin/</loc></url></urlset>`},
		"mdLink":          {"n.txt", "see [x](/docs/admin/)\n"},
		"mdLinkRel":       {"n.txt", "see [x](admin/)\n"},
		"mdLinkRoot":      {"n.txt", "see [x](/admin/)\n"},
		"odd":             {"n.txt", "x /docs/odd/a$b&c=d/ y\n"},
		"oddPct":          {"n.txt", "x /docs/odd/a%24b%26c%3Dd/ y\n"},
		"plus":            {"n.txt", "x /docs/odd/p+q/ y\n"},
		"plusPct":         {"n.txt", "x /docs/odd/p%2Bq/ y\n"},
		"spacePlus":       {"n.txt", "x /docs/sp+ace/ y\n"},
		"titleGuil":       {"n.txt", "«Admin Console»\n"},
		"titleEmDash":     {"n.txt", "x—Admin Console—y\n"},
		"titleCJKnext":    {"n.txt", "见Admin Console文档\n"},
		"titleEmoji":      {"n.txt", "🔒Admin Console🔒\n"},
		"titleHyphen":     {"n.txt", "pre-Admin Console\n"},
		"titleUpper":      {"n.txt", "ADMIN CONSOLE\n"},
		"titleLower":      {"n.txt", "admin console\n"},
		"titleSplitNL":    {"n.txt", "Admin\nConsole\n"},
		"titleSplitCRLF":  {"n.txt", "Admin\r\n  Console\r\n"},
		"titleAmpRaw":     {"n.txt", "R&D Budget\n"},
		"titleAmpEnt":     {"n.html", "<p>R&amp;D Budget</p>\n"},
		"titleAmpEntTxt":  {"n.txt", "R&amp;D Budget\n"},
		"titleApos":       {"n.txt", "Alice’s Ledger\n"},
		"titleAposASCII":  {"n.txt", "Alice's Ledger\n"},
		"titleNFD":        {"n.txt", "Cafe\u0301 Reorganisation\n"},
		"titleCJK":        {"n.txt", "这是秘密计划。\n"},
		"titleNbsp":       {"n.txt", "Admin\u00a0Console\n"},
		"titleEntNbsp":    {"n.html", "<p>Admin&nbsp;Console</p>\n"},
		"titleJSONU":      {"n.json", `{"t":"Admin\u0020Console"}` + "\n"},
		"titleTag":        {"n.html", "<p>Admin <b>Console</b></p>\n"},
		"titleZWSP":       {"n.txt", "Ad\u200bmin Console\n"},
		"titleSoftHyph":   {"n.txt", "Ad\u00admin Console\n"},
		"titleMD":         {"n.txt", "**Admin** Console\n"},
		"titlePct":        {"n.txt", "Admin%20Console\n"},
		"titleUnderscore": {"n.txt", "_Admin Console_\n"},
		"titleXMLCdata":   {"n.xml", "<t><![CDATA[Admin Console]]></t>\n"},
		"cdataURL":        {"n.xml", "<t><![CDATA[/docs/admin/]]></t>\n"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := gateSite(t, advGateExtra+"-- content/"+c.file+" --\n"+c.data)
			err := s.tryBuild()
			if err == nil {
				t.Fatalf("build with content/%s holding %q succeeded", c.file, c.data)
			}
			for _, want := range []string{"verify: build anonymous", c.file, "to resolve"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// A visible page writing a hidden page's title or URL in its own words
// (however markdown splits them), low-information titles, common words
// inside visible titles, tags and summaries, and the titles of the pages
// the renderer generates never fail the build.
func TestAdvGateLegitimate(t *testing.T) {
	t.Parallel()
	hidden := func(name, title string) string {
		return "-- content/" + name + " --\n+++\ntitle = \"" + title + "\"\n[access]\nallow = [\"members\"]\n+++\nzqcanaryzq\n"
	}
	probe := func(title, body string) string {
		return "-- content/probe.md --\n+++\ntitle = \"" + title + "\"\ntags = [\"Plan\", \"Ops Notes\"]\nsummary = \"Quarterly Review summary\"\n+++\n" + body
	}
	cases := map[string]string{
		"commonWordInTitle": hidden("h1.md", "Plan") + probe("Plan 2", "Text.\n"),
		"tagsTitle":         hidden("h1.md", "Tags") + probe("P", "x\n"),
		"notFound":          hidden("h1.md", "Page not found") + probe("P", "x\n"),
		"tagWord":           hidden("h1.md", "Ops Notes") + probe("P", "x\n"),
		"summaryWord":       hidden("h1.md", "Quarterly Review") + probe("P", "x\n"),
		"numberTitle":       hidden("h1.md", "42") + probe("P", "We have 42 items.\n"),
		"yearTitle":         hidden("h1.md", "2024") + probe("P", "In 2024.\n"),
		"versionTitle":      hidden("h1.md", "v2.1.0") + probe("P", "Release v2.1.0 is out.\n"),
		"quarterTitle":      hidden("h1.md", "Q3 2024") + probe("P", "In Q3 2024 we grew.\n"),
		"isoWeek":           hidden("h1.md", "2024-W05") + probe("P", "Week 2024-W05.\n"),
		"dateSlash":         hidden("h1.md", "05/01/2024") + probe("P", "On 05/01/2024.\n"),
		"codeAdmin":         hidden("admin2/_index.md", "Admin Zone") + probe("P", "Run `POST /admin2` and\n\n    GET /admin2/users\n"),
		"codeAdminFence":    hidden("api/_index.md", "Api Zone") + probe("P", "```http\nPOST /api/v1\n```\n"),
		"linkSplit":         hidden("h1.md", "Table Roadmap") + probe("P", "Table [Roadmap Document](roadmap.md)\n"),
		"emphPart":          hidden("h1.md", "Release Train") + probe("P", "The *Release* Train leaves.\n"),
		"strongAll":         hidden("h1.md", "Release Train") + probe("P", "The **Release Train** leaves.\n"),
		"codePart":          hidden("h1.md", "Release Train") + probe("P", "The `Release` Train leaves.\n"),
		"softBreak":         hidden("h1.md", "Release Train") + probe("P", "The Release\nTrain leaves.\n"),
		"hardBreak":         hidden("h1.md", "Release Train") + probe("P", "The Release  \nTrain leaves.\n"),
		"headingPara":       hidden("h1.md", "Release Train") + probe("P", "## Release\n\nTrain leaves.\n"),
		"listJoin":          hidden("h1.md", "Release Train") + probe("P", "- Release\n- Train\n"),
		"tableJoin":         hidden("h1.md", "Release Train") + probe("P", "| a | b |\n|---|---|\n| Release | Train |\n"),
		"ampTitle":          hidden("h1.md", "R&D Budget") + probe("P", "The R&D Budget is set.\n"),
		"aposTitle":         hidden("h1.md", "Alice’s Ledger") + probe("P", "Alice’s Ledger is open.\n"),
		"aposTitleSmart":    hidden("h1.md", "Alice's Ledger") + probe("P", "Alice's Ledger is open.\n"),
		"quoteTitle":        hidden("h1.md", "The \\\"Big\\\" Plan") + probe("P", "The \"Big\" Plan is open.\n"),
		"headingTitle":      hidden("h1.md", "Release Train") + probe("P", "# Release Train\n\nx\n"),
		"imgAlt":            hidden("h1.md", "Release Train") + probe("P", "![Release Train](pic.png)\n"),
		"linkText":          hidden("h1.md", "Release Train") + probe("P", "[Release Train](https://other.example/x)\n"),
		"footnote":          hidden("h1.md", "Release Train") + probe("P", "Release[^1] Train\n\n[^1]: note\n"),
		"entityInMD":        hidden("h1.md", "Release Train") + probe("P", "Release&nbsp;Train\n"),
		"titleOwnWords":     hidden("h1.md", "Release Train") + probe("Release Train Notes", "x\n"),
		"upperVisible":      hidden("h1.md", "Release Train") + probe("P", "RELEASE TRAIN\n"),
		"urlInLinkText":     hidden("admin2/_index.md", "Admin Zone") + probe("P", "[`/admin2/`](https://other.example/)\n"),
		"csvMentioned":      hidden("h1.md", "Release Train") + probe("P", "The Release Train csv: [d](d.csv)\n") + "-- content/d.csv --\nRelease Train\n",
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, gateBase[:strings.Index(gateBase, "-- content/roadmap.md")]+c)
			if err := s.tryBuild(); err != nil {
				t.Fatalf("legitimate site refused: %v", err)
			}
		})
	}
}

// rawDiagramSite writes a diagram as raw HTML (pre.fc-mermaid), which the
// markdown package takes as HTML, not as a diagram, while the theme draws
// it with mermaid all the same: its click makes a live link to /secret/.
const rawDiagramSite = `
-- config/site.toml --
title = "T"
base_url = "https://example.com/"
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
-- content/secret.md --
+++
title = "Zanzibar Ledger"
[access]
allow = ["members"]
+++
Secret.
-- content/pub.md --
+++
title = "Public Guide"
+++
<pre class="fc-mermaid">flowchart LR
  A --> B
  click B "../secret/"
</pre>
`

// TestAdvGateDiagramIsLink: the gate takes a URL in a block the theme
// draws as a diagram for a link, never for the author's code, so that a
// diagram link the markdown package does not redact fails the build.
func TestAdvGateDiagramIsLink(t *testing.T) {
	t.Parallel()
	err := newTestSite(t, rawDiagramSite).tryBuild()
	if err == nil || !strings.Contains(err.Error(), "pub/index.html contains a link to /secret/") {
		t.Fatalf("build: got %v, want a link to /secret/ in pub/index.html", err)
	}
}
