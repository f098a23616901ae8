package verify

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSniffAndDecode(t *testing.T) {
	t.Parallel()
	le := []byte{0xFF, 0xFE, 'C', 0, 'a', 0, 'f', 0, 0xE9, 0, ' ', 0, 0x3D, 0xD8, 0x00, 0xDE} // "Café 😀" with a BOM
	beNoBOM := []byte{}
	for _, c := range "Pangolin Lounge, in UTF-16 without a mark" {
		beNoBOM = append(beNoBOM, 0, byte(c))
	}
	for _, tt := range []struct {
		name string
		data []byte
		enc  Encoding
		text string
	}{
		{"utf-8", []byte("Café plans"), UTF8, "Café plans"},
		{"utf-16le with a mark", le, UTF16LE, "Café 😀"},
		{"utf-16be without a mark", beNoBOM, UTF16BE, "Pangolin Lounge, in UTF-16 without a mark"},
		{"windows-1252", []byte("Caf\xe9 \x93quoted\x94 Pangolin"), Windows1252, "Café “quoted” Pangolin"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"), NotText, ""},
		{"nul in text", []byte("text\x00with a nul byte and more words"), NotText, ""},
		{"16-bit numbers", []byte{1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 0, 10, 0, 11, 0, 12, 0, 13, 0, 14, 0}, NotText, ""},
		{"pdf without nul in its head", append([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Length 99 /Filter /FlateDecode >> stream\n"),
			[]byte("x\x9c\x8d\x92\x01\x02\x03\x1f\x85\x11\x94\x05\x12\x13\x81\x17\x8f\x19\x14\x15\x16\x9dAPI\x02\x03")...), NotText, ""},
	} {
		if got := Sniff(tt.data); got != tt.enc {
			t.Errorf("%s: Sniff = %d, want %d", tt.name, got, tt.enc)
			continue
		}
		if got := Decode(tt.data, tt.enc); string(got) != tt.text {
			t.Errorf("%s: Decode = %q, want %q", tt.name, got, tt.text)
		}
	}
	// A NUL character in UTF-16 text becomes a space, so that the text
	// stays text for the scanner.
	nul := []byte{0xFF, 0xFE, 'a', 0, 0, 0, 'b', 0}
	if got := Decode(nul, Sniff(nul)); !bytes.Equal(got, []byte("a b")) {
		t.Errorf("UTF-16 with a NUL character: %q", got)
	}
}

func TestEachReading(t *testing.T) {
	t.Parallel()
	readings := func(name string, data []byte) []string {
		t.Helper()
		var out []string
		if err := EachReading(name, data, SniffFile(name, data), func(text []byte) error {
			if bytes.IndexByte(text, 0) >= 0 {
				t.Errorf("%s: a reading holds NUL: %q", name, text)
			}
			out = append(out, string(text))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	has := func(rs []string, want string) bool {
		for _, r := range rs {
			if strings.Contains(r, want) {
				return true
			}
		}
		return false
	}
	sjis := []byte("\x83p\x83\x93\x83S\x83\x8a\x83\x93") // パンゴリン in Shift_JIS
	koi8 := []byte("\xf0\xc1\xce\xc7\xcf\xcc\xc9\xce")   // Панголин in KOI8-R
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"k.txt", sjis, "パンゴリン"},
		{"c.csv", koi8, "Панголин"},
		{"j.txt", []byte("\x1b$B%Q%s%4%j%s\x1b(B"), "パンゴリン"}, // ISO-2022-JP
	} {
		rs := readings(tt.name, tt.data)
		if !has(rs, tt.want) {
			t.Errorf("%s: no reading holds %q: %q", tt.name, tt.want, rs)
		}
		// the first reading is DecodeFile's
		if got := string(DecodeFile(tt.name, tt.data, SniffFile(tt.name, tt.data))); rs[0] != got {
			t.Errorf("%s: first reading %q, want DecodeFile's %q", tt.name, rs[0], got)
		}
		seen := map[string]bool{}
		for _, r := range rs {
			if seen[r] {
				t.Errorf("%s: reading %q twice", tt.name, r)
			}
			seen[r] = true
		}
	}
	// UTF-8 text, and legacy text that declares its encoding, are read as
	// that alone.
	if rs := readings("u.txt", []byte("Pangolin Lounge, café")); len(rs) != 1 {
		t.Errorf("UTF-8: %d readings, want 1: %q", len(rs), rs)
	}
	declared := append([]byte(`<meta charset="koi8-r"><p>`), koi8...)
	if rs := readings("d.html", declared); len(rs) != 1 || !strings.Contains(rs[0], "Панголин") {
		t.Errorf("declared KOI8-R: %q, want the one reading in KOI8-R", rs)
	}
	if rs := readings("x.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")); len(rs) != 0 {
		t.Errorf("binary: %q, want no reading", rs)
	}
	// fn's error stops the readings and is returned
	stop := errors.New("stop")
	n := 0
	if err := EachReading("k.txt", sjis, Windows1252, func([]byte) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("EachReading after fn's error: err %v after %d calls, want stop after 1", err, n)
	}
}
