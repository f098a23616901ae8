package build

import (
	"strings"
	"testing"
)

// attachForm is a visible bundle, content/pub/, holding one attachment of
// linkBase's site that names the hidden page target-page.md or the hidden
// bundle's file vault/chart.png in a form a browser, an XML reader or a
// markdown viewer follows.
func attachForm(t *testing.T, file, data string) *testSite {
	t.Helper()
	return newTestSite(t, linkBase+"-- content/pub/index.md --\n+++\ntitle = \"Pub\"\n+++\nSee [f]("+file+").\n-- content/pub/"+file+" --\n"+data+"\n")
}

// An attachment that links to a hidden page or file through what the gate
// did not read (a <base href> the link resolves against, a meta refresh
// without "url=", an SVG paint's url(), a processing instruction, a
// doctype's entities, a CSS string that @import or image-set() loads, a
// url() left open, a relative URL in a script, JSON or plain text, a
// feed's <link>, a URL in a class or id) fails the build naming it.
func TestAttachmentLinkForms(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ file, data string }{
		"baseRoot":       {"f.html", `<base href="/docs/"><a href="target-page/">x</a>`},
		"baseUnquoted":   {"f.html", `<base href=/docs/><a href=target-page>x</a>`},
		"baseHost":       {"f.html", `<base href="https://intranet.example:8443/docs/"><a href="target-page/">x</a>`},
		"baseHostOnly":   {"f.html", `<base href="https://example.com"><a href="docs/target-page/">x</a>`},
		"baseRelative":   {"sub/f.html", `<base href="../../"><img src="vault/chart.png">`},
		"baseAfter":      {"f.html", `<a href="target-page/">x</a><base href="/docs/">`},
		"baseRefresh":    {"f.html", `<base href="/docs/"><meta http-equiv="refresh" content="0;url=target-page/">`},
		"xmlBase":        {"f.svg", `<svg xmlns="http://www.w3.org/2000/svg" xml:base="/docs/"><image href="vault/chart.png"/></svg>`},
		"refreshNoURL":   {"f.html", `<meta http-equiv="refresh" content="0;../target-page/">`},
		"refreshSpaces":  {"f.html", `<meta http-equiv="refresh" content="0; URL = '../target-page/'">`},
		"refreshComma":   {"f.html", `<meta http-equiv="refresh" content="5, ../target-page/">`},
		"svgFill":        {"f.svg", `<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(../vault/chart.png#g)"/></svg>`},
		"svgMask":        {"f.html", `<svg><rect mask="url('../vault/chart.png#m')"/></svg>`},
		"svgCursor":      {"f.svg", `<svg xmlns="http://www.w3.org/2000/svg"><rect cursor="url(../vault/chart.png), auto"/></svg>`},
		"svgAnimate":     {"f.svg", `<svg xmlns="http://www.w3.org/2000/svg"><rect><animate attributeName="fill" values="red;url(../vault/chart.png#g)"/></rect></svg>`},
		"piStylesheet":   {"f.xml", `<?xml-stylesheet href="../vault/chart.png" type="text/xsl"?><r/>`},
		"piSVG":          {"f.svg", `<?xml-stylesheet type="text/css" href='../vault/chart.png'?><svg xmlns="http://www.w3.org/2000/svg"/>`},
		"doctypeSystem":  {"f.html", `<!DOCTYPE html SYSTEM "/docs/target-page/"><p>x</p>`},
		"entityValue":    {"f.svg", `<!DOCTYPE svg [<!ENTITY p "../target-page/">]><svg xmlns="http://www.w3.org/2000/svg"><a href="&p;"><text>t</text></a></svg>`},
		"entityPart":     {"f.svg", `<!DOCTYPE svg [<!ENTITY v "vault">]><svg xmlns="http://www.w3.org/2000/svg"><image href="../&v;/chart.png"/></svg>`},
		"entityTitle":    {"f.svg", `<!DOCTYPE svg [<!ENTITY a "Pangolin"><!ENTITY b "Lounge">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a; &b;</text></svg>`},
		"cssImportStr":   {"f.css", `@import "../vault/chart.png";`},
		"cssImportSQ":    {"f.css", `@import /* c */ '../vault/chart.png' screen;`},
		"cssImportEsc":   {"f.css", `@\69mport "../v\61ult/chart.png";`},
		"cssImageSet":    {"f.css", `a{background:image-set("../vault/chart.png" 1x)}`},
		"cssWebkitSet":   {"f.css", `a{background:-webkit-image-set("x.png" 1x, "../vault/chart.png" 2x)}`},
		"cssCrossFade":   {"f.css", `a{background:cross-fade(url(x.png), "../vault/chart.png")}`},
		"cssUnclosed":    {"f.css", `a{background:url(../vault/chart.png`},
		"styleImportStr": {"f.html", `<style>@import "../vault/chart.png";</style>`},
		"styleImageSet":  {"f.html", `<div style="background: image-set('../vault/chart.png' 1x)">x</div>`},
		"jsFetch":        {"f.js", `fetch("../target-page/")`},
		"jsEscaped":      {"f.js", `fetch("..\/target-page\/")`},
		"mjsImport":      {"f.mjs", `import x from "../vault/chart.png";`},
		"jsonRel":        {"f.json", `{"start_url": "../target-page/"}`},
		"manifest":       {"f.webmanifest", `{"start_url": "./../target-page/"}`},
		"scriptRel":      {"f.html", `<script>location = '../target-page/'</script>`},
		"txtMdLink":      {"f.txt", `see [x](../target-page/) there`},
		"txtMdAngle":     {"f.txt", `see [x](<../target-page/>) there`},
		"txtMdRef":       {"f.txt", "see [x][r]\n\n[r]: ../target-page/"},
		"nestedMdLink":   {"sub/f.txt", `see [x](../../target-page/) there`},
		"rssLink":        {"f.rss", `<rss><channel><item><link>../target-page/</link></item></channel></rss>`},
		"atomURI":        {"f.xml", `<feed><author><uri>../target-page/</uri></author></feed>`},
		"classURL":       {"f.html", `<span class="/docs/target-page/">x</span>`},
		"idURL":          {"f.html", `<span id="https://example.com/docs/target-page/">x</span>`},
		"svgTspanTitle":  {"f.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>\n<tspan>Pangolin</tspan>\n<tspan>Lounge</tspan>\n</text></svg>"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := attachForm(t, c.file, c.data).tryBuild()
			if err == nil {
				t.Fatalf("build with content/pub/%s holding %q succeeded", c.file, c.data)
			}
			for _, want := range []string{"verify: build anonymous", "pub/" + c.file, "to resolve"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// The same forms naming what the build holds, and strings and words that
// only look like them, build.
func TestAttachmentLinkFormsLegitimate(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ file, data string }{
		"baseVisible":   {"f.html", `<base href="/docs/"><a href="public/">x</a><img src="pub/x.png">`},
		"refreshOpen":   {"f.html", `<meta http-equiv="refresh" content="0;../public/">`},
		"description":   {"f.html", `<meta name="description" content="target-page">`},
		"svgFillLocal":  {"f.svg", `<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/></svg>`},
		"cssStrings":    {"f.css", `p::after{content:"target-page"} a{font-family:"Vault Sans", 'chart.png'} @import "../public/";`},
		"cssComment":    {"f.css", `/* don't load "../public/" */ a{color:red}`},
		"jsVisible":     {"f.js", `fetch("./x.png"); fetch("../public/")`},
		"entityVisible": {"f.svg", `<!DOCTYPE svg [<!ENTITY p "../public/">]><svg xmlns="http://www.w3.org/2000/svg"><a href="&p;"><text>t</text></a></svg>`},
		"rssVisible":    {"f.rss", `<rss><channel><link>../public/</link></channel></rss>`},
		"classWords":    {"f.html", `<span class="target-page vault chart">x</span>`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, linkBase+"-- content/pub/index.md --\n+++\ntitle = \"Pub\"\n+++\nSee [f]("+c.file+").\n-- content/pub/x.png --\nPNG\n-- content/pub/"+c.file+" --\n"+c.data+"\n")
			if err := s.tryBuild(); err != nil {
				t.Fatalf("legitimate attachment refused: %v", err)
			}
		})
	}
}
