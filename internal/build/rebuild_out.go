package build

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// An incremental rebuild writes into the published output in place: every
// file is rendered (or, on the fast path, only the files that can have
// changed), compared by content with what the output holds, and verified,
// all in memory; then the files that differ are written beside their
// place and renamed over it (atomic per file, and a file hard-linked to
// others gets a new inode instead of changing them all), files no build
// holds any more are removed, and manifest.json goes last with a new
// generation. Bad input stops the rebuild before the first write, so the
// output stays as it was.

// attSig is what a rebuild knows of an attachment's source file.
type attSig struct {
	size int64
	mod  time.Time
	key  fileKey
}

// contentKeys computes content keys with the builder's seeds, and those of
// attachments' source files once per run.
type contentKeys struct {
	seedA, seedB maphash.Seed
	prev         map[string]attSig // the previous run's, nil for none
	changed      map[string]bool   // source files reported changed
	mu           sync.Mutex
	atts         map[string]attSig
	// published, when set, makes atts the only keys: an attachment it
	// lacks is an error, never read (publishedKeys).
	published bool
}

func (b *Builder) newKeys(prev map[string]attSig, changed map[string]bool) *contentKeys {
	return &contentKeys{seedA: b.seedA, seedB: b.seedB, prev: prev, changed: changed, atts: map[string]attSig{}}
}

func (k *contentKeys) key(data []byte) fileKey {
	return fileKey{maphash.Bytes(k.seedA, data), maphash.Bytes(k.seedB, data), len(data)}
}

// publishedKeys gives each attachment the key it was published with
// (atts, a snapshot's), and refuses any other.
func (b *Builder) publishedKeys(atts map[string]attSig) *contentKeys {
	k := b.newKeys(nil, nil)
	maps.Copy(k.atts, atts)
	k.published = true
	return k
}

// attachment returns the key of the source file at site path file (src on
// disk): the previous run's when the file is unchanged since, else read.
func (k *contentKeys) attachment(file, src string) (fileKey, error) {
	k.mu.Lock()
	sig, ok := k.atts[file]
	k.mu.Unlock()
	if ok {
		return sig.key, nil
	}
	if k.published {
		return fileKey{}, fmt.Errorf("build: %s: no published key", file)
	}
	st, err := os.Stat(src)
	if err != nil {
		return fileKey{}, fmt.Errorf("build: %w", err)
	}
	old, had := k.prev[file]
	if had && !k.changed[file] && old.size == st.Size() && old.mod.Equal(st.ModTime()) {
		sig = old
	} else {
		data, err := os.ReadFile(src)
		if err != nil {
			return fileKey{}, fmt.Errorf("build: %w", err)
		}
		sig = attSig{size: st.Size(), mod: st.ModTime(), key: k.key(data)}
		sig.key.n = -1 - sig.key.n // never equal to a rendered file's key
	}
	k.mu.Lock()
	k.atts[file] = sig
	k.mu.Unlock()
	return sig.key, nil
}

// outputs is every file of the published builds (manifest, rules and
// wanted.json aside) by slash path under the output folder, with its key.
type outputs map[string]fileKey

// recorder passes a full build's files to its stage and records their keys.
type recorder struct {
	st   *stage
	keys *contentKeys
	site string
	mu   sync.Mutex
	out  outputs
}

func (b *Builder) newRecorder(st *stage, s *loadedSite) *recorder {
	return &recorder{st: st, keys: b.newKeys(nil, nil), site: s.dir, out: outputs{}}
}

// key is the content key the snapshot keeps (and the verifier's cache
// is keyed by, so that a later rebuild finds its results); the stage
// takes it for its hard links as well.
func (r *recorder) key(data []byte) fileKey { return r.keys.key(data) }

func (r *recorder) write(rel string, data []byte, key fileKey) error {
	r.mu.Lock()
	r.out[rel] = key
	r.mu.Unlock()
	return r.st.write(rel, data, key)
}

func (r *recorder) copyFile(rel, src string) error {
	k, err := r.keys.attachment(siteRel(r.site, src), src)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.out[rel] = k
	r.mu.Unlock()
	return r.st.copyFile(rel, src)
}

// siteRel is src's slash path relative to the site folder.
func siteRel(site, src string) string {
	if r, err := filepath.Rel(site, src); err == nil {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(src)
}

// diff compares the files of a rebuild with the published ones and keeps
// those that differ, to write once everything is verified.
type diff struct {
	keys    *contentKeys
	site    string
	old     outputs
	mu      sync.Mutex
	out     outputs           // every file of the rebuild
	data    map[string][]byte // rendered files to write
	copies  map[string]string // attachments to copy: path -> source
	partial bool              // out holds only the files rendered (fast path)
	gone    map[string]bool   // files removed (fast path)
	removed int               // files apply removed that no build holds (general path)
	// disk, when set, is the output folder whose files old does not list
	// but holds as published (a warm build, warm.go): a file's key is read
	// from there when first asked for, and absent records those it lacks.
	disk   string
	absent map[string]bool
}

// had returns the key of the file published at rel, if any; d.mu is held.
func (d *diff) had(rel string) (fileKey, bool) {
	if k, ok := d.old[rel]; ok || d.disk == "" || d.absent[rel] {
		return k, ok
	}
	data, err := os.ReadFile(filepath.Join(d.disk, filepath.FromSlash(rel)))
	if err != nil {
		if d.absent == nil {
			d.absent = map[string]bool{}
		}
		d.absent[rel] = true
		return fileKey{}, false
	}
	k := d.keys.key(data)
	d.old[rel] = k
	return k, true
}

// published is had, taking d.mu.
func (d *diff) published(rel string) (fileKey, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.had(rel)
}

func (b *Builder) newDiff(old outputs, keys *contentKeys, site string) *diff {
	return &diff{keys: keys, site: site, old: old, out: outputs{}, data: map[string][]byte{}, copies: map[string]string{}, gone: map[string]bool{}}
}

// remove takes the file at rel out of the output (fast path: the full
// path leaves out what no build writes).
func (d *diff) remove(rel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.out, rel)
	delete(d.data, rel)
	if _, ok := d.had(rel); ok {
		d.gone[rel] = true
	}
}

// keep records the file at rel as it is published, with content key key
// (a build read back, rebuild_reuse.go).
func (d *diff) keep(rel string, key fileKey) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.out[rel] = key
	delete(d.gone, rel)
}

// forget makes the rebuild write the file at rel whatever its bytes: the
// output folder does not hold what was published there.
func (d *diff) forget(rel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.old, rel)
}

// pending returns the bytes of the file at rel as this rebuild has it so
// far: written (ok, data), removed (ok, nil), or as published (!ok).
func (d *diff) pending(rel string) (data []byte, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if data, ok := d.data[rel]; ok {
		return data, true
	}
	return nil, d.gone[rel]
}

func (d *diff) key(data []byte) fileKey { return d.keys.key(data) }

// write takes data at rel; k is d.key(data), as every caller has it.
func (d *diff) write(rel string, data []byte, k fileKey) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.out[rel] = k
	delete(d.gone, rel)
	if old, ok := d.had(rel); !ok || old != k {
		d.data[rel] = slices.Clone(data)
	} else {
		delete(d.data, rel)
	}
	return nil
}

func (d *diff) copyFile(rel, src string) error {
	k, err := d.keys.attachment(siteRel(d.site, src), src)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.out[rel] = k
	if old, ok := d.had(rel); !ok || old != k {
		d.copies[rel] = src
	}
	return nil
}

// paths lists the files apply wrote or removed, sorted.
func (d *diff) paths() []string {
	out := sortedKeys(d.gone)
	out = append(out, sortedKeys(d.data)...)
	out = append(out, sortedKeys(d.copies)...)
	slices.Sort(out)
	return slices.Compact(out)
}

// changes is the number of files the rebuild wrote or removed; called
// after apply.
func (d *diff) changes() int {
	return len(d.data) + len(d.copies) + len(d.gone) + d.removed
}

// apply writes the differing files into the output folder out and removes
// those no build holds any more; it returns the outputs now published.
func (d *diff) apply(out string) (outputs, error) {
	now := d.out
	if d.partial {
		now = d.old // the snapshot that held it is dropped (publishInPlace)
		for rel, k := range d.out {
			now[rel] = k
		}
		for _, rel := range sortedKeys(d.gone) {
			delete(now, rel)
			if err := removeOutput(out, rel); err != nil {
				return nil, err
			}
		}
	} else {
		var gone []string
		for rel := range d.old {
			if _, ok := d.out[rel]; !ok {
				gone = append(gone, rel)
			}
		}
		slices.Sort(gone)
		for _, rel := range slices.Backward(gone) {
			if err := removeOutput(out, rel); err != nil {
				return nil, err
			}
		}
		d.removed = len(gone)
	}
	for _, rel := range sortedKeys(d.data) {
		if err := replaceFile(out, rel, func(w io.Writer) error { _, err := w.Write(d.data[rel]); return err }); err != nil {
			return nil, err
		}
	}
	for _, rel := range sortedKeys(d.copies) {
		err := replaceFile(out, rel, func(w io.Writer) error {
			in, err := os.Open(d.copies[rel])
			if err != nil {
				return err
			}
			defer in.Close()
			_, err = io.Copy(w, in)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return now, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// replaceFile writes the file rel under out through fill, to a temporary
// name beside it renamed over it. A file standing where rel needs a
// folder is removed first.
func replaceFile(out, rel string, fill func(io.Writer) error) error {
	path := filepath.Join(out, filepath.FromSlash(rel))
	dir := filepath.Dir(path)
	if err := mkdirOver(out, dir); err != nil {
		return err
	}
	if st, err := os.Lstat(path); err == nil && st.IsDir() {
		if err := os.RemoveAll(path); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	f, err := createBeside(dir)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	err = fill(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("build: %w", err)
	}
	return nil
}

// createBeside creates a new file of a temporary name in dir, with the
// mode a full build's files get (0644 less the umask).
func createBeside(dir string) (*os.File, error) {
	for {
		name := filepath.Join(dir, fmt.Sprintf(".facet-%d", rand.Uint64()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// mkdirOver creates dir under out, removing files that stand where a
// folder is needed.
func mkdirOver(out, dir string) error {
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		return nil
	}
	for d := dir; len(d) > len(out); d = filepath.Dir(d) {
		if st, err := os.Lstat(d); err == nil && !st.IsDir() {
			if err := os.Remove(d); err != nil {
				return fmt.Errorf("build: %w", err)
			}
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	return nil
}

// removeOutput removes the file rel under out and the folders it leaves
// empty, up to the output folder.
func removeOutput(out, rel string) error {
	path := filepath.Join(out, filepath.FromSlash(rel))
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("build: %w", err)
	}
	for d := filepath.Dir(path); len(d) > len(out) && strings.HasPrefix(d, out); d = filepath.Dir(d) {
		if os.Remove(d) != nil {
			break
		}
	}
	return nil
}
