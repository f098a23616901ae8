package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/s3test"
	"github.com/facet-docs/facet/internal/store"
)

// putObjects writes each body to st as an object and returns their hashes.
func putObjects(t *testing.T, st *store.Store, bodies ...string) []string {
	t.Helper()
	var hashes []string
	for _, b := range bodies {
		sum := sha256.Sum256([]byte(b))
		h := hex.EncodeToString(sum[:])
		if err := st.PutBytes(context.Background(), store.ObjectKey(h), []byte(b), "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	return hashes
}

// generationOf is a one-build generation holding the objects hashes, each
// of size bytes, as prefetch sees it.
func generationOf(c *objectCache, size int64, hashes ...string) map[string]*indexFS {
	ix := &store.Index{Files: map[string]store.Entry{}}
	for i, h := range hashes {
		ix.Files[string(rune('a'+i))+".html"] = store.Entry{Hash: h, Size: size}
	}
	return map[string]*indexFS{"members": {ix: ix, folders: ix.Folders(), cache: c}}
}

// A generation is swapped in only once its objects are on disk, so that a
// store that stops answering leaves it whole (CONTRACT.md, "Object store
// layout"). Downloading what a generation lacks must then never evict
// what it holds already, nor, when the download fails (the store stops
// answering halfway), the objects of the generation still served.
func TestObjectCacheKeepsWholeGenerations(t *testing.T) {
	srv := s3test.Start(t)
	st := srv.Bucket(t, "")
	const size = 10
	body := func(c byte) string { return strings.Repeat(string(c), size) }
	h := putObjects(t, st, body('a'), body('b'), body('c'), body('d'))
	absent := strings.Repeat("0", 64) // an object the store lacks
	a, b, cc, d := h[0], h[1], h[2], h[3]

	c, err := newObjectCache(st, t.TempDir(), 3*size)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Served: a and b. The shared object b was used long ago, a lately.
	if _, err := c.prefetch(ctx, generationOf(c, size, a, b)); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	c.entries[b].used = testNow.Add(-time.Hour)
	c.entries[a].used = testNow
	c.mu.Unlock()

	// A next generation that cannot be fetched whole (the store lacks an
	// object, as when it stops answering halfway). Whether it is fetched
	// in part or left to first use, the generation served keeps its
	// objects.
	_, _ = c.prefetch(ctx, generationOf(c, size, cc, absent, d))
	// A next generation sharing b with the served one: it holds b already.
	if _, err := c.prefetch(ctx, generationOf(c, size, b, d)); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	for name, hash := range map[string]string{"a (served)": a, "b (served and next)": b, "d (next)": d} {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		f, err := c.open(sctx, hash)
		cancel()
		if err != nil {
			t.Errorf("object %s with the store down: %v", name, err)
			continue
		}
		f.Close()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes > c.limit {
		t.Errorf("the cache holds %d bytes, over its bound of %d", c.bytes, c.limit)
	}
}
