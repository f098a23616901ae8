package render

import (
	"encoding/binary"
	"hash/maphash"
	"html/template"
	"sync"
	"sync/atomic"

	"github.com/facet-docs/facet/internal/content"
)

// Memo is what the Renderers of a long-lived builder (facet serve's)
// keep between renders, each entry by a hash of everything it is made
// of, so that an entry is right for any page, build or Renderer that
// meets the same inputs:
//
//   - a page's search fragment (the text the search index shows), by its
//     body's HTML, title and URL, and its search terms, by its body and
//     title, with the table of term ids they refer to, which the Renderers
//     using the memo share (ids only order postings in memory: the files
//     list terms by their text), and which grows with every term met: a
//     rebuild reads the text of a body only when one of them is missing,
//     and within one Render the builds that hold the same version of a
//     body read it once;
//   - a layout's output (skeleton.go: a content page's skeleton, or a
//     section, tag, home or 404 page's layout), by the theme, the site's
//     settings and every field of the page's Data (skeletonKey): a rebuild
//     runs the layout only for pages whose data changed; and the same for
//     a page's "Linked from" partial (partialMemo).
//
// It is bounded by bytes (past the bound, new entries are made but not
// kept) and forgets, at each Sweep, the entries not asked for in the
// last sweepAge renders (a build read back in one rebuild may be
// rendered in the next). Safe for concurrent use.
type Memo struct {
	seeds    [2]maphash.Seed
	budget   budget
	frags    sweepCache[[]byte]
	skels    sweepCache[[]byte]
	variants sweepCache[pageVariant]
	terms    termTable
}

// NewMemo returns an empty memo that keeps at most limit bytes.
func NewMemo(limit int64) *Memo {
	m := &Memo{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, budget: budget{limit: limit}}
	m.frags.init(&m.budget)
	m.skels.init(&m.budget)
	m.variants.init(&m.budget)
	return m
}

// budget is the bytes the caches of a memo share.
type budget struct {
	used  atomic.Int64
	limit int64
}

// take reserves n bytes, or reports false when they do not fit.
func (b *budget) take(n int64) bool {
	if b.used.Add(n) > b.limit {
		b.used.Add(-n)
		return false
	}
	return true
}

// UseMemo makes r read search fragments and terms and skeletons through m
// (nil: make each every time). Call it before r renders: r then takes
// its term ids from m.
func (r *Renderer) UseMemo(m *Memo) {
	r.memo = m
	if m != nil && len(r.terms.list) == 0 {
		r.terms = &m.terms
	}
}

// sweepAge is how many renders (the spans between two Sweeps) an entry
// may go without being asked for before a Sweep forgets it.
const sweepAge = 4

// Sweep ends a span: it forgets the entries not asked for in the last
// sweepAge spans, this one included.
func (m *Memo) Sweep() {
	m.frags.sweep()
	m.skels.sweep()
	m.variants.sweep()
}

// Len returns the number of entries kept and their accounted memory.
func (m *Memo) Len() (n int, bytes int64) {
	a, ab := m.frags.size()
	b, bb := m.skels.size()
	c, cb := m.variants.size()
	return a + b + c, ab + bb + cb
}

// partialMemo is th.partial(name, view), from r's memo when it has one.
func (r *Renderer) partialMemo(name string, view *Data) (template.HTML, error) {
	m := r.memo
	if m == nil {
		return r.th.partial(name, view)
	}
	k := r.dataKey(name, view)
	if h, ok := m.skels.get(k); ok {
		return template.HTML(h), nil
	}
	h, err := r.th.partial(name, view)
	if err == nil {
		m.skels.put(k, []byte(h), int64(len(h))+64)
	}
	return h, err
}

// hash is a 128-bit hash of b under the memo's seeds.
func (m *Memo) hash(b []byte) [2]uint64 { return hash2(m.seeds, b) }

// hash2 is a 128-bit hash of b: one 64-bit hash under each seed.
func hash2(seeds [2]maphash.Seed, b []byte) [2]uint64 {
	return [2]uint64{maphash.Bytes(seeds[0], b), maphash.Bytes(seeds[1], b)}
}

// memoFragment returns the memo's key of the search fragment of page p
// whose body has the memo key body, and the fragment when the memo has
// it (found is false without a memo).
func (r *Renderer) memoFragment(p *content.Page, body [2]uint64) (k [2]uint64, frag []byte, found bool) {
	m := r.memo
	if m == nil {
		return k, nil, false
	}
	b := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(make([]byte, 0, 32+len(p.Title)+len(p.URL)), body[0]), body[1])
	b = appendString(appendString(b, p.Title), p.URL)
	k = m.hash(b)
	frag, found = m.frags.get(k)
	return k, frag, found
}

// memoTerms returns the memo's key of the terms of a page titled title
// whose body has the memo key body, and the terms when the memo has them.
// ok is false when r does not take its term ids from the memo.
func (r *Renderer) memoTerms(title string, body [2]uint64) (k [2]uint64, v pageVariant, found, ok bool) {
	m := r.memo
	if m == nil || r.terms != &m.terms {
		return k, nil, false, false
	}
	b := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(make([]byte, 0, 16+len(title)), body[0]), body[1])
	k = m.hash(append(b, title...))
	v, found = m.variants.get(k)
	return k, v, found, true
}

// sweepCache is a map bounded by bytes whose entries not asked for
// between two sweeps are forgotten at the second.
type sweepCache[V any] struct {
	mu     sync.Mutex
	m      map[[2]uint64]*sweepEntry[V]
	bytes  int64
	budget *budget // shared with the memo's other caches
	epoch  uint32
}

// sweepEntry is one value, its accounted memory and when it was last
// asked for.
type sweepEntry[V any] struct {
	v    V
	cost int64
	used uint32
}

func (c *sweepCache[V]) init(b *budget) {
	c.m, c.budget = map[[2]uint64]*sweepEntry[V]{}, b
}

func (c *sweepCache[V]) get(k [2]uint64) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[k]; e != nil {
		e.used = c.epoch
		return e.v, true
	}
	var zero V
	return zero, false
}

// put keeps v at k unless k is kept or the bound would be passed.
func (c *sweepCache[V]) put(k [2]uint64, v V, cost int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[k] == nil && c.budget.take(cost) {
		c.m[k] = &sweepEntry[V]{v: v, cost: cost, used: c.epoch}
		c.bytes += cost
	}
}

func (c *sweepCache[V]) sweep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if c.epoch-e.used >= sweepAge {
			delete(c.m, k)
			c.bytes -= e.cost
			c.budget.used.Add(-e.cost)
		}
	}
	c.epoch++
}

func (c *sweepCache[V]) size() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m), c.bytes
}
