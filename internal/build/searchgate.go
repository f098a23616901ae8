package build

import (
	"bytes"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/verify"
)

// The search index's words. Every shard of a build's search index
// (render.SearchDir + "w/") is scanned like any text file for titles and
// URLs; besides, each word in it must be held by a page the build holds:
// by its title or by its body as rendered with every link target held
// (a superset of what any build's body says). A word that only pages
// hidden from the build hold fails the gate.

// vocabulary maps each word of the site's pages to the pages that hold
// it, by page index, ascending.
type vocabulary struct {
	once  sync.Once
	pages map[string][]int32
	kept  int // pages whose words came from the last tracer's
}

// wordsBefore is the site and the vocabulary of the last tracer, which a
// rebuild's tracer takes the words of unchanged pages from.
type wordsBefore struct {
	s     *loadedSite
	pages map[string][]int32
}

// wordsFrom lets tr take the words of pages that did not change from
// prev, the last tracer (made for prevSite), if it found them.
func (tr *tracer) wordsFrom(prev *tracer, prevSite *loadedSite) {
	if tr == nil || prev == nil {
		return
	}
	if v := prev.vocab.pages; v != nil {
		tr.before = &wordsBefore{s: prevSite, pages: v}
	}
}

// keptWords fills res with the words of the pages whose words are those
// they had for the last tracer: the same source file, title and
// conversion (so the same link targets), and targets titled the same.
// It reports which pages it filled.
func (tr *tracer) keptWords(res [][]string) []bool {
	kept := make([]bool, len(res))
	wb := tr.before
	if wb == nil {
		return kept
	}
	tr.before = nil
	old := make(map[string]int, len(wb.s.tree.Pages))
	for j, p := range wb.s.tree.Pages {
		old[p.File] = j
	}
	oldToNew := make([]int32, len(wb.s.tree.Pages))
	for j := range oldToNew {
		oldToNew[j] = -1
	}
	for i, p := range tr.s.tree.Pages {
		j, ok := old[p.File]
		if !ok || p.Title != wb.s.tree.Pages[j].Title || tr.s.docs[i] != wb.s.docs[j] {
			continue
		}
		if d := tr.s.docs[i]; d != nil && slices.ContainsFunc(d.Targets(), func(t int) bool {
			a, okA := targetTitle(tr.s, t)
			b, okB := targetTitle(wb.s, t)
			return !okA || !okB || a != b
		}) {
			continue
		}
		kept[i], oldToNew[j] = true, int32(i)
	}
	for term, ps := range wb.pages {
		for _, j := range ps {
			if int(j) < len(oldToNew) && oldToNew[j] >= 0 {
				res[oldToNew[j]] = append(res[oldToNew[j]], term)
			}
		}
	}
	return kept
}

// targetTitle is what an empty link to target t says in site s (see
// bodies.title); ok is false for no such target.
func targetTitle(s *loadedSite, t int) (string, bool) {
	n := len(s.tree.Pages)
	switch {
	case t >= 0 && t < n:
		return s.tree.Pages[t].Title, true
	case t >= n && t < n+len(s.tree.Attachments):
		return path.Base(s.tree.Attachments[t-n].URL), true
	}
	return "", false
}

// words finds, once, the words of every page.
func (tr *tracer) words(bs *bodies) map[string][]int32 {
	v := &tr.vocab
	v.once.Do(func() {
		pages := tr.s.tree.Pages
		res := make([][]string, len(pages))
		kept := tr.keptWords(res)
		for _, k := range kept {
			if k {
				v.kept++
			}
		}
		var wg sync.WaitGroup
		work := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				var buf bytes.Buffer
				for i := range work {
					if tr.abandoned.Load() {
						continue
					}
					seen := map[string]bool{}
					add := func(t string) {
						if !seen[t] {
							seen[t] = true
							res[i] = append(res[i], t)
						}
					}
					render.SearchWords(pages[i].Title, func(t string, _ bool) { add(t) })
					if d := tr.s.docs[i]; d != nil {
						buf.Reset()
						d.Render(&buf, func(int) bool { return true }, bs.title)
						tr.s.cache.bodyWords(buf.Bytes(), add)
					}
				}
			})
		}
		for i := range pages {
			if !kept[i] {
				work <- i
			}
		}
		close(work)
		wg.Wait()
		v.pages = map[string][]int32{}
		for i, ts := range res {
			for _, t := range ts {
				v.pages[t] = append(v.pages[t], int32(i))
			}
		}
	})
	return v.pages
}

// checkShard fails a build whose search shard holds a word that only
// pages hidden from it hold, or that the gate cannot read.
func (tr *tracer) checkShard(bp *buildPlan, bs *bodies, name string, data []byte) error {
	terms, err := verify.ShardTerms(data)
	if err != nil {
		return &verify.WordLeak{Build: bp.r.Dir, File: name, Term: "(unreadable shard: " + err.Error() + ")"}
	}
	vocab := tr.words(bs)
	for _, t := range terms {
		holders := vocab[t]
		if slices.ContainsFunc(holders, func(p int32) bool { return bp.r.Present.Has(int(p)) }) {
			continue
		}
		leak := &verify.WordLeak{Build: bp.r.Dir, File: name, Term: t}
		for _, p := range holders[:min(3, len(holders))] {
			leak.Pages = append(leak.Pages, tr.s.tree.Pages[p].File)
		}
		if len(holders) == 0 {
			leak.Pages = []string{"no page"}
		}
		return leak
	}
	return nil
}

// isShard reports whether a build file is a search shard.
func isShard(name string) bool {
	return strings.HasPrefix(name, render.SearchDir+"w/")
}
