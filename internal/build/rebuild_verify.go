package build

import (
	"slices"
	"strings"
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

// reuse gives tr, made for a rebuild of s, the scans of prev (made for
// prevSite) when both look for the same items.
func (tr *tracer) reuse(prev *tracer, prevSite *loadedSite) {
	if tr == nil || prev == nil || !sameItems(tr.s, prevSite) {
		return
	}
	tr.ix, tr.m.ix = prev.ix, prev.ix
	prev.mu.Lock()
	defer prev.mu.Unlock()
	for k, v := range prev.cache {
		tr.cache[k] = v
	}
}

// sameItems reports whether the verifier looks for the same items in a
// and b: the same site URLs, and the same URL, title and file of every
// page and attachment, in the same order.
func sameItems(a, b *loadedSite) bool {
	if a.cfg.BaseURL != b.cfg.BaseURL || !slices.Equal(a.cfg.Hosts, b.cfg.Hosts) {
		return false
	}
	return slices.Equal(a.items(), b.items())
}

// prune drops the references of files that are not in out.
func (tr *tracer) prune(out outputs) {
	if tr == nil {
		return
	}
	keep := make(map[traceKey]bool, len(out))
	for rl, k := range out {
		_, name, _ := strings.Cut(rl, "/")
		keep[traceKey{k, name}] = true
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for k := range tr.cache {
		if !keep[k] {
			delete(tr.cache, k)
		}
	}
}
