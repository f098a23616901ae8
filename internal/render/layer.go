package render

import (
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// Layer returns a file system that shows over on top of under: a file in
// over hides the file of the same path in under, and a folder lists the
// entries of both (over's entry winning on a name clash). This is how a
// site's themes/<name>/ folder overrides single files of the built-in
// theme. A nil over returns under unchanged.
func Layer(over, under fs.FS) fs.FS {
	if over == nil {
		return under
	}
	if under == nil {
		return over
	}
	return &layered{over: over, under: under}
}

type layered struct {
	over, under fs.FS
}

// Open opens name from over when it is there, else from under. A folder
// present in either layer opens as a merged folder.
func (l *layered) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if l.shadowed(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	oi, oerr := fs.Stat(l.over, name)
	if oerr == nil && !oi.IsDir() {
		return l.over.Open(name)
	}
	ui, uerr := fs.Stat(l.under, name)
	switch {
	case oerr == nil: // a folder in over
		return l.openDir(name, oi)
	case uerr != nil:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case ui.IsDir():
		return l.openDir(name, ui)
	default:
		return l.under.Open(name)
	}
}

// shadowed reports whether a parent folder of name is a file in over,
// which hides everything under's folder of that name holds.
func (l *layered) shadowed(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] != '/' {
			continue
		}
		if info, err := fs.Stat(l.over, name[:i]); err == nil && !info.IsDir() {
			return true
		}
	}
	return false
}

func (l *layered) openDir(name string, info fs.FileInfo) (fs.File, error) {
	entries, err := l.ReadDir(name)
	if err != nil {
		return nil, err
	}
	return &dirFile{info: info, entries: entries}, nil
}

// ReadDir lists name in both layers, sorted by name; an entry of over
// hides the entry of under with the same name.
func (l *layered) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	if l.shadowed(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	over, oerr := fs.ReadDir(l.over, name)
	under, uerr := fs.ReadDir(l.under, name)
	if oerr != nil && uerr != nil {
		return nil, oerr
	}
	// A file in over hides a folder of the same path in under.
	if oi, err := fs.Stat(l.over, name); err == nil && !oi.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	if uerr == nil && oerr == nil {
		seen := make(map[string]bool, len(over))
		for _, e := range over {
			seen[e.Name()] = true
		}
		for _, e := range under {
			if !seen[e.Name()] {
				over = append(over, e)
			}
		}
	} else if oerr != nil {
		over = under
	}
	slices.SortFunc(over, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return over, nil
}

// ReadFile reads name from the layer that holds it.
func (l *layered) ReadFile(name string) ([]byte, error) {
	f, err := l.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Stat describes name as Open would find it.
func (l *layered) Stat(name string) (fs.FileInfo, error) {
	f, err := l.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Stat()
}

// dirFile is a merged folder opened through Open.
type dirFile struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	off     int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: errors.New("is a directory")}
}

// ReadDir implements fs.ReadDirFile.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return slices.Clone(rest[:n]), nil
}

var (
	_ fs.ReadDirFS   = (*layered)(nil)
	_ fs.ReadFileFS  = (*layered)(nil)
	_ fs.StatFS      = (*layered)(nil)
	_ fs.ReadDirFile = (*dirFile)(nil)
)
