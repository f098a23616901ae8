package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/themes"
)

// bodies hands render each page's body as one build sees it. A body is
// assembled from the page's pre-rendered pieces on each call, choosing for
// each link slot by what the build holds: a copy, no markdown work, and
// nothing kept, so memory does not grow with the number of builds.
type bodies struct {
	s      *loadedSite
	npages int
	plans  map[*render.Target]*buildPlan
}

func newBodies(s *loadedSite, p *plan) *bodies {
	b := &bodies{s: s, npages: len(s.tree.Pages), plans: map[*render.Target]*buildPlan{}}
	for _, bp := range p.builds {
		b.plans[bp.r] = bp
	}
	return b
}

// holds reports whether a build holds a link target: a page when present,
// an attachment when the plan gave it to the build (attach.go: its owner
// is visible and, if pages refer to it, one of them is present).
func (b *bodies) holds(bp *buildPlan, target int) bool {
	if target < b.npages {
		return bp.r.Present.Has(target)
	}
	i := target - b.npages
	if i >= len(b.s.tree.Attachments) {
		return false
	}
	return bp.atts.Has(i)
}

// standin returns the page standing in for target where target is a
// section page with a stand-in (content.Section.Standin), else -1.
func (b *bodies) standin(target int) int {
	if target < 0 || target >= b.npages {
		return -1
	}
	if sp := b.s.tree.Pages[target].StandinPage(); sp != nil {
		return sp.Index
	}
	return -1
}

// holdsURL reports whether a build holds the URL of target: target
// itself, or the page standing in for it at the same URL. Only the URL:
// the section page's title and words stay hidden.
func (b *bodies) holdsURL(bp *buildPlan, target int) bool {
	if b.holds(bp, target) {
		return true
	}
	sp := b.standin(target)
	return sp >= 0 && bp.r.Present.Has(sp)
}

// heldAs returns what build bp holds for a link target: the target
// itself, or, for a link that names a section's folder (its target is the
// section's stand-in, see resolver.Resolve), the section page where the
// build holds it instead; -1 when it holds neither. A link that names the
// _index.md by its file or an alias targets the section page itself and
// is never taken to the stand-in: that would show the file exists.
func (b *bodies) heldAs(bp *buildPlan, target int) int {
	if b.holds(bp, target) {
		return target
	}
	if target < b.npages {
		if p := b.s.tree.Pages[target]; p.Standin && bp.r.Present.Has(p.Section.Page.Index) {
			return p.Section.Page.Index
		}
	}
	return -1
}

// linkFuncs returns the functions markdown.Doc.Render assembles a body
// with for bp's build: which link targets it holds (heldAs), and the text
// an empty link to one gets (the title of the page the build holds for it:
// the stand-in's where the section page is hidden, never the hidden
// page's).
func (b *bodies) linkFuncs(bp *buildPlan) (visible func(int) bool, title func(int) string) {
	visible = func(t int) bool { return b.heldAs(bp, t) >= 0 }
	title = func(t int) string {
		if h := b.heldAs(bp, t); h >= 0 {
			return b.title(h)
		}
		return b.title(t)
	}
	return visible, title
}

// title is the text filled into an empty link to a target.
func (b *bodies) title(target int) string {
	if target < b.npages {
		return b.s.tree.Pages[target].Title
	}
	return path.Base(b.s.tree.Attachments[target-b.npages].URL)
}

// Body implements render.Bodies.
func (b *bodies) Body(p *content.Page, rb *render.Target) []byte {
	doc := b.s.docs[p.Index]
	if doc == nil {
		return nil
	}
	bp := b.plans[rb]
	var buf bytes.Buffer
	visible, title := b.linkFuncs(bp)
	doc.Render(&buf, visible, title)
	return buf.Bytes()
}

// Headings implements render.Bodies.
func (b *bodies) Headings(p *content.Page) []markdown.Heading {
	if d := b.s.docs[p.Index]; d != nil {
		return d.Headings
	}
	return nil
}

// Links implements render.Bodies: the pages p's body, as rb holds it,
// links to.
func (b *bodies) Links(p *content.Page, rb *render.Target) []int {
	return b.linksIn(b.s.docs[p.Index], b.plans[rb])
}

// linksIn lists the pages (targets below npages) a conversion links to as
// bp's build holds it, ascending; nil for no conversion.
func (b *bodies) linksIn(d *markdown.Doc, bp *buildPlan) []int {
	if d == nil || bp == nil {
		return nil
	}
	visible, _ := b.linkFuncs(bp)
	ts := d.LinksIn(visible)
	n := 0
	for n < len(ts) && ts[n] < b.npages {
		n++
	}
	ts = ts[:n]
	moved := false
	for i, t := range ts {
		if h := b.heldAs(bp, t); h != t {
			ts[i], moved = h, true // a link to a folder reaches the section page the build holds
		}
	}
	if moved {
		slices.Sort(ts)
		ts = slices.Compact(ts)
	}
	return ts
}

// renderer returns the site's renderer, made on first use and kept with
// the site: an incremental rebuild that keeps the tree renders one page
// with it again (its caches assume the tree does not change).
func (s *loadedSite) renderer() (*render.Renderer, error) {
	if s.rend != nil {
		return s.rend, nil
	}
	info := render.Site{
		Title: s.cfg.Title, Description: s.cfg.Description, BaseURL: s.cfg.BaseURL,
		Language: s.cfg.Language, GroupTitles: s.acc.GroupTitles, ShardSize: s.shard,
	}
	th, err := s.themeInfo()
	if err != nil {
		return nil, err
	}
	info.Theme = th
	s.updated = th.Updated
	if style := s.cfg.Markdown.HighlightStyle; style != "" && style != markdown.DefaultStyle {
		// The theme's syntax.css pairs the default style with a dark
		// variant; another style replaces it.
		css, err := markdown.CSS(style)
		if err != nil {
			return nil, diag.Errorf(config.SiteFile, 0, "highlight_style: %v", err)
		}
		info.Assets = map[string][]byte{"syntax.css": css}
	}
	r, err := render.New(info, s.themeFS, s.tree)
	if err != nil {
		return nil, fmt.Errorf("build: theme: %w", err)
	}
	if s.cache != nil {
		r.SetSearchStore(searchStore{s.cache.c})
	}
	s.rend = r
	return r, nil
}

// theme layers the site's themes/<name>/ folder over the built-in theme.
func (s *loadedSite) theme() fs.FS {
	over := filepath.Join(s.dir, "themes", s.cfg.Theme)
	if st, err := os.Stat(over); err == nil && st.IsDir() {
		return render.Layer(os.DirFS(over), themes.Default)
	}
	return themes.Default
}

// sink receives the files of every build: the staging folder of a full
// build, or the comparison with the published output of an incremental one
// (rebuild_out.go). Its methods are safe for concurrent use.
type sink interface {
	// key identifies data's content.
	key(data []byte) fileKey
	// write takes the file at rel (build folder first); data is valid
	// only during the call.
	write(rel string, data []byte, key fileKey) error
	// copyFile takes the source file src as the file at rel.
	copyFile(rel, src string) error
}

// emit renders every build into st, verifying each file as it is
// written when verify is set. With release, the renderer drops what it
// keeps for a page once the last build holding it is written (a build
// that keeps nothing for a Rebuild); without, it keeps it for the
// Rebuilds after.
func (s *loadedSite) emit(ctx context.Context, p *plan, st sink, tr *tracer, workers int, prog *progress, release bool) error {
	r, err := s.renderer()
	if err != nil {
		return err
	}
	if s.memo != nil {
		r.UseMemo(s.memo)
	}
	bs := newBodies(s, p)
	if release {
		targets := make([]*render.Target, len(p.builds))
		for i, bp := range p.builds {
			targets[i] = bp.r
		}
		r.Expect(targets)
	}
	var tags *reuseTags
	if s.memo == nil {
		tags = &reuseTags{m: map[render.Tag]fileKey{}}
	}
	// The failure reported is the first build's, in plan order, that
	// fails, whatever the timing: a failing build stops those after it
	// alone, so that every build before it runs to its end.
	var g errgroup.Group
	g.SetLimit(max(1, workers))
	errs := make([]error, len(p.builds))
	var mu sync.Mutex
	cancels := make([]context.CancelFunc, len(p.builds))
	failed := len(p.builds) // the first build that failed, so far
	var done atomic.Int64
	prog.phase("rendering builds", len(p.builds), &done)
	for i, bp := range p.builds {
		mu.Lock()
		stop := failed < i || ctx.Err() != nil
		bctx, cancel := context.WithCancel(ctx)
		cancels[i] = cancel
		mu.Unlock()
		if stop {
			cancel()
			break
		}
		g.Go(func() error {
			defer cancel()
			err := errReplay
			if d, ok := st.(*diff); ok && bp.replay != nil {
				err = s.replayBuild(bs, bp, d, tr)
			}
			if errors.Is(err, errReplay) {
				err = s.emitBuild(bctx, r, bs, bp, st, tr, tags)
			}
			if err != nil {
				errs[i] = err
				mu.Lock()
				if i < failed {
					failed = i
					for _, c := range cancels[i+1:] {
						if c != nil {
							c()
						}
					}
				}
				mu.Unlock()
				return nil
			}
			done.Add(1)
			return nil
		})
	}
	g.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// emitBuild renders one build and copies the attachments it may see.
func (s *loadedSite) emitBuild(ctx context.Context, r *render.Renderer, bs *bodies, bp *buildPlan, st sink, tr *tracer, tags *reuseTags) error {
	var files atomic.Int64
	put := func(name string, data []byte) (fileKey, error) {
		key := st.key(data)
		if tr != nil {
			if err := tr.check(bp, bs, name, data, key); err != nil {
				return key, err
			}
		}
		files.Add(1)
		return key, st.write(rel(bp.r.Dir, name), data, key)
	}
	emit := func(name string, data []byte) error {
		_, err := put(name, data)
		return err
	}
	var reuse render.Reuser
	if stg, ok := st.(*stage); ok && tags != nil {
		reuse = &buildReuse{tags: tags, st: stg, tr: tr, bp: bp, bs: bs, put: put, files: &files}
	}
	err := r.RenderReusing(ctx, bp.r, bs, emit, reuse)
	if err != nil {
		return err
	}
	n, err := s.emitAttachments(bs, bp, st, tr, func(err error) error { return err })
	bp.files = int(files.Load()) + n
	return err
}

// emitAttachments copies the attachments bp holds through st, each
// verified first (a failure is passed through failed); it returns how
// many it copied.
func (s *loadedSite) emitAttachments(bs *bodies, bp *buildPlan, st sink, tr *tracer, failed func(error) error) (int, error) {
	n := 0
	for i, a := range s.tree.Attachments {
		if !bp.atts.Has(i) {
			continue
		}
		if tr != nil {
			if err := tr.checkAttachment(bp, bs, i, a); err != nil {
				return n, failed(err)
			}
		}
		n++
		if err := st.copyFile(rel(bp.r.Dir, a.OutPath), filepath.Join(s.dir, filepath.FromSlash(a.File))); err != nil {
			return n, err
		}
	}
	return n, nil
}
