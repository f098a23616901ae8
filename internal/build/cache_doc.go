package build

import (
	"encoding/binary"

	"github.com/facet-docs/facet/internal/cache"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
)

// A page's Doc depends on its markdown source, the markdown options and
// what the site answers to each link of the page (markdown.Resolver). The
// cache keeps the Doc under the source and options, with the questions
// Convert asked and the answers it got; a build takes the Doc only when
// the site answers every question alike again. Convert is a function of
// the source, the options and those answers, so the Doc taken is the Doc
// Convert would make. Asking again also reports the page's broken links,
// exactly as converting it does.

// call is one question Convert asked a Resolver, and its answer.
type call struct {
	names  bool // Names(dest); else Resolve(dest, line)
	dest   string
	line   int
	href   string
	target int
	ok     bool
}

// convertCached converts page p, through the build cache when there is one.
func (s *loadedSite) convertCached(conv *markdown.Converter, p *content.Page, r *resolver) (*markdown.Doc, error) {
	if s.cache == nil {
		return conv.Convert(p.Body, r)
	}
	c := s.cache.c
	var k cache.Key
	if s.docKeys != nil && s.docKeys[p.Index] != (cache.Key{}) {
		k = s.docKeys[p.Index] // a warm build's, from the same body
	} else {
		k = s.docKey(p.Body)
		if s.docKeys != nil {
			s.docKeys[p.Index] = k
		}
	}
	if b, ok := c.Get(k); ok {
		if d, ok := replay(b, r); ok {
			return d, nil
		}
	}
	rec := &recording{resolver: r}
	d, err := conv.Convert(p.Body, rec)
	if err != nil {
		return nil, err
	}
	if b, err := encodeDoc(rec.calls, d); err == nil {
		_ = c.Put(k, b)
	}
	return d, nil
}

// docKey is the cache key of a page body's conversion with the site's
// markdown options; s.cache is not nil.
func (s *loadedSite) docKey(body []byte) cache.Key {
	o := s.markdownOptions()
	return s.cache.c.KeyOf("doc", []byte{flag(o.Unsafe), flag(o.Highlight)}, body)
}

func flag(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// replay decodes a cached Doc and asks r every question again: the Doc
// is taken when every answer is the same. Warnings r gives while asking
// reach the build only then.
func replay(b []byte, r *resolver) (*markdown.Doc, bool) {
	calls, rest, ok := decodeCalls(b)
	if !ok {
		return nil, false
	}
	d := &markdown.Doc{}
	if d.UnmarshalBinary(rest) != nil {
		return nil, false
	}
	var warned []error
	rr := *r
	rr.warn = func(err error) { warned = append(warned, err) }
	targets := map[int]bool{}
	for _, c := range calls {
		if c.names {
			if rr.Names(c.dest) != c.ok {
				return nil, false
			}
			continue
		}
		href, t, ok := rr.Resolve(c.dest, c.line)
		if href != c.href || t != c.target || ok != c.ok {
			return nil, false
		}
		if ok {
			targets[t] = true
		}
	}
	for _, t := range d.Targets() {
		if !targets[t] {
			return nil, false
		}
	}
	for _, w := range warned {
		r.warn(w)
	}
	return d, true
}

// encodeDoc encodes the calls (as a recording wrote them down) and the
// Doc of a conversion.
func encodeDoc(calls []resolveCall, d *markdown.Doc) ([]byte, error) {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(calls)))
	for _, c := range calls {
		b = append(b, flag(c.names), flag(c.ok))
		str(c.dest)
		str(c.href)
		b = binary.AppendVarint(b, int64(c.line))
		b = binary.AppendVarint(b, int64(c.id))
	}
	doc, err := d.MarshalBinary()
	return append(b, doc...), err
}

// decodeCalls decodes the calls encodeDoc wrote and returns the rest.
func decodeCalls(b []byte) ([]call, []byte, bool) {
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	sv := func() int {
		v, n := binary.Varint(b)
		if n <= 0 || v != int64(int(v)) {
			bad = true
			return 0
		}
		b = b[n:]
		return int(v)
	}
	str := func() string {
		n := uv()
		if bad || n > uint64(len(b)) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	n := uv()
	if n > uint64(len(b)) {
		return nil, nil, false
	}
	calls := make([]call, 0, n)
	for i := uint64(0); i < n && !bad; i++ {
		if len(b) < 2 {
			return nil, nil, false
		}
		c := call{names: b[0] == 1, ok: b[1] == 1}
		b = b[2:]
		c.dest, c.href = str(), str()
		c.line, c.target = sv(), sv()
		calls = append(calls, c)
	}
	return calls, b, !bad
}
