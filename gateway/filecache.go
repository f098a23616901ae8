package gateway

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Cache sizes.
const (
	// DefaultCacheBytes is the default budget of file bytes kept in memory
	// per generation.
	DefaultCacheBytes = 64 << 20
	// maxCachedFile is the largest file kept in memory; larger ones are
	// streamed from the build folder on each request.
	maxCachedFile = 1 << 20
	// maxPathBytes bounds the memory spent remembering paths (found or
	// not), file bodies apart: requests for unique paths, which anyone can
	// send, never grow the process beyond it.
	maxPathBytes = 16 << 20
	// entryOverhead is the accounted cost of one remembered path besides
	// its name: the map slot, the key and the asset with its tag.
	entryOverhead = 192
)

type assetKind uint8

const (
	assetMissing assetKind = iota
	assetFile
	assetDir
)

// asset is what the cache knows of one path of one build.
type asset struct {
	kind assetKind
	// body holds the whole file when it is small enough; nil otherwise.
	body []byte
	size int64
	// etag is derived from the content alone (and whether it is a
	// precompressed copy): the same bytes get the same tag in every build,
	// so a tag names no build, and a 304 never confirms another build's
	// different copy, since different bytes get different tags.
	etag  string
	ctype string
	// The header values of the asset, built once so that a response
	// allocates none: Content-Type, ETag and, for a body kept in memory,
	// Content-Length. Read-only once the asset is cached.
	hvType, hvTag, hvLength []string
}

type cacheKey struct {
	build int
	name  string
}

// missingAsset is the one asset every path a build lacks shares.
var missingAsset = &asset{kind: assetMissing}

// fileCache keeps small files, and what is known of every path asked for,
// of one generation. Its memory is bounded by bytes in two budgets: file
// bodies (limit; past it new files are streamed rather than kept, with no
// eviction, as a generation lives until the next build and documentation
// sites mostly fit) and remembered paths (pathLimit: names and entries).
// When the paths fill their budget and missing paths hold half of it or
// more, every missing path is forgotten; otherwise new paths are answered
// without being remembered. A path asked for again is read without a lock
// (entries is a sync.Map: written once a path, read on every request).
type fileCache struct {
	entries sync.Map // cacheKey → *asset
	// mu guards the budgets, and orders the writes of entries.
	mu           sync.Mutex
	bytes        int64 // file bodies kept
	limit        int64
	pathBytes    int64 // names and entries, missing paths included
	missingBytes int64 // the part of pathBytes spent on missing paths
	pathLimit    int64
}

func newFileCache(limit int64) *fileCache {
	return &fileCache{limit: limit, pathLimit: maxPathBytes}
}

// pathCost is the accounted memory of remembering name, body apart.
func pathCost(name string) int64 { return entryOverhead + int64(len(name)) }

// get returns the asset at name in build b. Only errors other than "not
// there" are returned; those are not cached.
func (c *fileCache) get(b *servedBuild, name string) (*asset, error) {
	k := cacheKey{b.index, name}
	if a, ok := c.entries.Load(k); ok {
		return a.(*asset), nil
	}
	a, err := loadAsset(b, name, c.fits)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.entries.Load(k); ok {
		return prev.(*asset), nil
	}
	c.keep(k, a)
	return a, nil
}

// keep remembers a at k when both budgets allow. c.mu is held.
func (c *fileCache) keep(k cacheKey, a *asset) {
	cost := pathCost(k.name)
	if c.pathBytes+cost > c.pathLimit && c.missingBytes >= c.pathLimit/2 {
		c.forgetMissing()
	}
	if c.pathBytes+cost > c.pathLimit || c.bytes+int64(len(a.body)) > c.limit {
		return
	}
	c.entries.Store(k, a)
	c.bytes += int64(len(a.body))
	c.pathBytes += cost
	if a.kind == assetMissing {
		c.missingBytes += cost
	}
}

// forgetMissing drops every remembered missing path. c.mu is held.
func (c *fileCache) forgetMissing() {
	for k, a := range c.entries.Range {
		if a.(*asset).kind == assetMissing {
			c.entries.Delete(k)
		}
	}
	c.pathBytes -= c.missingBytes
	c.missingBytes = 0
}

// fits reports whether n more bytes would fit the budget now.
func (c *fileCache) fits(n int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes+n <= c.limit
}

// loadAsset opens name through the build's file system (on disk a root,
// so nothing outside the build, and no symlink leading out of it, can be
// reached).
func loadAsset(b *servedBuild, name string, fits func(int64) bool) (*asset, error) {
	f, err := b.fsys.Open(name)
	if err != nil {
		if notThere(err) {
			return missingAsset, nil
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return &asset{kind: assetDir}, nil
	}
	if !fi.Mode().IsRegular() {
		return missingAsset, nil
	}
	a := &asset{kind: assetFile, size: fi.Size(), ctype: contentType(name)}
	h := sha256.New()
	h.Write([]byte(codingMark(name)))
	h.Write([]byte{0})
	if fi.Size() <= maxCachedFile && fits(fi.Size()) {
		body, err := io.ReadAll(io.LimitReader(f, maxCachedFile+1))
		if err != nil {
			return nil, err
		}
		a.body, a.size = body, int64(len(body))
		h.Write(body)
	} else if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	if a.ctype == "" {
		a.ctype = sniff(a.body)
	}
	a.etag = `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
	a.hvType, a.hvTag = []string{a.ctype}, []string{a.etag}
	if a.body != nil {
		a.hvLength = []string{strconv.Itoa(len(a.body))}
	}
	return a, nil
}

// codingMark tells a precompressed sibling's tag from that of a plain file
// with the same bytes: the two are different representations of a URL.
func codingMark(name string) string {
	for _, enc := range encodings {
		if strings.HasSuffix(name, enc.ext) {
			return enc.token
		}
	}
	return ""
}

// notThere reports errors that mean the path is not in the build: missing,
// a file used as a folder, or an escape the root refused.
func notThere(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) ||
		errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENAMETOOLONG) ||
		errors.Is(err, fs.ErrInvalid) || isEscape(err)
}

// isEscape reports the error os.Root gives for a path leading out of it.
func isEscape(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent"
}

// contentType is the type for a file name by extension, "" when unknown.
func contentType(name string) string {
	return mime.TypeByExtension(path.Ext(name))
}

func sniff(body []byte) string {
	if body == nil {
		return "application/octet-stream"
	}
	return http.DetectContentType(body)
}
