package markdown

import (
	"sync"

	"github.com/klauspost/compress/s2"
)

// A Doc lives as long as the build and a large site holds tens of
// thousands, so its pieces are kept compressed (S2, a Snappy variant
// that decodes at gigabytes a second) when that saves a quarter or more,
// and decoded into a pooled buffer for each Render. HTML with highlighted
// code, most of a body, packs to a third or less.

// packMin is the smallest pieces worth packing.
const packMin = 512

// pack compresses d.buf into d.packed when that saves room.
func (d *Doc) pack() {
	d.n = len(d.buf)
	if len(d.buf) < packMin {
		return
	}
	z := s2.Encode(nil, d.buf)
	if len(z) > len(d.buf)*3/4 {
		return
	}
	d.packed, d.buf = tight(z), nil
}

// pieces returns d's pieces, and done, to be called once they are no
// longer used.
func (d *Doc) pieces() (buf []byte, done func()) {
	if d.packed == nil {
		return d.buf, func() {}
	}
	sp := scratch.Get().(*[]byte)
	if cap(*sp) < d.n {
		*sp = make([]byte, d.n)
	}
	buf, err := s2.Decode((*sp)[:cap(*sp)], d.packed)
	if err != nil || len(buf) != d.n {
		// d packed these bytes itself: only a fault in this package
		// gets here.
		panic("markdown: a Doc's packed pieces do not decode")
	}
	return buf, func() { scratch.Put(sp) }
}

// packedAs reports whether z is what pack makes of n bytes: it decodes
// to n bytes, n is worth packing, and z is as small as pack keeps.
func packedAs(z []byte, n int) bool {
	if n < packMin || len(z) > n*3/4 {
		return false
	}
	if m, err := s2.DecodedLen(z); err != nil || m != n {
		return false
	}
	sp := scratch.Get().(*[]byte)
	defer scratch.Put(sp)
	if cap(*sp) < n {
		*sp = make([]byte, n)
	}
	buf, err := s2.Decode((*sp)[:cap(*sp)], z)
	return err == nil && len(buf) == n
}

// scratch holds buffers pieces decodes into.
var scratch = sync.Pool{New: func() any { return new([]byte) }}
