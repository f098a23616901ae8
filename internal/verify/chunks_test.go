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
