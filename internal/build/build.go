// Package build turns a site folder into one complete static site per
// distinct audience and publishes them atomically with manifest.json and
// rules.json. It owns the data flow of ARCHITECTURE.md: load, compile rules,
// plan audiences, convert every page once, render each build from
// pre-rendered pieces, write identical files once, verify that no build
// holds a trace of a page hidden from it, and swap the result in.
//
// It does not decide visibility (internal/access), parse markdown
// (internal/markdown) or lay pages out (internal/render).
package build

import (
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/cache"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/internal/place"
	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/verify"
)

// Options configure a Builder.
type Options struct {
	// Site is the site folder. Default ".".
	Site string
	// Out is the output folder. Default "public" inside Site when Site is
	// given relative to it; a relative Out is taken from the working directory.
	Out string
	// NoVerify turns the no-trace verification off even when the site
	// enables it. Default false.
	NoVerify bool
	// Progress receives a one-line progress display for builds that take
	// over a second; nil for none. Pass a terminal only.
	Progress io.Writer
	// Warn receives warnings (broken links); nil discards them.
	Warn func(error)
	// Now is the clock, for the manifest's build time and guests' expiry
	// (an expired guest gets no build). Default time.Now.
	Now func() time.Time
	// Workers is the number of goroutines. Default runtime.GOMAXPROCS(0).
	Workers int
	// MemoryLimit, when true, sets the Go runtime's soft memory limit from
	// the number of pages once they are loaded (unless GOMEMLIMIT is set),
	// so that garbage is collected before the heap doubles. It changes a
	// process-wide setting: for commands, not for libraries or tests.
	MemoryLimit bool
	// Cache is the folder of the persistent build cache (internal/cache):
	// converted pages, highlighted code and verification scans that the
	// next build reuses. "" for none (the default here; `facet build`
	// uses SITE/.facet-cache).
	Cache string
	// CacheLimit bounds the cache's size in bytes; 0 for
	// cache.DefaultLimit.
	CacheLimit int64
}

// Builder builds one site. Build and Rebuild may be called from several
// goroutines: one runs at a time.
type Builder struct {
	opts Options

	mu   sync.Mutex
	snap *published // what the last Build or Rebuild published, for Rebuild; nil when unknown
	// retitles counts the Rebuilds the retitle path published
	// (rebuild_retitle.go), for tests.
	retitles int
	// unpublished lists the paths that Rebuilds which failed since snap
	// was published were told about: changed since snap, though the next
	// Rebuild may be told of others alone.
	unpublished []string
	// seeds of the content keys kept in snapshots
	seedA, seedB maphash.Seed
	// shardSize is the size of search shards (render.Site.ShardSize):
	// 0, tests set it small.
	shardSize int
	// memo keeps page bodies' search text and content pages' skeletons
	// for the renders of Rebuild (and the Build that keeps state for
	// it); made on first use.
	memo *render.Memo
	// into, during a warm build, is the folder that mirrors the output,
	// which publishInPlace updates and swaps in (warm.go); changed is set
	// to the files it wrote or removed.
	into    string
	changed []string
}

// memoBytes bounds what a Builder's renders keep between rebuilds (about
// 100 MiB at 10,000 pages).
const memoBytes = 256 << 20

// keptMemo returns b.memo, made on first use.
func (b *Builder) keptMemo() *render.Memo {
	if b.memo == nil {
		b.memo = render.NewMemo(memoBytes)
	}
	return b.memo
}

// New returns a builder for opts.
func New(opts Options) *Builder {
	if opts.Site == "" {
		opts.Site = "."
	}
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Site, "public")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Warn == nil {
		opts.Warn = func(error) {}
	}
	return &Builder{opts: opts, seedA: maphash.MakeSeed(), seedB: maphash.MakeSeed()}
}

// Result summarises a build.
type Result struct {
	// Audiences is the number of audiences.
	Audiences int
	// Pages is the number of pages in the site (drafts excluded).
	Pages int
	// Builds describe each distinct build, in manifest order.
	Builds []Summary
	// Files is the number of files written (hard links excluded).
	Files int
	// Links is the number of files hard-linked to an identical one.
	Links int
	// Warnings are the warnings of the build.
	Warnings []error
	// Verified is true when the no-trace verification ran.
	Verified bool
	// Duration is the wall time of the build.
	Duration time.Duration
	// Cache says what the build cache did; nil without one.
	Cache *CacheStats
	// Reused is the number of builds a Rebuild read back from the output
	// folder, checked, instead of rendering them: nothing they are made
	// of changed.
	Reused int
	// Warm is set when the build was made from the last one's record in
	// the build cache, writing only what an edit of page bodies changed
	// (warm.go).
	Warm bool
	// NextChange, from Rebuild, is the first instant after it at which
	// time alone changes what the builds hold (a guest's access expires);
	// zero when none. facet serve rebuilds then.
	NextChange time.Time
}

// Summary describes one build folder.
type Summary struct {
	Dir       string
	Audiences []string
	Pages     int
	Files     int
}

// loadedSite is everything loaded from the site folder.
type loadedSite struct {
	// words is set when the verifier's index gathers the words of what it
	// scans (verify.Index.GatherWords): for a build a rebuild follows.
	words   bool
	dir     string
	themeFS fs.FS // the site's theme over the built-in one
	cfg     *config.Site
	acc     *config.Access
	tree    *content.Tree
	rules   *access.Rules
	docs    []*markdown.Doc
	levels  []*access.Level  // every level, site default first
	users   []string         // emails named by user: principals
	rend    *render.Renderer // made on first use (renderer)
	memo    *render.Memo     // the Builder's, for a build that keeps state; nil otherwise
	// updated is the date of each page file's last change, from git,
	// as the renderer shows it (render.Theme.Updated); set with rend.
	updated map[string]time.Time
	shard   int // render.Site.ShardSize
	// convs, when not nil, receives each page's conversion by its file,
	// for the next Rebuild to reuse (rebuild_convert.go).
	convs map[string]*conversion
	cache *buildCache // nil without a build cache
	// usedBefore, when not nil, is what each page used (attachments, by
	// position) in the build a warm build starts from: the plan takes it
	// instead of reading every body (warm.go).
	usedBefore [][]int
	// docKeys, when not nil, receives each page's conversion cache key
	// (by index), for the record of a warm build (warm.go).
	docKeys []cache.Key

	itemsOnce sync.Once
	itemList  []verify.Item // items, made once
	// head is the git commit the pages' dates were read at (themeInfo),
	// "" outside git or when the site shows no dates.
	head string
}

// Build builds every audience and publishes the result. On any error the
// previous output is left exactly as it was.
func (b *Builder) Build(ctx context.Context) (*Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.snap, b.unpublished = nil, nil
	return b.build(ctx, false)
}

// build is Build; with keep, it keeps what Rebuild needs in b.snap.
func (b *Builder) build(ctx context.Context, keep bool) (*Result, error) {
	start := time.Now()
	res := &Result{}
	prog := newProgress(b.opts.Progress, start)
	defer prog.stop()
	warn := func(err error) {
		res.Warnings = append(res.Warnings, err)
		b.opts.Warn(err)
	}
	if err := b.outsidePublished(); err != nil {
		return nil, err
	}
	// A build with a cache tries a warm build first (warm.go).
	var inputs inputSums
	if !keep && b.opts.Cache != "" {
		var ok bool
		if inputs, ok = readInputs(b.opts.Site); ok {
			res, ok, err := b.warmBuild(ctx, inputs)
			if err != nil {
				return nil, err
			}
			if ok {
				res.Duration = time.Since(start)
				return res, nil
			}
		}
	}
	s, err := load(b.opts.Site)
	if err != nil {
		return nil, err
	}
	s.shard = b.shardSize
	if keep {
		s.convs = map[string]*conversion{}
	}
	if b.opts.MemoryLimit && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(len(s.tree.Pages), s.cfg.Build.Verify && !b.opts.NoVerify))
	}
	s.cache = openCache(b.opts, warn)
	if s.cache != nil && inputs != nil {
		s.docKeys = make([]cache.Key, len(s.tree.Pages))
	}
	if err := s.convert(ctx, b.opts.Workers, warn, prog, nil); err != nil {
		return nil, err
	}
	wanted := s.stillWanted(readWanted(b.opts.Out), b.opts.Now())
	plan := s.planAt(wantedGroups(wanted), b.opts.Now())
	for _, w := range s.planWarnings(plan) {
		warn(w)
	}
	res.Audiences, res.Pages = len(plan.audiences), s.pageCount()
	stage, err := newStage(b.opts.Out)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			stage.discard()
		}
	}()
	verify := s.cfg.Build.Verify && !b.opts.NoVerify
	var tr *tracer
	if verify {
		s.words = keep // for a rebuild after a retitle
		tr = s.newTracer(s.findMentions(nil))
	}
	// The markdown sources are parsed and searched: free them.
	for _, p := range s.tree.Pages {
		p.Body = nil
	}
	var out sink = stage
	var rec *recorder
	if keep {
		rec = b.newRecorder(stage, s)
		out = rec
	}
	if keep {
		s.memo = b.keptMemo()
		defer s.memo.Sweep()
	}
	if err := s.emit(ctx, plan, out, tr, b.opts.Workers, prog, !keep); err != nil {
		return nil, err
	}
	gen := fmt.Sprintf("%d", b.opts.Now().UnixNano())
	rules, err := s.writeManifest(plan, stage.dir, gen, b.opts.Now(), nil)
	if err != nil {
		return nil, err
	}
	if err := writeWanted(stage.dir, wanted); err != nil {
		return nil, err
	}
	if err := stage.publish(); err != nil {
		return nil, err
	}
	ok = true
	b.recordBuild(s, plan, inputs, gen, verify, nil)
	res.Cache = s.cache.finish()
	if keep {
		prints, err := s.prints(plan, rec.keys, [2]maphash.Seed{b.seedA, b.seedB})
		if err != nil {
			prints = nil // the next rebuild renders every build
		}
		b.snap = &published{s: s, plan: plan, tr: tr, outputs: rec.out, atts: rec.keys.atts, generation: gen, rules: rules,
			now: b.opts.Now(), wanted: wantedGroups(wanted), wantedFile: wanted, prints: prints}
	}
	res.Verified = verify
	res.Files, res.Links = stage.files, stage.links
	res.Builds = plan.summaries()
	res.Duration = time.Since(start)
	return res, nil
}

// summaries describes each build of the plan for a Result.
func (p *plan) summaries() []Summary {
	var out []Summary
	for _, bl := range p.builds {
		sum := Summary{Dir: bl.r.Dir, Pages: bl.r.Present.Len(), Files: bl.files}
		for _, a := range bl.audiences {
			sum.Audiences = append(sum.Audiences, a.ID)
		}
		out = append(out, sum)
	}
	return out
}

// memoryLimit is the soft memory limit for a site of n pages. A build
// holds per page, at its highest, about 25 KiB with verification on the
// benchmark corpus (the collector's live heap: 279 MiB at 10,000 pages,
// 775 MiB at 30,000): the page's converted body (packed: 3 KiB of 7),
// the verifier's references of each distinct file and chunk and what
// each body mentions, the skeletons and search terms of pages some build
// has still to write, and the search postings of the builds being
// written; without verification, some 8 KiB a page less. The limit
// leaves the collector about a third above that, so that it does not run
// without end against a limit the live heap has reached, while the
// process's peak (the limit and some 25 MiB) stays low.
func memoryLimit(n int, verify bool) int64 {
	per := int64(24 << 10)
	if verify {
		per += 9 << 10
	}
	return 128<<20 + int64(n)*per
}

// pageCount is the number of real pages (not generated, not drafts).
func (s *loadedSite) pageCount() int {
	n := 0
	for _, p := range s.tree.Pages {
		if !p.Generated && !p.Draft {
			n++
		}
	}
	return n
}

// isTerminal reports whether w is a terminal: a character device such as
// /dev/null is not one.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// TerminalOrNil returns w when it is a terminal, else nil: for Options.Progress.
func TerminalOrNil(w io.Writer) io.Writer {
	if isTerminal(w) {
		return w
	}
	return nil
}

// outsidePublished refuses an output or cache folder inside content/ or
// themes/: every file there is published (a page's attachment, a theme's
// asset), so the next build would publish the builds of every audience,
// or the cache's copies of every page, into each build that holds the
// folder.
func (b *Builder) outsidePublished() error {
	published := place.Published(b.opts.Site)
	for _, f := range []struct{ what, dir string }{{"output folder", b.opts.Out}, {"cache folder", b.opts.Cache}} {
		if in := place.Within(f.dir, published...); in != "" {
			return fmt.Errorf("the %s %s lies in %s, whose files facet build publishes: it would put every audience's pages into the builds; choose a folder outside content/ and themes/", f.what, f.dir, in)
		}
	}
	return nil
}
