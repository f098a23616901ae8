package markdown

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sample = `# Title

See [a](a.md), [b](b.md) and ![c](c.png).

- [b](b.md)
- [](a.md)
`

func TestTargetsSortedDistinct(t *testing.T) {
	t.Parallel()
	r := newTestResolver(nil)
	d, err := New(Options{}).Convert([]byte("[z](z.md) [a](a.md) [z2](z.md) ![i](i.png)\n\n- [a](a.md)\n"), r)
	if err != nil {
		t.Fatal(err)
	}
	// The resolver numbers paths in order of first sight: z.md 0, a.md 1, i.png 2.
	got := d.Targets()
	if diff := cmp.Diff([]int{0, 1, 2}, got); diff != "" {
		t.Errorf("Targets (-want +got):\n%s", diff)
	}
	got[0] = 99
	if d.Targets()[0] != 0 {
		t.Error("Targets returned the Doc's own slice")
	}
}

// LinksIn names the targets a body links to for one audience: not those a
// link's text only names, nor those of links that drop with a hidden
// target, nor hidden ones.
func TestLinksIn(t *testing.T) {
	t.Parallel()
	r := newTestResolver(nil)
	// ids in order of first sight: a.md 0, b.md 1, c.md 2, d.md 3
	d, err := New(Options{}).Convert([]byte("[a](a.md) [b.md](c.md) [](d.md)\n"), r)
	if err != nil {
		t.Fatal(err)
	}
	all := func(int) bool { return true }
	for _, c := range []struct {
		name    string
		visible func(int) bool
		want    []int
	}{
		{"all visible", all, []int{0, 2, 3}},
		{"b hidden", func(t int) bool { return t != 1 }, []int{0, 3}},
		{"a hidden", func(t int) bool { return t != 0 }, []int{2, 3}},
		{"none", nil, nil},
	} {
		if got := d.LinksIn(c.visible); !cmp.Equal(got, c.want) {
			t.Errorf("%s: LinksIn %v, want %v (targets %v, paths %v)", c.name, got, c.want, d.Targets(), r.paths)
		}
	}
}

func TestRenderNilFuncs(t *testing.T) {
	t.Parallel()
	r := newTestResolver(nil)
	d, err := New(Options{}).Convert([]byte(sample), r)
	if err != nil {
		t.Fatal(err)
	}
	var hidden, untitled bytes.Buffer
	d.Render(&hidden, nil, nil)
	if strings.Contains(hidden.String(), "/site/") || strings.Contains(hidden.String(), "/files/") {
		t.Errorf("nil visible should hide every target, got\n%s", hidden.String())
	}
	d.Render(&untitled, r.visible, nil)
	if !strings.Contains(untitled.String(), `<li><a href="/site/a/"></a></li>`) {
		t.Errorf("nil title should fill an empty link with nothing, got\n%s", untitled.String())
	}
}

func TestRenderDoesNotAllocate(t *testing.T) {
	r := newTestResolver([]string{"b.md"})
	d, err := New(Options{}).Convert([]byte(sample), r)
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	d.Render(&w, r.visible, r.title)
	allocs := testing.AllocsPerRun(100, func() {
		w.Reset()
		d.Render(&w, r.visible, func(int) string { return "T" })
	})
	if allocs != 0 {
		t.Errorf("Render allocated %v times per run, want 0", allocs)
	}
}

func TestConvertConcurrent(t *testing.T) {
	t.Parallel()
	c := New(Options{Highlight: true, Unsafe: true})
	src := []byte(sample + "\n```go\nx := 1\n```\n\n<a href=\"b.md\">b</a>\n")
	render := func() string {
		r := newTestResolver([]string{"b.md"})
		d, err := c.Convert(src, r)
		if err != nil {
			t.Error(err)
			return ""
		}
		var w bytes.Buffer
		d.Render(&w, r.visible, r.title)
		return w.String()
	}
	want := render()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := render(); got != want {
					t.Errorf("concurrent Convert differs:\n%s\nwant\n%s", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestCSS(t *testing.T) {
	t.Parallel()
	def, err := CSS("")
	if err != nil {
		t.Fatal(err)
	}
	github, err := CSS("GitHub")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(def, github) {
		t.Error(`CSS("") differs from CSS("github")`)
	}
	for _, class := range []string{".chroma", ".chroma .kd", ".chroma .s"} {
		if !bytes.Contains(def, []byte(class+" ")) {
			t.Errorf("CSS lacks %s", class)
		}
	}
	mono, err := CSS("monokai")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(mono, def) {
		t.Error("monokai CSS equals github CSS")
	}
	if _, err := CSS("no-such-style"); err == nil {
		t.Error("CSS accepted an unknown style")
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	var got []string
	for _, s := range []string{"Über uns", "A_b-c d", "!!!", "", "Über uns", "über-uns-1"} {
		got = append(got, uniqueID(slug(s), used))
	}
	want := []string{"über-uns", "a-b-c-d", "heading", "heading-1", "über-uns-1", "über-uns-1-1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// A Doc is kept for the whole build, so it holds its HTML and ops without
// the room left from growing them: a body with a long comment and one of
// many links (whose ops outgrow what appends gave them) both keep at most
// an eighth spare, and still render.
func TestDocKeepsNoSpareRoom(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"comment": "Text.\n\n<!-- " + strings.Repeat("a long comment line\n", 200) + "-->\n\nEnd.\n",
		"links":   strings.Repeat("[a](a.md) [b](b.md) *x* `y`\n", 300),
	} {
		d, err := New(Options{Unsafe: false}).Convert([]byte(src), newTestResolver(nil))
		if err != nil {
			t.Fatal(err)
		}
		kept := d.buf
		if d.packed != nil {
			kept = d.packed
		}
		if len(kept) == 0 {
			t.Fatalf("%s: the Doc keeps no HTML", name)
		}
		if spare := cap(kept) - len(kept); spare > len(kept)/8 {
			t.Errorf("%s: the Doc keeps %d spare bytes for %d of HTML", name, spare, len(kept))
		}
		if spare := cap(d.ops) - len(d.ops); spare > len(d.ops)/8 {
			t.Errorf("%s: the Doc keeps room for %d more ops beside %d", name, spare, len(d.ops))
		}
		var out bytes.Buffer
		d.Render(&out, func(int) bool { return true }, nil)
		if !strings.Contains(out.String(), "<p>") {
			t.Errorf("%s: renders %q", name, out.String())
		}
	}
}

// TestDocPacked holds that a Doc whose HTML packs keeps it packed, in
// less room, and renders, encodes and decodes the same bytes as one that
// keeps it plain, for every audience.
func TestDocPacked(t *testing.T) {
	t.Parallel()
	src := strings.Repeat("Some text with [a link](a.md) and [another](b.md).\n\n```go\nfunc f() { return }\n```\n\n", 40)
	d, err := New(Options{}).Convert([]byte(src), newTestResolver([]string{"b.md"}))
	if err != nil {
		t.Fatal(err)
	}
	if d.packed == nil || d.buf != nil || len(d.packed) >= d.n*3/4 {
		t.Fatalf("HTML of %d bytes not packed (packed %d bytes, plain %d)", d.n, len(d.packed), len(d.buf))
	}
	plain := *d
	plain.buf, _ = pieceCopy(d)
	plain.packed = nil
	enc, err := d.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Doc
	if err := back.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	for _, vis := range []func(int) bool{nil, func(int) bool { return true }, func(t int) bool { return t%2 == 0 }} {
		var a, b, c bytes.Buffer
		d.Render(&a, vis, nil)
		plain.Render(&b, vis, nil)
		back.Render(&c, vis, nil)
		if a.Len() == 0 || a.String() != b.String() || a.String() != c.String() {
			t.Errorf("packed, plain and decoded Docs render differently (%d, %d, %d bytes)", a.Len(), b.Len(), c.Len())
		}
	}
}

func pieceCopy(d *Doc) ([]byte, int) {
	buf, done := d.pieces()
	defer done()
	return bytes.Clone(buf), len(buf)
}
