package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/internal/render"
)

// Search on the fast path. A body edit that changes words changes the
// page's search fragment and the postings of those words in every build
// that holds the page: render.SearchEdit reads the build's published
// index and the shards concerned back (checked against the keys the last
// rebuild recorded, else the general path runs), and writes what a clean
// build would. The search gate's vocabulary (searchgate.go) is updated
// for the page's new words before anything is verified.

// searchEdit updates the search files of build bp after edit e, given the
// published output folder out.
func (s *loadedSite) searchEdit(r *render.Renderer, bp *buildPlan, bs *bodies, e bodyEdit, files render.SearchFiles) error {
	holds, title := bs.linkFuncs(bp)
	var ob, nb bytes.Buffer
	e.old.Render(&ob, holds, title)
	e.doc.Render(&nb, holds, title)
	return r.SearchEdit(bp.r, e.page, ob.Bytes(), nb.Bytes(), files)
}

// searchFiles reads build bp's search files as this rebuild has them so
// far (d), else as published in out (checked against the keys the last
// rebuild recorded), and takes those written. check verifies, once, every
// file written: call it after the last edit of the build's search files,
// since a shard is in step with the search gate's vocabulary (updated for
// every edit first) only once every edit is in it.
func searchFiles(tr *tracer, bp *buildPlan, bs *bodies, d *diff, out string) (files render.SearchFiles, check func() error) {
	dir := bp.r.Dir
	var written []string
	check = func() error {
		slices.Sort(written)
		for _, name := range slices.Compact(written) {
			data, ok := d.pending(rel(dir, name))
			if !ok || data == nil || tr == nil {
				continue // removed after it was written
			}
			if err := tr.check(bp, bs, name, data, d.key(data)); err != nil {
				return err
			}
		}
		return nil
	}
	return render.SearchFiles{
		Read: func(name string) ([]byte, error) {
			rl := rel(dir, name)
			if data, ok := d.pending(rl); ok {
				if data == nil {
					return nil, fmt.Errorf("%w: %s removed", render.ErrSearchOutOfStep, rl)
				}
				return data, nil
			}
			data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rl)))
			if old, ok := d.published(rl); err != nil || !ok || d.key(data) != old {
				return nil, fmt.Errorf("%w: %s", render.ErrSearchOutOfStep, rl)
			}
			return data, nil
		},
		Write: func(name string, data []byte) error {
			written = append(written, name)
			return d.write(rel(dir, name), data, d.key(data))
		},
		Remove: func(name string) error {
			d.remove(rel(dir, name))
			return nil
		},
	}, check
}

// reword updates the search gate's vocabulary for edits, whose pages now
// have the docs of the edits (and had e.old); the function it returns
// undoes it. The vocabulary is made first if it was not yet, from the
// old docs.
func (tr *tracer) reword(bs *bodies, edits []bodyEdit) (undo func()) {
	if tr == nil {
		return func() {}
	}
	vocab := tr.words(bs)
	var changes []wordChange
	var buf bytes.Buffer
	for _, e := range edits {
		was := tr.pageWords(e.page, e.old, bs, &buf)
		now := tr.pageWords(e.page, e.doc, bs, &buf)
		changes = append(changes, newWordChange(e.page, was, now))
	}
	return applyWords(vocab, changes)
}

// wordChange is the words a page gains and loses.
type wordChange struct {
	page     int32
	add, del []string
}

// newWordChange is the change of page i's words from was to now.
func newWordChange(i int, was, now []string) wordChange {
	c := wordChange{page: int32(i)}
	for _, w := range now {
		if !slices.Contains(was, w) {
			c.add = append(c.add, w)
		}
	}
	for _, w := range was {
		if !slices.Contains(now, w) {
			c.del = append(c.del, w)
		}
	}
	return c
}

// applyWords applies changes to vocab; the function it returns undoes
// them.
func applyWords(vocab map[string][]int32, changes []wordChange) (undo func()) {
	apply := func(add bool) {
		for _, c := range changes {
			in, out := c.add, c.del
			if !add {
				in, out = out, in
			}
			for _, w := range in {
				holders := vocab[w]
				if k, found := slices.BinarySearch(holders, c.page); !found {
					vocab[w] = slices.Insert(holders, k, c.page)
				}
			}
			for _, w := range out {
				holders := vocab[w]
				if k, found := slices.BinarySearch(holders, c.page); found {
					holders = slices.Delete(holders, k, k+1)
				}
				if len(holders) == 0 {
					delete(vocab, w)
				} else {
					vocab[w] = holders
				}
			}
		}
	}
	apply(true)
	return func() { apply(false) }
}

// pageWords lists the words page i holds with doc for the search gate
// (see tracer.words), each once, sorted.
func (tr *tracer) pageWords(i int, doc *markdown.Doc, bs *bodies, buf *bytes.Buffer) []string {
	return pageWordsWith(tr.s.tree.Pages[i].Title, doc, bs.title, buf)
}

// pageWordsWith is pageWords for a page titled title whose body's empty
// links take their text from titleOf.
func pageWordsWith(title string, doc *markdown.Doc, titleOf func(int) string, buf *bytes.Buffer) []string {
	var out []string
	add := func(t string) { out = append(out, t) }
	render.SearchWords(title, func(t string, _ bool) { add(t) })
	if doc != nil {
		buf.Reset()
		doc.Render(buf, func(int) bool { return true }, titleOf)
		render.BodyWords(buf.Bytes(), add)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// countFiles adds to each build's file count the files the fast path d
// added to it and takes away those it removed (search shards).
func (d *diff) countFiles(p *plan) {
	delta := map[string]int{}
	for rl := range d.out {
		if _, ok := d.had(rl); !ok {
			delta[buildOf(rl)]++
		}
	}
	for rl := range d.gone {
		delta[buildOf(rl)]--
	}
	for _, bp := range p.builds {
		bp.files += delta[bp.r.Dir]
	}
}

// buildOf is the build folder of an output path.
func buildOf(rl string) string {
	dir, _, _ := strings.Cut(rl, "/")
	return dir
}
