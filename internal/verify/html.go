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
	p := ix.RefsPacked(name, data)
	if len(p) == 0 {
		return nil
	}
	refs := make(Refs, 0, len(p))
	for i := range p {
		if r := p.At(i); r.Kind != hidden {
			refs = append(refs, r)
		}
	}
	return refs
}

// ScanName is the part of a file's name its references depend on: its
// folder and its extension. RefsPacked(ScanName(name), data) equals
// RefsPacked(name, data), so that files of the same bytes in one folder
// (a page's search fragment, at a name of each build's own) share one
// scan. Whoever makes RefsPacked read more of the name must keep it here.
func ScanName(name string) string {
	dir, file := path.Split(name)
	return dir + "_" + strings.ToLower(path.Ext(file))
}

// RefsPacked is Refs, packed.
func (ix *Index) RefsPacked(name string, data []byte) Packed {
	if !TextLike(data) {
		return nil
	}
	mg := getMerger()
	defer mg.release()
	merge := func(rec record) { rec.each(mg.add, mg.addRel) }
	if isMarkup(name, data) {
		ix.scanMarkup(data, merge)
	} else {
		css := strings.HasSuffix(strings.ToLower(name), ".css")
		ix.scanText(data, css, merge)
	}
	dir := fileDir(name)
	for _, r := range mg.rel {
		if id, ok := ix.resolveRel(dir, r); ok {
			mg.add(pack(Ref{ID: id, Kind: Link}))
		}
	}
	if len(mg.out) == 0 {
		return nil
	}
	return slices.Clone(mg.out)
}

// merger gathers the references of a file's chunks, each once, in order.
type merger struct {
	seen map[uint32]struct{}
	out  Packed
	rel  []string
}

var mergers = sync.Pool{New: func() any { return &merger{seen: map[uint32]struct{}{}} }}

func getMerger() *merger { return mergers.Get().(*merger) }

func (mg *merger) add(x uint32) {
	if _, ok := mg.seen[x]; ok {
		return
	}
	mg.seen[x] = struct{}{}
	mg.out = append(mg.out, x)
}

func (mg *merger) addRel(s string) { mg.rel = append(mg.rel, s) }

func (mg *merger) release() {
	clear(mg.seen)
	clear(mg.rel)
	mg.out, mg.rel = mg.out[:0], mg.rel[:0]
	mergers.Put(mg)
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

// scanMarkup cuts data into chunks at lines that start with a block
// element (a word boundary, where no text runs on) chosen by their content,
// so that equal parts of two files give equal chunks, and hands fn the
// references of each, scanning only chunks not seen before. A chunk that
// ends inside a tag, a comment or a script grows until it does not.
func (ix *Index) scanMarkup(data []byte, fn func(record)) {
	for start := 0; start < len(data); {
		end := nextSplit(data, start+minChunk)
		for {
			chunk := data[start:end]
			k := ix.cache.key(chunk, kindMarkup)
			rec, ok := ix.cache.get(k)
			if !ok {
				c := newCollector(ix)
				clean := c.html(chunk)
				rec = ix.cache.put(k, c, !clean)
				c.release()
			}
			if rec.extend() && end < len(data) {
				end = nextSplit(data, end+(end-start))
				continue
			}
			fn(rec)
			break
		}
		start = end
	}
}

// scanText scans a text file in chunks cut between the objects or arrays
// of a JSON list ("},{", "],["), where no title or URL runs on, so that the
// entries two builds' search indexes share are scanned once.
func (ix *Index) scanText(data []byte, css bool, fn func(record)) {
	kind := uint64(kindText)
	if css {
		kind = kindCSS
	}
	for start := 0; start < len(data); {
		end := nextListSplit(data, start+minChunk)
		chunk := data[start:end]
		k := ix.cache.key(chunk, kind)
		rec, ok := ix.cache.get(k)
		if !ok {
			c := newCollector(ix)
			c.text(chunk, true)
			if css {
				c.css(chunk)
			}
			rec = ix.cache.put(k, c, false)
			c.release()
		}
		fn(rec)
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
