package build

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// compressedBase is leakBase with an open section that holds compressed
// files: the members-only page "Pangolin Lounge" (/lounge/) is hidden
// from anonymous.
const compressedBase = leakBase + `-- content/pub/_index.md --
+++
title = "Pub"
+++
Public words.
`

// refusedWith builds compressedBase with data at file and wants the build
// to fail with an error holding want.
func refusedWith(t *testing.T, file, data, want string) {
	t.Helper()
	s := newTestSite(t, compressedBase)
	s.editFile(file, data)
	if err := s.tryBuild(); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("build err = %v, want one with %q", err, want)
	}
}

// TestNoTraceCompressedAttachment: a ".gz" or ".br" file is read by
// whoever downloads it as the text it decompresses to (and the gateway
// serves one in place of its base name), but the release gate read only
// its compressed bytes, which are binary: a compressed copy of a hidden
// page, or a compressed page linking to one, went into the anonymous
// build unread. The gate now reads such a file's text, under its base
// name, and fails the build as it would for the text itself.
func TestNoTraceCompressedAttachment(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, file, data, want string
	}{
		{"gzip copy of a hidden page's source", "content/pub/lounge.md.gz",
			gzipped(t, "+++\ntitle = \"Pangolin Lounge\"\n+++\nMembers only.\n"), `contains the title "Pangolin Lounge"`},
		{"brotli text naming a hidden title", "content/pub/notes.txt.br",
			brotlied(t, "Minutes: see the Pangolin Lounge page.\n"), `contains the title "Pangolin Lounge"`},
		{"gzip HTML linking to a hidden page", "content/pub/export.html.gz",
			gzipped(t, `<p>See <a href="/lounge/">this</a>.</p>`), "/lounge/"},
		{"upper-case extension", "content/pub/NOTES.TXT.GZ",
			gzipped(t, "Pangolin Lounge\n"), `contains the title "Pangolin Lounge"`},
		{"several gzip members", "content/pub/joined.txt.gz",
			gzipped(t, "Harmless first part.\n") + gzipped(t, "Then the Pangolin Lounge.\n"), `contains the title "Pangolin Lounge"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			refusedWith(t, tt.file, tt.data, tt.want)
		})
	}
}

// TestCompressedAttachmentsThatHoldNoTrace: compressed files whose text
// names nothing hidden, and compressed files that are not text, are
// published as they are.
func TestCompressedAttachmentsThatHoldNoTrace(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, compressedBase)
	okText := gzipped(t, "Public words only.\n")
	binary := gzipped(t, "\x00\x01\x02 Pangolin Lounge in a binary stream")
	notGzip := "plain bytes named .gz: Pangolin\x00"
	s.editFile("content/pub/ok.txt.gz", okText)
	s.editFile("content/pub/data.bin.gz", binary)
	s.editFile("content/pub/odd.gz", notGzip)
	s.build()
	s.assertFile("anonymous", "pub/ok.txt.gz", okText)
	s.assertFile("anonymous", "pub/data.bin.gz", binary)
	s.assertFile("anonymous", "pub/odd.gz", notGzip)
}

// TestCompressedAttachmentTooLargeToRead: text that decompresses past
// what the gate reads fails the build instead of going out unread.
func TestCompressedAttachmentTooLargeToRead(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	z, err := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.Repeat("public words ", 80) + "\n")
	for written := 0; written <= maxDecompressed; written += len(line) {
		if _, err := z.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	s := newTestSite(t, compressedBase)
	s.editFile("content/pub/huge.txt.gz", b.String())
	if err := s.tryBuild(); err == nil || !strings.Contains(err.Error(), "pub/huge.txt.gz: decompresses to more than 64 MiB") {
		t.Fatalf("build err = %v, want the file refused", err)
	}
}

// TestNoTraceTextInOtherEncodings: the release gate took a file for text
// only when its first 8 KiB were UTF-8, so one accented letter in Latin-1,
// or text saved as UTF-16, sent a file naming a hidden page into the
// anonymous build unread; a browser or editor shows any of them as text.
// The gate now reads each as the text it spells (verify.Sniff).
func TestNoTraceTextInOtherEncodings(t *testing.T) {
	t.Parallel()
	utf16 := func(le, mark bool, s string) string {
		var b []byte
		if mark && le {
			b = append(b, 0xFF, 0xFE)
		} else if mark {
			b = append(b, 0xFE, 0xFF)
		}
		for _, c := range s {
			if le {
				b = append(b, byte(c), 0)
			} else {
				b = append(b, 0, byte(c))
			}
		}
		return string(b)
	}
	for _, tt := range []struct {
		name, file, data string
	}{
		{"latin-1 text", "content/pub/notes.txt", "Caf\xe9 minutes: the Pangolin Lounge opens.\n"},
		{"windows-1252 csv", "content/pub/rooms.csv", "room,state\n\x93Pangolin Lounge\x94,open\n"},
		{"utf-16le with a mark", "content/pub/export.txt", utf16(true, true, "Pangolin Lounge\r\n")},
		{"utf-16be without a mark", "content/pub/export.html", utf16(false, false, "<p><a href=\"/lounge/\">minutes</a></p>")},
		{"gzip of latin-1 text", "content/pub/old.txt.gz", gzipped(t, "Caf\xe9: Pangolin Lounge\n")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, compressedBase)
			s.editFile(tt.file, tt.data)
			err := s.tryBuild()
			if err == nil || !strings.Contains(err.Error(), "Pangolin Lounge") && !strings.Contains(err.Error(), "/lounge/") {
				t.Fatalf("build err = %v, want the hidden page's title or URL found", err)
			}
		})
	}
	// Binary files stay unread, and text naming nothing hidden is published.
	s := newTestSite(t, compressedBase)
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR Pangolin Lounge"
	latin := "Caf\xe9 and cr\xe8me: public words.\n"
	s.editFile("content/pub/pic.png", png)
	s.editFile("content/pub/menu.txt", latin)
	s.build()
	s.assertFile("anonymous", "pub/pic.png", png)
	s.assertFile("anonymous", "pub/menu.txt", latin)
}
