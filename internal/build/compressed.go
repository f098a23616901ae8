package build

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/verify"
)

// maxDecompressed bounds what the release gate reads of a compressed
// attachment: one that holds more text fails the build rather than go
// out unread.
const maxDecompressed = 64 << 20

// scannedText returns what the release gate reads of the attachment at
// name on disk, and the name to scan it under. A ".gz" or ".br" file that
// is such a stream holding text is read as the text it decompresses to
// (anyone who downloads it reads that text, and the gateway serves it in
// place of its base name), scanned under its base name ("x.html" for
// "x.html.gz"), so that a compressed copy of a hidden page is judged as
// the page's words would be; out is the attachment's output path. Any
// other file is readText's.
func scannedText(name, out string) (data []byte, scanAs string, err error) {
	base, ok := content.SiblingOf(out)
	if !ok {
		data, err = readText(name)
		return data, out, err
	}
	text, ok, err := decompressedText(name, base, strings.EqualFold(out[len(base):], ".gz"))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", out, err)
	}
	if ok {
		return text, base, nil
	}
	data, err = readText(name)
	return data, out, err
}

// decompressedText decompresses the file at name, gzip or brotli, whose
// text is read as that of a file named base. ok is false when it is not
// such a stream or what it holds is not text (see verify.SniffFile; text
// is decoded to UTF-8); more than maxDecompressed bytes of text is an error.
func decompressedText(name, base string, gz bool) (text []byte, ok bool, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	var r io.Reader
	if gz {
		z, err := gzip.NewReader(bufio.NewReader(f))
		if err != nil {
			return nil, false, nil
		}
		defer z.Close()
		r = z
	} else {
		r = brotli.NewReader(bufio.NewReader(f))
	}
	head := make([]byte, 8<<10)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, false, nil
	}
	head = head[:n]
	enc := verify.SniffFile(base, head)
	if n == 0 || enc == verify.NotText {
		return nil, false, nil
	}
	rest, err := io.ReadAll(io.LimitReader(r, maxDecompressed+1-int64(n)))
	if err != nil {
		// Text that does not decompress to its end: a torn copy. What it
		// held is read as far as it goes.
		return verify.DecodeFile(base, append(head, rest...), enc), true, nil
	}
	if int64(n)+int64(len(rest)) > maxDecompressed {
		return nil, false, fmt.Errorf("decompresses to more than %d MiB of text, more than the release gate reads: store it uncompressed or split it", maxDecompressed>>20)
	}
	return verify.DecodeFile(base, append(head, rest...), enc), true, nil
}
