package markdown

import (
	"bytes"
	"os"
	"testing"
)

// benchResolver resolves every relative or root-relative destination.
type benchResolver struct{ ids map[string]int }

func (r benchResolver) Resolve(dest string, _ int) (string, int, bool) {
	if dest == "" || dest[0] == '#' || bytes.ContainsRune([]byte(dest), ':') {
		return "", 0, false
	}
	id, ok := r.ids[dest]
	if !ok {
		id = len(r.ids)
		r.ids[dest] = id
	}
	return "../x/" + dest, id, true
}

func (r benchResolver) Names(string) bool { return false }

func benchInput(b *testing.B) []byte {
	src, err := os.ReadFile("testdata/bench.md")
	if err != nil {
		b.Fatal(err)
	}
	return src
}

func BenchmarkConvert(b *testing.B) {
	src := benchInput(b)
	c := New(Options{Highlight: true})
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Convert(src, benchResolver{ids: map[string]int{}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	src := benchInput(b)
	d, err := New(Options{Highlight: true}).Convert(src, benchResolver{ids: map[string]int{}})
	if err != nil {
		b.Fatal(err)
	}
	if len(d.Targets()) < 20 {
		b.Fatalf("bench document has %d targets, want at least 20", len(d.Targets()))
	}
	visible := func(t int) bool { return t%3 != 0 }
	title := func(int) string { return "A title" }
	var w bytes.Buffer
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		d.Render(&w, visible, title)
	}
}
