package verify

import (
	"encoding/base64"
	"net/url"
	"testing"
)

// Spellings a reader takes for a hidden page's URL or title are found;
// the site's paths stay case-sensitive.
func TestAdvSpellings(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	tests := []struct{ file, data, want string }{
		{"a.css", `p{background:url("/docs/\63 anary/")}`, want(Link, 4)},
		{"a/index.html", `<div style="background:url(../\63 anary/)">x</div>`, want(Link, 4)},
		{"a.css", `p::after{content:"\2F docs\2F ops\2F"}`, want(Text, 2)},
		{"n.txt", "see [x](ops/) and more", want(Text, 2)},
		{"n.txt", "see [x](./ops/#top)", want(Text, 2)},
		{"n.txt", "at /a+b/$&=x/ now", want(Text, 5)},
		{"n.txt", "Uber Stra\u00dfe and U\u0308ber Stra\u00dfe", want(Title, 5)},
		{"n.txt", "R&D \u2018notes\u2019", want(Title, 3)},
		{"n.txt", "Sec\u00adret Plan", want(Title, 0)},
		{"n.txt", "**Secret** Plan", want(Title, 0)},
		{"n.txt", "_Secret Plan_", want(Title, 0)},
		{"n.txt", "TABLE ROADMAP", want(Title, 4)},
		{"a/index.html", "<a href=\"https://\uff45xample.com/docs/ops/\">x</a>", want(Link, 2)},
		{"a/index.html", "<a href=\"//example\u3002com/docs/ops/\">x</a>", want(Link, 2)},
		{"n.txt", "see https://\uff45xample.com/docs/ops/ now", want(Text, 2)},
		{"n.txt", "see example\u3002com/docs/ops/ now", want(Text, 2)},
		// not references
		{"n.txt", "see /DOCS/ENG/SECRET/ and /docs/Eng/Secret/", ""},
		{"n.txt", "the ops team", ""},
		{"n.txt", "Secret\u200bPlan", ""},
	}
	for _, tt := range tests {
		if got := found(ix, tt.file, ix.Refs(tt.file, []byte(tt.data))); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.file, tt.data, got, tt.want)
		}
	}
}

// A diagram block the theme draws with mermaid (class fc-mermaid) makes
// links of the URLs in it: they are links, not the author's code, in any
// spelling mermaid reads (entity codes, a label's HTML); a plain pre is code.
func TestAdvDiagramLinks(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	tests := []struct{ file, data, want string }{
		{"a/index.html", `<pre class="fc-mermaid">flowchart LR
  click A &quot;/docs/ops/&quot;
</pre>`, want(Link, 2)},
		{"a/index.html", "<pre class=\"fc-mermaid\">classDiagram\n  link A &quot;../ops/&quot;\n", want(Link, 2)},
		{"a/index.html", `<pre class="big fc-mermaid">A[&quot;&lt;a href=#47;docs#47;ops#47;&gt;x&lt;/a&gt;&quot;]</pre>`, want(Link, 2)},
		{"a/index.html", `<pre class="fc-mermaid">A[&quot;&lt;a href='&amp;#47;docs&amp;#47;ops&amp;#47;'&gt;x&lt;/a&gt;&quot;]</pre>`, want(Link, 2)},
		{"a/index.html", `<pre class="fc-mermaid">sequenceDiagram
  link Alice: Ops @ https://example.com/docs/ops/
</pre>`, want(Link, 2)},
		{"a/index.html", `<pre class="fc-mermaid">C4Context
  Person(a, "A", $link="../eng/x.pdf")
</pre>`, want(Link, 1)},
		// a relative URL without a slash or a dot: a bare name
		{"index.html", "<pre class=\"fc-mermaid\">classDiagram\n  link A &quot;ops&quot;\n</pre>", want(Link, 2)},
		{"index.html", "<pre class=\"fc-mermaid\">sequenceDiagram\n  link Alice: Ops @ops\n</pre>", want(Link, 2)},
		{"eng/index.html", "<pre class=\"fc-mermaid\">sequenceDiagram\n  links Alice: {&quot;S&quot;:&quot;secret&quot;}\n</pre>", want(Link, 0)},
		{"index.html", "<pre class=\"fc-mermaid\">flowchart LR\n  Ops --> B\n</pre>", ""},
		// a kanban card's ticket in place of #TICKET# in ticketBaseUrl
		{"a/index.html", "<pre class=\"fc-mermaid\">---\nconfig:\n  kanban:\n    ticketBaseUrl: &#39;/docs/#TICKET#/&#39;\n---\nkanban\n  t[T]\n    c[C]@{ ticket: ops }\n</pre>", want(Link, 2)},
		{"a/index.html", "<pre class=\"fc-mermaid\">%%{init: {&quot;kanban&quot;: {&quot;ticketBaseUrl&quot;: &quot;../eng/#TICKET#/&quot;}}}%%\nkanban\n  t[T]\n    c[C]@{ticket:secret}\n</pre>", want(Link, 0)},
		{"a/index.html", "<pre class=\"fc-mermaid\">---\nconfig:\n  kanban:\n    ticketBaseUrl: &#39;/docs/#TICKET#/&#39;\n---\nkanban\n  t[T]\n    c[C]@{ ticket: OPS }\n</pre>", ""},
		// code, not a diagram
		{"a/index.html", `<pre>click A &quot;/docs/ops/&quot;</pre>`, want(Text, 2)},
		{"a/index.html", `<pre class="fc-mermaid-not">click A &quot;/docs/ops/&quot;</pre>`, want(Text, 2)},
	}
	for _, tt := range tests {
		if got := found(ix, tt.file, ix.Refs(tt.file, []byte(tt.data))); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.file, tt.data, got, tt.want)
		}
	}
}

// TestNoTraceDataURLPayload: a data: URL's payload is the document a
// browser draws where the URL is used, so the title or link it holds is
// found, base64 or not; and the scan of a file whose base64 payload was
// read says so, since a TitleFilter, which reads the file's bytes only,
// cannot clear it.
func TestNoTraceDataURLPayload(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	svg := `<svg><text>Secret Plan</text></svg>`
	tests := []struct{ file, data, want string }{
		{"a/index.html", `<img src="data:image/svg+xml;base64,` + b64(svg) + `">`, want(Title, 0)},
		{"a/index.html", `<img src="DATA:image/svg+xml;BASE64,` + b64(svg)[:12] + "\n " + b64(svg)[12:] + `">`, want(Title, 0)},
		{"a/index.html", `<object data="data:text/html;base64,` + b64(`<a href="/docs/ops/">o</a>`) + `"></object>`, want(Link, 2)},
		{"a/index.html", `<iframe src="data:,` + url.PathEscape(`<a href="https://example.com/docs/ops/">o</a>`) + `"></iframe>`, want(Link, 2)},
		{"a.css", `p{background:url(data:image/svg+xml;base64,` + b64(svg) + `)}`, want(Title, 0)},
		{"a/index.html", `<img src="data:image/svg+xml;base64,` + b64(`<svg><text>Secret Plan</text></svg>`) + `">`, want(Title, 0)},
		{"a/index.html", `<img src="data:text/plain;base64,` + b64("\xff\xfeS\x00e\x00c\x00r\x00e\x00t\x00 \x00P\x00l\x00a\x00n\x00") + `">`, want(Title, 0)},
		// not references: a raster image, relative links (a data:
		// document has no base URL), a payload naming nothing
		{"a/index.html", `<img src="data:image/png;base64,` + b64("\x89PNG\r\n\x1a\n\x00\x00\x00\rSecret Plan") + `">`, ""},
		{"a/index.html", `<iframe src="data:text/html;base64,` + b64(`<a href="../ops/">o</a>`) + `"></iframe>`, ""},
		{"a/index.html", `<img src="data:image/svg+xml;base64,` + b64(`<svg><text>Visible Page</text></svg>`) + `">`, ""},
	}
	for _, tt := range tests {
		if got := found(ix, tt.file, ix.Refs(tt.file, []byte(tt.data))); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.file, tt.data, got, tt.want)
		}
	}
	for _, data := range []string{
		`<img src="data:image/svg+xml;base64,` + b64(svg) + `">`,
		`<img src="data:image/svg+xml;b&#97;se64,` + b64(svg) + `">`,
		`p{background:url(data:image/svg+xml;\62 ase64,` + b64(svg) + `)}`,
	} {
		if !hasTitle(ix, "a/index.html", []byte(data)) && !hasTitle(ix, "a.css", []byte(data)) {
			t.Errorf("the scanner misses the title in %q", data)
		}
		// the filter reads bytes, where base64 hides the title: the
		// scan says so, and a rebuild scans such a file again
		for _, name := range []string{"a/index.html", "a.css"} {
			if hasTitle(ix, name, []byte(data)) && !ix.RefsPacked(name, []byte(data)).Hides() {
				t.Errorf("the scan of %s %q does not say it read hidden text", name, data)
			}
		}
	}
}

// Forms a browser, an XML reader or a markdown viewer follows that name a
// hidden page or file: each is found as a link (what loads or navigates)
// or as a URL written as text, resolved against the file's folder or the
// document's base.
func TestAdvLoadedForms(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	tests := []struct{ file, data, want string }{
		{"a/f.html", `<base href="/docs/"><a href="ops/">x</a>`, want(Link, 2)},
		{"a/f.html", `<a href="ops/">x</a><base href="https://intranet:8443/docs/">`, want(Link, 2)},
		{"a/b/f.html", `<base href="../../"><img src="eng/x.pdf">`, want(Link, 1)},
		{"a/f.svg", `<svg xml:base="/docs/eng/"><image href="x.pdf"/></svg>`, want(Link, 1)},
		{"a/f.html", `<meta http-equiv="refresh" content="0;../ops/">`, want(Link, 2)},
		{"a/f.html", `<meta http-equiv="refresh" content="1, URL = '../ops/'">`, want(Link, 2)},
		{"a/f.svg", `<svg><rect fill="url(../eng/x.pdf#g)"/></svg>`, want(Link, 1)},
		{"a/f.svg", `<svg><animate attributeName="stroke" values="red;url('../eng/x.pdf#g')"/></svg>`, want(Link, 1)},
		{"a/f.xml", `<?xml-stylesheet type="text/xsl" href="../eng/x.pdf"?><r/>`, want(Link, 1)},
		{"a/f.html", `<!DOCTYPE html SYSTEM "../ops/"><p>x</p>`, want(Link, 2)},
		{"a/f.svg", `<!DOCTYPE svg [<!ENTITY d "eng">]><svg><image href="../&d;/x.pdf"/></svg>`, want(Link, 1)},
		{"a/f.svg", `<!DOCTYPE svg [<!ENTITY s "Secret"><!ENTITY p "Plan">]><svg><text>&s; &p;</text></svg>`, want(Title, 0)},
		{"a/f.css", `@import "../eng/x.pdf" screen;`, want(Link, 1)},
		{"a/f.css", `@import/**/'../eng/x.pdf';`, want(Link, 1)},
		{"a/f.css", `a{b:-webkit-image-set("ok.png" 1x, "../eng/x.pdf" 2x)}`, want(Link, 1)},
		{"a/f.css", `a{b:cross-fade(url(ok.png), "../eng/x.pdf")}`, want(Link, 1)},
		{"a/f.css", `a{b:url(../eng/x.pdf`, want(Link, 1)},
		{"a/f.js", `fetch("../ops/")`, want(Text, 2)},
		{"a/f.json", `{"u":"..\/ops\/"}`, want(Text, 2)},
		{"a/f.html", `<script>location='./../ops/'</script>`, want(Text, 2)},
		{"a/f.txt", "[x](<../ops/>) and [y]: ../eng/x.pdf", want(Text, 2)},
		{"a/f.txt", "[y]: ../eng/x.pdf", want(Text, 1)},
		{"a/f.rss", `<rss><channel><link>../ops/</link></channel></rss>`, want(Text, 2)},
		{"a/f.html", `<span class="/docs/ops/">x</span>`, want(Text, 2)},
		{"a/f.svg", "<svg><text><tspan>Secret</tspan>\n<tspan>Plan</tspan></text></svg>", want(Title, 0)},
		{"a/f.svg", `<svg><text><textPath href="#p">Secret</textPath> Plan</text></svg>`, want(Title, 0)},
		// not references
		{"a/f.css", `p::after{content:"../ops/"}`, want(Text, 2)},
		{"a/f.css", `a{font-family:"Secret"; content:"./x.pdf"}`, ""},
		{"a/f.html", `<meta name="description" content="../ops/">`, ""},
		{"a/f.html", `<span class="Secret Plan">x</span>`, ""},
		{"a/f.svg", `<svg><rect fill="url(#g)"/></svg>`, ""},
	}
	for _, tt := range tests {
		if got := found(ix, tt.file, ix.Refs(tt.file, []byte(tt.data))); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.file, tt.data, got, tt.want)
		}
	}
}
