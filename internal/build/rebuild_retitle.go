package build

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/verify"
)

// Rebuild's path for a retitle. When the one changed path is a content
// page (no section, no draft) whose new file differs from the loaded one
// in a title written on a line of its own alone (content.Page.TitleFree),
// and the new title keeps the page's place in every list
// (render.KeepsOrder), what changes is known without rendering the
// builds: in each build that holds the page, its own file and search
// files, the files of the pages that fill an empty link with its title
// and of the pages it links to ("Linked from"), its parent's list, its
// tags' pages, the navigation script, llms.txt, the feed and its aliases
// (render's retitle.go). Those are rendered, verified and written; no
// other build changes.
//
// The verifier looks for the new title everywhere. A new tracer is made
// as the general path makes it after a retitle (the last one's references
// by file, less those by the old title; a file whose words cannot hold
// the new title is not read), every file not written is given its
// references, reading from the output folder only those that may hold
// the new title, and a file is judged again when it holds the new title.
// The others need not be: their references are the ones judged before,
// less those by the old title, and what exempts a title (mentions) can
// only have grown, unless the old title held another page's title that
// the new one does not, which takes the general path. So does anything
// unexpected: a published file not as recorded, a body whose summary the
// title changes, a search index out of step, and any failure, so that a
// failed rebuild reports what a clean build would.

// retitleEdit is a content page's new title.
type retitleEdit struct {
	page       int
	old, title string
	front      [32]byte // the new file's FrontSum
}

// errRetitle makes the retitle path give way to the general one.
var errRetitle = errors.New("build: retitle takes the general path")

// retitleEdit reads the changed file at path and reports whether its
// change is a retitle the retitle path takes.
func (pb *published) retitleEdit(file string) (retitleEdit, bool) {
	s := pb.s
	i, p, q, ok := pb.readPage(file)
	if !ok || p.IsSection || p.Draft || p.Standin || p.Generated || p.TitleFree == ([32]byte{}) || s.docs[i] == nil {
		return retitleEdit{}, false
	}
	conv := s.convs[p.File]
	if conv == nil || q.TitleFree != p.TitleFree || q.BodyLine != p.BodyLine || q.Title == "" || q.Title == p.Title ||
		keyOfBody(q.Body) != conv.body || conv.options != convOptions(s.cfg) {
		return retitleEdit{}, false
	}
	return retitleEdit{page: i, old: p.Title, title: q.Title, front: q.FrontSum}, true
}

// refill is a page whose body, as one build holds it, fills an empty link
// with the retitled page's title: its body before and after.
type refill struct {
	page     int
	old, new []byte
}

// retitleRebuild is Rebuild's path for a retitle; ok is false when the
// change needs the general path.
func (b *Builder) retitleRebuild(ctx context.Context, changed []string) (res *Result, ok bool, err error) {
	start := time.Now()
	prev := b.snap
	s := prev.s
	now := b.opts.Now()
	if len(changed) != 1 || prev.disk != "" || prev.loaded != nil || !prev.samePlanAt(b.opts.Out, now) || !s.datesHold() {
		return nil, false, nil
	}
	e, ok := prev.retitleEdit(changed[0])
	if !ok {
		return nil, false, nil
	}
	r, err := s.renderer()
	if err != nil || !r.KeepsOrder(e.page, e.title) {
		return nil, false, nil
	}
	for _, bp := range prev.plan.builds {
		bp.reused = false
	}
	p := s.tree.Pages[e.page]
	bs := newBodies(s, prev.plan)
	holding := slices.DeleteFunc(slices.Clone(prev.plan.builds), func(bp *buildPlan) bool { return !bp.r.Present.Has(e.page) })

	// What changes, worked out with the old title, then the new.
	linkers := s.linkersOf(e.page)
	// the pages whose words for the search gate change: the page and
	// those that fill a link with its title
	reworded := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(linkers), e.page))))
	var oldMeta []int
	var vocab map[string][]int32
	var buf bytes.Buffer
	wordsWas := make([][]string, len(reworded))
	if prev.tr != nil {
		oldMeta = prev.tr.m.metaOf(p)
		vocab = prev.tr.words(bs)
		for k, j := range reworded {
			wordsWas[k] = pageWordsWith(s.tree.Pages[j].Title, s.docs[j], bs.title, &buf)
		}
	}
	before := s.items()
	oldFront := p.FrontSum
	p.Title, p.FrontSum = e.title, e.front
	s.resetItems()
	r.Retitled(e.page)
	undoWords := func() {}
	restore := func() {
		p.Title, p.FrontSum = e.old, oldFront
		s.resetItems()
		r.Retitled(e.page)
		undoWords()
		if prev.tr != nil {
			// findMentions keyed the build cache's scans by the new items
			s.cache.setVerifyIndex(s.items(), s.cfg.BaseURL, s.cfg.Hosts)
		}
	}
	refills := make([][]refill, len(holding))
	for k, bp := range holding {
		var ok bool
		if refills[k], ok = retitleRefills(bs, bp, e, linkers); !ok {
			restore()
			return nil, false, nil
		}
	}

	var tr *tracer
	if prev.tr != nil {
		tr = s.newTracer(s.findMentions(nil))
		tr.retitled(prev.tr, s.items(), before)
		if tr.prev == nil || lostMention(oldMeta, tr.m.metaOf(p), e.page) {
			restore()
			return nil, false, nil
		}
		var changes []wordChange
		for k, j := range reworded {
			changes = append(changes, newWordChange(j, wordsWas[k], pageWordsWith(s.tree.Pages[j].Title, s.docs[j], bs.title, &buf)))
		}
		tr.vocab.once.Do(func() { tr.vocab.pages = vocab })
		undoWords = applyWords(vocab, changes)
	}

	d := b.newDiff(prev.outputs, b.newKeys(prev.atts, nil), s.dir)
	d.partial = true
	err = s.emitRetitle(ctx, r, tr, holding, refills, bs, e, d, b.opts.Workers, b.opts.Out)
	if err == nil && tr != nil {
		err = s.verifyUnwritten(ctx, tr, prev, bs, d, e.page, b.opts.Workers, b.opts.Out)
	}
	if err != nil {
		restore()
		if ctx.Err() != nil {
			return nil, true, ctx.Err()
		}
		return nil, false, nil // the general path reports a failure as a clean build does
	}
	d.countFiles(prev.plan)
	next := &published{s: s, plan: prev.plan, tr: tr, atts: prev.atts, wanted: prev.wanted, wantedFile: prev.wantedFile, now: now, rules: prev.rules}
	next.prints, next.stale = prev.dropPrints([]int{e.page})
	if err := b.publishInPlace(d, next, prev.wantedFile); err != nil {
		return nil, true, err
	}
	next.pruneLater()
	b.retitles++
	return b.result(&Result{}, next, tr != nil, d, start), true, nil
}

// linkersOf lists, ascending, the pages whose conversion links to page i.
func (s *loadedSite) linkersOf(i int) []int {
	var out []int
	for j, d := range s.docs {
		if d != nil && slices.Contains(d.Targets(), i) {
			out = append(out, j)
		}
	}
	return out
}

// retitleRefills lists the pages of linkers whose bodies, as build bp
// holds them, change with the retitle of e (an empty link filled with its
// title), with the bodies before and after; the site has the new title.
// ok is false when such a change reaches the start of a page's text,
// which lists show (render.Shared).
func retitleRefills(bs *bodies, bp *buildPlan, e retitleEdit, linkers []int) (out []refill, ok bool) {
	holds, title := bs.linkFuncs(bp)
	oldTitle := func(t int) string {
		if bs.heldAs(bp, t) == e.page {
			return e.old
		}
		return title(t)
	}
	for _, j := range linkers {
		if !bp.r.Present.Has(j) {
			continue
		}
		d := bs.s.docs[j]
		var a, c bytes.Buffer
		d.Render(&a, holds, oldTitle)
		d.Render(&c, holds, title)
		if bytes.Equal(a.Bytes(), c.Bytes()) {
			continue
		}
		if render.Shared(a.Bytes()) != render.Shared(c.Bytes()) {
			return nil, false
		}
		out = append(out, refill{page: j, old: a.Bytes(), new: c.Bytes()})
	}
	return out, true
}

// lostMention reports whether a page's title, summary and tags held
// the title of an item other than the page (before) that they no longer
// hold (now): what exempted that title in the builds holding the page is
// gone, so files not written may fail.
func lostMention(before, now []int, page int) bool {
	for _, id := range before {
		if id != page && !slices.Contains(now, id) {
			return true
		}
	}
	return false
}

// emitRetitle renders, verifies and compares the files of the builds in
// holding that the retitle e changes, builds in parallel; refills[k] is
// what retitleRefills found for holding[k].
func (s *loadedSite) emitRetitle(ctx context.Context, r *render.Renderer, tr *tracer, holding []*buildPlan, refills [][]refill, bs *bodies, e retitleEdit, d *diff, workers int, out string) error {
	errs := make([]error, len(holding))
	var g errgroup.Group
	g.SetLimit(max(1, workers))
	for k, bp := range holding {
		g.Go(func() error {
			errs[k] = s.emitRetitled(ctx, r, tr, bp, refills[k], bs, e, d, out)
			return nil
		})
	}
	g.Wait()
	if err := firstError(errs); err != nil {
		return err
	}
	return ctx.Err()
}

// emitRetitled is emitRetitle for one build.
func (s *loadedSite) emitRetitled(ctx context.Context, r *render.Renderer, tr *tracer, bp *buildPlan, refills []refill, bs *bodies, e retitleEdit, d *diff, out string) error {
	emit := func(name string, data []byte) error {
		key := d.key(data)
		if tr != nil {
			if err := tr.check(bp, bs, name, data, key); err != nil {
				return err
			}
		}
		return d.write(rel(bp.r.Dir, name), data, key)
	}
	pages := []int{e.page}
	for _, f := range refills {
		pages = append(pages, f.page)
	}
	pages = append(pages, bs.linksIn(s.docs[e.page], bp)...)
	slices.Sort(pages)
	for _, j := range slices.Compact(pages) {
		if err := r.RenderPage(ctx, bp.r, bs, j, emit); err != nil {
			return err
		}
	}
	if err := r.RenderRetitled(ctx, bp.r, bs, e.page, emit); err != nil {
		return err
	}
	files, checkSearch := searchFiles(tr, bp, bs, d, out)
	llms, err := files.Read(render.LLMsPath)
	if err != nil {
		return err
	}
	next, ok := r.RetitleLLMs(e.page, e.old, llms)
	if !ok {
		return errRetitle
	}
	if err := emit(render.LLMsPath, next); err != nil {
		return err
	}
	own := slices.IndexFunc(refills, func(f refill) bool { return f.page == e.page })
	body := bs.Body(s.tree.Pages[e.page], bp.r)
	oldBody := body
	if own >= 0 {
		oldBody = refills[own].old
	}
	if err := r.SearchRetitle(bp.r, e.page, e.old, oldBody, body, files); err != nil {
		return err
	}
	for _, f := range refills {
		if f.page == e.page {
			continue
		}
		if err := r.SearchEdit(bp.r, f.page, f.old, f.new, files); err != nil {
			return err
		}
	}
	return checkSearch()
}

// verifyUnwritten gives tr the references of every file of pb's output
// that d does not write or remove, reading from the output folder out
// only those whose words may hold a retitled title (and checking that
// they are as published), and judges those that hold the title of the
// retitled page; then it checks every build's attachments.
func (s *loadedSite) verifyUnwritten(ctx context.Context, tr *tracer, pb *published, bs *bodies, d *diff, page, workers int, out string) error {
	byDir := make(map[string]*buildPlan, len(pb.plan.builds))
	atts := map[string]bool{}
	for _, bp := range pb.plan.builds {
		byDir[bp.r.Dir] = bp
		for i, a := range s.tree.Attachments {
			if bp.atts.Has(i) {
				atts[rel(bp.r.Dir, a.OutPath)] = true
			}
		}
	}
	// every file not written, by its references' key
	type file struct {
		rl, name string
		bp       *buildPlan
		key      fileKey
	}
	byKey := map[traceKey][]file{}
	vendor := map[string]fileKey{} // the built-in vendored files' keys, by name
	d.mu.Lock()
	for rl, key := range pb.outputs {
		if _, wrote := d.out[rl]; wrote || d.gone[rl] || atts[rl] {
			continue
		}
		dir, name, _ := strings.Cut(rl, "/")
		if strings.HasPrefix(name, vendorDir) {
			vk, ok := vendor[name]
			if !ok {
				if b, builtin := builtinVendorBytes(name); builtin {
					vk = d.key(b)
				}
				vendor[name] = vk
			}
			if vk == key {
				continue // the bytes facet ships: not scanned (checkFile)
			}
		}
		bp := byDir[dir]
		if bp == nil {
			d.mu.Unlock()
			return errRetitle
		}
		k := refsKey(key, name)
		byKey[k] = append(byKey[k], file{rl, name, bp, key})
	}
	d.mu.Unlock()
	keys := make([]traceKey, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	n := max(1, workers)
	type found struct {
		k     traceKey
		refs  verify.Packed
		words *verify.Words
	}
	kept := make([][]found, n)
	slow := make([][]traceKey, n)
	rt := tr.prev
	tr.mu.Lock()
	written := make(map[traceKey]bool, len(tr.cache))
	for k := range tr.cache {
		written[k] = true
	}
	tr.mu.Unlock()
	var g errgroup.Group
	for w := range n {
		g.Go(func() error {
			for j := w; j < len(keys); j += n {
				k := keys[j]
				if written[k] {
					// a file written has the same bytes: scanned, but
					// judged only in the builds that wrote it
					slow[w] = append(slow[w], k)
					continue
				}
				// by its words, unread, without the bookkeeping of scans
				// in flight (tracer.refsOf): each key is asked once
				refs, words, ok := rt.byWords(k)
				if !ok {
					slow[w] = append(slow[w], k)
					continue
				}
				kept[w] = append(kept[w], found{k, refs, words})
			}
			return nil
		})
	}
	g.Wait()
	tr.mu.Lock()
	for _, fs := range kept {
		for _, f := range fs {
			tr.cache[f.k] = f.refs
			if tr.textWords != nil {
				tr.textWords[f.k] = f.words
			}
		}
		tr.kept.Add(int64(len(fs)))
		tr.keptByWords.Add(int64(len(fs)))
	}
	tr.mu.Unlock()
	// the others are read, filtered or scanned; those holding the
	// retitled page's title are judged in every build that has them
	errs := make([]error, n)
	g = errgroup.Group{}
	for w := range n {
		g.Go(func() error {
			for j, k := range slow[w] {
				if j%64 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return nil
				}
				fs := byKey[k]
				load := func() ([]byte, error) {
					data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(fs[0].rl)))
					if err != nil || d.key(data) != fs[0].key {
						return nil, errRetitle
					}
					return data, nil
				}
				refs, err := tr.refsOf(k, load)
				if err == nil && refs.HasTitle(page) {
					for _, f := range fs {
						if err = tr.checkFile(f.bp, bs, f.name, f.key, load); err != nil {
							break
						}
					}
				}
				if err != nil {
					errs[w] = err
					return nil
				}
			}
			return nil
		})
	}
	g.Wait()
	if err := firstError(errs); err != nil {
		return err
	}
	// any failure gives way to the general path, which reports it
	g = errgroup.Group{}
	g.SetLimit(n)
	for _, bp := range pb.plan.builds {
		g.Go(func() error {
			for i, a := range s.tree.Attachments {
				if bp.atts.Has(i) {
					if err := tr.checkAttachment(bp, bs, i, a); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// firstError is the first error of errs that is not nil.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// resetItems makes items be made again, after a title changed.
func (s *loadedSite) resetItems() {
	s.itemsOnce = sync.Once{}
	s.itemList = nil
}
