package verify

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/siteurl"
)

// testItems is a site at https://example.com/docs/ (also served as
// intranet:8443) whose ids 0-6 are hidden and 7 visible.
var testItems = []Item{
	{URL: "/eng/secret/", Title: "Secret Plan", File: "content/eng/secret.md"},
	{URL: "/eng/x.pdf", File: "content/eng/x.pdf"},
	{URL: "/ops/", Title: "Ops", File: "content/ops/_index.md"},
	{URL: "/r&d/", Title: "R&D 'notes'", File: "content/r&d/_index.md"},
	{URL: "/canary/", Title: "Table Roadmap", File: "content/canary.md"},
	{URL: "/a%20b/$&=x/", Title: "Über Straße", File: "content/a b/$&=x.md"},
	{URL: "/cjk/", Title: "路线图", File: "content/cjk.md"},
	{URL: "/visible/", Title: "Visible Page", File: "content/visible.md"},
}

func testIndex() *Index {
	return NewIndex(testItems, siteurl.New("https://example.com/docs/", []string{"intranet:8443"}))
}

// found describes the first leak in refs as "kind id".
func found(ix *Index, file string, refs Refs) string {
	l := ix.Check("b", file, func() []byte { return nil }, refs, func(r Ref) bool { return r.ID != 7 })
	if l == nil {
		return ""
	}
	return fmt.Sprintf("%d %d", l.Ref.Kind, l.Ref.ID)
}

func want(k Kind, id int) string { return fmt.Sprintf("%d %d", k, id) }

// Every form a URL of a hidden page can take in a file is found.
func TestRefsURLForms(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	tests := []struct {
		file, data, want string
	}{
		{"index.html", `<a href="eng/secret/">x</a>`, want(Link, 0)},
		{"a/b/index.html", `<a href="../../eng/secret/#top">x</a>`, want(Link, 0)},
		{"a/index.html", `<a href="../eng/secret/index.html">x</a>`, want(Link, 0)},
		{"a/index.html", `<img src="../eng/x.pdf">`, want(Link, 1)},
		{"a/index.html", `<a href=../eng/secret/>x</a>`, want(Link, 0)},
		{"a/index.html", `<a href='../eng/secret/'>x</a>`, want(Link, 0)},
		{"a/index.html", `<A HREF="../ENG/../eng/./secret//">x</A>`, want(Link, 0)},
		{"a/index.html", `<img srcset="ok.png 1x, ../eng/x.pdf 2x">`, want(Link, 1)},
		{"a/index.html", `<a ping="/x/ ../ops/">x</a>`, want(Link, 2)},
		{"a/index.html", `<meta http-equiv="refresh" content="0; url=../ops/">`, want(Link, 2)},
		{"a/index.html", `<div style="background:url('../eng/x.pdf')">x</div>`, want(Link, 1)},
		{"a/index.html", `<style>p { background: url(../eng/x.pdf) }</style>`, want(Link, 1)},
		{"a/index.html", `<iframe srcdoc="<a href=&quot;../ops/&quot;>x</a>"></iframe>`, want(Link, 2)},
		{"a/index.html", `<svg><animate attributeName="href" values="ok;../ops/"/></svg>`, want(Link, 2)},
		{"a/index.html", `<a href="../%63anary/">x</a>`, want(Link, 4)},
		{"a/index.html", `<a href="../a%20b/$&amp;=x/">x</a>`, want(Link, 5)},
		{"a/index.html", `<a href="../a b/$&=x/">x</a>`, want(Link, 5)},
		{"index.html", `<a href="https://EXAMPLE.com:443/docs/./ops/">x</a>`, want(Link, 2)},
		{"index.html", `<a href="//intranet:8443/docs/ops/">x</a>`, want(Link, 2)},
		{"index.html", `<a href="/docs/ops/">x</a>`, want(Link, 2)},
		{"index.html", `<noscript><a href="ops/">x</a></noscript>`, want(Link, 2)},
		{"sitemap.xml", `<loc>https://example.com/docs/eng/secret/</loc>`, want(Text, 0)},
		{"search-index.js", `{"url":"/eng/secret/"}`, want(Text, 0)},
		{"search-index.js", `{"u":"eng/secret/"}`, want(Text, 0)},
		{"search-index.js", `{"url":"\/eng\/secret"}`, want(Text, 0)},
		{"search-index.js", `{"url":"\u002fcanary\u002f"}`, want(Text, 4)},
		{"data.csv", "name,url\nx,/%63anary/\n", want(Text, 4)},
		{"data.csv", "x,/a b/$&=x/,y\n", want(Text, 5)},
		{"data.txt", "see example.com/docs/ops/ now", want(Text, 2)},
		{"data.txt", "see http://example.com/docs/ops now", want(Text, 2)},
		{"index.html", `<p>Go to &#47;ops&#47; now</p>`, want(Text, 2)},
		{"index.html", `<!-- /canary/ -->`, want(Text, 4)},
		{"index.html", `<script>location = "/docs/ops/"</script>`, want(Text, 2)},
		// not references
		{"index.html", `<a href="https://other.example/docs/eng/secret/">x</a>`, ""},
		{"index.html", `<a href="eng/secret/deeper/">x</a>`, ""},
		{"eng/index.html", `<a href="secret/more/">x</a>`, ""},
		{"index.html", `<p>TCP/ops and dev/ops and /opsx</p>`, ""},
		{"index.html", `<a href="visible/">Visible Page</a>`, ""},
		{"index.html", `<p>other.example/docs/ops/</p>`, ""},
		{"index.html", `<a href="mailto:ops@example.com">x</a>`, ""},
		{"data.json", `{"group":"ops","x":"eng/secret"}`, ""},
	}
	for _, tt := range tests {
		if got := found(ix, tt.file, ix.Refs(tt.file, []byte(tt.data))); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.file, tt.data, got, tt.want)
		}
	}
}

// Titles are found on Unicode word boundaries, decoded, in any case (a
// title of one word: as written or upper-case).
func TestRefsTitles(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	tests := []struct{ data, want string }{
		{`<nav>Secret Plan</nav>`, want(Title, 0)},
		{`<li>«Secret Plan»</li>`, want(Title, 0)},
		{`<p>see—Secret Plan—now</p>`, want(Title, 0)},
		{`<p>查看Secret Plan文档</p>`, want(Title, 0)},
		{`<p>查看路线图。</p>`, want(Title, 6)},
		{`<p>Die Über Straße.</p>`, want(Title, 5)},
		{`<p>Secret&nbsp;Plan</p>`, want(Title, 0)},
		{"<p>Secret\n  Plan</p>", want(Title, 0)},
		{`<p>Table <a href="x/">Roadmap Document</a></p>`, want(Title, 4)},
		{`<p><em>Secret</em> Plan</p>`, want(Title, 0)},
		{`<img alt="Secret Plan" src="x.png">`, want(Title, 0)},
		{`<li>R&amp;D &#39;notes&#39;</li>`, want(Title, 3)},
		{`<script>{"t":"Secret Plan"}</script>`, want(Title, 0)},
		{`<script>{"t":"R\u0026D 'notes'"}</script>`, want(Title, 3)},
		{`<li>Ops</li>`, want(Title, 2)},
		{`<li>OPS</li>`, want(Title, 2)},
		{`<li>SECRET PLAN</li>`, want(Title, 0)},
		{`<li>secret plan</li>`, want(Title, 0)},
		{`<li>Secret plan</li>`, want(Title, 0)},
		{`<p>über STRASSE</p>`, ""},
		{`<p>ÜBER STRAßE</p>`, want(Title, 5)},
		// not references
		{`<nav>Top Secret Planning</nav>`, ""},
		{`<li>Operations</li>`, ""},
		{`<li>ops</li>`, ""},
		{`<p>Die Über Straßen.</p>`, ""},
		{`<li><a>Table</a></li><li><a>Roadmap</a></li>`, ""},
		{`<h2>Table</h2><p>Roadmap here</p>`, ""},
		{`<a href="x/">Visible Page</a>`, ""},
	}
	for _, tt := range tests {
		if got := found(ix, "index.html", ix.Refs("index.html", []byte(tt.data))); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.data, got, tt.want)
		}
	}
}

// Text-like files are scanned, other files not; a NUL makes a file binary.
func TestTextLike(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	long := strings.Repeat("é", 5000) + " /ops/"
	for _, tt := range []struct {
		data string
		text bool
	}{
		{"a,b\nSecret Plan,/ops/\n", true},
		{long, true},
		{"\x89PNG\r\n\x1a\n /ops/", false},
		{"abc\x00 /ops/", false},
	} {
		if got := TextLike([]byte(tt.data)); got != tt.text {
			t.Errorf("TextLike(%.20q) = %v", tt.data, got)
		}
		if got := len(ix.Refs("x.bin", []byte(tt.data))) > 0; got != tt.text {
			t.Errorf("Refs(%.20q) found %v", tt.data, got)
		}
	}
}

// The parts two files share are scanned once, and a chunk that ends in a
// script is scanned with what follows.
func TestChunksAgree(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of the body with words.</p>\n", i)
		if i == 100 {
			b.WriteString("<script>\nvar a = 1;\n<p>not a tag\nlocation = '/docs/ops/';\n</script>\n")
		}
		if i == 150 {
			b.WriteString("<div title=\"a\n<p> b\" data-x=\"Secret Plan\">x</div>\n")
		}
	}
	ix := testIndex()
	for _, name := range []string{"a/index.html", "b/index.html"} {
		refs := ix.Refs(name, []byte(b.String()))
		got := fmt.Sprint(refs.ids(Text), refs.ids(Title))
		if got != "[2] [0]" {
			t.Fatalf("%s: %s %+v", name, got, refs)
		}
	}
}

// Mentions are what a body says: titles across inline edges and blocks,
// URLs in code only.
func TestMentions(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	titles, urls := ix.Mentions([]byte("<h2>Table</h2>\n<p>Roadmap is <code>POST /ops</code> and /canary/ <img alt=\"Secret Plan\"></p>"))
	if fmt.Sprint(titles, urls) != "[0 4] [2]" {
		t.Fatalf("mentions: %v %v", titles, urls)
	}
}

// LowInfo tells titles that say too little from others.
func TestLowInfo(t *testing.T) {
	t.Parallel()
	for _, title := range []string{"2024-05-01", "42", "Go", "v2", "May 2024", "Mon, 3rd June", "1.2.3", "图"} {
		if !LowInfo(title) {
			t.Errorf("LowInfo(%q) = false", title)
		}
	}
	for _, title := range []string{"Ops", "Roadmap", "Release 2024", "Table Roadmap", "路线", "Maybe"} {
		if LowInfo(title) {
			t.Errorf("LowInfo(%q) = true", title)
		}
	}
}

// The message names the build, the file, the hidden page, the text found
// and how to resolve it.
func TestLeakMessage(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	refs := ix.Refs("dir/index.html", []byte("<p>the quick Secret Plan of the year</p>"))
	l := ix.Check("anonymous", "dir/index.html", func() []byte { return []byte("<p>the quick Secret Plan of the year</p>") }, refs, func(Ref) bool { return true })
	if l == nil {
		t.Fatal("no leak")
	}
	for _, s := range []string{"build anonymous", "dir/index.html", `"Secret Plan"`, "content/eng/secret.md",
		"the quick Secret Plan of the year", "to resolve: rename"} {
		if !strings.Contains(l.Error(), s) {
			t.Errorf("message %q lacks %q", l.Error(), s)
		}
	}
}

func TestManyTitles(t *testing.T) {
	t.Parallel()
	var items []Item
	for i := 0; i < 500; i++ {
		items = append(items, Item{Title: "How to archive the thing " + strings.Repeat("x", i%7) + strconv.Itoa(i), File: "f"})
	}
	ix := NewIndex(items, nil)
	r := ix.Refs("index.html", []byte("<li>"+items[42].Title+"</li><li>"+items[7].Title+" more</li>"))
	if got := fmt.Sprint(r.ids(Title)); got != "[7 42]" {
		t.Fatalf("titles found: %v", got)
	}
}

func FuzzRefs(f *testing.F) {
	f.Add("a/b/index.html", `<a href="../x/">Secret</a> /eng/secret/`)
	f.Fuzz(func(t *testing.T, name, data string) {
		ix := NewIndex([]Item{{URL: "/eng/secret/", Title: "Secret", File: "f"}}, siteurl.New("https://h.example/", nil))
		r := ix.Refs(name, []byte(data))
		if !TextLike([]byte(data)) {
			return
		}
		if strings.Contains(data, `"/eng/secret/"`) && len(r.ids(Text))+len(r.ids(Link)) == 0 {
			t.Fatalf("missed quoted URL in %q", data)
		}
	})
}

// The files a build writes for aliases, backlinks and llms.txt are read
// like any other: a hidden page named in any of them is found.
func TestRefsSiteFeatures(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	for _, c := range []struct{ file, data, want string }{
		{"old/index.html", `<meta http-equiv="refresh" content="0; url=../eng/secret/">`, want(Link, 0)},
		{"old/index.html", `<link rel="canonical" href="https://example.com/docs/eng/secret/">`, want(Link, 0)},
		{"old/index.html", `<title>Secret Plan</title>`, want(Title, 0)},
		{"a/index.html", `<nav class="fc-backlinks"><ul><li><a href="../ops/">Ops</a></li></ul></nav>`, want(Link, 2)},
		{"a/index.html", `<nav class="fc-backlinks"><ul><li><a href="../visible/">Visible Page</a></li></ul></nav>`, ""},
		{"llms.txt", "# Site\n\n- [Secret Plan](https://example.com/docs/eng/secret/): x\n", want(Text, 0)},
		{"llms.txt", "- [Secret Plan](https://example.com/docs/visible/): x\n", want(Title, 0)},
		{"llms.txt", "- [P](https://example.com/docs/eng/secret/): x\n", want(Text, 0)},
		{"llms.txt", "- [P](eng/secret/)\n", want(Text, 0)},
		{"llms.txt", "- [Visible Page](https://example.com/docs/visible/): x\n", ""},
	} {
		if got := found(ix, c.file, ix.Refs(c.file, []byte(c.data))); got != c.want {
			t.Errorf("%s %q: found %q, want %q", c.file, c.data, got, c.want)
		}
	}
}
