package verify

import (
	"bytes"
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
