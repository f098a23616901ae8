package build

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/verify"
)

// mentioned reports whether a build may carry the title or text URL of an
// item it does not hold, because its author wrote it: text every build
// carries or the build's badge names it, or a page the build holds says it
// (its title, summary or tags, or its body as the build holds it: the
// title anywhere, a URL in code). The page whose file holds the reference
// (page, -1 for none) is asked first: it is usually the one whose author
// wrote it. Each answer is kept per build.
func (tr *tracer) mentioned(bp *buildPlan, bs *bodies, page int, r verify.Ref) bool {
	k := legitKey{bp, r.ID, r.Kind}
	tr.mu.Lock()
	v, ok := tr.legit[k]
	tr.mu.Unlock()
	if ok {
		return v
	}
	v = tr.findMention(bp, bs, page, r)
	tr.mu.Lock()
	tr.legit[k] = v
	tr.mu.Unlock()
	return v
}

func (tr *tracer) findMention(bp *buildPlan, bs *bodies, page int, r verify.Ref) bool {
	m := tr.m
	if named := (namedAs{r.ID, r.Kind}); m.everywhere[named] || bp.kind == access.Member && m.inMembers[named] {
		return true
	}
	present := bp.r.Present.Has
	if r.Kind == verify.Title {
		if slices.Contains(tr.ix.TitlesIn(bp.r.Label), r.ID) {
			return true
		}
		for _, p := range m.metaTitles[r.ID] {
			if present(p) {
				return true
			}
		}
	}
	says := func(p int) bool {
		sd := tr.saidIn(bp, bs, p)
		if r.Kind == verify.Title {
			return slices.Contains(sd.titles, r.ID)
		}
		return slices.Contains(sd.codeURLs, r.ID)
	}
	if page >= 0 && present(page) && says(page) {
		return true
	}
	m.bodyOnce.Do(func() { tr.s.findBodyMentions(m) })
	cands := m.codeURLs[r.ID]
	if r.Kind == verify.Title {
		cands = m.bodyTitles[r.ID]
	}
	for _, p := range cands {
		if p != page && present(p) && says(p) {
			return true
		}
	}
	return false
}

// saidIn is what page p's body, as build bp holds it (links to what it
// does not hold redacted), mentions; kept by which of the body's link
// targets the build holds, which decides the body (most builds share it),
// so that the body is rendered and scanned once for each.
func (tr *tracer) saidIn(bp *buildPlan, bs *bodies, p int) said {
	d := tr.s.docs[p]
	if d == nil {
		return said{}
	}
	k := tr.heldKey(bp, bs, p, d.Targets())
	tr.mu.Lock()
	sd, ok := tr.said[k]
	tr.mu.Unlock()
	if ok {
		return sd
	}
	var buf bytes.Buffer
	visible, _ := bs.linkFuncs(bp)
	d.Render(&buf, visible, noTitle)
	sd.titles, sd.codeURLs, _ = tr.s.cache.mentions(tr.ix, buf.Bytes())
	tr.mu.Lock()
	tr.said[k] = sd
	tr.mu.Unlock()
	return sd
}

// heldKey names which of targets build bp holds: the bits themselves for
// up to 64 targets, else two hashes of them.
func (tr *tracer) heldKey(bp *buildPlan, bs *bodies, p int, targets []int) saidKey {
	var word uint64
	var h, h2 maphash.Hash
	if len(targets) > 64 {
		h.SetSeed(tr.seed)
		h2.SetSeed(tr.seed2)
	}
	for i, t := range targets {
		if bs.heldAs(bp, t) >= 0 {
			word |= 1 << (i % 64)
		}
		if i%64 == 63 && len(targets) > 64 {
			b := binary.LittleEndian.AppendUint64(nil, word)
			h.Write(b)
			h2.Write(b)
			word = 0
		}
	}
	if len(targets) <= 64 {
		return saidKey{page: p, a: word, n: len(targets)}
	}
	b := binary.LittleEndian.AppendUint64(nil, word)
	h.Write(b)
	h2.Write(b)
	return saidKey{page: p, a: h.Sum64(), b: h2.Sum64(), n: len(targets)}
}
