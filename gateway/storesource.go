package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"time"

	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/store"
)

// StoreCache is the local cache of a gateway serving from an object store.
type StoreCache struct {
	// Dir holds the objects read from the store (required); objects a
	// previous run left there are used again.
	Dir string
	// Bytes bounds the objects kept in Dir (default
	// DefaultDiskCacheBytes); past it the least recently used go.
	Bytes int64
	// Replica names this gateway's file of wanted combinations in the
	// store (wanted/REPLICA.json); default random per process.
	Replica string
}

// NewFromStore returns a gateway serving the generations published to st
// by facet publish: it follows the store's pointer (current.json), reads
// each generation's manifest, rules and build indexes, and reads files
// through a disk cache of objects (cache) and the in-memory file cache of
// each generation (WithCacheBytes). A store that stops answering leaves
// the last good generation served and marks it stale in /healthz and the
// metrics. The store must hold a published generation, unless it has none
// yet (then healthz answers 503 until one is).
func NewFromStore(cfg *config.Gateway, st *store.Store, cache StoreCache, opts ...Option) (*Server, error) {
	if cache.Dir == "" {
		return nil, errors.New("gateway: no cache folder for the store's objects")
	}
	if cache.Bytes <= 0 {
		cache.Bytes = DefaultDiskCacheBytes
	}
	if cache.Replica == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		cache.Replica = hex.EncodeToString(b)
	}
	if !store.ValidGeneration(cache.Replica) {
		return nil, fmt.Errorf("gateway: replica name %q must be letters, digits, '.', '_' or '-'", cache.Replica)
	}
	oc, err := newObjectCache(st, cache.Dir, cache.Bytes)
	if err != nil {
		return nil, err
	}
	return newServer(cfg, &storeSource{st: st, cache: oc, replica: cache.Replica}, opts)
}

// storeSource reads generations from an object store.
type storeSource struct {
	st      *store.Store
	cache   *objectCache
	replica string
}

func (s *storeSource) watchDir() string { return "" }
func (s *storeSource) remote() bool     { return true }
func (s *storeSource) String() string   { return s.st.Location().String() }

func (s *storeSource) generation(ctx context.Context) (string, *store.Pointer, error) {
	p, err := s.st.ReadPointer(ctx)
	if err != nil {
		return "", nil, err
	}
	return p.Generation, p, nil
}

// supersedes reports whether the pointer next may replace cur, the
// pointer of the generation served (nil: none is). A pointer that names
// cur (generation and time) in its history was published after it: it
// may. One that cur names in its history was replaced before cur was
// published: it may not. Otherwise the publication times decide: next may
// unless it was published before cur. A pointer that may not is an
// earlier publication's, read stale (an eventually consistent store, a
// cache before it, or a publication that lost a race): its generation may
// still hold what the one served removed (a page hidden since, a guest or
// a group dropped), so a replica never swaps back to it. Times that do
// not parse cannot be compared, and do not stop a swap.
func supersedes(next, cur *store.Pointer) bool {
	if cur == nil || next == nil {
		return true
	}
	names := func(p, q *store.Pointer) bool {
		return slices.ContainsFunc(p.History, func(h store.Published) bool {
			return h.Generation == q.Generation && h.Published == q.Published
		})
	}
	switch {
	case names(next, cur):
		return true
	case names(cur, next):
		return false
	}
	at, err1 := time.Parse(time.RFC3339, next.Published)
	curAt, err2 := time.Parse(time.RFC3339, cur.Published)
	return err1 != nil || err2 != nil || !at.Before(curAt)
}

// open reads the pointer, then the generation it names: manifest.json,
// rules.json and every build's index, and downloads the generation's
// objects the disk cache lacks (when they fit its bound), all before
// anything of it is served: so a swap never waits on the store, and a
// store that stops answering later leaves the generation whole.
func (s *storeSource) open(ctx context.Context) (*snapshot, error) {
	p, err := s.st.ReadPointer(ctx)
	if err != nil {
		return nil, err
	}
	meta := memFS{}
	for _, name := range []string{manifest.ManifestFile, manifest.RulesFile} {
		b, err := s.st.Get(ctx, store.GenerationKey(p.Generation, name))
		if err != nil {
			return nil, err
		}
		meta[name] = b
	}
	builds := map[string]*indexFS{}
	for _, dir := range p.Builds {
		ix, err := s.st.ReadIndex(ctx, p.Generation, dir)
		if err != nil {
			return nil, err
		}
		builds[dir] = &indexFS{ix: ix, folders: ix.Folders(), cache: s.cache}
	}
	release, err := s.cache.prefetch(ctx, builds)
	if err != nil {
		return nil, err
	}
	return &snapshot{
		pointer: p,
		meta:    meta,
		build: func(dir string) (fs.FS, error) {
			b, ok := builds[dir]
			if !ok {
				return nil, fmt.Errorf("gateway: store: generation %s has no index for build %s", p.Generation, dir)
			}
			return b, nil
		},
		wanted: s.recordWanted,
		close:  release,
	}, nil
}

// recordWanted applies touch to this replica's wanted file in the store;
// the next facet publish merges every replica's file.
func (s *storeSource) recordWanted(touch func(*manifest.Wanted)) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key := store.WantedKey(s.replica)
	var cur manifest.Wanted
	b, err := s.st.Get(ctx, key)
	switch {
	case err == nil:
		if json.Unmarshal(b, &cur) != nil {
			cur = manifest.Wanted{}
		}
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("gateway: read wanted: %w", err)
	}
	touch(&cur)
	out, err := json.MarshalIndent(cur, "", "  ")
	if err != nil {
		return fmt.Errorf("gateway: encode wanted: %w", err)
	}
	return s.st.PutBytes(ctx, key, append(out, '\n'), "application/json")
}

// objectTimeout bounds reading one object from the store.
const objectTimeout = time.Minute

// indexFS is a build as its index in the store describes it: files are
// the index's objects, read through the disk cache; folders are those
// the files' paths imply.
type indexFS struct {
	ix      *store.Index
	folders map[string]bool
	cache   *objectCache
}

func (b *indexFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." || b.folders[name] {
		return newMemDir(path.Base(name)), nil
	}
	e, ok := b.ix.Files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	ctx, cancel := context.WithTimeout(context.Background(), objectTimeout)
	defer cancel()
	f, err := b.cache.open(ctx, e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

var (
	_ source = (*storeSource)(nil)
	_ source = diskSource{}
	_ fs.FS  = (*indexFS)(nil)
)
