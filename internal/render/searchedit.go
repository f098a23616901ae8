package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Search after a body edit. An incremental rebuild that re-renders only a
// page's own file (RenderPage) updates the build's search files with
// SearchEdit: the page's fragment, and the postings of the terms whose
// presence or info in the page changed. The shards holding those terms
// are read back from the published build, changed, and cut again from
// the boundary before the first changed term until a cut falls where it
// fell before (searchshard.go); later shards keep their names and bytes.

// ErrSearchOutOfStep is returned by SearchEdit when the published search
// files do not hold what the old body says they should: the caller must
// render the build in full.
var ErrSearchOutOfStep = errors.New("render: published search index out of step")

// SearchFiles reads, writes and removes the search files of one published
// build, by path relative to the build root.
type SearchFiles struct {
	Read   func(path string) ([]byte, error)
	Write  func(path string, data []byte) error
	Remove func(path string) error
}

// termChange is a term of the edited page whose posting changes: its new
// info, or gone.
type termChange struct {
	term string
	info uint32
	gone bool
}

// SearchEdit updates, through f, the search files of build b after the
// body of page (by index) changed from oldBody to newBody, as b holds
// them; the page's title and headings are the same. The files written are
// those Render would write for the new body. It does nothing when b does
// not hold the page.
func (r *Renderer) SearchEdit(b *Target, page int, oldBody, newBody []byte, f SearchFiles) error {
	return r.searchEdit(b, page, "", oldBody, newBody, f)
}

// SearchRetitle updates, through f, the search files of build b after the
// title of page (by index) changed from oldTitle to the page's title, and
// its body, as b holds it, from oldBody to newBody (the same but where it
// fills an empty link to itself with its title): its fragment, and the
// postings of the terms that changed. It does nothing when b does not
// hold the page.
func (r *Renderer) SearchRetitle(b *Target, page int, oldTitle string, oldBody, newBody []byte, f SearchFiles) error {
	return r.searchEdit(b, page, oldTitle, oldBody, newBody, f)
}

// searchEdit is SearchEdit and SearchRetitle: oldTitle is the page's
// title before, "" when it is the same.
func (r *Renderer) searchEdit(b *Target, page int, oldTitle string, oldBody, newBody []byte, f SearchFiles) error {
	if b == nil || page < 0 || page >= len(r.tree.Pages) || !b.Present.Has(page) {
		return nil
	}
	nd := r.pageTree(b).byIndex[page]
	if nd == nil {
		return nil
	}
	p := nd.page
	ptOld, ptNew := extractText(oldBody), extractText(newBody)
	if err := f.Write(SearchDir+"f/"+strconv.Itoa(nd.order)+".js", appendFragment(nil, p.Title, p.URL, &ptNew)); err != nil {
		return err
	}
	if oldTitle == "" {
		oldTitle = p.Title
	}
	changes := termChanges(termInfos(oldTitle, &ptOld), termInfos(p.Title, &ptNew))
	if len(changes) == 0 {
		return nil
	}
	ix, err := readIndex(f)
	if err != nil {
		return err
	}
	e := &shardEdit{r: r, ix: ix, f: f, id: uint64(nd.order), changes: changes}
	return e.run()
}

// termInfos maps each term of a page to its posting's info.
func termInfos(title string, pt *pageText) map[string]uint32 {
	terms := pageTerms(title, pt)
	m := make(map[string]uint32, len(terms))
	for _, t := range terms {
		m[t.term] = uint32(t.anchor<<infoShift | t.flags | tfBucket(t.count))
	}
	return m
}

// termChanges lists the terms whose info differs between old and new, in
// UTF-16 order.
func termChanges(old, new map[string]uint32) []termChange {
	var out []termChange
	for t, info := range new {
		if o, ok := old[t]; !ok || o != info {
			out = append(out, termChange{term: t, info: info})
		}
	}
	for t := range old {
		if _, ok := new[t]; !ok {
			out = append(out, termChange{term: t, gone: true})
		}
	}
	slices.SortFunc(out, func(a, b termChange) int { return compareUTF16(a.term, b.term) })
	return out
}

// searchMetaFile is index.js's value.
type searchMetaFile struct {
	N     int      `json:"n"`
	First []string `json:"s"`
	Names []string `json:"w"`
}

// readIndex reads a published build's index.js.
func readIndex(f SearchFiles) (*searchMetaFile, error) {
	data, err := f.Read(SearchIndexPath)
	if err != nil {
		return nil, err
	}
	var m searchMetaFile
	if err := json.Unmarshal(scriptValue(data), &m); err != nil || len(m.First) != len(m.Names) {
		return nil, fmt.Errorf("%w: %s", ErrSearchOutOfStep, SearchIndexPath)
	}
	return &m, nil
}

// scriptValue is the value a search script passes to facetSearch.
func scriptValue(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("facetSearch("))
	return bytes.TrimSuffix(data, []byte(");\n"))
}

// shardEdit is one build's shards being cut again around changes.
type shardEdit struct {
	r       *Renderer
	ix      *searchMetaFile
	f       SearchFiles
	id      uint64 // the page's id in the build
	changes []termChange
	next    int // the first change not yet applied
	w       shardWriter
	names   []string // of the shards w wrote
	entry   []byte
}

// run cuts the shards again from the one before the first change, and
// writes the shards and the index that differ.
func (e *shardEdit) run() error {
	first := e.changes[0].term
	s0 := shardIndex(e.ix.First, first)
	if s0 > 0 && e.ix.First[s0] == first {
		s0-- // the cut before first may move
	}
	e.w = shardWriter{rule: newShardRule(e.r.site.ShardSize)}
	e.w.emit = func(first string, data []byte) error {
		e.names = append(e.names, shardName(first))
		return e.f.Write(shardPath(e.names[len(e.names)-1]), data)
	}
	end, err := e.feed(s0)
	if err != nil {
		return err
	}
	if err := e.w.flush(); err != nil {
		return err
	}
	firsts := slices.Concat(e.ix.First[:s0], e.w.firsts, e.ix.First[end:])
	names := slices.Concat(e.ix.Names[:s0], e.names, e.ix.Names[end:])
	if !uniqueNames(names) {
		return errShardNames
	}
	keep := make(map[string]bool, len(names))
	for _, n := range names {
		keep[n] = true
	}
	for _, n := range e.ix.Names[s0:end] {
		if !keep[n] {
			if err := e.f.Remove(shardPath(n)); err != nil {
				return err
			}
		}
	}
	return e.f.Write(SearchIndexPath, appendIndex(nil, e.ix.N, firsts, names))
}

// feed passes the entries of the shards from s0 on, changed, to the
// writer, until a cut falls where one fell before after the last change;
// it returns the index of the first shard not replaced.
func (e *shardEdit) feed(s0 int) (int, error) {
	for k := s0; k < len(e.ix.First); k++ {
		entries, err := e.readShard(e.ix.Names[k])
		if err != nil {
			return 0, err
		}
		for i, en := range entries {
			if err := e.insertBefore(en.term); err != nil {
				return 0, err
			}
			if i == 0 && k > s0 && e.next == len(e.changes) && e.w.cuts(en.term, len(en.raw)) {
				return k, nil // in step again
			}
			if e.next < len(e.changes) && e.changes[e.next].term == en.term {
				if err := e.change(en); err != nil {
					return 0, err
				}
				continue
			}
			if err := e.w.add(en.term, en.raw); err != nil {
				return 0, err
			}
		}
	}
	return len(e.ix.First), e.insertBefore("")
}

// insertBefore adds the entries of the new terms ordered before term (all
// that are left when term is "").
func (e *shardEdit) insertBefore(term string) error {
	for e.next < len(e.changes) {
		c := e.changes[e.next]
		if term != "" && compareUTF16(c.term, term) >= 0 {
			return nil
		}
		if c.gone {
			return fmt.Errorf("%w: no postings for %q", ErrSearchOutOfStep, c.term)
		}
		e.next++
		e.entry = appendEntry(e.entry[:0], c.term, []uint64{e.id<<32 | uint64(c.info)})
		if err := e.w.add(c.term, e.entry); err != nil {
			return err
		}
	}
	return nil
}

// change adds entry en with the page's posting changed.
func (e *shardEdit) change(en rawEntry) error {
	c := e.changes[e.next]
	e.next++
	post, err := readPostings(en.post)
	if err != nil {
		return err
	}
	post = slices.DeleteFunc(post, func(x uint64) bool { return x>>32 == e.id })
	if !c.gone {
		post = append(post, e.id<<32|uint64(c.info))
	}
	if len(post) == 0 {
		return nil
	}
	e.entry = appendEntry(e.entry[:0], c.term, post)
	return e.w.add(c.term, e.entry)
}

// shardIndex is the shard whose range holds term: the last whose first
// term is not after it (0 when none is).
func shardIndex(firsts []string, term string) int {
	lo, hi := 0, len(firsts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if compareUTF16(firsts[mid], term) <= 0 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return max(lo, 0)
}

// rawEntry is one entry of a shard as written.
type rawEntry struct {
	term string
	raw  []byte // "term":"postings"
	post []byte // postings
}

// readShard reads the entries of a published shard.
func (e *shardEdit) readShard(name string) ([]rawEntry, error) {
	data, err := e.f.Read(shardPath(name))
	if err != nil {
		return nil, err
	}
	bad := fmt.Errorf("%w: %s", ErrSearchOutOfStep, shardPath(name))
	if !bytes.HasPrefix(data, []byte(shardHead)) || !bytes.HasSuffix(data, []byte(shardTail)) {
		return nil, bad
	}
	body := data[len(shardHead) : len(data)-len(shardTail)]
	var out []rawEntry
	for len(body) > 0 {
		n := jsStringLen(body)
		if n < 0 || len(body) < n+3 || body[n] != ':' || body[n+1] != '"' {
			return nil, bad
		}
		end := bytes.IndexByte(body[n+2:], '"')
		if end < 0 {
			return nil, bad
		}
		term, err := jsString(body[:n])
		if err != nil {
			return nil, bad
		}
		size := n + 2 + end + 1
		out = append(out, rawEntry{term: term, raw: body[:size], post: body[n+2 : n+2+end]})
		body = body[size:]
		if len(body) > 0 {
			if body[0] != ',' {
				return nil, bad
			}
			body = body[1:]
		}
	}
	return out, nil
}

// jsStringLen is the length of the double-quoted string at the start of
// b, -1 when there is none.
func jsStringLen(b []byte) int {
	if len(b) == 0 || b[0] != '"' {
		return -1
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// jsString decodes a string appendJSString wrote.
func jsString(q []byte) (string, error) {
	if bytes.IndexByte(q, '\\') < 0 {
		return string(q[1 : len(q)-1]), nil
	}
	var s string
	err := json.Unmarshal(q, &s)
	return s, err
}

// readPostings reads postings appendPostings wrote.
func readPostings(s []byte) ([]uint64, error) {
	var out []uint64
	n, id, first := 0, -1, true
	for _, c := range s {
		if d := strings.IndexByte(moreDigits, c); d >= 0 {
			n = n*13 + d
			continue
		}
		d := strings.IndexByte(finalDigits, c)
		if d < 0 {
			return nil, fmt.Errorf("%w: postings hold %q", ErrSearchOutOfStep, c)
		}
		n = n*13 + d
		if first {
			id += n + 1
		} else {
			out = append(out, uint64(id)<<32|uint64(n))
		}
		first, n = !first, 0
	}
	if !first {
		return nil, fmt.Errorf("%w: postings end inside a posting", ErrSearchOutOfStep)
	}
	return out, nil
}
