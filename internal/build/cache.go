package build

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/facet-docs/facet/internal/cache"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/verify"
)

// buildCache is the persistent cache (internal/cache) as a build uses it:
// converted pages, highlighted code blocks, the search fragment and terms
// of each body version, and the verifier's scans.
// Every entry is keyed by all that its value depends on, so that an entry
// found is the value the build would compute (see cachedDoc, refsKey):
//
//   - a page's Doc by its markdown source and the markdown options, and
//     valid only when the site answers every link of the page as it did
//     (the answers are stored with it and asked again);
//   - a code block's HTML by its info string and lines;
//   - a body version's search fragment and terms by the body as a build
//     holds it, the page's title and URL;
//   - the words of a body as the release gate reads the search index's
//     (render.BodyWords) by the body rendered with every target held;
//   - a file's references, or a body's mentions, by its bytes (and name)
//     and the fingerprint of the verifier's index: every item's URL,
//     title and file, base_url and hosts.
//
// The cache's own keys add facet's version and the cache format.
type buildCache struct {
	c *cache.Cache
	// verifyFP is the verifier index's fingerprint (setVerifyIndex) and
	// items the number of its items: no id stored may reach it.
	verifyFP []byte
	items    int
}

// cacheVersion is the version key of the running facet; tests replace
// it to act as another facet.
var cacheVersion = cache.Version

// openCache opens the build cache of opts, or returns nil when the build
// uses none. A cache that cannot be opened is a warning: the build runs
// without it.
func openCache(opts Options, warn func(error)) *buildCache {
	if opts.Cache == "" {
		return nil
	}
	v := cacheVersion()
	if v == "" {
		warn(fmt.Errorf("build cache not used: cannot tell this facet's version"))
		return nil
	}
	c, err := cache.Open(opts.Cache, v, opts.CacheLimit)
	if err != nil {
		warn(fmt.Errorf("build cache not used: %w", err))
		return nil
	}
	return &buildCache{c: c}
}

// finish prunes the cache to its bound and returns what it did.
func (bc *buildCache) finish() *CacheStats {
	if bc == nil {
		return nil
	}
	pr, err := bc.c.Prune()
	st := bc.c.Stats()
	return &CacheStats{Dir: bc.c.Dir(), Hits: st.Hits, Misses: st.Misses, Bad: st.Bad, Written: st.Puts,
		Entries: pr.Entries, Bytes: pr.Bytes, Pruned: pr.Removed, Estimated: pr.Estimated, PruneErr: err}
}

// CacheStats says what the build cache did in one build.
type CacheStats struct {
	// Dir is the cache folder.
	Dir string
	// Hits and Misses count lookups; Bad counts the entries found damaged
	// or foreign (counted as misses, and rewritten).
	Hits, Misses, Bad int64
	// Written counts the entries written.
	Written int64
	// Entries and Bytes are what the cache holds after pruning; Pruned
	// counts the entries pruned.
	Entries int
	Bytes   int64
	Pruned  int
	// Estimated is set when Entries and Bytes bound what the cache holds
	// from above instead of counting it (cache.PruneResult).
	Estimated bool
	// PruneErr is why pruning failed, if it did.
	PruneErr error
}

// markdownOptions are the site's markdown options, with the cache's code
// block store when there is a cache.
func (s *loadedSite) markdownOptions() markdown.Options {
	o := markdown.Options{Unsafe: s.cfg.Markdown.Unsafe, Highlight: s.cfg.Markdown.Highlight}
	if s.cache != nil {
		o.Store = codeStore{s.cache.c}
	}
	return o
}

// codeStore is the cache as markdown's store of highlighted code blocks.
type codeStore struct{ c *cache.Cache }

// Get implements markdown.Store.
func (cs codeStore) Get(k []byte) ([]byte, bool) { return cs.c.Get(cs.c.KeyOf("code", k)) }

// Put implements markdown.Store.
func (cs codeStore) Put(k, html []byte) { _ = cs.c.Put(cs.c.KeyOf("code", k), html) }

// searchStore is the cache as render's store of what search takes from
// each body version (its fragment and terms), keyed by the body as a
// build holds it, the page's title and URL.
type searchStore struct{ c *cache.Cache }

// Get implements render.SearchStore.
func (ss searchStore) Get(key [][]byte) ([]byte, bool) { return ss.c.Get(ss.c.KeyOf("search", key...)) }

// Put implements render.SearchStore.
func (ss searchStore) Put(key [][]byte, v []byte) { _ = ss.c.Put(ss.c.KeyOf("search", key...), v) }

// setVerifyIndex records the fingerprint of the verifier's index, made
// of items and the site's URLs: what a scan's result depends on besides
// the bytes scanned.
func (bc *buildCache) setVerifyIndex(items []verify.Item, baseURL string, hosts []string) {
	if bc == nil {
		return
	}
	h := sha256.New()
	str := func(s string) {
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(s))))
		h.Write([]byte(s))
	}
	str(baseURL)
	str(fmt.Sprint(len(hosts)))
	for _, x := range hosts {
		str(x)
	}
	str(fmt.Sprint(len(items)))
	for _, it := range items {
		str(it.URL)
		str(it.Title)
		str(it.File)
	}
	bc.verifyFP, bc.items = h.Sum(nil), len(items)
}

// below reports whether every int of lists is below n.
func below(n int, lists ...[]int) bool {
	for _, l := range lists {
		for _, v := range l {
			if v >= n {
				return false
			}
		}
	}
	return true
}

// refs returns the verifier's scan of the file at name holding data,
// and the words of its text (verify.Words; nil when unknown), from the
// cache or by scanning it (and storing the result).
func (bc *buildCache) refs(ix *verify.Index, name string, data []byte) (verify.Packed, *verify.Words) {
	if bc == nil || bc.verifyFP == nil {
		return ix.RefsWords(name, data)
	}
	k := bc.c.KeyOf("refs+words", bc.verifyFP, []byte(name), data)
	if b, ok := bc.c.Get(k); ok {
		if ints, ok := decodeInts(b, 2); ok && below(bc.items<<2, ints[0]) {
			p := make(verify.Packed, len(ints[0]))
			for i, v := range ints[0] {
				p[i] = uint32(v)
			}
			return p, intsWords(ints[1])
		}
	}
	p, w := ix.RefsWords(name, data)
	ints := make([]int, len(p))
	for i, v := range p {
		ints[i] = int(v)
	}
	_ = bc.c.Put(k, encodeInts(ints, wordsInts(w)))
	return p, w
}

// wordsInts16 is the number of 16-bit ints a verify.Words is kept as.
const wordsInts16 = len(verify.Words{}) * 4

// wordsInts is w as the cache keeps it: 16-bit ints, none for nil.
func wordsInts(w *verify.Words) []int {
	if w == nil {
		return nil
	}
	out := make([]int, 0, wordsInts16)
	for _, x := range w {
		for j := range 4 {
			out = append(out, int(x>>(16*j)&0xffff))
		}
	}
	return out
}

// intsWords reads what wordsInts wrote; nil for anything else.
func intsWords(ints []int) *verify.Words {
	if len(ints) != wordsInts16 || !below(1<<16, ints) {
		return nil
	}
	w := &verify.Words{}
	for i, v := range ints {
		w[i/4] |= uint64(v) << (16 * (i % 4))
	}
	return w
}

// mentions returns what a rendered body mentions, and the words of the
// text it looked for titles in where the index gathers them
// (verify.Index.MentionsWords), from the cache or by scanning it.
func (bc *buildCache) mentions(ix *verify.Index, body []byte) (titles, codeURLs []int, words *verify.Words) {
	if bc == nil || bc.verifyFP == nil {
		return ix.MentionsWords(body)
	}
	k := bc.c.KeyOf("mentions+words", bc.verifyFP, body)
	if b, ok := bc.c.Get(k); ok {
		if ints, ok := decodeInts(b, 3); ok && below(bc.items, ints[0], ints[1]) {
			return ints[0], ints[1], intsWords(ints[2])
		}
	}
	titles, codeURLs, words = ix.MentionsWords(body)
	_ = bc.c.Put(k, encodeInts(titles, codeURLs, wordsInts(words)))
	return titles, codeURLs, words
}

// bodyWords calls add with each word of a rendered body as the search
// index reads it (render.BodyWords), from the cache or by reading it;
// from the cache, each word once.
func (bc *buildCache) bodyWords(body []byte, add func(string)) {
	if bc == nil {
		render.BodyWords(body, add)
		return
	}
	k := bc.c.KeyOf("words", body)
	if b, ok := bc.c.Get(k); ok {
		if words, ok := decodeStrings(b); ok {
			for _, w := range words {
				add(w)
			}
			return
		}
	}
	var words []string
	seen := map[string]bool{}
	render.BodyWords(body, func(w string) {
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
		add(w)
	})
	_ = bc.c.Put(k, encodeStrings(words))
}

// encodeStrings encodes a list of strings, each length-prefixed.
func encodeStrings(list []string) []byte {
	var b []byte
	for _, s := range list {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// decodeStrings decodes encodeStrings; false when b is not that.
func decodeStrings(b []byte) ([]string, bool) {
	var out []string
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, false
		}
		out = append(out, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	return out, true
}

// encodeInts encodes lists of non-negative ints.
func encodeInts(lists ...[]int) []byte {
	var b []byte
	for _, l := range lists {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, v := range l {
			b = binary.AppendUvarint(b, uint64(v))
		}
	}
	return b
}

// decodeInts decodes n lists encodeInts encoded; false when b is not that.
func decodeInts(b []byte, n int) ([][]int, bool) {
	out := make([][]int, n)
	for i := range out {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)) {
			return nil, false
		}
		b = b[k:]
		for range l {
			v, k := binary.Uvarint(b)
			if k <= 0 || v > 1<<31 {
				return nil, false
			}
			b = b[k:]
			out[i] = append(out[i], int(v))
		}
	}
	return out, len(b) == 0
}
