package build

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// undeclaredBase hides pages titled in several scripts from the
// anonymous build.
const undeclaredBase = compressedBase + `-- content/greek.md --
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
-- content/cyr.md --
+++
title = "Панголин Салон"
[access]
allow = ["members"]
+++
Members only.
-- content/han.md --
+++
title = "穿山甲会客室"
[access]
allow = ["members"]
+++
Members only.
-- content/hant.md --
+++
title = "穿山甲會客室"
[access]
allow = ["members"]
+++
Members only.
-- content/hangul.md --
+++
title = "천산갑 라운지"
[access]
allow = ["members"]
+++
Members only.
`

// TestNoTraceUndeclaredLegacyEncoding: a text file in a legacy encoding
// that declares none is shown by a browser in the encoding its detector
// guesses from the bytes (Shift_JIS, KOI8-R, GBK...), and an editor does
// the same; the release gate read every such file as Windows-1252, so a
// hidden page's title in Japanese, Cyrillic, Greek, Chinese or Korean
// went into the anonymous build unread. The gate now reads undeclared
// legacy text in every encoding a browser may take it for, and 7-bit
// ISO-2022-JP as well.
func TestNoTraceUndeclaredLegacyEncoding(t *testing.T) {
	t.Parallel()
	enc := func(e encoding.Encoding, s string) string {
		out, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tt := range []struct {
		name, file string
		e          encoding.Encoding
		title      string
	}{
		{"shift_jis text", "content/pub/k.txt", japanese.ShiftJIS, "パンゴリン ラウンジ"},
		{"euc-jp html", "content/pub/k.html", japanese.EUCJP, "パンゴリン ラウンジ"},
		{"iso-2022-jp text", "content/pub/j.txt", japanese.ISO2022JP, "パンゴリン ラウンジ"},
		{"koi8-r csv", "content/pub/c.csv", charmap.KOI8R, "Панголин Салон"},
		{"windows-1251 html", "content/pub/c.html", charmap.Windows1251, "Панголин Салон"},
		{"iso-8859-5 text", "content/pub/c5.txt", charmap.ISO8859_5, "Панголин Салон"},
		{"windows-1253 svg", "content/pub/g.svg", charmap.Windows1253, "Πανθήρας Σαλόνι"},
		{"gbk text", "content/pub/h.txt", simplifiedchinese.GBK, "穿山甲会客室"},
		{"big5 html", "content/pub/t.html", traditionalchinese.Big5, "穿山甲會客室"},
		{"euc-kr text", "content/pub/r.txt", korean.EUCKR, "천산갑 라운지"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, undeclaredBase)
			data := "Notes\n" + enc(tt.e, tt.title) + "\n"
			if strings.HasSuffix(tt.file, ".html") {
				data = "<p>" + enc(tt.e, tt.title) + "</p>\n"
			} else if strings.HasSuffix(tt.file, ".svg") {
				data = `<svg xmlns="http://www.w3.org/2000/svg"><text>` + enc(tt.e, tt.title) + "</text></svg>\n"
			}
			s.editFile(tt.file, data)
			err := s.tryBuild()
			if err == nil || !strings.Contains(err.Error(), tt.title) {
				t.Fatalf("build err = %v, want one with %q", err, tt.title)
			}
		})
	}
}

// TestUndeclaredLegacyTextOfVisiblePagesBuilds: reading legacy text in
// several encodings finds what the file says, not more: a public
// Windows-1252 file, and one in Shift_JIS, naming pages every build holds
// or nothing at all, build.
func TestUndeclaredLegacyTextOfVisiblePagesBuilds(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, undeclaredBase+`-- content/pub/open.md --
+++
title = "パンダ ガイド"
+++
Public.
`)
	sjis, err := japanese.ShiftJIS.NewEncoder().String("パンダ ガイド と 日本語のメモ")
	if err != nil {
		t.Fatal(err)
	}
	s.editFile("content/pub/notes.txt", "Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9\n")
	s.editFile("content/pub/memo.txt", sjis+"\n")
	if err := s.tryBuild(); err != nil {
		t.Fatalf("build: %v", err)
	}
}

// TestNoTraceLegacyDataURL: a data: URL's payload is shown in the charset
// its media type names, or, naming none, in the encoding a browser
// guesses; the gate read it as UTF-8 or Windows-1252 alone, and skipped
// titles in a percent-encoded payload, so a hidden title in Shift_JIS or
// KOI8-R inside one went out unread.
func TestNoTraceLegacyDataURL(t *testing.T) {
	t.Parallel()
	enc := func(e encoding.Encoding, s string) []byte {
		out, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(out)
	}
	b64 := base64.StdEncoding.EncodeToString
	pct := func(b []byte) string { return url.PathEscape(string(b)) }
	kana, cyr := "パンゴリン ラウンジ", "Панголин Салон"
	for _, tt := range []struct {
		name, data, want string
	}{
		{"declared shift_jis, base64",
			`<iframe src="data:text/html;charset=shift_jis;base64,` + b64(append([]byte("<p>"), enc(japanese.ShiftJIS, kana)...)) + `"></iframe>`, kana},
		{"declared koi8-r, percent-encoded",
			`<iframe src="data:text/plain;charset=koi8-r,` + pct(enc(charmap.KOI8R, cyr)) + `"></iframe>`, cyr},
		{"undeclared shift_jis, base64",
			`<img src="data:image/svg+xml;base64,` + b64(append(append([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><text>`), enc(japanese.ShiftJIS, kana)...), "</text></svg>"...)) + `">`, kana},
		{"undeclared koi8-r, percent-encoded",
			`<iframe src="data:text/plain,` + pct(enc(charmap.KOI8R, cyr)) + `"></iframe>`, cyr},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, undeclaredBase)
			s.editFile("content/pub/x.html", tt.data)
			err := s.tryBuild()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("build err = %v, want one with %q", err, tt.want)
			}
		})
	}
}
