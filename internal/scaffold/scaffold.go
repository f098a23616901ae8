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
	"path/filepath"
)

//go:embed all:site
var files embed.FS

// ErrNotEmpty is returned by Write for a folder that already holds files.
var ErrNotEmpty = errors.New("folder is not empty")

// Write writes the starter site into dir, creating it when missing. It
// refuses a folder that holds anything, so that it never overwrites
// someone's files, and returns the paths written, relative to dir.
func Write(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return nil, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	site, err := fs.Sub(files, "site")
	if err != nil {
		return nil, err
	}
	var written []string
	err = fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(site, p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return err
		}
		written = append(written, p)
		return nil
	})
	return written, err
}
