package render

import (
	"errors"
	"strconv"
)

// Shard boundaries. The terms of a build, in UTF-16 order, are cut into
// shards by a rule that looks only at the shard being filled and the
// term coming next (content-defined, like the chunking of backup tools):
// a shard ends before a term when the term's entry would take it past
// the size limit, or when it holds a quarter of the limit and the term's
// hash picks it as a boundary (with a chance that grows with the size of
// its entry). A change to some terms' postings then
// moves only the boundaries near them: once a cut falls again where it
// fell before, every later one does too. Shards are named after a hash
// of their first term (index.js lists the names), so a shard that did
// not change keeps its name and bytes when a shard before it splits or
// merges. An incremental rebuild (SearchEdit) relies on both.

const (
	shardHead = "facetSearch({"
	shardTail = "});\n"
)

// shardRule is where shards are cut: before a term whose entry would take
// the shard past max bytes, or, once the shard holds min bytes, before a
// term picked by its hash with a chance of its entry's size in gap bytes
// (so that a candidate comes about every gap bytes, whatever the size of
// the entries).
type shardRule struct{ max, min, gap int }

// newShardRule is the rule for shards of at most size bytes (shardSize
// when 0 or less): most are cut between a quarter and a half of it.
func newShardRule(size int) shardRule {
	if size <= 0 {
		size = shardSize
	}
	return shardRule{max: size, min: size / 4, gap: max(1, size/4)}
}

// cutBefore reports whether a shard of size bytes (its head included)
// ends before the entry (n bytes) of term.
func (r shardRule) cutBefore(size, n int, term string) bool {
	if size <= len(shardHead) {
		return false
	}
	return size+n > r.max || size >= r.min && termHash(term)%uint64(r.gap) < uint64(n)
}

// termHash is a term's 64-bit FNV-1a hash, mixed (so that its low bits
// are as good as its high ones).
func termHash(term string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(term); i++ {
		h ^= uint64(term[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// shardName is the name of the shard whose first term is first.
func shardName(first string) string {
	return strconv.FormatUint(termHash(first)^0x9e3779b97f4a7c15, 36)
}

// shardPath is the path of the shard named name.
func shardPath(name string) string { return SearchDir + "w/" + name + ".js" }

// errShardNames is returned when two shards of a build would have the
// same name (two first terms whose hashes collide).
var errShardNames = errors.New("render: two search shards of a build have the same name")

// shardWriter cuts a stream of term entries, in order, into shards.
type shardWriter struct {
	rule   shardRule
	buf    []byte // the open shard
	open   bool
	firsts []string // first term of every shard begun
	emit   func(first string, data []byte) error
}

// cuts reports whether the entry (n bytes) of term would begin a shard.
func (w *shardWriter) cuts(term string, n int) bool {
	return !w.open || w.rule.cutBefore(len(w.buf), n, term)
}

// add appends the entry of term.
func (w *shardWriter) add(term string, entry []byte) error {
	if w.cuts(term, len(entry)) {
		if err := w.flush(); err != nil {
			return err
		}
		w.firsts = append(w.firsts, term)
		w.buf = append(w.buf[:0], shardHead...)
		w.open = true
	} else {
		w.buf = append(w.buf, ',')
	}
	w.buf = append(w.buf, entry...)
	return nil
}

// flush writes the open shard.
func (w *shardWriter) flush() error {
	if !w.open {
		return nil
	}
	w.open = false
	w.buf = append(w.buf, shardTail...)
	return w.emit(w.firsts[len(w.firsts)-1], w.buf)
}

// appendEntry appends a shard entry: term and its postings.
func appendEntry(dst []byte, term string, post []uint64) []byte {
	dst = appendJSString(dst, term)
	dst = append(dst, ':', '"')
	dst = appendPostings(dst, post)
	return append(dst, '"')
}

// appendIndex appends index.js: the number of pages, the first term and
// the name of every shard.
func appendIndex(dst []byte, n int, firsts, names []string) []byte {
	dst = append(dst, `facetSearch({"n":`...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, `,"s":[`...)
	for k, f := range firsts {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSString(dst, f)
	}
	dst = append(dst, `],"w":[`...)
	for k, f := range names {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = append(dst, f...)
		dst = append(dst, '"')
	}
	return append(dst, "]});\n"...)
}

// uniqueNames reports whether names holds no name twice.
func uniqueNames(names []string) bool {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[n] {
			return false
		}
		seen[n] = true
	}
	return true
}
