package content

import (
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"path"

	"github.com/facet-docs/facet/internal/diag"
)

// sniffAttachment reports an attachment whose first line that is not blank
// (after a BOM) is a +++ fence: a page under a name that is not a page's
// (".text", ".txt", no extension), which would otherwise be published as
// it is, frontmatter and rules included.
func sniffAttachment(fsys fs.FS, a *Attachment, errs *diag.List) {
	f, err := fsys.Open(a.File)
	if err != nil {
		errs.Addf(a.File, 0, "%v", unwrapPath(err))
		return
	}
	defer f.Close()
	line, ok := fenceFirst(bufio.NewReaderSize(f, 512))
	if !ok {
		return
	}
	kind := path.Ext(a.File) + " files"
	if path.Ext(a.File) == "" {
		kind = "files without an extension"
	}
	errs.Addf(a.File, line, "starts with +++ frontmatter, but %s are not pages and would be published as they are: rename it to .md", kind)
}

// fenceFirst reports whether the first line of r that is not blank, after
// a BOM, is a +++ fence, and its line. It reads no further than that line.
func fenceFirst(r *bufio.Reader) (line int, ok bool) {
	if bom, err := r.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		_, _ = r.Discard(3)
	}
	line = 1
	for {
		c, err := r.ReadByte()
		if err != nil {
			return 0, false
		}
		switch c {
		case '\n':
			line++
		case '\r':
			// A lone CR ends a line too (classic Mac line ends).
			if next, err := r.Peek(1); err != nil || next[0] != '\n' {
				line++
			}
		case ' ', '\t', '\v', '\f':
		default:
			_ = r.UnreadByte()
			first, err := r.ReadSlice('\n')
			if err != nil && err != io.EOF {
				return 0, false // a line longer than the buffer is no fence
			}
			if i := bytes.IndexByte(first, '\r'); i >= 0 && i+1 < len(first) && first[i+1] != '\n' {
				first = first[:i]
			}
			return line, fence(first) == "+++"
		}
	}
}
