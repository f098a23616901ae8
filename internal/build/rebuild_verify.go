package build

import (
	"maps"
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/verify"
)

// Verification on the general path of Rebuild. What the scanner finds in
// a file (verify.Index.RefsPacked) depends on the file's name and bytes
// and on the items it looks for: every page's and attachment's URL and
// title, and the site's URLs. When a rebuild looks for the same items as
// the last one, it keeps the last tracer's index (with its cache of
// scanned chunks) and its references by file, so that a file whose bytes
// did not change is not scanned again; each build still judges every
// file's references against what it holds, as the mentions of the new
// site say. Results for files no build holds any more are dropped.
//
// When only the titles of some items changed (a page retitled), the new
// index looks for the new titles, and a file whose bytes did not change
// holds what it held before, by the same references, but for the changed
// titles: those it held are gone, and the new ones it may hold are looked
// for with a verify.TitleFilter, which clears a file that cannot hold them
// without scanning it. A cleared file keeps its references, less those by
// an old title; any other file is scanned again.

// retitle is what a tracer keeps of the last one after titles changed.
type retitle struct {
	cache  map[traceKey]verify.Packed // the last tracer's references by file
	words  map[traceKey]*verify.Words // and the words of their text, where known
	ids    map[int]bool               // the items whose title changed
	filter *verify.TitleFilter        // the new titles
	tw     verify.TitleWords          // the new titles' words
}

// reuse gives tr, made for a rebuild of s, the scans of prev (made for
// prevSite) when both look for the same items (the same site URLs, and
// the same URL, title and file of every page and attachment, in the same
// order), or for the same items but for some titles.
func (tr *tracer) reuse(prev *tracer, prevSite *loadedSite) {
	if tr == nil || prev == nil || !tr.s.sameURLs(prevSite) {
		return
	}
	now, before := tr.s.items(), prevSite.items()
	if !slices.Equal(now, before) {
		tr.retitled(prev, now, before)
		return
	}
	tr.ix, tr.m.ix = prev.ix, prev.ix
	tr.m.inherit(prev.m, nil, now)
	prev.mu.Lock()
	defer prev.mu.Unlock()
	for k, v := range prev.cache {
		tr.cache[k] = v
	}
	for k, v := range prev.textWords {
		tr.textWords[k] = v
	}
}

// sameURLs reports whether s and prev have the same site URLs (base URL
// and hosts), which the verifier's index is made with.
func (s *loadedSite) sameURLs(prev *loadedSite) bool {
	return s.cfg.BaseURL == prev.cfg.BaseURL && slices.Equal(s.cfg.Hosts, prev.cfg.Hosts)
}

// sameIndex returns the verifier's index pb was published with when s,
// the site a rebuild loaded, would be indexed the same: the same site
// URLs and the same items (verify.NewIndex's arguments); else nil.
func (pb *published) sameIndex(s *loadedSite) *verify.Index {
	if pb.tr == nil || !s.sameURLs(pb.s) || !slices.Equal(s.items(), pb.s.items()) {
		return nil
	}
	return pb.tr.ix
}

// retitled keeps prev's references by file for refsAfterRetitle when the
// items the verifier looks for now and before differ in titles alone.
func (tr *tracer) retitled(prev *tracer, now, before []verify.Item) {
	if len(now) != len(before) {
		return
	}
	ids := map[int]bool{}
	var titles []string
	for i := range now {
		a, b := now[i], before[i]
		if a.URL != b.URL || a.File != b.File {
			return
		}
		if a.Title != b.Title {
			ids[i] = true
			titles = append(titles, a.Title)
		}
	}
	if len(ids) == 0 {
		return
	}
	// a changed file is scanned again in its changed chunks alone, and a
	// body searched for mentions again only if it may hold a new title
	tr.ix.Inherit(prev.ix, slices.Sorted(maps.Keys(ids)))
	tr.m.inherit(prev.m, ids, now)
	f, ok := verify.NewTitleFilter(titles)
	if !ok {
		return
	}
	tr.prev = &retitle{cache: prev.cache, words: prev.textWords, ids: ids, filter: f, tw: verify.NewTitleWords(titles)}
}

// refsByWords returns, without reading the file, the references of a
// file the last tracer scanned when the words of its text clear it of the
// new titles (verify.TitleWords), and those words. ok is false when they
// do not, or are not known.
func (tr *tracer) refsByWords(k traceKey) (refs verify.Packed, words *verify.Words, ok bool) {
	rt := tr.prev
	if rt == nil {
		return nil, nil, false
	}
	if refs, words, ok = rt.byWords(k); ok {
		tr.kept.Add(1)
		tr.keptByWords.Add(1)
	}
	return refs, words, ok
}

// byWords is refsByWords without the counts; safe for concurrent use.
func (rt *retitle) byWords(k traceKey) (refs verify.Packed, words *verify.Words, ok bool) {
	words = rt.words[k]
	old, ok := rt.cache[k]
	if !ok || words == nil || old.Hides() || rt.tw.MayHold(words) {
		return nil, nil, false
	}
	return old.WithoutTitles(rt.ids), words, true
}

// refsAfterRetitle returns the references of a file whose bytes the last
// tracer scanned, when the filter clears it of the new titles: the old
// references less those by a changed title. ok is false when the file
// must be scanned.
func (tr *tracer) refsAfterRetitle(k traceKey, data []byte) (refs verify.Packed, ok bool) {
	rt := tr.prev
	if rt == nil {
		return nil, false
	}
	old, ok := rt.cache[k]
	if !ok || old.Hides() || rt.filter.MayHold(data) {
		// Hides: the scan read text the bytes do not show (a data: URL's
		// base64 payload), which the filter cannot clear
		return nil, false
	}
	tr.kept.Add(1)
	return old.WithoutTitles(rt.ids), true
}

// prune drops the references of files that are not in out.
func (tr *tracer) prune(out outputs) {
	if tr == nil {
		return
	}
	keep := make(map[traceKey]bool, len(out))
	for rl, k := range out {
		_, name, _ := strings.Cut(rl, "/")
		keep[refsKey(k, name)] = true
	}
	tr.ix.Uninherit()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.prev = nil
	for k := range tr.cache {
		if !keep[k] {
			delete(tr.cache, k)
		}
	}
	for k := range tr.textWords {
		if !keep[k] {
			delete(tr.textWords, k)
		}
	}
}
