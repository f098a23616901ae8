package build

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoTraceDataURL: a data: URL holds a document of its own, which a
// browser draws where the URL is used (an image's SVG text, an iframe's
// HTML), but the release gate read only its letters, and base64 hides
// every word: an attachment or a page showing a hidden page's title or
// linking to it from inside a data: URL went into the anonymous build
// unread. The gate now reads a data: URL's payload as the markup or text
// it holds.
func TestNoTraceDataURL(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	pct := strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D")
	svg := `<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="10">Pangolin Lounge</text></svg>`
	for _, tt := range []struct {
		name, file, data, want string
	}{
		{"svg image in an HTML attachment", "content/pub/x.html",
			`<p><img src="data:image/svg+xml;base64,` + b64(svg) + `"></p>`, `the title "Pangolin Lounge"`},
		{"html iframe linking to a hidden page", "content/pub/y.html",
			`<iframe src="data:text/html;charset=utf-8;BASE64,` + b64(`<a href="https://docs.example.com/lounge/">x</a>`) + `"></iframe>`, "/lounge/"},
		{"svg in a style sheet's url()", "content/pub/z.css",
			`body{background:url("data:image/svg+xml;base64,` + b64(svg) + `")}`, `the title "Pangolin Lounge"`},
		{"srcset candidate", "content/pub/s.html",
			`<img srcset="data:image/svg+xml;base64,` + b64(svg) + ` 1x, a.png 2x">`, `the title "Pangolin Lounge"`},
		{"nested, percent-encoded base64", "content/pub/n.html",
			`<iframe src="data:text/html;base64,` + pct.Replace(b64(`<img src="data:image/svg+xml;base64,`+b64(svg)+`">`)) + `"></iframe>`, `the title "Pangolin Lounge"`},
		// the media type is read exactly: "image/png/x" is no raster
		// image, and a page's raw HTML may not hold it
		{"a page's raw HTML, as an image type's text", "content/pub/p.md",
			"+++\ntitle = \"P\"\n+++\n<iframe src=\"data:image/png/x;base64," + b64("Pangolin Lounge") + "\"></iframe>\n", "content/pub/p.md:4: raw HTML: a data: URL"},
		{"a page's raw HTML, an image type with a space", "content/pub/q.md",
			"+++\ntitle = \"Q\"\n+++\n<iframe src=\"data:image/png x,Pangolin Lounge\"></iframe>\n", "content/pub/q.md:4: raw HTML: a data: URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			refusedWith(t, tt.file, tt.data, tt.want)
		})
	}
	// A raster image, and a payload naming nothing hidden, are published.
	s := newTestSite(t, compressedBase)
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR Pangolin Lounge"
	page := `<p><img src="data:image/png;base64,` + b64(png) + `"><img src="data:image/svg+xml;base64,` + b64(`<svg><text>Public</text></svg>`) + `"></p>`
	s.editFile("content/pub/ok.html", page)
	s.build()
	s.assertFile("anonymous", "pub/ok.html", page)
}

// TestNoTraceTextWithNUL: a NUL byte made a file binary for the release
// gate, but a browser shows a .html, .txt or .css file as the text its
// type says (the gateway serves it so, with nosniff), and an HTML parser
// drops a NUL from text: one NUL byte sent an attachment naming a hidden
// page into the anonymous build unread, or hid the title it split. The
// gate now reads a file whose type is text as text, NULs and all.
func TestNoTraceTextWithNUL(t *testing.T) {
	t.Parallel()
	filler := strings.Repeat("<p>Plain public words of filler.</p>\n", 300) // past the first 8 KiB
	for _, tt := range []struct {
		name, file, data, want string
	}{
		{"html with a NUL first", "content/pub/n.html", "\x00<p>Pangolin Lounge</p>", `the title "Pangolin Lounge"`},
		{"text with a NUL first", "content/pub/n.txt", "\x00Minutes of the Pangolin Lounge.\n", `the title "Pangolin Lounge"`},
		{"html link after a NUL", "content/pub/l.htm", "<p>\x00<a href=\"/lounge/\">x</a></p>", "/lounge/"},
		{"extension-less html", "content/pub/README", "<p>\x00 Pangolin Lounge</p>", `the title "Pangolin Lounge"`},
		{"NUL inside a title, past 8 KiB", "content/pub/m.html", filler + "<p>Pango\x00lin Lounge</p>", `the title "Pangolin Lounge"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			refusedWith(t, tt.file, tt.data, tt.want)
		})
	}
	// A binary file whose type is not text stays unread.
	s := newTestSite(t, compressedBase)
	bin := "\x00\x01\x02Pangolin Lounge"
	s.editFile("content/pub/blob.bin", bin)
	s.build()
	s.assertFile("anonymous", "pub/blob.bin", bin)
}

// TestNoTraceDeclaredEncoding: a legacy file that declares its encoding
// (an XML declaration, an HTML meta charset, a style sheet's @charset)
// is shown by a browser in that encoding, but the release gate read every
// legacy file as Windows-1252: a Greek or Japanese title written in its
// own legacy encoding was not the title to the gate. The gate now reads
// such a file in the encoding it declares.
func TestNoTraceDeclaredEncoding(t *testing.T) {
	t.Parallel()
	const base = compressedBase + `-- content/greek.md --
+++
title = "Πανθήρας Σαλόνι"
[access]
allow = ["members"]
+++
Members only.
-- content/kana.md --
+++
title = "パンゴリン ラウンジ"
[access]
allow = ["members"]
+++
Members only.
`
	greek := "\xd0\xe1\xed\xe8\xde\xf1\xe1\xf2 \xd3\xe1\xeb\xfc\xed\xe9"    // ISO-8859-7
	kana := "\x83p\x83\x93\x83S\x83\x8a\x83\x93 \x83\x89\x83E\x83\x93\x83W" // Shift_JIS
	for _, tt := range []struct {
		name, file, data, want string
	}{
		{"svg in iso-8859-7", "content/pub/g.svg", "<?xml version=\"1.0\" encoding=\"ISO-8859-7\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>" + greek + "</text></svg>", "Πανθήρας Σαλόνι"},
		{"html in shift_jis", "content/pub/k.html", "<meta charset=\"shift_jis\"><p>" + kana + "</p>", "パンゴリン ラウンジ"},
		{"css in iso-8859-7", "content/pub/g.css", "@charset \"iso-8859-7\";\np::after{content:\"" + greek + "\"}", "Πανθήρας Σαλόνι"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, base)
			s.editFile(tt.file, tt.data)
			err := s.tryBuild()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("build err = %v, want one with %q", err, tt.want)
			}
		})
	}
}

// A retitle keeps the scans of unchanged files the title filter clears of
// the new title; the filter reads bytes, and a data: URL's base64 payload
// hides its words from them. A rebuild after a retitle finds the new
// title in an unchanged file's payload as a clean build does (a scan that
// read such a payload says so, verify.Packed.Hides, and is not kept).
func TestRetitleRescansDataURLPayload(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	s := newTestSite(t, compressedBase+`-- content/pub/art.html --
<p><img src="data:image/svg+xml;base64,`+b64(`<svg><text>Quokka Heron</text></svg>`)+`"></p>
`)
	b := New(Options{Site: s.dir, Out: s.out})
	ctx := context.Background()
	if _, err := b.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(s.dir, "content", "lounge.md"))
	if err != nil {
		t.Fatal(err)
	}
	s.editFile("content/lounge.md", strings.Replace(string(src), `title = "Pangolin Lounge"`, `title = "Quokka Heron"`, 1))
	_, err = b.Rebuild(ctx, []string{"content/lounge.md"})
	if err == nil || !strings.Contains(err.Error(), `contains the title "Quokka Heron"`) {
		t.Fatalf("rebuild after the retitle: err = %v, want the new title found in the data: URL", err)
	}
}
