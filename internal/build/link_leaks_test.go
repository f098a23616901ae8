package build

import (
	"fmt"
	"strings"
	"testing"
)

// linkBase is a public site served under a base path and a second host,
// with raw HTML on, a members-only page and a members-only bundle with an
// image. Probes are public pages that link to them in every spelling.
const linkBase = `
-- config/site.toml --
title = "Link Site"
base_url = "https://example.com/docs/"
hosts = ["intranet.example:8443"]
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
-- content/public.md --
+++
title = "Open Page"
+++
Open.
-- content/target-page.md --
+++
title = "Pangolin Lounge"
[access]
allow = ["members"]
+++
Members only.
-- content/vault/index.md --
+++
title = "Okapi Bundle"
[access]
allow = ["members"]
+++
Vault.
-- content/vault/chart.png --
PNGDATA-VAULT
`

// linkNeedles are the traces of linkBase's hidden page and bundle.
var linkNeedles = []string{"Pangolin", "Okapi", "target-page", "target%2", "target&", `target\`,
	"vault", "PNGDATA", "chart"}

// linkSite is linkBase with content/probe.md holding body, built.
func linkSite(t *testing.T, body string) *testSite {
	t.Helper()
	return newTestSite(t, linkBase+"-- content/probe.md --\n+++\ntitle = \"Probe\"\n+++\n"+body).build()
}

// spellings are ways to write the URL of the hidden page target-page.md
// from content/probe.md on the site of linkBase.
var spellings = []string{
	"https://EXAMPLE.com/docs/target-page/",
	"https://example.com:443/docs/target-page/",
	"http://example.com:80/docs/./x/../target-page/",
	"https://example.com//docs//target-page/",
	"https://example.com/docs/target-page",
	"HTTPS://example.com./docs/target-page/index.html#top",
	"//example.com/docs/target-page/",
	`https:\\example.com\docs\target-page\`,
	"/docs/target-page/",
	"/docs//./target-page/",
	"https://intranet.example:8443/docs/target-page/",
	"https://example.com/docs/target%2Dpage/",
	"https://user@example.com/docs/%74arget-page/?x=1",
}

// Absolute and base-path spellings of the site's own URLs stayed live
// links to hidden pages: each is an internal link, redacted for those who
// may not see its target and rewritten as a relative link for those who
// may.
func TestLinkLeakSiteURLs(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i, u := range spellings {
		md := strings.ReplaceAll(u, `\`, `\\`) // markdown reads "\\" as "\"
		fmt.Fprintf(&b, "Word%d [kept words](%s) end.\n\n", i, md)
		fmt.Fprintf(&b, "- [Axolotl item](%s)\n\n", md)
		fmt.Fprintf(&b, "<p>Raw%d <a href=\"%s\">raw words</a></p>\n\n", i, u)
	}
	b.WriteString("Auto <https://example.com/docs/target-page/> and https://EXAMPLE.com/docs/target-page/ bare.\n\n")
	b.WriteString("![Axolotl alt](https://example.com/docs/vault/chart.png) <img src=\"//example.com/docs/vault/chart.png\">\n\n")
	b.WriteString("[Open](https://example.com/docs/public/) <https://Example.com/docs/public/>\n")
	s := linkSite(t, b.String())
	s.assertNoTrace("anonymous", append([]string{"Axolotl", "intranet.example"}, linkNeedles...)...)
	s.assertFile("anonymous", "probe/index.html", "Word0 kept words end.", "Raw0 <a>raw words</a>",
		`<a href="../public/">Open</a>`, `<a href="../public/">https://Example.com/docs/public/</a>`)
	for i := range spellings {
		s.assertFile("anonymous", "probe/index.html", fmt.Sprintf("Word%d kept words end.", i))
	}
	s.assertFile("members", "probe/index.html", `<a href="../target-page/">kept words</a>`,
		`<a href="../target-page/#top">`, `<a href="../target-page/?x=1">`, `src="../vault/chart.png"`,
		`<a href="../target-page/">https://example.com/docs/target-page/</a>`, `! href="https://example.com/docs/target`,
		`! href="https://EXAMPLE`, `! href="https://intranet`, `! href="http://`, `! href="/docs`, `! href="//`, `! href="https:\`)
	if len(s.res.Warnings) > 0 {
		t.Errorf("warnings: %v", s.res.Warnings)
	}
}

// Without base_url, an absolute URL cannot be attributed to the site: it
// stays as written.
func TestLinkAbsoluteWithoutBaseURL(t *testing.T) {
	t.Parallel()
	site := strings.Replace(linkBase, "base_url = \"https://example.com/docs/\"\nhosts = [\"intranet.example:8443\"]\n", "", 1)
	s := newTestSite(t, site+"-- content/probe.md --\n+++\ntitle = \"Probe\"\n+++\n[Open](https://example.com/docs/public/)\n").build()
	s.assertFile("anonymous", "probe/index.html", `<a href="https://example.com/docs/public/">Open</a>`)
}

// Escaped destinations kept a dead link whose href named the hidden page:
// every destination is decoded as a browser reads it before it is
// resolved, in markdown links, reference definitions, images and raw HTML,
// and a link that reaches a page only as the browser reads it from the
// page's URL is a link to that page.
func TestLinkLeakEscapedDestinations(t *testing.T) {
	t.Parallel()
	dests := []string{`target\-page.md`, "target&#45;page.md", "target%2Dpage.md", "target&#x2d;page.md",
		"target&#45;page.md#x", "<target\\-page.md>", "./target%2dpage/", `.\target-page.md`,
		"../target-page/", `..\target-page/`, "target-page%2Emd", "%74arget-page.md"}
	var b strings.Builder
	for i, d := range dests {
		fmt.Fprintf(&b, "Word%d [kept words](%s) end.\n\n", i, d)
	}
	b.WriteString("[Ref words][r] and ![Axolotl alt](vault/chart&#46;png)\n\n")
	b.WriteString("<a href=\"target&#45;page.md\">raw</a> <a href='target%2dpage.md'>raw2</a> <img src=\"vault/ch&#x61;rt.png\">\n\n")
	b.WriteString("[r]: target&#x2D;page.md\n")
	s := linkSite(t, b.String())
	s.assertNoTrace("anonymous", append([]string{"Axolotl"}, linkNeedles...)...)
	for i := range dests {
		s.assertFile("anonymous", "probe/index.html", fmt.Sprintf("Word%d kept words end.", i))
	}
	s.assertFile("members", "probe/index.html", `<a href="../target-page/">kept words</a>`, `<a href="../target-page/">raw</a>`,
		`src="../vault/chart.png"`)
}

// With raw HTML on, constructs other than href/src carried hidden URLs:
// URL attributes are slots, comments never reach the output, and
// constructs whose URLs facet cannot redact are refused with file:line
// (see TestLinkRawHTMLRefused).
func TestLinkLeakRawHTMLAttributes(t *testing.T) {
	t.Parallel()
	body := `<div>
<a href="public.md" ping="/docs/target-page/">ping</a>
<table background="vault/chart.png"><tr><td>c</td></tr></table>
<img lowsrc="vault/chart.png" alt="Axolotl alt"><img dynsrc="https://example.com/docs/vault/chart.png">
<meta http-equiv="refresh" content="0;url=https://example.com/docs/target-page/">
<link rel="preload" as="image" imagesrcset="vault/chart.png 1x">
<button formaction="target-page.md">go</button><object codebase="target-page.md"></object>
<video poster="vault/chart.png"></video><html manifest="target-page.md"><command icon="vault/chart.png">
<!-- see target-page.md -->
<noscript><a href="target-page.md">noscript words</a></noscript>
<svg><a xlink:href="target-page.md">svg</a></svg>
<div style="color: red" data-kind="note">styled</div>
</div>

Inline <!-- target-page.md --> comment.
`
	s := linkSite(t, body)
	s.assertNoTrace("anonymous", append([]string{"Axolotl"}, linkNeedles...)...)
	s.assertFile("anonymous", "probe/index.html", `<a href="../public/">ping</a>`, `<div style="color: red" data-kind="note">styled</div>`,
		"<a>noscript words</a>", "<button>go</button>")
	s.assertFile("members", "probe/index.html", `ping="../target-page/"`, `<meta http-equiv="refresh" content="0;url=../target-page/">`,
		`<a href="../target-page/">noscript words</a>`, "! target-page.md -->")
}

// What could carry a URL facet cannot redact is refused: the build fails
// with file:line for each, and the previous output stays.
func TestLinkRawHTMLRefused(t *testing.T) {
	t.Parallel()
	lines := []string{
		`<div style="background: url(/docs/target-page/)">a</div>`,
		`<p onclick="location='/docs/target-page/'">b</p>`,
		`<a href="javascript:location='/docs/target-page/'">c</a>`,
		`<iframe srcdoc="<a href=target-page.md>x</a>"></iframe>`,
		`<svg><a><animate attributeName="href" values="target-page.md"/></a></svg>`,
		`<div data-next="https://example.com/docs/target-page/">d</div>`,
		`<object><param name="movie" value="vault/chart.png"></object>`,
		`<meta property="og:url" content="/docs/target-page/">`,
		`<base href="/docs/">`,
	}
	body := "Intro.\n\n" + strings.Join(lines, "\n\n") + "\n\n<style>\n.x { background: url(vault/chart.png) }\n</style>\n\n<script>\nlet u = 1\n</script>\n"
	s := newTestSite(t, linkBase+"-- content/probe.md --\n+++\ntitle = \"Probe\"\n+++\nFine.\n").build()
	before := snapshot(t, s.out)
	s.editFile("content/probe.md", "+++\ntitle = \"Probe\"\n+++\n"+body)
	err := s.tryBuild()
	if err == nil {
		t.Fatal("build succeeded, want refusals")
	}
	msg := err.Error()
	// Frontmatter takes 3 lines; the body's line 1 is "Intro.", each
	// probe line is followed by a blank one.
	for i := range lines {
		want := fmt.Sprintf("content/probe.md:%d: raw HTML: ", 4+2*(i+1))
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	styleLine := 4 + 2*(len(lines)+1) + 1
	for _, want := range []string{fmt.Sprintf("content/probe.md:%d: raw HTML: <style>", styleLine),
		fmt.Sprintf("content/probe.md:%d: raw HTML: <script>", styleLine+3)} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if after := snapshot(t, s.out); after != before {
		t.Error("a refused build changed the previous output")
	}
}

// Warnings name the file and the line of the link, also after decoding.
func TestLinkBrokenWarningLines(t *testing.T) {
	t.Parallel()
	s := linkSite(t, "Line one.\n\n[x](nowhere\\-page.md)\n\n<a href=\"https://example.com/docs/gone/\">g</a>\n")
	var got []string
	for _, w := range s.res.Warnings {
		got = append(got, w.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{`content/probe.md:6: broken link "nowhere-page.md"`, `content/probe.md:8: broken link "https://example.com/docs/gone/"`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}
