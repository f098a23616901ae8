package build

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"slices"
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
// other file is readText's. The text is nil for a file that is not text.
func scannedText(name, out string) (text *fileText, scanAs string, err error) {
	base, ok := content.SiblingOf(out)
	if !ok {
		text, err = readText(name)
		return text, out, err
	}
	text, ok, err = decompressedText(name, base, strings.EqualFold(out[len(base):], ".gz"))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", out, err)
	}
	if ok {
		return text, base, nil
	}
	text, err = readText(name)
	return text, out, err
}

// fileText is a text file as the release gate reads it: its bytes, the
// name its encoding was judged under and that encoding, read as every
// text a reader may be shown (verify.EachReading: legacy text that
// declares no encoding in each a browser may guess).
type fileText struct {
	name string
	data []byte
	enc  verify.Encoding
}

// each calls fn with every reading of t, each distinct one once; a nil t
// has none.
func (t *fileText) each(fn func(text []byte) error) error {
	if t == nil {
		return nil
	}
	return verify.EachReading(t.name, t.data, t.enc, fn)
}

// joined is every reading of t, a line between two (for a message that
// quotes what the gate found); nil for a nil t.
func (t *fileText) joined() []byte {
	var out []byte
	_ = t.each(func(text []byte) error {
		if out != nil {
			out = append(out, '\n')
		}
		out = append(out, text...)
		return nil
	})
	return out
}

// refsOf scans every reading of t with scan and returns the references
// found in any, each once, in the order first found.
func (t *fileText) refsOf(scan func(text []byte) verify.Packed) verify.Packed {
	var out verify.Packed
	_ = t.each(func(text []byte) error {
		for _, x := range scan(text) {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return nil
	})
	return out
}

// decompressedText decompresses the file at name, gzip or brotli, whose
// text is read as that of a file named base. ok is false when it is not
// such a stream or what it holds is not text (see verify.SniffFile; text
// is decoded to UTF-8); more than maxDecompressed bytes of text is an error.
func decompressedText(name, base string, gz bool) (text *fileText, ok bool, err error) {
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
		return &fileText{name: base, data: append(head, rest...), enc: enc}, true, nil
	}
	if int64(n)+int64(len(rest)) > maxDecompressed {
		return nil, false, fmt.Errorf("decompresses to more than %d MiB of text, more than the release gate reads: store it uncompressed or split it", maxDecompressed>>20)
	}
	return &fileText{name: base, data: append(head, rest...), enc: enc}, true, nil
}
