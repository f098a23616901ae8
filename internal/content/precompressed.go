package content

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"strings"

	"github.com/andybalholm/brotli"
)

// errNotCopy means a precompressed sibling does not decompress to its
// file's bytes.
var errNotCopy = errors.New("not a compressed copy")

// sameContent reports, as nil, that the precompressed sibling at sibling
// (a file of fsys, ".gz" or ".br") decompresses to exactly the bytes of
// the file at base. It reads at most one byte more than base holds, so a
// sibling that expands without end costs no more than its file.
func sameContent(fsys fs.FS, sibling, base string) error {
	want, err := fs.ReadFile(fsys, base)
	if err != nil {
		return err
	}
	f, err := fsys.Open(sibling)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader
	switch {
	case strings.HasSuffix(strings.ToLower(sibling), ".gz"):
		z, err := gzip.NewReader(f)
		if err != nil {
			return errNotCopy
		}
		defer z.Close()
		r = z
	default:
		r = brotli.NewReader(f)
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(want))+1))
	if err != nil || !bytes.Equal(got, want) {
		return errNotCopy
	}
	return nil
}
