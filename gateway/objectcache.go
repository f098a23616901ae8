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
// reading it), never an object pinned by a generation that prefetched it
// (see prefetch). Every object is checked against its name before it is
// served: when downloaded, and, for an object a previous run left in the
// folder, on its first use in this process (a file that does not hold
// the bytes its name says, from a copy cut short, a disk that lost
// writes or another program, would serve one file's bytes in place of
// another's, another build's page included: it is removed and fetched
// again).
type objectCache struct {
	st    *store.Store
	dir   string
	limit int64

	mu       sync.Mutex
	entries  map[string]*cached
	bytes    int64
	inflight map[string]chan struct{}
	// pinned are the objects of the generations whose prefetch holds them
	// on disk, each with the count of such generations and its size. Their
	// sizes together never pass limit.
	pinned map[string]*pin
}

// pin is one object pinned by count generations.
type pin struct {
	count int
	size  int64
}

type cached struct {
	size int64
	used time.Time
	// checked is set once the file is known to hold the bytes its name
	// says: downloaded here, or read and hashed since this process began.
	checked bool
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
// it, or holds a file of a previous run that does not hash to its name.
// One download per object runs at a time.
func (c *objectCache) open(ctx context.Context, hash string) (*os.File, error) {
	for {
		c.mu.Lock()
		if e := c.entries[hash]; e != nil {
			e.used = time.Now()
			checked := e.checked
			c.mu.Unlock()
			f, err := os.Open(filepath.Join(c.dir, hash))
			if err == nil && !checked {
				if err = c.check(f, hash); err != nil {
					f.Close()
					c.discard(hash)
					continue
				}
			}
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
			c.entries[hash] = &cached{size: size, used: time.Now(), checked: true}
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

// check reads f, a file of a previous run, and reports an error unless it
// hashes to its name; when it does, the entry is marked checked and f is
// rewound.
func (c *objectCache) check(f *os.File, hash string) error {
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if hex.EncodeToString(h.Sum(nil)) != hash {
		return errors.New("gateway: cache: object " + hash + " left by a previous run does not hold the bytes its name says")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	c.mu.Lock()
	if e := c.entries[hash]; e != nil {
		e.checked = true
	}
	c.mu.Unlock()
	return nil
}

// discard removes a file that does not hold its object and forgets it.
func (c *objectCache) discard(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[hash]; e != nil && !e.checked {
		_ = os.Remove(filepath.Join(c.dir, hash))
		c.bytes -= e.size
		delete(c.entries, hash)
	}
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
		if h == keep || c.pinned[h] != nil {
			continue
		}
		_ = os.Remove(filepath.Join(c.dir, h))
		c.bytes -= c.entries[h].size
		delete(c.entries, h)
	}
}

// prefetchWorkers is how many objects a prefetch downloads at once.
const prefetchWorkers = 8

// prefetch downloads the objects of builds the cache lacks and pins them
// all until release is called (when the generation is closed): so a
// generation swapped in stays whole on disk while it is served, whatever
// later downloads (another generation's prefetch, which may fail halfway
// when the store stops answering) need room. It does so only when the
// objects fit the bound beside those pinned already; otherwise nothing is
// pinned and files are read on first use. On error nothing stays pinned.
func (c *objectCache) prefetch(ctx context.Context, builds map[string]*indexFS) (release func(), err error) {
	sizes := map[string]int64{}
	for _, b := range builds {
		for _, e := range b.ix.Files {
			sizes[e.Hash] = e.Size
		}
	}
	var missing []string
	c.mu.Lock()
	total := int64(0)
	for _, p := range c.pinned {
		total += p.size
	}
	for h, n := range sizes {
		if c.pinned[h] == nil {
			total += n
		}
		if e := c.entries[h]; e == nil || !e.checked {
			missing = append(missing, h) // fetched, or checked, before the swap
		}
	}
	if total > c.limit {
		c.mu.Unlock()
		return func() {}, nil
	}
	if c.pinned == nil {
		c.pinned = map[string]*pin{}
	}
	for h, n := range sizes {
		if p := c.pinned[h]; p != nil {
			p.count++
		} else {
			c.pinned[h] = &pin{count: 1, size: n}
		}
	}
	c.mu.Unlock()
	var once sync.Once
	release = func() { once.Do(func() { c.unpin(sizes) }) }
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
	if err := g.Wait(); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// unpin releases one generation's pin of each object of sizes, then
// evicts what the bound no longer allows.
func (c *objectCache) unpin(sizes map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h := range sizes {
		if p := c.pinned[h]; p != nil {
			if p.count--; p.count == 0 {
				delete(c.pinned, h)
			}
		}
	}
	c.evict("")
}
