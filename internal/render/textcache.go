package render

import (
	"hash/maphash"
	"sync"
)

// TextCache keeps the text the search index reads from page bodies
// (extractText), by a hash of the body's HTML, across the Renderers of a
// long-lived builder: a rebuild that renders a build again reads the text
// of no body it has read before, and within one Render the builds that
// hold the same version of a body read it once. The text is a function of
// the body's bytes alone, so an entry is right for any page, build or
// Renderer that meets those bytes. It is bounded by bytes (past the
// bound, new texts are read but not kept) and forgets, at each Sweep, the
// texts not asked for since the one before. Safe for concurrent use.
type TextCache struct {
	seeds [2]maphash.Seed
	limit int64

	mu    sync.Mutex
	m     map[[2]uint64]*textEntry
	bytes int64
	epoch uint32
}

// textEntry is one body's text and when it was last asked for.
type textEntry struct {
	pt   pageText
	cost int64
	used uint32
}

// NewTextCache returns an empty cache that keeps at most limit bytes of
// text.
func NewTextCache(limit int64) *TextCache {
	return &TextCache{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, limit: limit,
		m: map[[2]uint64]*textEntry{}}
}

// UseTexts makes r read body texts through c (nil: read each every time).
func (r *Renderer) UseTexts(c *TextCache) { r.texts = c }

// text returns the text of body, from r's cache when it has one.
func (r *Renderer) text(body []byte) pageText {
	c := r.texts
	if c == nil {
		return extractText(body)
	}
	k := [2]uint64{maphash.Bytes(c.seeds[0], body), maphash.Bytes(c.seeds[1], body)}
	c.mu.Lock()
	if e := c.m[k]; e != nil {
		e.used = c.epoch
		c.mu.Unlock()
		return e.pt
	}
	c.mu.Unlock()
	pt := extractText(body)
	cost := textCost(&pt)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[k] == nil && c.bytes+cost <= c.limit {
		c.m[k] = &textEntry{pt: pt, cost: cost, used: c.epoch}
		c.bytes += cost
	}
	return pt
}

// textCost is the accounted memory of keeping pt: its text, the slices
// over it and a share for the entry.
func textCost(pt *pageText) int64 {
	n := 160 + 16*(len(pt.ids)+len(pt.heads)+len(pt.segs)) + 8*len(pt.inHead)
	for _, s := range pt.segs {
		n += len(s)
	}
	for _, s := range pt.ids {
		n += len(s)
	}
	return int64(n)
}

// Sweep forgets the texts not asked for since the last Sweep.
func (c *TextCache) Sweep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if e.used != c.epoch {
			delete(c.m, k)
			c.bytes -= e.cost
		}
	}
	c.epoch++
}

// Len is the number of texts kept, and Bytes their accounted memory.
func (c *TextCache) Len() (n int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m), c.bytes
}
