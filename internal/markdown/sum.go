package markdown

import (
	"encoding/binary"
	"hash/maphash"
)

// sumSeeds are the seeds of every Doc's Sum in this process.
var sumSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// Sum identifies what Render writes for d: two independent hashes of its
// pieces, program and conditions, which is everything Render reads of d.
// Two Docs with the same Sum render the same bytes for the same visible
// and title functions (a collision aside); Docs that render the same bytes
// may differ in Sum (one packed, one not). Sums compare within one process
// only.
func (d *Doc) Sum() [2]uint64 { return d.sum }

// seal sets d.sum; every way a Doc is made ends with it.
func (d *Doc) seal() {
	var h [2]maphash.Hash
	for k := range h {
		h[k].SetSeed(sumSeeds[k])
	}
	var b [8]byte
	num := func(n int64) {
		binary.LittleEndian.PutUint64(b[:], uint64(n))
		h[0].Write(b[:])
		h[1].Write(b[:])
	}
	raw := func(p []byte) {
		num(int64(len(p)))
		h[0].Write(p)
		h[1].Write(p)
	}
	num(int64(d.n))
	if d.packed != nil {
		num(1)
		raw(d.packed)
	} else {
		num(0)
		raw(d.buf)
	}
	num(int64(len(d.ops)))
	for _, o := range d.ops {
		num(int64(o.kind))
		for _, v := range [...]int32{o.target, o.a, o.b, o.c, o.d, o.skip} {
			num(int64(v))
		}
	}
	num(int64(len(d.conds)))
	for _, t := range d.conds {
		num(int64(t))
	}
	d.sum = [2]uint64{h[0].Sum64(), h[1].Sum64()}
}
