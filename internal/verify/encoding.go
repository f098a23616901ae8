package verify

import (
	"bytes"
	"hash/maphash"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Encoding is how a file's bytes spell text, as Sniff judges it.
type Encoding int

// The encodings Sniff tells apart.
const (
	// NotText is a file that is not text: NUL bytes, as in images,
	// archives and most PDFs.
	NotText Encoding = iota
	// UTF8 is text in UTF-8 (TextLike): facet's own output, and most
	// authors' files.
	UTF8
	// UTF16LE and UTF16BE are text in UTF-16: a byte order mark, or ASCII
	// text whose every other byte is NUL.
	UTF16LE
	UTF16BE
	// Windows1252 is text without NUL bytes that is not UTF-8 and holds
	// almost no control characters: a legacy single-byte encoding, which
	// browsers and editors show as Windows-1252 when nothing declares
	// another. Its ASCII letters read as they are in any such encoding.
	Windows1252
)

// Sniff judges the encoding of a file from its first bytes (up to 8 KiB):
// a reader's browser or editor shows any file of these encodings as text,
// so the release gate reads each as the text it spells.
func Sniff(head []byte) Encoding {
	head = head[:min(len(head), 8<<10)]
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return UTF16BE
	case TextLike(head):
		return UTF8
	}
	if bytes.IndexByte(head, 0) < 0 {
		if legacyText(head) {
			return Windows1252
		}
		return NotText
	}
	// ASCII text in UTF-16 without a byte order mark: NUL at nearly every
	// position of one parity, almost none at the other.
	if len(head) >= 16 {
		var zeros [2]int
		for i, b := range head {
			if b == 0 {
				zeros[i&1]++
			}
		}
		half := len(head) / 2
		// the bytes that are not NUL must read as text too (a binary
		// file of small 16-bit numbers has NUL at every other byte)
		low := func(parity int) []byte {
			out := make([]byte, 0, half)
			for i := parity; i < len(head); i += 2 {
				if head[i] != 0 {
					out = append(out, head[i])
				}
			}
			return out
		}
		switch {
		case zeros[1]*10 >= half*9 && zeros[0]*50 <= half && legacyText(low(0)):
			return UTF16LE
		case zeros[0]*10 >= half*9 && zeros[1]*50 <= half && legacyText(low(1)):
			return UTF16BE
		}
	}
	return NotText
}

// legacyText reports whether head, NUL-free but not UTF-8, reads as text
// in a single-byte encoding: control characters other than white space
// (and the bytes Windows-1252 leaves undefined) at most once in 200
// bytes, as in text and unlike compressed or binary data, where they are
// about one byte in ten. So a PDF or an image whose first 8 KiB hold no
// NUL byte stays unread, as it always was.
func legacyText(head []byte) bool {
	odd := 0
	for _, b := range head {
		switch {
		case b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x1B:
		case b < 0x20 || b == 0x7F || b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D:
			odd++
		}
	}
	return odd*200 <= len(head)
}

// Decode returns data, of encoding e, as UTF-8 text without NUL bytes (a
// NUL character becomes a space), nil for NotText. UTF-8 is data itself.
func Decode(data []byte, e Encoding) []byte {
	switch e {
	case UTF8:
		return data
	case UTF16LE, UTF16BE:
		if len(data) >= 2 && (e == UTF16LE && data[0] == 0xFF && data[1] == 0xFE || e == UTF16BE && data[0] == 0xFE && data[1] == 0xFF) {
			data = data[2:]
		}
		units := make([]uint16, len(data)/2)
		for i := range units {
			lo, hi := data[2*i], data[2*i+1]
			if e == UTF16BE {
				lo, hi = hi, lo
			}
			units[i] = uint16(lo) | uint16(hi)<<8
		}
		out := make([]byte, 0, len(units))
		for _, r := range utf16.Decode(units) {
			if r == 0 {
				r = ' '
			}
			out = utf8.AppendRune(out, r)
		}
		return out
	case Windows1252:
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil
		}
		return bytes.ReplaceAll(out, []byte{0}, []byte{' '})
	}
	return nil
}

// SniffFile is Sniff for the file at name: a file whose type is text (by
// its extension as the gateway serves it, or, without a known one, by
// its content as net/http sniffs it: an HTML tag first) is text whatever
// its bytes, since a browser shows it as its type says (the gateway sends
// nosniff) and an editor shows any text file with a NUL in it. Such a
// file that Sniff takes for binary is UTF-8 when its first 8 KiB less
// their NUL bytes are, else Windows-1252.
func SniffFile(name string, head []byte) Encoding {
	head = head[:min(len(head), 8<<10)]
	e := Sniff(head)
	if e != NotText || !textType(name, head) {
		return e
	}
	if TextLike(bytes.ReplaceAll(head, []byte{0}, nil)) {
		return UTF8
	}
	return Windows1252
}

// textType reports whether a browser takes the file at name for text: its
// extension's type, or without one the type net/http sniffs from head, is
// text/*, or JSON, JavaScript, XML or SVG.
func textType(name string, head []byte) bool {
	t := mime.TypeByExtension(path.Ext(name))
	if t == "" {
		t = http.DetectContentType(head)
	}
	t, _, _ = strings.Cut(strings.ToLower(t), ";")
	t = strings.TrimSpace(t)
	switch {
	case strings.HasPrefix(t, "text/"), strings.HasSuffix(t, "+xml"), strings.HasSuffix(t, "+json"),
		strings.HasSuffix(t, "/xml"), strings.HasSuffix(t, "/json"), strings.HasSuffix(t, "/javascript"):
		return true
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".md", ".markdown", ".csv", ".tsv", ".log", ".htm", ".html", ".xhtml", ".svg", ".xml",
		".css", ".js", ".mjs", ".json", ".yaml", ".yml", ".toml", ".ini", ".rtf", ".eml", ".mht", ".mhtml":
		return true
	}
	return false
}

// DecodeFile is Decode for the file at name: legacy text that declares
// its encoding in its first 1024 bytes (an XML declaration's encoding, an
// HTML meta charset, a style sheet's @charset) is decoded from it, as a
// browser does when the server names none and an editor does; a NUL byte left in UTF-8
// text is dropped from markup, as an HTML parser drops it from text
// ("Pango\x00lin" reads "Pangolin"), and is a space elsewhere.
func DecodeFile(name string, data []byte, e Encoding) []byte {
	if e == Windows1252 {
		if out, ok := decodeDeclared(data); ok {
			return out
		}
	}
	out := Decode(data, e)
	if e != UTF8 || bytes.IndexByte(out, 0) < 0 {
		return out
	}
	if isMarkup(name, bytes.ReplaceAll(out, []byte{0}, nil)) {
		return bytes.ReplaceAll(out, []byte{0}, nil)
	}
	return bytes.ReplaceAll(out, []byte{0}, []byte{' '})
}

// declaration finds an encoding declared at the start of a file: an XML
// declaration's, a style sheet's @charset or an HTML meta's.
var declaration = regexp.MustCompile(`(?i)^\s*<\?xml[^>]*?\sencoding\s*=\s*["']?([\w.:-]+)|^\s*@charset\s+["']([\w.:-]+)|<meta[^>]*?charset\s*=\s*["']?([\w.:-]+)`)

// declaredLabel is the encoding the first 1024 bytes of data declare (an
// XML declaration's, a style sheet's @charset or an HTML meta's), "" for
// none.
func declaredLabel(data []byte) string {
	m := declaration.FindSubmatch(data[:min(len(data), 1024)])
	if m == nil {
		return ""
	}
	return string(bytes.Join(m[1:], nil))
}

// declares reports whether data declares an encoding a browser knows,
// which it then shows the file in.
func declares(data []byte) bool {
	_, name := charset.Lookup(declaredLabel(data))
	return name != ""
}

// decodeDeclared decodes legacy text in the encoding its first 1024 bytes
// declare; ok is false when they declare none that is known, or one of
// UTF-8, UTF-16 and Windows-1252, which the bytes themselves tell.
func decodeDeclared(data []byte) (out []byte, ok bool) {
	return decodeLabel(declaredLabel(data), data)
}

// decodeLabel decodes legacy text in the encoding label names (a charset
// as HTML and XML name one); ok is false when the label is unknown, or
// names UTF-8, UTF-16 or Windows-1252, which the bytes themselves tell.
func decodeLabel(label string, data []byte) (out []byte, ok bool) {
	enc, name := charset.Lookup(label)
	switch name {
	case "", "utf-8", "utf-16le", "utf-16be", "windows-1252":
		return nil, false
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, false
	}
	return bytes.ReplaceAll(out, []byte{0}, []byte{' '}), true
}

// guessed are the encodings a browser may show legacy text in when
// nothing declares one: the legacy encodings of the WHATWG Encoding
// Standard, one of which a browser's detector (or an editor's) picks from
// the bytes alone. Windows-1252, which Decode reads, comes first.
var guessed = []encoding.Encoding{
	charmap.Windows1252, charmap.Windows1250, charmap.Windows1251, charmap.Windows1253,
	charmap.Windows1254, charmap.Windows1255, charmap.Windows1256, charmap.Windows1257,
	charmap.Windows1258, charmap.Windows874,
	charmap.ISO8859_2, charmap.ISO8859_3, charmap.ISO8859_4, charmap.ISO8859_5, charmap.ISO8859_6,
	charmap.ISO8859_7, charmap.ISO8859_8, charmap.ISO8859_10, charmap.ISO8859_13, charmap.ISO8859_14,
	charmap.ISO8859_15, charmap.ISO8859_16,
	charmap.KOI8R, charmap.KOI8U, charmap.CodePage866, charmap.Macintosh, charmap.MacintoshCyrillic,
	japanese.ShiftJIS, japanese.EUCJP, simplifiedchinese.GB18030, traditionalchinese.Big5, korean.EUCKR,
}

// iso2022Escape starts the escape sequences of ISO-2022-JP that switch to
// JIS X 0208 or 0212 ("ESC $ @", "ESC $ B", "ESC $ ( D"): 7-bit text a
// browser may show in Japanese, though its bytes are ASCII (and UTF-8).
var iso2022Escape = []byte{0x1B, '$'}

// readingSeed hashes readings to tell the distinct ones.
var readingSeed = maphash.MakeSeed()

// EachReading calls fn with every text a reader may be shown for the
// file at name holding data, of encoding e (SniffFile's judgement), each
// distinct text once, and stops at the first error fn returns. The first
// is DecodeFile's. Legacy text that declares no encoding is shown in the
// encoding a browser's or an editor's detector guesses from its bytes,
// which may be any of the legacy encodings (guessed: Shift_JIS, KOI8-R,
// GB18030, Big5, Windows-1251...), so it is read in each; text with the
// escapes of ISO-2022-JP is read in that as well. A reading is UTF-8
// without NUL bytes. NotText has no reading.
func EachReading(name string, data []byte, e Encoding, fn func(text []byte) error) error {
	if e == NotText {
		return nil
	}
	first := DecodeFile(name, data, e)
	if err := fn(first); err != nil {
		return err
	}
	var others []encoding.Encoding
	switch {
	case e == Windows1252:
		if !declares(data) {
			others = guessed[1:]
		}
	case e == UTF8 && bytes.Contains(data, iso2022Escape):
		others = []encoding.Encoding{japanese.ISO2022JP}
	}
	seen := map[uint64]bool{maphash.Bytes(readingSeed, first): true}
	for _, enc := range others {
		out, err := enc.NewDecoder().Bytes(data)
		if err != nil {
			continue
		}
		out = bytes.ReplaceAll(out, []byte{0}, []byte{' '})
		if h := maphash.Bytes(readingSeed, out); !seen[h] {
			seen[h] = true
			if err := fn(out); err != nil {
				return err
			}
		}
	}
	return nil
}
