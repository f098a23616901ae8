package markdown

import (
	"encoding/binary"
	"errors"
	"slices"
)

// errDocEncoding is what UnmarshalBinary returns for bytes that are not a
// Doc's encoding.
var errDocEncoding = errors.New("markdown: not a doc encoding")

// docEncodingVersion opens every encoding; a change of layout bumps it.
// Version 2 keeps the pieces as the Doc holds them, packed or not, so
// that a decoded Doc need not pack them again.
const docEncodingVersion = 2

// MarshalBinary encodes the Doc, for a build cache. UnmarshalBinary of the
// result gives a Doc that renders the same bytes for every audience.
func (d *Doc) MarshalBinary() ([]byte, error) {
	e := make([]byte, 0, len(d.buf)+len(d.packed)+len(d.ops)*12+64)
	e = binary.AppendUvarint(e, docEncodingVersion)
	e = appendString(e, d.Title)
	e = binary.AppendUvarint(e, uint64(len(d.Headings)))
	for _, h := range d.Headings {
		e = binary.AppendUvarint(e, uint64(h.Level))
		e = appendString(e, h.ID)
		e = appendString(e, h.Text)
	}
	if d.packed != nil {
		e = binary.AppendUvarint(e, 1)
		e = appendString(e, string(d.packed))
		e = binary.AppendUvarint(e, uint64(d.n))
	} else {
		e = binary.AppendUvarint(e, 0)
		e = appendString(e, string(d.buf))
	}
	e = binary.AppendUvarint(e, uint64(len(d.ops)))
	for _, o := range d.ops {
		e = append(e, byte(o.kind))
		for _, v := range []int32{o.target, o.a, o.b, o.c, o.d, o.skip} {
			e = binary.AppendVarint(e, int64(v))
		}
	}
	for _, list := range [][]int{d.conds, d.targets} {
		e = binary.AppendUvarint(e, uint64(len(list)))
		for _, v := range list {
			e = binary.AppendVarint(e, int64(v))
		}
	}
	return binary.AppendUvarint(e, uint64(d.size)), nil
}

func appendString(e []byte, s string) []byte {
	e = binary.AppendUvarint(e, uint64(len(s)))
	return append(e, s...)
}

// UnmarshalBinary decodes what MarshalBinary encoded. It checks every
// offset of the program against the pieces, so that bytes that are not
// such an encoding give an error, never a Doc that fails to render.
func (d *Doc) UnmarshalBinary(data []byte) error {
	r := &decoder{b: data}
	if r.uvarint() != docEncodingVersion {
		return errDocEncoding
	}
	var x Doc
	x.Title = r.str()
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		x.Headings = append(x.Headings, Heading{Level: int(r.uvarint()), ID: r.str(), Text: r.str()})
	}
	packed := r.uvarint() == 1
	if packed {
		x.packed = []byte(r.str())
		x.n = int(r.uvarint())
		if r.err == nil && !packedAs(x.packed, x.n) {
			return errDocEncoding
		}
	} else {
		x.buf = []byte(r.str())
		x.n = len(x.buf)
	}
	n = r.count()
	x.ops = make([]op, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		o := op{kind: opKind(r.byte())}
		o.target, o.a, o.b, o.c, o.d, o.skip = r.int32(), r.int32(), r.int32(), r.int32(), r.int32(), r.int32()
		x.ops = append(x.ops, o)
	}
	x.conds, x.targets = r.ints(), r.ints()
	x.size = int(r.uvarint())
	if r.err != nil || len(r.b) != 0 || !x.valid() {
		return errDocEncoding
	}
	if !packed {
		x.pack()
	}
	x.seal()
	*d = x
	return nil
}

// valid reports whether every op of the program stays within the pieces,
// the conditions and the program, and names only targets Targets lists.
func (d *Doc) valid() bool {
	in := func(a, b int32, n int) bool { return 0 <= a && a <= b && int(b) <= n }
	if !slices.IsSorted(d.targets) || len(d.targets) > 0 && d.targets[0] < 0 {
		return false
	}
	known := func(t int) bool { _, ok := slices.BinarySearch(d.targets, t); return ok }
	for _, t := range d.conds {
		if !known(t) {
			return false
		}
	}
	for i, o := range d.ops {
		switch o.kind {
		case opText:
			if !in(o.a, o.b, d.n) {
				return false
			}
		case opAlt, opFill:
			if !in(o.a, o.b, d.n) || !in(o.c, o.d, d.n) || !known(int(o.target)) {
				return false
			}
		case opDropAll, opDropAny:
			if !in(o.a, o.b, d.n) || !in(o.c, o.d, len(d.conds)) || !in(0, o.skip, len(d.ops)-i-1) {
				return false
			}
		default:
			return false
		}
	}
	return d.size >= 0
}

// decoder reads an encoding, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (r *decoder) fail() { r.err, r.b = errDocEncoding, nil }

func (r *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *decoder) int() int {
	v, n := binary.Varint(r.b)
	if n <= 0 || v != int64(int(v)) {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *decoder) int32() int32 {
	v := r.int()
	if v != int(int32(v)) {
		r.fail()
		return 0
	}
	return int32(v)
}

// count reads a length that cannot exceed what is left to read.
func (r *decoder) count() int {
	v := r.uvarint()
	if v > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(v)
}

func (r *decoder) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *decoder) str() string {
	n := r.count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *decoder) ints() []int {
	n := r.count()
	var out []int
	for i := 0; i < n && r.err == nil; i++ {
		out = append(out, r.int())
	}
	return out
}
