// Package scaffold holds the starter site `facet init` writes: a public
// guide, a members' space with a page for one group, and a page shared
// with one guest, so that a new site builds at once and shows what facet
// does. It owns those files and writing them; nothing else.
package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

//go:embed all:site
var files embed.FS

// ErrNotEmpty is returned by Write for a folder that already holds files.
var ErrNotEmpty = errors.New("folder is not empty")

// afterCheck runs between Write's check that dir is empty and its first
// write; tests use it to put files there in that moment.
var afterCheck = func() {}

// Write writes the starter site into dir, creating it when missing. It
// refuses a folder that holds anything, so that it never overwrites
// someone's files, and returns the paths written, relative to dir. Files
// are created under an os.Root and only when absent, so that a file or
// symbolic link that appears after the check is neither overwritten nor
// followed.
func Write(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return nil, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	afterCheck()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	site, err := fs.Sub(files, "site")
	if err != nil {
		return nil, err
	}
	var written []string
	err = fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if d.IsDir() {
			return root.Mkdir(p, 0o755)
		}
		data, err := fs.ReadFile(site, p)
		if err != nil {
			return err
		}
		if err := create(root, p, data); err != nil {
			return err
		}
		written = append(written, p)
		return nil
	})
	return written, err
}

// create writes a new file at name under root; an existing file or link
// there is an error.
func create(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
