package build

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/facet-docs/facet/internal/manifest"
)

// stage is the staging folder a build is written into, beside the output
// folder, so that publishing is one rename. Identical files across builds
// are written once and hard-linked.
type stage struct {
	out  string // the output folder
	dir  string // the staging folder
	prev string // where the previous output is kept for one generation

	seedA, seedB maphash.Seed
	mu           sync.Mutex
	seen         map[fileKey]string // content -> first path written
	dirs         sync.Map           // folders created
	files, links int
}

type fileKey struct {
	a, b uint64
	n    int
}

// newStage creates the staging folder for out. It refuses to replace an
// existing non-empty folder that is not a facet output, so that a wrong
// --out never deletes someone's files.
func newStage(out string) (*stage, error) {
	out = filepath.Clean(out)
	if err := checkReplaceable(out); err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	dir, err := os.MkdirTemp(parent, "."+base+".staging-")
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	dir = filepath.Clean(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return &stage{
		out: out, dir: dir, prev: filepath.Join(parent, "."+base+".prev"),
		seedA: maphash.MakeSeed(), seedB: maphash.MakeSeed(),
		seen: map[fileKey]string{},
	}, nil
}

func checkReplaceable(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("build: output %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, manifest.ManifestFile)); err != nil {
		return fmt.Errorf("build: refusing to replace %s: it is not empty and holds no %s from an earlier build", out, manifest.ManifestFile)
	}
	return nil
}

// mkdirs creates the parent folders of path once each: the staging
// folder starts empty, so a folder not yet made is made with one mkdir.
func (st *stage) mkdirs(path string) error {
	return st.mkdir(filepath.Dir(path))
}

func (st *stage) mkdir(d string) error {
	if d == st.dir || len(d) < len(st.dir) {
		return nil
	}
	if _, ok := st.dirs.Load(d); ok {
		return nil
	}
	if err := st.mkdir(filepath.Dir(d)); err != nil {
		return err
	}
	if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("build: %w", err)
	}
	st.dirs.Store(d, true)
	return nil
}

// key identifies data by two independent 64-bit hashes and its length.
func (st *stage) key(data []byte) fileKey {
	return fileKey{maphash.Bytes(st.seedA, data), maphash.Bytes(st.seedB, data), len(data)}
}

// write writes data at rel (slash-separated, relative to the staging
// folder), hard-linking to an earlier identical file when there is one;
// key is st.key(data).
func (st *stage) write(rel string, data []byte, key fileKey) error {
	path := filepath.Join(st.dir, filepath.FromSlash(rel))
	if err := st.mkdirs(path); err != nil {
		return err
	}
	if st.linkSeen(key, path) {
		return nil
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	st.mu.Lock()
	st.files++
	st.mu.Unlock()
	return nil
}

// linkSeen records path as the first file with key, or hard-links path to
// the first one. It reports whether it linked; when the link fails (the
// first file not created yet, a file system without links) the caller
// writes the file itself.
func (st *stage) linkSeen(key fileKey, path string) bool {
	st.mu.Lock()
	first, dup := st.seen[key]
	if !dup {
		st.seen[key] = path
	}
	st.mu.Unlock()
	return dup && st.linkTo(first, path)
}

// linkTo hard-links path to first, counting the link; false when it fails.
func (st *stage) linkTo(first, path string) bool {
	if os.Link(first, path) != nil {
		return false
	}
	st.mu.Lock()
	st.links++
	st.mu.Unlock()
	return true
}

// copyFile copies the source file src to rel, once for all builds: later
// builds get a hard link to the first copy.
func (st *stage) copyFile(rel, src string) error {
	path := filepath.Join(st.dir, filepath.FromSlash(rel))
	if err := st.mkdirs(path); err != nil {
		return err
	}
	key := fileKey{a: maphash.String(st.seedA, src), b: maphash.String(st.seedB, src), n: -1}
	if st.linkSeen(key, path) {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	defer in.Close()
	outf, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if _, err := io.Copy(outf, in); err != nil {
		outf.Close()
		return fmt.Errorf("build: %w", err)
	}
	if err := outf.Close(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	st.mu.Lock()
	st.files++
	st.mu.Unlock()
	return nil
}

// discard removes the staging folder.
func (st *stage) discard() { os.RemoveAll(st.dir) }

// publish swaps the staging folder in as the output. Where the system
// can exchange two paths atomically (Linux renameat2), readers see either
// the old or the new output, never neither; the previous output is kept as
// .NAME.prev until the next build, so a server still reading it finishes
// its requests.
func (st *stage) publish() error {
	if _, err := os.Lstat(st.out); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(st.dir, st.out); err != nil {
			return fmt.Errorf("build: publish: %w", err)
		}
		return nil
	}
	if err := os.RemoveAll(st.prev); err != nil {
		return fmt.Errorf("build: publish: %w", err)
	}
	err := unix.Renameat2(unix.AT_FDCWD, st.dir, unix.AT_FDCWD, st.out, unix.RENAME_EXCHANGE)
	if err == nil {
		if err := os.Rename(st.dir, st.prev); err != nil {
			return fmt.Errorf("build: publish: keep previous output: %w", err)
		}
		return nil
	}
	// No atomic exchange here: two renames, with a moment without output.
	if err := os.Rename(st.out, st.prev); err != nil {
		return fmt.Errorf("build: publish: %w", err)
	}
	if err := os.Rename(st.dir, st.out); err != nil {
		_ = os.Rename(st.prev, st.out)
		return fmt.Errorf("build: publish: %w", err)
	}
	return nil
}

// rel joins a build folder and a path in it.
func rel(dir, p string) string { return dir + "/" + strings.TrimPrefix(p, "/") }
