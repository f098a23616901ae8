package build

import (
	"bytes"
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
}

// words finds, once, the words of every page.
func (tr *tracer) words(bs *bodies) map[string][]int32 {
	v := &tr.vocab
	v.once.Do(func() {
		pages := tr.s.tree.Pages
		res := make([][]string, len(pages))
		var wg sync.WaitGroup
		work := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				var buf bytes.Buffer
				for i := range work {
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
						render.BodyWords(buf.Bytes(), add)
					}
				}
			})
		}
		for i := range pages {
			work <- i
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
