package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestRelURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ from, to, want string }{
		{"/a/b/", "/a/c/", "../c/"},
		{"/", "/a/", "a/"},
		{"/a/", "/a/", "./"},
		{"/", "/", "./"},
		{"/a/b/", "/", "../../"},
		{"/a/", "/a/b/", "b/"},
		{"/a/b/", "/a/bc/", "../bc/"},
		{"/a/b/", "/x/y.pdf", "../../x/y.pdf"},
		{"/", "/a:b/", "./a:b/"},
		{siblingDir("/a/"), "/a/c/", "../c/"},
		{siblingDir("/a/"), "/a/", "../"},
		{siblingDir("/"), "/", "../"},
	} {
		if got := relURL(tc.from, tc.to); got != tc.want {
			t.Errorf("relURL(%q, %q) = %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
	for _, tc := range []struct{ url, want string }{{"/", "./"}, {"/a/", "../"}, {"/a/b/", "../../"}, {siblingDir("/a/"), "../../"}} {
		if got := rootPrefix(tc.url); got != tc.want {
			t.Errorf("rootPrefix(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`<p>One <em>two</em></p><p>three</p>`, "One two three"},
		{`<h2 id="a">Title<a class="anchor" href="#a" aria-hidden="true">#</a></h2><p>x</p>`, "Title x"},
		{`<p>a &amp; b &lt;c&gt; &unknown; & d</p>`, "a & b <c> &unknown; & d"},
		{`<script>var x = "<p>no</p>";</script><style>p{}</style><p>yes</p>`, "yes"},
		{`<!-- <p>gone</p> --><p title="a > b">kept</p>`, "kept"},
		{`<ul><li>a</li><li>b</li></ul>`, "a b"},
		{`<span aria-hidden="true"><span>in</span>still</span>out`, "out"},
		{"<p>  spaced \n\t words </p>", "spaced words"},
		{`<p unterminated`, ""},
		{`text <br/>after`, "text after"},
	} {
		if got := plainText([]byte(tc.in), 100); got != tc.want {
			t.Errorf("plainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := strings.Repeat("<p>word word word</p>", 100)
	if got := plainText([]byte(long), 50); len(got) < 50 || len(got) > 60 {
		t.Errorf("plainText stopped at %d bytes, want about 50", len(got))
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{`<p>a</p>`, `<a aria-hidden="true">x`, `&amp`, `<!--`, `<'`, "\xff<p>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := plainText([]byte(in), 64)
		if !utf8.ValidString(got) {
			t.Errorf("plainText(%q) = %q: not UTF-8", in, got)
		}
		if len(got) > 64+utf8.UTFMax+8 {
			t.Errorf("plainText(%q) is %d bytes", in, len(got))
		}
		if strings.Contains(got, "  ") {
			t.Errorf("plainText(%q) = %q: whitespace not collapsed", in, got)
		}
	})
}

func TestCut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four", 10, "one two…"},
		{"abcdefghijklmnop", 10, "abcdefghij…"},
		{"ééééééééé", 5, "éé…"},
		{"one two, three", 9, "one two…"},
	} {
		if got := cut(tc.in, tc.n); got != tc.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Go", "go"},
		{"Getting Started!", "getting-started"},
		{"  C++ / Rust ", "c-rust"},
		{"Café", "café"},
		{"v1.2", "v1-2"},
	} {
		if got := slugify(tc.in); got != tc.want {
			t.Errorf("slugify(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if a, b := slugify("+++"), slugify("---"); a == b || !strings.HasPrefix(a, "tag-") {
		t.Errorf("symbol-only tags: %q and %q", a, b)
	}
}

// TestExtractText holds how a body's text is cut into parts by headings
// with ids: each part's text, whitespace collapsed and none leading, the
// heading's text at the start of its part, and what is skipped.
func TestExtractText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body   string
		want   pageText
		reason string
	}{
		{"", pageText{segs: []string{""}, inHead: []int{0}}, "empty"},
		{"<p>  Hello\n  <em>big</em>   world &amp; more </p>",
			pageText{segs: []string{"Hello big world & more"}, inHead: []int{0}}, "one part"},
		{`<p>Intro.</p><h2 id="a">First <a class="anchor" href="#a" aria-hidden="true">#</a></h2><p> one </p>` +
			`<h3>No id</h3><p>still one</p><h2 id="b">Second</h2><script>var x</script><p>two</p>`,
			pageText{ids: []string{"a", "b"}, heads: []string{"First", "Second"},
				segs:   []string{"Intro.", "First one No id still one", "Second two"},
				inHead: []int{0, 5, 6}}, "parts by headings with ids"},
		{`<h2 id="x">Open <em>end</em>`, pageText{ids: []string{"x"}, heads: []string{"Open end"},
			segs: []string{"", "Open end"}, inHead: []int{0, 8}}, "an unclosed heading"},
		{`<h2 id="x"></h2><p>after</p>`, pageText{ids: []string{"x"}, heads: []string{""},
			segs: []string{"", "after"}, inHead: []int{0, 0}}, "an empty heading"},
	} {
		got := extractText([]byte(tc.body))
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(pageText{}), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: extractText(%q) (-want +got):\n%s", tc.reason, tc.body, diff)
		}
	}
}
