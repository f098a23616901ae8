package build

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/siteurl"
)

// The fast path of Rebuild: every changed path is a page whose
// frontmatter is as it was, and whose new body keeps everything files
// other than the page's own take from it: the title (a page without one
// takes its first heading), the headings (search index), the start of the
// text as each build holds it (summaries, search: render.Shared), the
// attachments it uses (which builds hold them), and what it mentions, as
// each build holds it and with every link kept (the verifier's
// exemptions). Then only the page's own file changes, in each build that
// holds it, and, where the pages it links to in a build changed, the own
// files of the pages it now links to or no longer does (their "Linked
// from" lists): each is rendered (render.RenderPage), verified with the
// kept verifier, compared and written. Anything else takes the general
// path.

// bodyEdit is the new body of one page, converted.
type bodyEdit struct {
	page     int
	old      *markdown.Doc // the page's conversion before
	doc      *markdown.Doc
	conv     *conversion
	warnings []error
}

// fastRebuild is Rebuild's path for body edits; ok is false when the
// change needs the general path.
func (b *Builder) fastRebuild(ctx context.Context, changed []string) (res *Result, ok bool, err error) {
	start := time.Now()
	prev := b.snap
	s := prev.s
	now := b.opts.Now()
	if len(changed) == 0 || !prev.samePlanAt(b.opts.Out, now) || !s.datesHold() {
		return nil, false, nil
	}
	for _, bp := range prev.plan.builds {
		bp.reused = false
	}
	var edits []bodyEdit
	for _, c := range changed {
		e, ok := prev.bodyEdit(c)
		if !ok {
			return nil, false, nil
		}
		edits = append(edits, e)
	}
	oldConv := make([]*conversion, len(edits))
	for k, e := range edits {
		p := s.tree.Pages[e.page]
		edits[k].old, oldConv[k] = s.docs[e.page], s.convs[p.File]
	}
	bs := newBodies(s, prev.plan)
	relinked := prev.relinks(bs, edits)
	r, err := s.renderer()
	if err != nil {
		return nil, true, err
	}
	undo := prev.tr.reword(bs, edits)
	for _, e := range edits {
		s.docs[e.page], s.convs[s.tree.Pages[e.page].File] = e.doc, e.conv
	}
	if relinked {
		r.ForgetLinks() // made again from the new bodies when first needed
	}
	restore := func() {
		for k, e := range edits {
			s.docs[e.page], s.convs[s.tree.Pages[e.page].File] = e.old, oldConv[k]
		}
		undo()
		if relinked {
			r.ForgetLinks()
		}
	}
	d := b.newDiff(prev.outputs, b.newKeys(prev.atts, nil), s.dir)
	d.partial, d.disk = true, prev.disk
	if err := s.emitPages(ctx, prev, edits, d, b.opts.Workers, b.opts.Out); err != nil {
		restore()
		if errors.Is(err, render.ErrSearchOutOfStep) {
			return nil, false, nil
		}
		return nil, true, err
	}
	d.countFiles(prev.plan)
	res = &Result{}
	for _, e := range edits {
		for _, w := range e.warnings {
			res.Warnings = append(res.Warnings, w)
			b.opts.Warn(w)
		}
	}
	pages := make([]int, len(edits))
	for k, e := range edits {
		pages[k] = e.page
	}
	next := &published{s: s, plan: prev.plan, tr: prev.tr, atts: prev.atts, wanted: prev.wanted, wantedFile: prev.wantedFile, now: now, rules: prev.rules}
	next.prints, next.stale = prev.dropPrints(pages)
	if err := b.publishInPlace(d, next, prev.wantedFile); err != nil {
		return nil, true, err
	}
	return b.result(res, next, prev.tr != nil, d, start), true, nil
}

// dropPrints returns the prints of pb less those of the builds holding
// one of pages, whose files a fast path changed without printing them,
// and pb's stale builds with those (completePrints makes their prints
// when a general rebuild needs them).
func (pb *published) dropPrints(pages []int) (prints map[string]buildPrint, stale map[string]bool) {
	if pb.prints == nil {
		return nil, nil
	}
	prints = make(map[string]buildPrint, len(pb.prints))
	stale = maps.Clone(pb.stale)
	if stale == nil {
		stale = map[string]bool{}
	}
	for _, bp := range pb.plan.builds {
		if slices.ContainsFunc(pages, bp.r.Present.Has) {
			stale[bp.r.Dir] = true
		} else if pr, ok := pb.prints[bp.r.Dir]; ok {
			prints[bp.r.Dir] = pr
		}
	}
	return prints, stale
}

// samePlanAt reports whether the plan made at the snapshot's time holds
// at now: no guest expired between, and the same combinations wanted.
func (pb *published) samePlanAt(out string, now time.Time) bool {
	for _, g := range pb.s.acc.Directory.Guests {
		if g.Expired(pb.now) != g.Expired(now) {
			return false
		}
	}
	w := pb.s.stillWanted(readWanted(out), now)
	return slices.EqualFunc(wantedGroups(w), pb.wanted, slices.Equal)
}

// bodyEdit reads the changed file at path and converts its body when the
// change is one the fast path takes.
func (pb *published) bodyEdit(file string) (bodyEdit, bool) {
	s := pb.s
	i, p, q, ok := pb.readPage(file)
	if !ok || q.FrontSum != p.FrontSum || q.BodyLine != p.BodyLine || p.Draft {
		return bodyEdit{}, false
	}
	if pb.loaded != nil && !pb.loaded(i, q.Body) {
		return bodyEdit{}, false
	}
	e := bodyEdit{page: i}
	conv := markdown.New(markdown.Options{Unsafe: s.cfg.Markdown.Unsafe, Highlight: s.cfg.Markdown.Highlight})
	urls := siteurl.New(s.cfg.BaseURL, s.cfg.Hosts)
	rec := &recording{resolver: &resolver{s: s, page: p, urls: urls, attIDs: s.attachmentIDs(),
		warn: func(err error) { e.warnings = append(e.warnings, err) }}}
	doc, err := conv.Convert(q.Body, rec)
	if err != nil {
		return bodyEdit{}, false
	}
	e.doc = doc
	e.conv = &conversion{body: keyOfBody(q.Body), options: convOptions(s.cfg), doc: doc, calls: rec.calls}
	old := s.docs[i]
	if old == nil || old.Title != doc.Title || !slices.Equal(old.Headings, doc.Headings) ||
		!slices.Equal(pb.usesOf(i), s.attachmentsOf(p, q.Body, doc, urls)) || !pb.keepsShared(i, old, doc) {
		return bodyEdit{}, false
	}
	return e, true
}

// readPage reads the changed page file at path as the page at index i
// of pb's site, loaded as p, now reads (q); ok is false when it is no
// page of the site, or cannot be read or parsed.
func (pb *published) readPage(file string) (i int, p, q *content.Page, ok bool) {
	i, ok = pb.pageOf(file)
	if !ok {
		return 0, nil, nil, false
	}
	src, err := os.ReadFile(filepath.Join(pb.s.dir, filepath.FromSlash(file)))
	if err != nil {
		return 0, nil, nil, false
	}
	if q, err = content.ParsePage(file, src); err != nil {
		return 0, nil, nil, false
	}
	return i, pb.s.tree.Pages[i], q, true
}

// pageOf finds the page of a source file; generated pages have none.
func (pb *published) pageOf(file string) (int, bool) {
	pb.pagesOnce.Do(func() {
		pb.pages = map[string]int{}
		for _, p := range pb.s.tree.Pages {
			if !p.Generated {
				pb.pages[p.File] = p.Index
			}
		}
	})
	i, ok := pb.pages[path.Clean(file)]
	return i, ok
}

// usesOf lists the attachments page i uses in the plan, ascending.
func (pb *published) usesOf(i int) []int { return pb.plan.usesOf(i) }

// usesOf lists the attachments page i uses, ascending.
func (p *plan) usesOf(i int) []int {
	var out []int
	for a, ps := range p.users.pages {
		if slices.Contains(ps, i) {
			out = append(out, a)
		}
	}
	return out
}

// attachmentsOf lists the attachments page p would use with body and
// its conversion doc: those it links to and those it names (attachrefs.go),
// ascending.
func (s *loadedSite) attachmentsOf(p *content.Page, body []byte, doc *markdown.Doc, urls *siteurl.Site) []int {
	n := len(s.tree.Pages)
	var out []int
	for _, t := range doc.Targets() {
		if a := t - n; a >= 0 && a < len(s.tree.Attachments) {
			out = append(out, a)
		}
	}
	if len(s.tree.Attachments) > 0 {
		names := &fileNames{names: map[string]bool{}}
		pos := make(map[*content.Attachment]int, len(s.tree.Attachments))
		for j, a := range s.tree.Attachments {
			pos[a] = j
			names.add(path.Base(a.URL))
			names.add(path.Base(a.File))
		}
		np := *p
		np.Body = body
		out = append(out, s.namedIn(&np, urls, names, pos)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// keepsShared reports whether the new conversion of page i keeps, in every
// build that holds it, the text other files take from it and what it
// mentions, and, with every link kept, what it mentions. The pages it
// links to may change: emitPages renders their "Linked from" lists again.
func (pb *published) keepsShared(i int, old, doc *markdown.Doc) bool {
	s := pb.s
	bs := newBodies(s, pb.plan)
	var a, c bytes.Buffer
	mentions := func(d *markdown.Doc, buf *bytes.Buffer, holds func(int) bool) ([]int, []int) {
		buf.Reset()
		d.Render(buf, holds, noTitle)
		return pb.tr.ix.Mentions(buf.Bytes())
	}
	same := func(holds func(int) bool) bool {
		if pb.tr == nil {
			return true
		}
		t1, u1 := mentions(old, &a, holds)
		t2, u2 := mentions(doc, &c, holds)
		return slices.Equal(t1, t2) && slices.Equal(u1, u2)
	}
	if !same(func(int) bool { return true }) {
		return false
	}
	for _, bp := range pb.plan.builds {
		if !bp.r.Present.Has(i) {
			continue
		}
		holds, title := bs.linkFuncs(bp)
		a.Reset()
		c.Reset()
		old.Render(&a, holds, title)
		doc.Render(&c, holds, title)
		if render.Shared(a.Bytes()) != render.Shared(c.Bytes()) || !same(holds) {
			return false
		}
	}
	return true
}

// emitPages renders, verifies and compares the own files of the edited
// pages in every build that holds them, builds in parallel.
func (s *loadedSite) emitPages(ctx context.Context, pb *published, edits []bodyEdit, d *diff, workers int, out string) error {
	r, err := s.renderer()
	if err != nil {
		return err
	}
	bs := newBodies(s, pb.plan)
	builds := pb.plan.builds
	errs := make([]error, len(builds))
	var g errgroup.Group
	g.SetLimit(max(1, workers))
	for k, bp := range builds {
		g.Go(func() error {
			emit := func(name string, data []byte) error {
				key := d.key(data)
				if pb.tr != nil {
					if err := pb.tr.check(bp, bs, name, data, key); err != nil {
						return err
					}
				}
				return d.write(rel(bp.r.Dir, name), data, key)
			}
			files, checkSearch := searchFiles(pb.tr, bp, bs, d, out)
			for _, e := range edits {
				if !bp.r.Present.Has(e.page) {
					continue
				}
				err := r.RenderPage(ctx, bp.r, bs, e.page, emit)
				if err == nil {
					err = s.searchEdit(r, bp, bs, e, files)
				}
				if err != nil {
					errs[k] = err
					return nil
				}
			}
			if err := checkSearch(); err != nil {
				errs[k] = err
				return nil
			}
			for _, j := range relinkedIn(bs, bp, edits) {
				if err := r.RenderPage(ctx, bp.r, bs, j, emit); err != nil {
					errs[k] = err
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
	return ctx.Err()
}

// relinks reports whether an edit changes the pages its page links to in
// some build that holds it.
func (pb *published) relinks(bs *bodies, edits []bodyEdit) bool {
	for _, bp := range pb.plan.builds {
		if len(relinkedIn(bs, bp, edits)) > 0 {
			return true
		}
	}
	return false
}

// relinkedIn lists, sorted, the pages of build bp whose "Linked from"
// list the edits change: those an edited page links to before or after
// the edit but not both, as bp holds its body, other than the edited
// pages themselves (rendered anyway).
func relinkedIn(bs *bodies, bp *buildPlan, edits []bodyEdit) []int {
	var out []int
	for _, e := range edits {
		if !bp.r.Present.Has(e.page) {
			continue
		}
		before, after := bs.linksIn(e.old, bp), bs.linksIn(e.doc, bp)
		for _, t := range before {
			if _, found := slices.BinarySearch(after, t); !found {
				out = append(out, t)
			}
		}
		for _, t := range after {
			if _, found := slices.BinarySearch(before, t); !found {
				out = append(out, t)
			}
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(t int) bool {
		if !bp.r.Present.Has(t) {
			return true
		}
		return slices.ContainsFunc(edits, func(e bodyEdit) bool { return e.page == t })
	})
}
