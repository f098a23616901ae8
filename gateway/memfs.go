package gateway

import (
	"bytes"
	"io/fs"
	"time"
)

// memFile is a file held in memory or a folder known from an index: the
// store's manifest and rules, and the folders its indexes imply.
type memFile struct {
	*bytes.Reader
	name string
	size int64
	dir  bool
}

func newMemFile(name string, b []byte) *memFile {
	return &memFile{Reader: bytes.NewReader(b), name: name, size: int64(len(b))}
}

func newMemDir(name string) *memFile {
	return &memFile{Reader: bytes.NewReader(nil), name: name, dir: true}
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f}, nil }
func (f *memFile) Close() error               { return nil }

// memInfo describes a memFile.
type memInfo struct{ f *memFile }

func (i memInfo) Name() string       { return i.f.name }
func (i memInfo) Size() int64        { return i.f.size }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.f.dir }
func (i memInfo) Sys() any           { return nil }
func (i memInfo) Mode() fs.FileMode {
	if i.f.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// memFS holds a few named files in memory.
type memFS map[string][]byte

func (m memFS) Open(name string) (fs.File, error) {
	b, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return newMemFile(name, b), nil
}

var (
	_ fs.File = (*memFile)(nil)
	_ fs.FS   = memFS(nil)
)
