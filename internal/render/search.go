package render

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/facet-docs/facet/internal/content"
)

// The search index of a build: every word of every page it holds,
// written as small scripts under _facet/search/ that assets/facet.js
// loads on demand with <script src> (so they load from file:// and under
// a Content-Security-Policy of default-src 'self'). Each calls the
// global facetSearch with one JSON value; the loader knows which file
// called it (document.currentScript).
//
//   - SearchIndexPath: {"n": pages, "s": [first term of each shard],
//     "w": [name of each shard]}.
//   - _facet/search/w/<name>.js, shard k (named w[k]): {term: postings}
//     for the terms from s[k] (inclusive) to s[k+1] (exclusive), in
//     UTF-16 order (as JavaScript compares strings). Shards are cut
//     before shardSize bytes, most at a quarter to a half of it, never
//     inside a term (searchshard.go).
//   - _facet/search/f/<id>.js, the fragment of page id: {"t": title,
//     "u": URL (relative to the build root), "h": [[heading id, heading
//     text]...], "x": [text before the first heading, text under heading
//     1, ...]}, loaded only for the results shown, for their snippets.
//
// Page ids are positions in _facet/nav.js's page list, which gives each
// result its title, URL and section. A fragment holds nothing of its
// build: builds that see a page alike share its bytes.
//
// Postings are a string of numbers in a base-13 code over punctuation
// (never letters or digits, so the verifier finds no word of a title or
// URL in them): a number is its base-13 digits, the last from finalDigits
// and the others from moreDigits. A term's postings are pairs (page id
// gap, info): the gap to the previous page id less one (the first: the
// page id), and info = anchor<<4 | inTitle | inHeading | tf bucket, where
// anchor is the part of the page where the term first occurs (its
// heading's position in "h", plus one; 0 before any heading).

// SearchDir is the folder of a build's search index.
const SearchDir = "_facet/search/"

// SearchIndexPath is the search index's entry script.
const SearchIndexPath = SearchDir + "index.js"

// SearchPagePath is the search results page (it reads ?q=).
const SearchPagePath = SearchDir + "index.html"

// SearchTitle is the title of the search results page.
const SearchTitle = "Search"

// shardSize is the size no shard passes unless one term's entry does, in
// bytes.
const shardSize = 32 << 10

const (
	finalDigits = "!#$%'()*+,-.:"
	moreDigits  = ";=?@[]^_`{|}~"
)

// appendNum appends n in the postings' base-13 code.
func appendNum(dst []byte, n int) []byte {
	var tmp [16]byte
	i := len(tmp) - 1
	tmp[i] = finalDigits[n%13]
	for n /= 13; n > 0; n /= 13 {
		i--
		tmp[i] = moreDigits[n%13]
	}
	return append(dst, tmp[i:]...)
}

// termTable interns the terms of every build of a Renderer.
type termTable struct {
	mu   sync.Mutex
	ids  map[string]uint32
	list []string
}

func (tt *termTable) id(term string) uint32 {
	if id, ok := tt.ids[term]; ok {
		return id
	}
	if tt.ids == nil {
		tt.ids = map[string]uint32{}
	}
	id := uint32(len(tt.list))
	tt.ids[term] = id
	tt.list = append(tt.list, term)
	return id
}

// pageVariant is the terms of one version of a page body (a page's body
// differs between builds only by the links each may hold), by ascending
// term id, each as two uvarints: the id's distance from the one before
// and the term's info. Kept for every page until its last build is
// written, so it is packed: about 3 bytes a term, against 8 unpacked.
type pageVariant []byte

// packVariant packs terms (id<<32 | info, any order) into a pageVariant;
// it sorts terms.
func packVariant(terms []uint64) pageVariant {
	slices.Sort(terms)
	out := make([]byte, 0, 3*len(terms))
	prev := uint64(0)
	for _, t := range terms {
		id := t >> 32
		out = binary.AppendUvarint(out, id-prev)
		out = binary.AppendUvarint(out, t&0xffffffff)
		prev = id
	}
	return slices.Clip(out)
}

// each calls f with every term of v as id<<32 | info, by ascending id.
func (v pageVariant) each(f func(uint64)) {
	id := uint64(0)
	for len(v) > 0 {
		d, n := binary.Uvarint(v)
		info, m := binary.Uvarint(v[n:])
		v = v[n+m:]
		id += d
		f(id<<32 | info)
	}
}

// maxVariants bounds the versions of a page's terms kept.
const maxVariants = 8

// searchPage indexes one page of the build: it writes the page's
// fragment and adds its postings. body is the page's body in this build.
func (s *pass) searchPage(nd *node, body []byte) error {
	if s.pageOnly {
		return nil // RenderPage: the page's own file alone
	}
	p := nd.page
	id := nd.order
	if s.reuse != nil {
		return s.searchPageReused(nd, body)
	}
	var bk [2]uint64 // the body's memo key
	if s.r.memo != nil {
		bk = s.r.memo.hash(body)
	}
	text := lazyText(body)
	fk, frag, found := s.r.memoFragment(p, bk)
	if !found {
		s.fragBuf = appendFragment(s.fragBuf[:0], p.Title, p.URL, text())
		frag = s.fragBuf
		if s.r.memo != nil {
			s.r.memo.frags.put(fk, bytes.Clone(frag), int64(len(frag))+64)
		}
	}
	if err := s.write(SearchDir+"f/"+strconv.Itoa(id)+".js", frag); err != nil {
		return err
	}
	s.addPostings(id, s.r.searchTerms(p, text, bk))
	return nil
}

// lazyText returns body's text (extractText), read on the first call.
func lazyText(body []byte) func() *pageText {
	var pt *pageText
	return func() *pageText {
		if pt == nil {
			t := extractText(body)
			pt = &t
		}
		return pt
	}
}

// addPostings adds the postings of the page with id whose terms are v.
func (s *pass) addPostings(id int, v pageVariant) {
	v.each(func(t uint64) {
		tid := uint32(t >> 32)
		for int(tid) >= len(s.post) {
			s.post = append(s.post, nil)
		}
		if s.post[tid] == nil {
			s.used = append(s.used, tid)
		}
		s.post[tid] = append(s.post[tid], uint64(id)<<32|t&0xffffffff)
	})
}

// searchTerms returns the search terms of page p whose body's text is pt.
// Builds hold versions of a body that differ in their links (a link to a
// page a build lacks is text) more often than in their text, so the terms
// are kept by a hash of the text (until the last build holding the page
// is written) for the builds after, and in r's memo by the body (its
// memo key bk) and title, for the renders after.
func (r *Renderer) searchTerms(p *content.Page, text func() *pageText, bk [2]uint64) pageVariant {
	mk, mv, found, memo := r.memoTerms(p.Title, bk)
	if found {
		return mv
	}
	v := r.termsOf(p, text())
	if memo {
		r.memo.variants.put(mk, v, int64(len(v))+64)
	}
	return v
}

// termsOf is searchTerms without the memo.
func (r *Renderer) termsOf(p *content.Page, pt *pageText) pageVariant {
	k := pt.key(r.seeds)
	pp := &r.parts[p.Index]
	pp.mu.Lock()
	v, ok := pp.terms[k]
	pp.mu.Unlock()
	if ok {
		return v
	}
	terms := pageTerms(p.Title, pt)
	packed := make([]uint64, len(terms))
	r.terms.mu.Lock()
	for j, t := range terms {
		info := t.anchor<<infoShift | t.flags | tfBucket(t.count)
		packed[j] = uint64(r.terms.id(t.term))<<32 | uint64(info)
	}
	r.terms.mu.Unlock()
	v = packVariant(packed)
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.terms == nil {
		pp.terms = map[[2]uint64]pageVariant{}
	}
	if len(pp.terms) < maxVariants {
		pp.terms[k] = v
	}
	return v
}

// appendFragment appends a page's fragment script (see the comment at
// the top) to out.
func appendFragment(out []byte, title, url string, pt *pageText) []byte {
	n := 64 + len(title) + len(url)
	for _, s := range pt.segs {
		n += len(s) + 8
	}
	out = slices.Grow(out, n)
	out = append(out, `facetSearch({"t":`...)
	out = appendJSString(out, title)
	out = append(out, `,"u":`...)
	out = appendJSString(out, url[1:])
	out = append(out, `,"h":[`...)
	for k, id := range pt.ids {
		if k > 0 {
			out = append(out, ',')
		}
		out = append(out, '[')
		out = appendJSString(out, id)
		out = append(out, ',')
		out = appendJSString(out, pt.heads[k])
		out = append(out, ']')
	}
	out = append(out, `],"x":[`...)
	for k, seg := range pt.segs {
		if k > 0 {
			out = append(out, ',')
		}
		out = appendJSString(out, seg)
	}
	return append(out, "]});\n"...)
}

// emitSearch writes the index script and the shards of the postings the
// build's pages added.
func (s *pass) emitSearch() error {
	s.r.terms.mu.Lock()
	terms := make([]string, len(s.used))
	for i, tid := range s.used {
		terms[i] = s.r.terms.list[tid]
	}
	s.r.terms.mu.Unlock()
	order := make([]int, len(s.used))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareUTF16(terms[a], terms[b]) })
	w := &shardWriter{rule: newShardRule(s.r.site.ShardSize), buf: make([]byte, 0, shardSize+1024)}
	var names []string
	w.emit = func(first string, data []byte) error {
		names = append(names, shardName(first))
		return s.write(shardPath(names[len(names)-1]), data)
	}
	var entry []byte
	for _, i := range order {
		entry = appendEntry(entry[:0], terms[i], s.post[s.used[i]])
		if err := w.add(terms[i], entry); err != nil {
			return err
		}
	}
	if err := w.flush(); err != nil {
		return err
	}
	if !uniqueNames(names) {
		return errShardNames
	}
	return s.write(SearchIndexPath, appendIndex(nil, len(s.tree.order), w.firsts, names))
}

// appendPostings encodes a term's postings in page order (pages are
// indexed as they are written, sections after the other pages).
func appendPostings(dst []byte, post []uint64) []byte {
	slices.Sort(post)
	prev := -1
	for _, x := range post {
		id := int(x >> 32)
		dst = appendNum(dst, id-prev-1)
		dst = appendNum(dst, int(x&0xffffffff))
		prev = id
	}
	return dst
}

// compareUTF16 orders strings as JavaScript does: by UTF-16 code units.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmpUnits(ra, rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func cmpUnits(a, b rune) int {
	ua, ub := units(a), units(b)
	for i := range 2 {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return 0
}

func units(r rune) [2]uint16 {
	if r < 0x10000 {
		return [2]uint16{uint16(r), 0}
	}
	h, l := utf16.EncodeRune(r)
	return [2]uint16{uint16(h), uint16(l)}
}
