package verify

import (
	"bytes"
	"hash/maphash"
	"path"
	"regexp"
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
	p, _ := ix.RefsWords(name, data)
	return p
}

// RefsWords is RefsPacked with the words of the text the scanner read
// (see Words): nil when it read text the bytes do not show (Packed.Hides),
// or when ix does not gather words (GatherWords).
func (ix *Index) RefsWords(name string, data []byte) (Packed, *Words) {
	if !TextLike(data) {
		if !ix.words {
			return nil, nil
		}
		return nil, &Words{} // no text: no title
	}
	mg := getMerger()
	defer mg.release()
	var words *Words
	lost := false
	if ix.words {
		words = &Words{}
	}
	merge := func(rec record) {
		rec.each(mg.add, mg.addRel)
		if words != nil && !rec.addWords(words) {
			lost = true // a chunk scanned before ix gathered words
		}
	}
	if isMarkup(name, data) {
		ix.scanMarkup(data, merge)
		if x, ok := expandEntities(data); ok {
			// what an XML reader shows once the internal subset's
			// entities are put in place: words no filter over the
			// file's bytes can see
			ix.scanMarkup(x, merge)
			mg.add(pack(Ref{Kind: hidden}))
		}
	} else {
		css := strings.HasSuffix(strings.ToLower(name), ".css")
		ix.scanText(data, css, merge)
	}
	ix.resolveRels(fileDir(name), mg.rel, func(id int, k Kind, _ string) {
		mg.add(pack(Ref{ID: id, Kind: k}))
	})
	if lost {
		words = nil
	}
	if len(mg.out) == 0 {
		return nil, words
	}
	p := slices.Clone(mg.out)
	if p.Hides() {
		words = nil
	}
	return p, words
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
	if !isMarkup(name, data) {
		c.quotedRel(data)
	}
	if t, ok := c.refs.ctxs[r]; ok {
		return t
	}
	found := ""
	ix.resolveRels(fileDir(name), c.rel, func(id int, k Kind, ref string) {
		if id == r.ID && k == r.Kind && found == "" {
			found = ref
		}
	})
	return found
}

// relBase marks, among a file's relative link targets, the value of a
// <base href> or an xml:base: the other relative targets resolve against
// it as well as against the file's folder.
const relBase = "\x00base:"

// relText marks a relative URL written as text (see quotedRel): it names
// what it resolves to as text, not as a link.
const relText = "\x00text:"

// resolveRels resolves a file's relative link targets against its folder
// dir and against each base the file declares (relBase), wherever in the
// file it stands, and calls fn with each item found, the kind of the
// reference (Link, or Text for relText) and the target that names it.
func (ix *Index) resolveRels(dir string, rel []string, fn func(id int, k Kind, ref string)) {
	var bases []string
	for _, r := range rel {
		if b, ok := strings.CutPrefix(r, relBase); ok {
			bases = append(bases, b)
		}
	}
	for _, r := range rel {
		if strings.HasPrefix(r, relBase) {
			continue
		}
		k := Link
		if t, ok := strings.CutPrefix(r, relText); ok {
			r, k = t, Text
		}
		if id, ok := ix.resolveRel(dir, r); ok {
			fn(id, k, r)
		}
		for _, b := range bases {
			if id, ok := ix.resolveAgainst(dir, b, r); ok {
				fn(id, k, r)
			}
		}
	}
}

// resolveAgainst resolves the relative reference ref against base, itself
// absolute, root-relative or relative to the folder dir, as a browser
// resolves a link against a document's base URL.
func (ix *Index) resolveAgainst(dir, base, ref string) (int, bool) {
	base = strings.ReplaceAll(base, `\`, "/")
	base, _ = splitSuffix(base)
	bdir := base[:strings.LastIndexByte(base, '/')+1] // "" when base holds no "/"
	if hasScheme(base) || strings.HasPrefix(base, "//") {
		if i := strings.Index(base, "//"); i >= 0 && strings.IndexByte(base[i+2:], '/') < 0 {
			bdir = base + "/" // "https://host" has the root as its folder
		}
		if bdir == "" {
			return 0, false
		}
		return ix.absolute(bdir + ref)
	}
	if strings.HasPrefix(base, "/") {
		return ix.absolute(bdir + ref)
	}
	return ix.resolveRel(dir, bdir+ref)
}

// entityDecl finds an internal general entity's declaration in a
// doctype's internal subset.
var entityDecl = regexp.MustCompile(`<!ENTITY\s+([\pL_:][\pL\pN_:.-]*)\s+(?:"([^"]*)"|'([^']*)')`)

// maxExpand bounds the text expandEntities makes, against entities that
// multiply one another.
const maxExpand = 4 << 20

// expandEntities returns data with the internal general entities its
// doctype declares (<!ENTITY p "/a/b/">) put in place of their references
// (&p;), as an XML reader (an SVG or XML file in a browser) shows them,
// nested up to three times and within maxExpand bytes; false when it
// declares none.
func expandEntities(data []byte) ([]byte, bool) {
	if !bytes.Contains(data, []byte("<!ENTITY")) {
		return nil, false
	}
	decls := entityDecl.FindAllSubmatch(data, -1)
	if len(decls) == 0 {
		return nil, false
	}
	pairs := make([]string, 0, 2*len(decls))
	for _, d := range decls {
		pairs = append(pairs, "&"+string(d[1])+";", string(d[2])+string(d[3]))
	}
	r := strings.NewReplacer(pairs...)
	out := string(data)
	for range 3 {
		next := r.Replace(out)
		if next == out || len(next) > maxExpand {
			break
		}
		out = next
	}
	return []byte(out), true
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
				rec, ok = ix.inherited(k)
			}
			if !ok {
				c := newCollector(ix)
				c.words = ix.words
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
			rec, ok = ix.inherited(k)
		}
		if !ok {
			c := newCollector(ix)
			c.words = ix.words
			c.text(chunk, true)
			if css {
				c.css(chunk)
			}
			c.quotedRel(chunk)
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
		if n == 0 || isInline(bytes.ToLower(name[:n])) {
			continue
		}
		return at
	}
	return len(data)
}

var splitSeed = maphash.MakeSeed()

// isInline reports whether the element of a (lower-case) tag name is
// inline: an HTML one of inline, or SVG's text spans, whose words a
// browser draws as one line (<tspan>Table</tspan> <tspan>Roadmap</tspan>).
func isInline(name []byte) bool {
	if a := atom.Lookup(name); a != 0 {
		return inline[a]
	}
	return svgInline[string(name)]
}

// svgInline are SVG's elements inside <text> (no atoms of their own).
var svgInline = map[string]bool{"tspan": true, "textpath": true, "tref": true, "altglyph": true}

// inline elements: text runs on across their edges.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Big: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Del: true, atom.Dfn: true, atom.Em: true,
	atom.Font: true, atom.I: true, atom.Ins: true, atom.Kbd: true, atom.Mark: true, atom.Q: true,
	atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strike: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.Tt: true, atom.U: true,
	atom.Var: true, atom.Wbr: true, atom.Br: true, atom.Img: true,
}
