package verify

import (
	"bytes"
	"hash/maphash"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// Refs finds the items that data, the file at name (slash-separated, in a
// build), refers to (see the package comment for the rules). A file that is
// not text (a NUL or invalid UTF-8 in its first 8 KiB: see TextLike) has
// none.
func (ix *Index) Refs(name string, data []byte) Refs {
	if !TextLike(data) {
		return nil
	}
	var all refSet
	var rel []string
	merge := func(refs Refs, r []string) {
		for _, x := range refs {
			all.add(x.ID, x.Kind, nil)
		}
		rel = append(rel, r...)
	}
	if isMarkup(name, data) {
		ix.scanMarkup(data, func(res chunkRes) { merge(res.refs, res.rel) })
	} else {
		css := strings.HasSuffix(strings.ToLower(name), ".css")
		ix.scanText(data, css, func(res chunkRes) { merge(res.refs, res.rel) })
	}
	dir := fileDir(name)
	for _, r := range rel {
		if id, ok := ix.resolveRel(dir, r); ok {
			all.add(id, Link, func() string { return r })
		}
	}
	return all.refs
}

// context scans data again, whole and with contexts, for the text of r.
func (ix *Index) context(name string, data []byte, r Ref) string {
	c := &collector{ix: ix}
	c.refs.ctx = true
	if isMarkup(name, data) {
		c.html(data)
	} else {
		c.text(data, true)
		c.css(data)
	}
	if t, ok := c.refs.ctxs[r]; ok {
		return t
	}
	dir := fileDir(name)
	for _, ref := range c.rel {
		if id, ok := ix.resolveRel(dir, ref); ok && id == r.ID {
			return ref
		}
	}
	return ""
}

// fileDir is the folder URL of a file in a build ("/a/b/" for a/b/x.html).
func fileDir(name string) string {
	dir := "/" + path.Dir(strings.TrimPrefix(name, "/")) + "/"
	if dir == "/./" {
		return "/"
	}
	return dir
}

// TextLike reports whether data looks like text: no NUL byte and valid
// UTF-8 in its first 8 KiB. Other files (images, archives, PDFs) are not
// scanned.
func TextLike(data []byte) bool {
	head := data[:min(len(data), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	if len(head) < len(data) {
		// the last rune may be cut at the 8 KiB mark
		for i := 1; i <= utf8.UTFMax-1 && i <= len(head); i++ {
			if utf8.RuneStart(head[len(head)-i]) {
				if !utf8.FullRune(head[len(head)-i:]) {
					head = head[:len(head)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(head)
}

// isMarkup reports whether a file is HTML, SVG or XML: by its name, or by
// its first non-blank character being "<".
func isMarkup(name string, data []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xhtml", ".svg", ".xml", ".rss", ".atom":
		return true
	case ".js", ".json", ".css", ".csv", ".txt":
		return false
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(t) > 0 && t[0] == '<'
}

// chunkRes is what a chunk of markup refers to.
type chunkRes struct {
	refs   Refs
	rel    []string
	extend bool // the chunk ends inside a tag, comment or raw text element
}

type chunkKey struct {
	a, b uint64
	n    int
}

// chunkCache keeps the references of every chunk of markup scanned, by
// content: a page's body in several builds is scanned once.
type chunkCache struct {
	seedA, seedB maphash.Seed
	mu           sync.Mutex
	m            map[chunkKey]chunkRes
}

func (cc *chunkCache) init() {
	cc.seedA, cc.seedB, cc.m = maphash.MakeSeed(), maphash.MakeSeed(), map[chunkKey]chunkRes{}
}

func (cc *chunkCache) key(b []byte) chunkKey {
	return chunkKey{maphash.Bytes(cc.seedA, b), maphash.Bytes(cc.seedB, b), len(b)}
}

// scanMarkup cuts data into chunks at lines that start with a block
// element (a word boundary, where no text runs on) chosen by their content,
// so that equal parts of two files give equal chunks, and hands fn the
// references of each, scanning only chunks not seen before. A chunk that
// ends inside a tag, a comment or a script grows until it does not.
func (ix *Index) scanMarkup(data []byte, fn func(chunkRes)) {
	for start := 0; start < len(data); {
		end := nextSplit(data, start+minChunk)
		for {
			chunk := data[start:end]
			k := ix.cache.key(chunk)
			ix.cache.mu.Lock()
			res, ok := ix.cache.m[k]
			ix.cache.mu.Unlock()
			if !ok {
				c := newCollector(ix)
				clean := c.html(chunk)
				res = chunkRes{refs: slices.Clip(c.refs.refs), rel: slices.Clip(c.rel), extend: !clean}
				c.release()
				ix.cache.mu.Lock()
				ix.cache.m[k] = res
				ix.cache.mu.Unlock()
			}
			if res.extend && end < len(data) {
				end = nextSplit(data, end+(end-start))
				continue
			}
			fn(res)
			break
		}
		start = end
	}
}

// scanText scans a text file in chunks cut between the objects or arrays
// of a JSON list ("},{", "],["), where no title or URL runs on, so that the
// entries two builds' search indexes share are scanned once.
func (ix *Index) scanText(data []byte, css bool, fn func(chunkRes)) {
	for start := 0; start < len(data); {
		end := nextListSplit(data, start+minChunk)
		chunk := data[start:end]
		k := ix.cache.key(chunk)
		k.n = -k.n - 1 // text, not markup
		if css {
			k.n -= 1 << 40
		}
		ix.cache.mu.Lock()
		res, ok := ix.cache.m[k]
		ix.cache.mu.Unlock()
		if !ok {
			c := newCollector(ix)
			c.text(chunk, true)
			if css {
				c.css(chunk)
			}
			res = chunkRes{refs: slices.Clip(c.refs.refs), rel: slices.Clip(c.rel)}
			c.release()
			ix.cache.mu.Lock()
			ix.cache.m[k] = res
			ix.cache.mu.Unlock()
		}
		fn(res)
		start = end
	}
}

// nextListSplit returns the first split point at or after from between
// two entries of a JSON list, picked by a hash of what follows (one in
// four); len(data) when none.
func nextListSplit(data []byte, from int) int {
	for from < len(data) {
		i := bytes.IndexByte(data[from:], ',')
		if i < 0 {
			break
		}
		at := from + i + 1
		from = at
		if at < 2 || at >= len(data) || !(data[at-2] == '}' && data[at] == '{' || data[at-2] == ']' && data[at] == '[') {
			continue
		}
		var h maphash.Hash
		h.SetSeed(splitSeed)
		h.Write(data[at:min(len(data), at+48)])
		if h.Sum64()&3 == 0 {
			return at
		}
	}
	return len(data)
}

// minChunk is the least length of a chunk, so that a tokenizer is not set
// up for every short line.
const minChunk = 256

// nextSplit returns the first split point at or after from: the start of
// a line that opens or closes a block element, where no text runs on;
// len(data) when none. Every such line qualifies, so two files that share a
// run of blocks split alike within it, and a difference between them costs
// the rescan of the blocks around it only.
func nextSplit(data []byte, from int) int {
	for from < len(data) {
		i := bytes.Index(data[from:], []byte("\n<"))
		if i < 0 {
			break
		}
		at := from + i + 1
		from = at + 1
		name := data[at+1:]
		if len(name) > 0 && name[0] == '/' {
			name = name[1:]
		}
		n := 0
		for n < len(name) && n < 12 && alnumTab[name[n]] {
			n++
		}
		if n == 0 || inline[atom.Lookup(bytes.ToLower(name[:n]))] {
			continue
		}
		return at
	}
	return len(data)
}

var splitSeed = maphash.MakeSeed()

// inline elements: text runs on across their edges.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Big: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Del: true, atom.Dfn: true, atom.Em: true,
	atom.Font: true, atom.I: true, atom.Ins: true, atom.Kbd: true, atom.Mark: true, atom.Q: true,
	atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strike: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.Tt: true, atom.U: true,
	atom.Var: true, atom.Wbr: true, atom.Br: true, atom.Img: true,
}
