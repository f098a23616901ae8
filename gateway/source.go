package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/store"
)

// source is where published generations come from: an output folder on
// disk (diskSource) or an object store (storeSource, storesource.go). The
// gateway reads a generation only through a snapshot, so both serve alike.
type source interface {
	// generation reads the published generation's id, cheaply, to tell
	// whether a reload is due, with the pointer that names it (an object
	// store's current.json; nil on disk).
	generation(ctx context.Context) (string, *store.Pointer, error)
	// open opens the published generation as one consistent snapshot.
	open(ctx context.Context) (*snapshot, error)
	// watchDir is a folder whose file events announce a publication, ""
	// when the source can only be polled.
	watchDir() string
	// remote is true when the source can be unreachable while a
	// generation is served (an object store).
	remote() bool
	// String names the source in logs.
	String() string
}

// snapshot is one generation opened for reading: manifest.json and
// rules.json at the root of meta, each build's files in a file system of
// their own (opened by build), the wanted combinations recorded through
// wanted, and close to release it all.
type snapshot struct {
	// pointer is the object store's pointer the generation was read
	// through (nil on disk): a generation replaces the one served only
	// when its pointer supersedes that one's (storesource.go).
	pointer *store.Pointer
	meta    fs.FS
	build   func(dir string) (fs.FS, error)
	wanted  func(touch func(*manifest.Wanted)) error
	close   func()
}

// diskSource is an output folder written by facet build.
type diskSource struct{ out string }

func (d diskSource) generation(context.Context) (string, *store.Pointer, error) {
	gen, err := manifest.ReadGeneration(d.out)
	return gen, nil, err
}
func (d diskSource) watchDir() string { return d.out }
func (d diskSource) remote() bool     { return false }
func (d diskSource) String() string   { return d.out }

// open opens the output folder as a root: manifest.LoadFS reads through its
// handle and each build is opened as a root beneath it, so a publication
// that swaps the folder while this runs cannot mix two generations.
func (d diskSource) open(context.Context) (*snapshot, error) {
	root, err := os.OpenRoot(d.out)
	if err != nil {
		return nil, fmt.Errorf("gateway: open output: %w", err)
	}
	var roots []*os.Root
	snap := &snapshot{meta: root.FS()}
	snap.build = func(dir string) (fs.FS, error) {
		r, err := root.OpenRoot(dir)
		if err != nil {
			return nil, fmt.Errorf("gateway: open build: %w", err)
		}
		roots = append(roots, r)
		return r.FS(), nil
	}
	snap.wanted = func(touch func(*manifest.Wanted)) error { return recordWantedIn(root, touch) }
	snap.close = func() {
		for _, r := range roots {
			r.Close()
		}
		root.Close()
	}
	return snap, nil
}

// recordWantedIn applies touch to wanted.json in the output root,
// replacing the file atomically.
func recordWantedIn(root *os.Root, touch func(*manifest.Wanted)) error {
	var cur manifest.Wanted
	b, err := root.ReadFile(manifest.WantedFile)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &cur); err != nil {
			cur = manifest.Wanted{} // a damaged file is rewritten
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("gateway: read wanted: %w", err)
	}
	touch(&cur)
	out, err := json.MarshalIndent(cur, "", "  ")
	if err != nil {
		return fmt.Errorf("gateway: encode wanted: %w", err)
	}
	tmp := "." + manifest.WantedFile + "." + randomToken(6)
	if err := root.WriteFile(tmp, append(out, '\n'), 0o644); err != nil {
		return fmt.Errorf("gateway: write wanted: %w", err)
	}
	if err := root.Rename(tmp, manifest.WantedFile); err != nil {
		_ = root.Remove(tmp)
		return fmt.Errorf("gateway: write wanted: %w", err)
	}
	return nil
}
