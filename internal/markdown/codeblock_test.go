package markdown

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHighlightStoreOptions: blocks with the same lines but another title,
// hl_lines, linenos or linenostart are other entries of the store, each
// rendered as without one; a mermaid block, which holds links, is never
// stored.
func TestHighlightStoreOptions(t *testing.T) {
	var src strings.Builder
	infos := []string{"go", `go title="a.go"`, `go title="b.go"`, `go hl_lines="1"`, `go hl_lines="2"`,
		"go linenos=true", "go {linenos=true, linenostart=3}", "mermaid"}
	for _, info := range infos {
		src.WriteString("```" + info + "\nx := 1\ny := 2\n```\n\n")
	}
	s := &mapStore{m: map[string][]byte{}}
	conv := New(Options{Highlight: true, Store: s})
	cold, err := conv.Convert([]byte(src.String()), newTestResolver(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(s.m), len(infos)-1; got != want {
		t.Fatalf("store holds %d blocks, want %d", got, want)
	}
	warm, err := conv.Convert([]byte(src.String()), newTestResolver(nil))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := New(Options{Highlight: true}).Convert([]byte(src.String()), newTestResolver(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := renders(plain)
	for _, got := range [][]string{renders(cold), renders(warm)} {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("with a store (-without +with):\n%s", diff)
		}
	}
	for _, frag := range []string{`fc-code-title">a.go<`, `fc-code-title">b.go<`, `class="line hl"`, `class="ln">3<`, `class="fc-mermaid"`} {
		if !strings.Contains(want[0], frag) {
			t.Errorf("output lacks %s:\n%s", frag, want[0])
		}
	}
}

// TestParseFence reads the info string forms facet documents.
func TestParseFence(t *testing.T) {
	for info, want := range map[string]fence{
		"go":                                     {lang: "go"},
		`py title="a b.py" hl_lines="2-4 7"`:     {lang: "py", title: "a b.py", hl: []string{"2-4", "7"}},
		`go {hl_lines=[1, "3-4"], linenos=true}`: {lang: "go", hl: []string{"1", "3-4"}, linenos: true},
		`sh linenums="5"`:                        {lang: "sh", linenos: true, lineBase: 5},
		`sh linenos=false title='x'`:             {lang: "sh", title: "x"},
		`text linenos`:                           {lang: "text", linenos: true},
	} {
		got := parseFence([]byte(info))
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(fence{})); diff != "" {
			t.Errorf("parseFence(%q) (-want +got):\n%s", info, diff)
		}
	}
}
