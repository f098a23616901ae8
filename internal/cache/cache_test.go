package cache

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func open(t *testing.T, dir, version string, limit int64) *Cache {
	t.Helper()
	c, err := Open(dir, version, limit)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPutGet(t *testing.T) {
	c := open(t, t.TempDir(), "v1", 0)
	k := c.KeyOf("doc", []byte("a"), []byte("b"))
	if _, ok := c.Get(k); ok {
		t.Fatal("empty cache has an entry")
	}
	if err := c.Put(k, []byte("payload")); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(k)
	if !ok || string(got) != "payload" {
		t.Fatalf("Get = %q, %v; want payload", got, ok)
	}
	if k2 := c.KeyOf("doc", []byte("ab"), []byte("")); k2 == k {
		t.Fatal("parts are not delimited: (a, b) and (ab, '') share a key")
	}
	if k3 := c.KeyOf("hl", []byte("a"), []byte("b")); k3 == k {
		t.Fatal("kinds share a key")
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), ".gitignore")); err != nil {
		t.Fatal("no .gitignore in the cache folder:", err)
	}
}

// TestCorruption damages a stored entry in every way a cache folder can
// be damaged and checks that Get misses (never returns other bytes) and
// that Put then repairs it.
func TestCorruption(t *testing.T) {
	damage := map[string]func(t *testing.T, c *Cache, k Key, p string){
		"truncated": func(t *testing.T, c *Cache, k Key, p string) {
			b, _ := os.ReadFile(p)
			write(t, p, b[:len(b)-5])
		},
		"truncated to the header": func(t *testing.T, c *Cache, k Key, p string) {
			b, _ := os.ReadFile(p)
			write(t, p, b[:headerSize])
		},
		"empty": func(t *testing.T, c *Cache, k Key, p string) { write(t, p, nil) },
		"flipped byte": func(t *testing.T, c *Cache, k Key, p string) {
			b, _ := os.ReadFile(p)
			b[headerSize+10] ^= 0x20
			write(t, p, b)
		},
		"flipped checksum": func(t *testing.T, c *Cache, k Key, p string) {
			b, _ := os.ReadFile(p)
			b[len(b)-1] ^= 1
			write(t, p, b)
		},
		"foreign facet version": func(t *testing.T, c *Cache, k Key, p string) {
			other := open(t, c.Dir(), "v2", 0)
			write(t, p, other.encode(k, []byte("from another facet")))
		},
		"foreign format": func(t *testing.T, c *Cache, k Key, p string) {
			b := c.encode(k, []byte("from another format"))
			b[8]++
			write(t, p, reseal(b))
		},
		"another entry's file": func(t *testing.T, c *Cache, k Key, p string) {
			k2 := c.KeyOf("doc", []byte("other"))
			write(t, p, c.encode(k2, []byte("a valid entry of another key")))
		},
		"edited payload, same length": func(t *testing.T, c *Cache, k Key, p string) {
			b, _ := os.ReadFile(p)
			i := bytes.Index(b, []byte("original"))
			copy(b[i:], "ORIGINAL")
			write(t, p, b)
		},
		"length field edited": func(t *testing.T, c *Cache, k Key, p string) {
			b, _ := os.ReadFile(p)
			b[headerSize]--
			write(t, p, reseal(b))
		},
		"a folder in its place": func(t *testing.T, c *Cache, k Key, p string) {
			os.Remove(p)
			os.Mkdir(p, 0o755)
		},
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			c := open(t, t.TempDir(), "v1", 0)
			k := c.KeyOf("doc", []byte("page"))
			if err := c.Put(k, []byte("the original payload")); err != nil {
				t.Fatal(err)
			}
			fn(t, c, k, c.path(k))
			if got, ok := c.Get(k); ok {
				t.Fatalf("damaged entry read as %q", got)
			}
			if name == "a folder in its place" {
				return
			}
			if c.Stats().Bad != 1 {
				t.Fatalf("stats %+v: want one bad entry", c.Stats())
			}
			if err := c.Put(k, []byte("rewritten")); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get(k); !ok || string(got) != "rewritten" {
				t.Fatalf("after Put: %q, %v", got, ok)
			}
		})
	}
}

// reseal recomputes an entry's checksum after an edit, as a cache written
// by a facet that encoded it so would have it.
func reseal(b []byte) []byte {
	body := b[:len(b)-sha256.Size]
	h := sha256.Sum256(body)
	return append(append([]byte{}, body...), h[:]...)
}

func write(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestForeignVersionMisses(t *testing.T) {
	dir := t.TempDir()
	a := open(t, dir, "v1", 0)
	b := open(t, dir, "v2", 0)
	ka, kb := a.KeyOf("doc", []byte("x")), b.KeyOf("doc", []byte("x"))
	if ka == kb {
		t.Fatal("two facet versions name an entry alike")
	}
	if err := a.Put(ka, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Get(kb); ok {
		t.Fatal("another version's entry was read")
	}
}

func TestPrune(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, "v1", 4000)
	old := time.Now().Add(-48 * time.Hour)
	var keys []Key
	for i := range 10 {
		k := c.KeyOf("doc", []byte{byte(i)})
		keys = append(keys, k)
		if err := c.Put(k, bytes.Repeat([]byte{'x'}, 900)); err != nil {
			t.Fatal(err)
		}
		// entries 0..9 were last used in that order
		at := old.Add(time.Duration(i) * time.Minute)
		os.Chtimes(c.path(k), at, at)
	}
	// a hit refreshes the oldest entry's last use
	if _, ok := c.Get(keys[0]); !ok {
		t.Fatal("miss before pruning")
	}
	tmp := filepath.Join(filepath.Dir(c.path(keys[1])), ".tmp-left")
	write(t, tmp, []byte("half"))
	os.Chtimes(tmp, old, old)
	os.MkdirAll(filepath.Join(dir, "v0", "ab"), 0o755)
	res, err := c.Prune()
	if err != nil {
		t.Fatal(err)
	}
	if res.Bytes > 4000/10*9 || res.Removed == 0 {
		t.Fatalf("prune: %+v", res)
	}
	if _, ok := c.Get(keys[0]); !ok {
		t.Fatal("the most recently used entry was pruned")
	}
	if _, ok := c.Get(keys[1]); ok {
		t.Fatal("the least recently used entry was kept")
	}
	if _, ok := c.Get(keys[9]); !ok {
		t.Fatal("a recent entry was pruned")
	}
	for _, p := range []string{tmp, filepath.Join(dir, "v0")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s left after prune", p)
		}
	}
}

func TestNilCache(t *testing.T) {
	var c *Cache
	if _, ok := c.Get(Key{}); ok {
		t.Fatal("nil cache hit")
	}
	if err := c.Put(Key{}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestVersion(t *testing.T) {
	v := Version()
	if v == "" {
		t.Fatal("no version key for the test binary")
	}
	if v != Version() {
		t.Fatal("version key changes")
	}
}

// TestPruneWalksWhenItMust checks that Prune trusts its last count only
// while it is recent and the writes since keep it under the bound: the
// cache stays bounded whatever the estimate.
func TestPruneWalksWhenItMust(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, "v1", 10000)
	put := func(c *Cache, i int) {
		t.Helper()
		if err := c.Put(c.KeyOf("doc", []byte{byte(i)}), bytes.Repeat([]byte{'x'}, 900)); err != nil {
			t.Fatal(err)
		}
	}
	put(c, 0)
	first, err := c.Prune()
	if err != nil || first.Estimated || first.Entries != 1 {
		t.Fatalf("first prune: %+v, %v", first, err)
	}
	// a later build writes two entries: well under the bound, estimated
	c = open(t, dir, "v1", 10000)
	put(c, 1)
	put(c, 2)
	est, err := c.Prune()
	if err != nil || !est.Estimated || est.Entries != 3 || est.Bytes < 3*900 {
		t.Fatalf("estimate: %+v, %v", est, err)
	}
	// writes that take the bound past nine tenths make it walk and prune
	c = open(t, dir, "v1", 10000)
	for i := 3; i < 12; i++ {
		put(c, i)
	}
	res, err := c.Prune()
	if err != nil || res.Estimated || res.Removed == 0 || res.Bytes > 9000 {
		t.Fatalf("prune past the bound: %+v, %v", res, err)
	}
	// a count older than walkEvery, or damaged, is walked again
	for _, usage := range []string{
		fmt.Sprintf("1 1 %d\n", time.Now().Add(-2*walkEvery).UnixNano()),
		"not a count\n",
		fmt.Sprintf("1 1 %d\n", time.Now().Add(time.Hour).UnixNano()), // from the future
	} {
		write(t, filepath.Join(dir, usageFile), []byte(usage))
		c = open(t, dir, "v1", 10000)
		res, err := c.Prune()
		if err != nil || res.Estimated || res.Bytes < 900 {
			t.Fatalf("usage %q: %+v, %v", usage, res, err)
		}
	}
}
