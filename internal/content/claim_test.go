package content

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

// Two sources whose outputs are one path, or a file and a folder of one
// name (case folded), are errors naming both files, found at load.
func TestOutputClaims(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"page and extensionless file", fstest.MapFS{"content/data.md": md(""), "content/data": md("1,2")},
			"content/data: output data is a file, but content/data.md needs a folder of that name (for data/index.html): rename one"},
		{"file sorted after the page", fstest.MapFS{"content/a/b.md": md(""), "content/a/b~": md(""), "content/a/b": md("x")},
			"content/a/b: output a/b is a file, but content/a/b.md needs a folder of that name (for a/b/index.html): rename one"},
		{"case folded", fstest.MapFS{"content/Data": md("1,2"), "content/data.md": md("")},
			"content/Data: output Data is a file, but content/data.md needs a folder of that name (for data/index.html): rename one"},
		{"bundle and file", fstest.MapFS{"content/x": md(""), "content/X/index.md": md(""), "content/X/y.png": md("")},
			"content/x: output x is a file, but content/X/index.md needs a folder of that name (for X/index.html): rename one"},
		{"section and file", fstest.MapFS{"content/s": md(""), "content/S/p.md": md("")},
			"content/s: output s is a file, but content/S/ needs a folder of that name (for S/index.html): rename one"},
		{"page url over a file", fstest.MapFS{"content/x.pdf": md(""), "content/p.md": md("+++\nurl = \"/X.pdf/\"\n+++\n")},
			"content/x.pdf: output x.pdf is a file, but content/p.md needs a folder of that name (for X.pdf/index.html): rename one"},
		{"unicode normalization", fstest.MapFS{"content/caf\u00e9.md": md(""), "content/cafe\u0301.md": md("")},
			"content/caf\u00e9.md: output caf\u00e9/index.html collides with cafe\u0301/index.html of content/cafe\u0301.md (names that differ only in Unicode normalization)"},
		{"unicode normalization, file and folder", fstest.MapFS{"content/caf\u00e9": md(""), "content/cafe\u0301/p.md": md("")},
			"content/caf\u00e9: output caf\u00e9 is a file, but content/cafe\u0301/ needs a folder of that name (for cafe\u0301/index.html): rename one"},
		{"file named like a reserved folder", fstest.MapFS{"content/tags": md(""), "content/Assets": md("")},
			"content/Assets: Assets is reserved for the files facet generates: rename it\n" +
				"content/tags: tags is reserved for the files facet generates: rename it"},
		{"folder named like a reserved file", fstest.MapFS{"content/404.html.md": md(""), "content/sitemap.xml/x.png": md("")},
			"content/404.html.md: 404.html/index.html is reserved for the files facet generates: rename it\n" +
				"content/sitemap.xml/: sitemap.xml/index.html is reserved for the files facet generates: rename it\n" +
				"content/sitemap.xml/x.png: sitemap.xml/x.png is reserved for the files facet generates: rename it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, err := Load(tt.fsys)
			if err == nil {
				t.Fatalf("Load = %v, want error", rows(tr))
			}
			if got := err.Error(); got != tt.want {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// A precompressed sibling (.gz, .br) of a page, a generated
// section page or a file facet generates is an error: the gateway serves
// a sibling in place of its file to a browser that accepts the encoding,
// so the author's bytes, which the release gate does not read, would
// replace the page facet renders for each build.
func TestPrecompressedSiblingOfGeneratedOutput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"page", fstest.MapFS{"content/a/_index.md": md(""), "content/a/index.html.gz": md("x")},
			"content/a/index.html.gz: a/index.html.gz is a precompressed copy of a/index.html, the output of the page content/a/_index.md: the gateway would serve it in place of the page facet renders and checks for each build; remove it"},
		{"bundle, brotli, upper case", fstest.MapFS{"content/b/index.md": md(""), "content/b/index.html.BR": md("x")},
			"content/b/index.html.BR: b/index.html.BR is a precompressed copy of b/index.html, the output of the page content/b/index.md: the gateway would serve it in place of the page facet renders and checks for each build; remove it"},
		{"generated section page", fstest.MapFS{"content/g/p.md": md(""), "content/g/index.html.gz": md("x")},
			"content/g/index.html.gz: g/index.html.gz is a precompressed copy of g/index.html, the output of the section page facet generates for g: the gateway would serve it in place of the page facet renders and checks for each build; remove it"},
		{"home", fstest.MapFS{"content/_index.md": md(""), "content/index.html.gz": md("x")},
			"content/index.html.gz: index.html.gz is a precompressed copy of index.html, the output of the page content/_index.md: the gateway would serve it in place of the page facet renders and checks for each build; remove it"},
		{"generated files", fstest.MapFS{"content/404.html.gz": md("x"), "content/sitemap.xml.br": md("x")},
			"content/404.html.gz: 404.html.gz is a precompressed copy of 404.html, which facet generates for each build: the gateway would serve it in its place; remove it\n" +
				"content/sitemap.xml.br: sitemap.xml.br is a precompressed copy of sitemap.xml, which facet generates for each build: the gateway would serve it in its place; remove it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, err := Load(tt.fsys)
			if err == nil {
				t.Fatalf("Load = %v, want error", rows(tr))
			}
			if got := err.Error(); got != tt.want {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	// A sibling of an attachment, and a compressed file of no output, load.
	if _, err := Load(fstest.MapFS{"content/x.css": md("a{}"), "content/x.css.gz": gz("a{}"), "content/data.tar.gz": md("x")}); err != nil {
		t.Fatalf("Load: %v", err)
	}
}

// TestPrecompressedSiblingIsItsFile: the gateway serves x.gz or x.br in
// place of x, and the release gate reads only x, so a sibling must
// decompress to exactly x's bytes: a stale copy, one of other bytes, one
// that is not compressed at all, and one that goes on past x's length are
// errors naming both files; exact copies load.
func TestPrecompressedSiblingIsItsFile(t *testing.T) {
	t.Parallel()
	base := func(sib string, f *fstest.MapFile) fstest.MapFS {
		return fstest.MapFS{"content/notes.txt": md("Public notes."), "content/" + sib: f}
	}
	for name, fsys := range map[string]fstest.MapFS{
		"stale gzip":     base("notes.txt.gz", gz("Public notes. And the Axolotl Plan.")),
		"stale brotli":   base("notes.txt.br", br("The Axolotl Plan.")),
		"not compressed": base("notes.txt.gz", md("Public notes.")),
		"longer":         base("notes.txt.gz", gz("Public notes.Public notes.")),
		"shorter":        base("notes.txt.br", br("Public")),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(fsys)
			if err == nil || !strings.Contains(err.Error(), "does not decompress to the bytes of content/notes.txt") {
				t.Fatalf("Load = %v, want an error that the copy is not content/notes.txt", err)
			}
		})
	}
	for _, fsys := range []fstest.MapFS{
		base("notes.txt.gz", gz("Public notes.")),
		base("notes.txt.br", br("Public notes.")),
		base("NOTES.TXT.GZ", gz("Public notes.")),
	} {
		if _, err := Load(fsys); err != nil {
			t.Errorf("Load of an exact copy: %v", err)
		}
	}
}

// gz and br are files holding s compressed, as precompressed siblings.
func gz(s string) *fstest.MapFile {
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte(s))
	z.Close()
	return &fstest.MapFile{Data: b.Bytes()}
}

func br(s string) *fstest.MapFile {
	var b bytes.Buffer
	z := brotli.NewWriter(&b)
	z.Write([]byte(s))
	z.Close()
	return &fstest.MapFile{Data: b.Bytes()}
}
