package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/facet-docs/facet/internal/store"
)

// DefaultDiskCacheBytes is the default bound of the disk cache of objects
// read from a store.
const DefaultDiskCacheBytes = 1 << 30

// objectCache keeps objects read from the store on disk, named by their
// SHA-256 (so generations share them), within a byte bound: past it the
// least recently used are removed (a reader holding one open keeps
// reading it). Every object is checked against its name when downloaded.
type objectCache struct {
	st    *store.Store
	dir   string
	limit int64

	mu       sync.Mutex
	entries  map[string]*cached
	bytes    int64
	inflight map[string]chan struct{}
}

type cached struct {
	size int64
	used time.Time
}

// newObjectCache uses dir (created when missing), keeping the objects a
// previous run left there.
func newObjectCache(st *store.Store, dir string, limit int64) (*objectCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("gateway: cache: %w", err)
	}
	c := &objectCache{st: st, dir: dir, limit: limit, entries: map[string]*cached{}, inflight: map[string]chan struct{}{}}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("gateway: cache: %w", err)
	}
	for _, de := range des {
		fi, err := de.Info()
		switch {
		case err != nil:
		case store.ValidHash(de.Name()) && fi.Mode().IsRegular():
			c.entries[de.Name()] = &cached{size: fi.Size(), used: fi.ModTime()}
			c.bytes += fi.Size()
		default:
			_ = os.Remove(filepath.Join(dir, de.Name())) // a download cut short
		}
	}
	c.mu.Lock()
	c.evict("")
	c.mu.Unlock()
	return c, nil
}

// open returns the object hash, downloading it first when the cache lacks
// it. One download per object runs at a time.
func (c *objectCache) open(ctx context.Context, hash string) (*os.File, error) {
	for {
		c.mu.Lock()
		if e := c.entries[hash]; e != nil {
			e.used = time.Now()
			c.mu.Unlock()
			f, err := os.Open(filepath.Join(c.dir, hash))
			if err == nil {
				return f, nil
			}
			c.forget(hash)
			continue
		}
		if wait, ok := c.inflight[hash]; ok {
			c.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		c.inflight[hash] = done
		c.mu.Unlock()
		size, err := c.download(ctx, hash)
		c.mu.Lock()
		delete(c.inflight, hash)
		close(done)
		if err == nil {
			c.entries[hash] = &cached{size: size, used: time.Now()}
			c.bytes += size
			c.evict(hash)
		}
		c.mu.Unlock()
		if err != nil {
			return nil, err
		}
	}
}

// download copies the object into the cache folder, checking its hash.
func (c *objectCache) download(ctx context.Context, hash string) (int64, error) {
	r, err := c.st.Reader(ctx, store.ObjectKey(hash))
	if err != nil {
		return 0, err
	}
	defer r.Close()
	tmp, err := os.CreateTemp(c.dir, ".download-")
	if err != nil {
		return 0, fmt.Errorf("gateway: cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("gateway: cache: %s: %w", hash, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != hash {
		return 0, errors.New("gateway: cache: object " + hash + " does not hold the bytes its name says")
	}
	if err := os.Rename(tmp.Name(), filepath.Join(c.dir, hash)); err != nil {
		return 0, fmt.Errorf("gateway: cache: %w", err)
	}
	return n, nil
}

func (c *objectCache) forget(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[hash]; e != nil {
		c.bytes -= e.size
		delete(c.entries, hash)
	}
}

// evict removes the least recently used objects, keep apart, until the
// cache fits its bound. c.mu is held.
func (c *objectCache) evict(keep string) {
	if c.bytes <= c.limit {
		return
	}
	hashes := make([]string, 0, len(c.entries))
	for h := range c.entries {
		hashes = append(hashes, h)
	}
	slices.SortFunc(hashes, func(a, b string) int { return c.entries[a].used.Compare(c.entries[b].used) })
	for _, h := range hashes {
		if c.bytes <= c.limit {
			return
		}
		if h == keep {
			continue
		}
		_ = os.Remove(filepath.Join(c.dir, h))
		c.bytes -= c.entries[h].size
		delete(c.entries, h)
	}
}

// prefetchWorkers is how many objects a prefetch downloads at once.
const prefetchWorkers = 8

// prefetch downloads the objects of builds the cache lacks, unless they
// would not fit its bound together (then files are read on first use).
func (c *objectCache) prefetch(ctx context.Context, builds map[string]*indexFS) error {
	sizes := map[string]int64{}
	for _, b := range builds {
		for _, e := range b.ix.Files {
			sizes[e.Hash] = e.Size
		}
	}
	var total int64
	var missing []string
	c.mu.Lock()
	for h, n := range sizes {
		total += n
		if c.entries[h] == nil {
			missing = append(missing, h)
		}
	}
	c.mu.Unlock()
	if total > c.limit {
		return nil
	}
	var g errgroup.Group
	g.SetLimit(prefetchWorkers)
	for _, h := range missing {
		g.Go(func() error {
			f, err := c.open(ctx, h)
			if err != nil {
				return err
			}
			f.Close()
			return nil
		})
	}
	return g.Wait()
}
