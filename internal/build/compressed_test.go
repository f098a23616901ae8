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
			s := newTestSite(t, compressedBase)
			s.editFile(tt.file, tt.data)
			err := s.tryBuild()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("build err = %v, want one with %q", err, tt.want)
			}
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
