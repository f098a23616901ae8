package verify

import (
	"hash/maphash"
	"slices"
	"sync"
)

// chunkCache keeps the references of every chunk scanned, by content: a
// page's body in several builds is scanned once. It holds hundreds of
// thousands of chunks for a large site, so each costs little: a 128-bit
// key and a record in an arena of 32-bit words (see record), relative link
// targets interned once. Its map is split in shards, each with its own
// lock, so that workers rarely wait.
type chunkCache struct {
	seedA, seedB maphash.Seed
	shards       [64]chunkShard
	words        arena
	strs         strTable
}

type chunkShard struct {
	mu sync.Mutex
	m  map[chunkKey]span
}

// chunkKey is a chunk's content hash, with how it was scanned.
type chunkKey struct{ a, b uint64 }

// span locates a record in the arena.
type span struct{ off, n uint32 }

// chunk kinds, mixed into keys: the same bytes scanned another way are
// another chunk.
const (
	kindMarkup = iota
	kindText
	kindCSS
)

func (cc *chunkCache) init() {
	cc.seedA, cc.seedB = maphash.MakeSeed(), maphash.MakeSeed()
	for i := range cc.shards {
		cc.shards[i].m = map[chunkKey]span{}
	}
	cc.strs.ids = map[string]uint32{}
}

func (cc *chunkCache) key(b []byte, kind uint64) chunkKey {
	return chunkKey{maphash.Bytes(cc.seedA, b), maphash.Bytes(cc.seedB, b) + kind}
}

// get returns the record of a chunk seen before.
func (cc *chunkCache) get(k chunkKey) (record, bool) {
	sh := &cc.shards[k.a%uint64(len(cc.shards))]
	sh.mu.Lock()
	sp, ok := sh.m[k]
	sh.mu.Unlock()
	if !ok {
		return record{}, false
	}
	return record{w: cc.words.at(sp), strs: &cc.strs}, true
}

// put keeps what a collector found in a chunk and returns it as a record
// (one not kept when the arena is full).
func (cc *chunkCache) put(k chunkKey, c *collector, extend bool) record {
	bits := c.wordBits()
	refs := make([]uint32, len(c.refs.refs))
	for i, r := range c.refs.refs {
		refs[i] = pack(r)
	}
	nb := uint32(len(bits))
	if c.words {
		nb |= wordsKept
	}
	packed := make([]uint32, 0, (len(bits)+1)/2)
	for i := 0; i < len(bits); i += 2 {
		x := uint32(bits[i])
		if i+1 < len(bits) {
			x |= uint32(bits[i+1]) << 16
		}
		packed = append(packed, x)
	}
	return cc.putRecord(k, extend, refs, nb, packed, c.rel)
}

// putRecord keeps a chunk's record made of its parts: the packed
// references, the count of word bits (with wordsKept) and the bits two to
// a word, and the relative link targets.
func (cc *chunkCache) putRecord(k chunkKey, extend bool, refs []uint32, nb uint32, bits []uint32, rels []string) record {
	w := make([]uint32, 0, 2+len(refs)+len(bits)+len(rels))
	head := uint32(len(refs)) << 1
	if extend {
		head |= 1
	}
	w = append(w, head, nb)
	w = append(w, refs...)
	w = append(w, bits...)
	for _, s := range rels {
		id, ok := cc.strs.intern(s)
		if !ok {
			return record{w: w, rel: slices.Clone(rels)}
		}
		w = append(w, id)
	}
	sp, ok := cc.words.add(w)
	if ok {
		sh := &cc.shards[k.a%uint64(len(cc.shards))]
		sh.mu.Lock()
		sh.m[k] = sp
		sh.mu.Unlock()
	}
	return record{w: w, strs: &cc.strs}
}

// inherited returns the record of a chunk the index ix inherits from
// (Inherit) scanned, kept in ix's cache, when the chunk's words clear it
// of the retitled items' new titles: its references less those by a
// retitled item's title. ok is false when there is none to take.
func (ix *Index) inherited(k chunkKey) (record, bool) {
	in := ix.from
	if in == nil {
		return record{}, false
	}
	rec, ok := in.prev.cache.get(k)
	if !ok || rec.w[1]&wordsKept == 0 {
		return record{}, false
	}
	var w Words
	rec.addWords(&w)
	if in.titles.MayHold(&w) {
		return record{}, false
	}
	var rels []string
	rec.each(func(uint32) {}, func(s string) { rels = append(rels, s) })
	in.taken.Add(1)
	return ix.cache.putRecord(k, rec.extend(), rec.refs().WithoutTitles(in.retitled), rec.w[1], rec.bits(), rels), true
}

// record is what a chunk refers to: a head word (the number of
// references, shifted left once, and 1 when the chunk ends inside a tag, a
// comment or a raw text element), the number of its words' bits (Words;
// with wordsKept when its scan gathered them),
// the packed references, the bits two to a word, then the ids of its
// relative link targets in strs, or those targets in rel.
type record struct {
	w    []uint32
	strs *strTable
	rel  []string
}

func (r record) extend() bool { return r.w[0]&1 != 0 }

// each calls ref with every reference and rel with every relative link
// target of the chunk.
func (r record) each(ref func(uint32), rel func(string)) {
	for _, x := range r.refs() {
		ref(x)
	}
	if r.rel != nil {
		for _, s := range r.rel {
			rel(s)
		}
		return
	}
	for _, id := range r.w[2+len(r.refs())+len(r.bits()):] {
		rel(r.strs.at(id))
	}
}

// refs is the record's packed references.
func (r record) refs() Packed { return r.w[2 : 2+r.w[0]>>1] }

// nbits is the number of the record's word bits.
func (r record) nbits() int { return int(r.w[1] &^ wordsKept) }

// bits is the record's word bits, two to a word.
func (r record) bits() []uint32 {
	at := 2 + len(r.refs())
	return r.w[at : at+(r.nbits()+1)/2]
}

// wordsKept marks the count of a record's word bits when its scan
// gathered words: a chunk scanned without has none to give.
const wordsKept = 1 << 31

// addWords sets the bits of the chunk's words in w; false when its scan
// did not gather them.
func (r record) addWords(w *Words) bool {
	if r.w[1]&wordsKept == 0 {
		return false
	}
	nb := r.nbits()
	for i, x := range r.bits() {
		w.add(uint16(x))
		if 2*i+1 < nb {
			w.add(uint16(x >> 16))
		}
	}
	return true
}

// arena holds records back to back in slabs that never move, so that a
// record, once its span is published (under a shard's lock), is read
// without a lock.
type arena struct {
	mu    sync.Mutex
	slabs [1 << 14]*[slabWords]uint32
	next  uint32 // next free word
}

const slabWords = 1 << 16

// add copies w into the arena; false when it does not fit.
func (a *arena) add(w []uint32) (span, bool) {
	if len(w) > slabWords {
		return span{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	off := a.next
	if int(off%slabWords)+len(w) > slabWords {
		off += slabWords - off%slabWords // the record does not cross slabs
	}
	s := int(off / slabWords)
	if s >= len(a.slabs) {
		return span{}, false
	}
	if a.slabs[s] == nil {
		a.slabs[s] = new([slabWords]uint32)
	}
	copy(a.slabs[s][off%slabWords:], w)
	a.next = off + uint32(len(w))
	return span{off, uint32(len(w))}, true
}

func (a *arena) at(sp span) []uint32 {
	i := sp.off % slabWords
	return a.slabs[sp.off/slabWords][i : i+sp.n : i+sp.n]
}

// strTable interns strings in slabs that never move.
type strTable struct {
	mu    sync.Mutex
	ids   map[string]uint32
	slabs [1 << 12]*[1 << 12]string
}

func (t *strTable) intern(s string) (uint32, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[s]; ok {
		return id, true
	}
	id := uint32(len(t.ids))
	slab := id >> 12
	if int(slab) >= len(t.slabs) {
		return 0, false
	}
	if t.slabs[slab] == nil {
		t.slabs[slab] = new([1 << 12]string)
	}
	t.slabs[slab][id&(1<<12-1)] = s
	t.ids[s] = id
	return id, true
}

func (t *strTable) at(id uint32) string { return t.slabs[id>>12][id&(1<<12-1)] }
