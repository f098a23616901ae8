// Package cache is facet's persistent build cache: content-addressed
// entries in a folder on disk that one build leaves for the next (what CI
// keeps between runs).
//
// An entry is one file named by the SHA-256 of its kind, the cache's
// version key (facet's version and the cache format) and the caller's key
// material; it holds a header (magic, format, version key, entry key), the
// payload and a SHA-256 of all that. Get returns a payload only when every
// part checks out: a missing, truncated, edited, foreign (another format or
// facet version) or misplaced entry is a miss, never an error, and the next
// Put rewrites it. Entries are written to a temporary file and renamed into
// place, so that two builds sharing a cache never read half an entry.
//
// The cache is bounded: Prune deletes the least recently used entries
// (by modification time, refreshed on use) until the total size is under
// the limit.
//
// It knows nothing of pages or builds: callers choose kinds and keys.
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// Format is the version of the on-disk layout and entry encoding. A
// change to either, or to what any caller stores, bumps it.
const Format = 1

// DefaultLimit is the default bound on the cache's total size, in bytes.
const DefaultLimit = 1 << 30

// magic opens every entry file.
var magic = [8]byte{'F', 'A', 'C', 'E', 'T', 'C', 'A', 'C'}

// headerSize is magic, format, version key and entry key.
const headerSize = 8 + 4 + sha256.Size + sha256.Size

// touchAfter is how old an entry's modification time may grow before a
// hit refreshes it (its last use, for Prune).
const touchAfter = time.Hour

// entriesDir is the folder of entries under the cache folder, named by
// the format so that another format's entries are never opened.
var entriesDir = fmt.Sprintf("v%d", Format)

// Key is a SHA-256 naming an entry.
type Key [sha256.Size]byte

// Cache is an open cache folder. It is safe for concurrent use, also by
// several processes sharing the folder.
type Cache struct {
	dir     string
	version [sha256.Size]byte
	limit   int64

	hits, misses, puts, bad atomic.Int64
	putBytes                atomic.Int64 // bytes of the entries Put wrote
}

// Stats counts what a cache did since Open.
type Stats struct {
	// Hits and Misses count Get calls; Bad counts the misses on an entry
	// that was there but did not check out (truncated, edited, foreign).
	Hits, Misses, Bad int64
	// Puts counts the entries written.
	Puts int64
}

// Open opens (creating it if needed) the cache folder dir for facet
// version key version (see Version); limit bounds its size in bytes (0
// for DefaultLimit). It writes a .gitignore that ignores the folder and a
// CACHEDIR.TAG, so that git and backup tools leave it out.
func Open(dir, version string, limit int64) (*Cache, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if err := os.MkdirAll(filepath.Join(dir, entriesDir), 0o755); err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	for name, text := range map[string]string{
		".gitignore":   "# facet's build cache: safe to delete, never content\n*\n",
		"CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n# facet's build cache: safe to delete.\n",
	} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			if err := writeAtomic(p, []byte(text)); err != nil {
				return nil, fmt.Errorf("open cache: %w", err)
			}
		}
	}
	c := &Cache{dir: dir, limit: limit}
	c.version = sha256.Sum256(fmt.Appendf(nil, "facet cache format %d\x00%s", Format, version))
	return c, nil
}

// Dir is the cache folder.
func (c *Cache) Dir() string { return c.dir }

// Stats returns the counts since Open.
func (c *Cache) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bad: c.bad.Load(), Puts: c.puts.Load()}
}

// KeyOf names the entry of kind for the key material parts (each part
// length-prefixed, so that no two lists of parts collide).
func (c *Cache) KeyOf(kind string, parts ...[]byte) Key {
	h := sha256.New()
	h.Write(c.version[:])
	var n [8]byte
	for _, p := range append([][]byte{[]byte(kind)}, parts...) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

// path is where the entry named k lives.
func (c *Cache) path(k Key) string {
	s := hex.EncodeToString(k[:])
	return filepath.Join(c.dir, entriesDir, s[:2], s)
}

// Get returns the payload of the entry named k, or false when there is no
// entry that checks out. A nil Cache has nothing.
func (c *Cache) Get(k Key) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	p := c.path(k)
	f, err := os.Open(p)
	if err != nil {
		c.misses.Add(1)
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() < headerSize+8+sha256.Size || st.Size() > 1<<31 {
		c.miss(true)
		return nil, false
	}
	buf := make([]byte, st.Size())
	if _, err := io.ReadFull(f, buf); err != nil {
		c.miss(true)
		return nil, false
	}
	payload, ok := c.decode(k, buf)
	if !ok {
		c.miss(true)
		return nil, false
	}
	c.hits.Add(1)
	if now := time.Now(); now.Sub(st.ModTime()) > touchAfter {
		_ = os.Chtimes(p, now, now)
	}
	return payload, true
}

func (c *Cache) miss(bad bool) {
	c.misses.Add(1)
	if bad {
		c.bad.Add(1)
	}
}

// decode checks an entry file's bytes against k and returns its payload.
func (c *Cache) decode(k Key, buf []byte) ([]byte, bool) {
	body, sum := buf[:len(buf)-sha256.Size], buf[len(buf)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, false
	}
	h := body[:headerSize]
	if !bytes.Equal(h[:8], magic[:]) || binary.LittleEndian.Uint32(h[8:12]) != Format ||
		!bytes.Equal(h[12:12+sha256.Size], c.version[:]) || !bytes.Equal(h[12+sha256.Size:], k[:]) {
		return nil, false
	}
	rest := body[headerSize:]
	n := binary.LittleEndian.Uint64(rest[:8])
	if n != uint64(len(rest)-8) {
		return nil, false
	}
	return rest[8:], true
}

// encode makes the file bytes of an entry.
func (c *Cache) encode(k Key, payload []byte) []byte {
	buf := make([]byte, 0, headerSize+8+len(payload)+sha256.Size)
	buf = append(buf, magic[:]...)
	buf = binary.LittleEndian.AppendUint32(buf, Format)
	buf = append(buf, c.version[:]...)
	buf = append(buf, k[:]...)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(payload)))
	buf = append(buf, payload...)
	sum := sha256.Sum256(buf)
	return append(buf, sum[:]...)
}

// Put stores payload as the entry named k, replacing what was there. A
// cache that cannot be written is only slower: Put reports the error for
// callers that want to say so, and callers may ignore it. A nil Cache
// stores nothing.
func (c *Cache) Put(k Key, payload []byte) error {
	if c == nil {
		return nil
	}
	p := c.path(k)
	data := c.encode(k, payload)
	if err := writeAtomic(p, data); err != nil {
		// the entry's shard folder is made on first use
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("cache put: %w", err)
		}
		if err := writeAtomic(p, data); err != nil {
			return fmt.Errorf("cache put: %w", err)
		}
	}
	c.puts.Add(1)
	c.putBytes.Add(int64(len(data)))
	return nil
}

// Delete removes the entry named k; an entry that is not there is no
// error. A caller deletes an entry that a step about to start would make
// untrue, so that a step cut short leaves no entry behind that claims it.
func (c *Cache) Delete(k Key) error {
	if c == nil {
		return nil
	}
	if err := os.Remove(c.path(k)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cache delete: %w", err)
	}
	return nil
}

// writeAtomic writes data to a temporary file beside name and renames it
// into place.
func writeAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
