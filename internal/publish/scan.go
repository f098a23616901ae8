package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"syscall"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/store"
)

// local is the built output as the store will hold it: each build's index
// and, for each object, a file on disk that holds its bytes.
type local struct {
	manifest, rules []byte
	m               *manifest.Manifest
	indexes         []*store.Index
	// files maps each object's hash to a file holding it.
	files map[string]string
	sizes map[string]int64
}

type inode struct{ dev, ino uint64 }

// scan reads the output at out: its manifest and rules (checked by
// manifest.Read) and every file of every build, hashed once per distinct
// file on disk (the builds' hard links share a hash).
func scan(out string) (*local, error) {
	m, r, err := manifest.Read(out)
	if err != nil {
		return nil, err
	}
	if !store.ValidGeneration(m.Generation) {
		return nil, fmt.Errorf("publish: generation %q cannot name a store key", m.Generation)
	}
	l := &local{m: m, files: map[string]string{}, sizes: map[string]int64{}}
	if l.manifest, err = os.ReadFile(filepath.Join(out, manifest.ManifestFile)); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if l.rules, err = os.ReadFile(filepath.Join(out, manifest.RulesFile)); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	hashed := map[inode]string{}
	for _, b := range r.Builds {
		ix := &store.Index{Format: store.Format, Generation: m.Generation, Dir: b.Dir, Files: map[string]store.Entry{}}
		if err := l.scanBuild(filepath.Join(out, filepath.FromSlash(b.Dir)), ix, hashed); err != nil {
			return nil, err
		}
		l.indexes = append(l.indexes, ix)
	}
	return l, nil
}

// scanBuild adds every regular file under dir to ix.
func (l *local) scanBuild(dir string, ix *store.Index, hashed map[inode]string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		key, hasKey := inodeOf(fi)
		h, seen := hashed[key]
		if !seen || !hasKey {
			if h, err = hashFile(p); err != nil {
				return err
			}
			if hasKey {
				hashed[key] = h
			}
		}
		if _, ok := l.files[h]; !ok {
			l.files[h], l.sizes[h] = p, fi.Size()
		}
		name := filepath.ToSlash(rel)
		ix.Files[name] = store.Entry{Hash: h, Size: fi.Size(), Type: typeOf(name, p)}
		return nil
	})
}

func inodeOf(fi fs.FileInfo) (inode, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return inode{}, false
	}
	return inode{uint64(st.Dev), uint64(st.Ino)}, true
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("publish: read %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// typeOf is the Content-Type of a file, by extension, else sniffed as the
// gateway does.
func typeOf(name, p string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	f, err := os.Open(p)
	if err != nil {
		return "application/octet-stream"
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, _ := io.ReadFull(f, buf)
	return http.DetectContentType(buf[:n])
}
