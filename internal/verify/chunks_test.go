package verify

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A chunk seen before answers like a fresh scan: its relative links are
// resolved against the folder of each file that holds it, and the same
// bytes scanned as another kind of file (markup, text, CSS) are scanned
// again.
func TestCachedChunksAgree(t *testing.T) {
	t.Parallel()
	items := []Item{
		{URL: "/a/x/", Title: "Alpha Guide", File: "a/x.md"},
		{URL: "/b/x/", Title: "Beta Guide", File: "b/x.md"},
		{URL: "/eng/secret/", Title: "Secret Plan", File: "eng/secret.md"},
	}
	var b strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d <a href=\"x/\">next</a> and words around it.</p>\n", i)
	}
	page := []byte(b.String())
	css := []byte("body { background: url(/eng/secret/) } /* Alpha Guide */\n")
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"a/index.html", page, "[0] [] []"},
		{"b/index.html", page, "[1] [] []"},
		{"a/index.html", page, "[0] [] []"},
		{"c/index.html", page, "[] [] []"},
		{"x.txt", css, "[] [2] [0]"},
		{"x.css", css, "[2] [2] [0]"},
		{"y/x.css", css, "[2] [2] [0]"},
	}
	warm := NewIndex(items, nil)
	for _, tt := range cases {
		for _, ix := range []*Index{NewIndex(items, nil), warm} {
			r := ix.Refs(tt.name, tt.data)
			if got := fmt.Sprint(r.ids(Link), r.ids(Text), r.ids(Title)); got != tt.want {
				t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
			}
		}
	}
}

// Records are kept whole, each within one slab of the arena, and read
// back as written.
func TestArenaRecords(t *testing.T) {
	t.Parallel()
	var a arena
	var spans []span
	var want [][]uint32
	for i := 0; i < 3000; i++ {
		w := make([]uint32, 1+i*37%1000)
		for j := range w {
			w[j] = uint32(i*7919 + j)
		}
		sp, ok := a.add(w)
		if !ok {
			t.Fatalf("record %d not kept", i)
		}
		if sp.off/slabWords != (sp.off+sp.n-1)/slabWords {
			t.Fatalf("record %d crosses a slab: %+v", i, sp)
		}
		spans, want = append(spans, sp), append(want, w)
	}
	for i, sp := range spans {
		if !slices.Equal(a.at(sp), want[i]) {
			t.Fatalf("record %d read back differs", i)
		}
	}
	if _, ok := a.add(make([]uint32, slabWords+1)); ok {
		t.Fatal("a record larger than a slab was kept")
	}
}

// A file's references depend on its name only through ScanName: the same
// bytes under any name give the references they give under its ScanName,
// for markup, text and CSS, relative links and names of every shape.
func TestScanNameKeepsRefs(t *testing.T) {
	t.Parallel()
	items := []Item{
		{URL: "/a/x/", Title: "Alpha Guide", File: "a/x.md"},
		{URL: "/a/b/y/", Title: "Beta Guide", File: "a/b/y.md"},
		{URL: "/x/", Title: "Root Page", File: "x.md"},
		{URL: "/eng/secret/", Title: "Secret Plan", File: "eng/secret.md"},
	}
	datas := [][]byte{
		[]byte(`<p>See <a href="x/">next</a>, <a href="../x/">up</a> and <a href="y/">y</a>: Alpha Guide.</p>`),
		[]byte(`facetSearch({"t":"Beta Guide","u":"a/b/y/","x":["x/ and ../x/ and /eng/secret/"]});`),
		[]byte("body { background: url(x/) } a { b: url(../y/) } /* Secret Plan */\n"),
		[]byte("  <svg><a href=\"x/\">Root Page</a></svg>"),
		[]byte("plain x/ text with ../x/ and Root Page"),
	}
	names := []string{
		"index.html", "a/index.html", "a/b/index.HTML", "a/_facet/search/f/12.js", "a/_facet/search/f/7.js",
		"x.css", "a/X.CSS", "a/b/notes.txt", "a/b/README", "a//b/c.svg", "/a/b.json", "//a/b.html",
		"a/./b/c.html", "a/b/../c.xml", ".js", "a/.hidden", "a.b/c",
	}
	ix := NewIndex(items, nil)
	for _, name := range names {
		for i, data := range datas {
			want := fmt.Sprint(ix.Refs(name, data))
			if got := fmt.Sprint(NewIndex(items, nil).Refs(ScanName(name), data)); got != want {
				t.Errorf("%s (ScanName %q), data %d: refs %s, want %s", name, ScanName(name), i, got, want)
			}
		}
	}
	if ScanName("a/_facet/search/f/12.js") != ScanName("a/_facet/search/f/7.js") {
		t.Errorf("two fragments of one folder have different scan names")
	}
	if ScanName("a/x.html") == ScanName("b/x.html") || ScanName("a/x.html") == ScanName("a/x.js") {
		t.Errorf("scan names ignore the folder or the kind of file")
	}
}
