package markdown

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// caseDocs converts the input of every case file with its options.
func caseDocs(t *testing.T) map[string]*Doc {
	t.Helper()
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) < 25 {
		t.Fatalf("case files: %d, %v", len(files), err)
	}
	docs := map[string]*Doc{}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var o Options
		var in []byte
		for _, f := range ar.Files {
			switch f.Name {
			case "options":
				o.Unsafe = strings.Contains(string(f.Data), "unsafe")
				o.Highlight = strings.Contains(string(f.Data), "highlight")
			case "input.md":
				in = f.Data
			}
		}
		if d, err := New(o).Convert(in, newTestResolver(nil)); err == nil {
			docs[file] = d
		}
	}
	return docs
}

// renders renders d for several audiences: all, none, and every other
// target visible.
func renders(d *Doc) []string {
	var out []string
	for _, vis := range []func(int) bool{
		func(int) bool { return true }, nil, func(t int) bool { return t%2 == 0 },
		func(t int) bool { return t%2 == 1 },
	} {
		var b bytes.Buffer
		d.Render(&b, vis, func(t int) string { return "T" + string(rune('a'+t%26)) })
		out = append(out, b.String())
	}
	return out
}

func TestDocEncodingRoundTrip(t *testing.T) {
	for file, d := range caseDocs(t) {
		enc, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got Doc
		if err := got.UnmarshalBinary(enc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if diff := cmp.Diff(renders(d), renders(&got)); diff != "" {
			t.Errorf("%s: decoded doc renders differently (-want +got):\n%s", file, diff)
		}
		if got.Title != d.Title || !cmp.Equal(got.Headings, d.Headings) || !cmp.Equal(got.Targets(), d.Targets()) {
			t.Errorf("%s: title, headings or targets differ", file)
		}
	}
}

// TestDocEncodingDamaged decodes every truncation and single-byte change
// of an encoding: each is an error or a Doc that renders without panic.
func TestDocEncodingDamaged(t *testing.T) {
	short := sample + "\n> [b](b.md)\n\n| a | b |\n|---|---|\n| [a](a.md) | x |\n"
	// long enough that its pieces are packed, and kept packed when encoded
	long := short + strings.Repeat("A paragraph of plain words, [a link](a.md) and more words.\n\n", 30)
	for _, src := range []string{short, long} {
		d, err := New(Options{}).Convert([]byte(src), newTestResolver(nil))
		if err != nil {
			t.Fatal(err)
		}
		if src == long {
			if d.packed == nil {
				t.Fatal("the long doc is not packed")
			}
			var x Doc
			enc, _ := d.MarshalBinary()
			if err := x.UnmarshalBinary(enc); err != nil || x.packed == nil || x.Sum() != d.Sum() {
				t.Fatalf("a packed doc decodes to another: %v", err)
			}
		}
		checkDamaged(t, d)
	}
}

// checkDamaged decodes every truncation and single-byte change of d's
// encoding.
func checkDamaged(t *testing.T, d *Doc) {
	t.Helper()
	enc, _ := d.MarshalBinary()
	for n := 0; n < len(enc); n++ {
		var x Doc
		if err := x.UnmarshalBinary(enc[:n]); err == nil {
			t.Fatalf("truncation to %d of %d bytes decoded", n, len(enc))
		}
	}
	for i := range enc {
		for _, flip := range []byte{1, 0x80, 0xff} {
			b := bytes.Clone(enc)
			b[i] ^= flip
			var x Doc
			if x.UnmarshalBinary(b) == nil {
				renders(&x)
			}
		}
	}
	var x Doc
	if err := x.UnmarshalBinary(append(bytes.Clone(enc), 0)); err == nil {
		t.Fatal("trailing byte decoded")
	}
}

// mapStore is a Store in memory.
type mapStore struct {
	mu   sync.Mutex
	m    map[string][]byte
	gets int
}

func (s *mapStore) Get(k []byte) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gets++
	v, ok := s.m[string(k)]
	return v, ok
}

func (s *mapStore) Put(k, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[string(k)] = bytes.Clone(v)
}

const codeSample = "# Code\n\n```go\npackage a\n\nfunc F() {}\n```\n\n- item\n\n  ```bash {hl_lines=[1]}\n  echo [a](a.md)\n  ```\n\n```nosuchlang\n<b>x</b>\n```\n\n```go\npackage a\n\nfunc F() {}\n```\n"

func TestHighlightStore(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		plain, err := New(Options{Highlight: true, Unsafe: unsafe}).Convert([]byte(codeSample), newTestResolver(nil))
		if err != nil {
			t.Fatal(err)
		}
		s := &mapStore{m: map[string][]byte{}}
		conv := New(Options{Highlight: true, Unsafe: unsafe, Store: s})
		cold, err := conv.Convert([]byte(codeSample), newTestResolver(nil))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.m) != 3 {
			t.Fatalf("store holds %d blocks, want 3 (two alike)", len(s.m))
		}
		warm, err := conv.Convert([]byte(codeSample), newTestResolver(nil))
		if err != nil {
			t.Fatal(err)
		}
		want := renders(plain)
		if diff := cmp.Diff(want, renders(cold)); diff != "" {
			t.Errorf("with a store (-without +with):\n%s", diff)
		}
		if diff := cmp.Diff(want, renders(warm)); diff != "" {
			t.Errorf("from the store (-without +with):\n%s", diff)
		}
		if !strings.Contains(want[0], `class="chroma"`) {
			t.Fatalf("not highlighted:\n%s", want[0])
		}
		// What the store returns is what goes out: the store's keys are
		// the whole of what a block depends on.
		for k := range s.m {
			s.m[k] = []byte("<pre>stored</pre>\n")
		}
		from, _ := conv.Convert([]byte(codeSample), newTestResolver(nil))
		if got := renders(from)[0]; strings.Count(got, "<pre>stored</pre>") != 4 {
			t.Errorf("stored blocks not used:\n%s", got)
		}
	}
}
