package build

import (
	"context"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/facet-docs/facet/internal/manifest"
)

// published is what the last successful Build or Rebuild of a Builder
// published, kept for the next Rebuild: the loaded site with every page's
// conversion, the plan, the verifier and its caches, and every published
// file's content key.
type published struct {
	s       *loadedSite
	plan    *plan
	tr      *tracer // nil without verification
	outputs outputs
	atts    map[string]attSig // attachments' source files, by site path
	// generation is the generation of the published manifest.
	generation string
	// rules is rules.json of plan, encoded once for every generation
	// published with the same plan and site (the fast path's).
	rules *manifest.EncodedRules
	// prints is the print of every build published (rebuild_reuse.go);
	// nil when unknown.
	prints map[string]buildPrint
	// stale lists the builds whose prints a fast path dropped (it changed
	// their files without printing them): made from s when a general
	// rebuild needs them (completePrints).
	stale map[string]bool
	// now is the time the plan was made at, wanted the combinations it
	// was made with, wantedFile what wanted.json holds.
	now        time.Time
	wanted     [][]string
	wantedFile *manifest.Wanted

	pagesOnce sync.Once
	pages     map[string]int // source file -> page index (pageOf)

	// disk, when set, is the output folder, which holds the published
	// files outputs does not list (a warm build's, warm.go).
	disk string
	// loaded, when set, tells whether a page's body (by index) is the one
	// the build read when it loaded the site (a warm build's): a file
	// saved again since is not taken by the fast path.
	loaded func(page int, body []byte) bool

	// pruned is closed when tr has dropped the references of files no
	// longer published (pruneLater); nil when there was nothing to do.
	pruned chan struct{}
}

// pruneLater drops, once the rebuild has returned, the verifier's
// references of files no longer published: bookkeeping that bounds the
// tracer's memory, kept off the time from a change to its publication.
// The next Rebuild waits for it (settle).
func (pb *published) pruneLater() {
	if pb.tr == nil {
		return
	}
	pb.pruned = make(chan struct{})
	go func() {
		defer close(pb.pruned)
		pb.tr.prune(pb.outputs)
	}()
}

// settle waits for what pruneLater started.
func (pb *published) settle() {
	if pb != nil && pb.pruned != nil {
		<-pb.pruned
	}
}

// Rebuild brings the output up to date after changes to the site: changed
// lists the paths that changed (slash-separated, relative to the site
// folder, as internal/watch reports them; a folder stands for everything
// under it). The result equals what Build would publish, byte for byte
// (manifest.json's generation and time aside). The paths of Rebuilds that
// failed since the last one that published count as changed too: they are
// changes the output does not show yet.
//
// The first Rebuild of a Builder is a Build that keeps what the next ones
// need. After it, a change to the bodies of pages alone whose title,
// headings, excerpt, links to files and mentions stay the same (most
// edits) re-renders only those pages' own files in the builds that hold
// them (rebuild_fast.go). Any other change loads the site again, keeps the
// conversion of every page whose body and link targets did not change,
// plans and renders every build in memory and verifies it, and writes
// only the files that differ. Either way the output folder is updated in
// place (rebuild_out.go); bad input leaves it exactly as it was.
func (b *Builder) Rebuild(ctx context.Context, changed []string) (*Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.snap.settle()
	if b.snap == nil || !b.outputIntact() {
		b.snap, b.unpublished = nil, nil
		res, err := b.build(ctx, true)
		if err == nil && b.snap != nil {
			res.NextChange = nextExpiry(b.snap.s, b.opts.Now())
		}
		return res, err
	}
	// Paths a failed Rebuild was told about changed since the snapshot as
	// well: the next one weighs them with its own (a fixed page must not
	// take the fast path past an access.toml edit that failed with it).
	if len(b.unpublished) > 0 {
		changed = slices.Compact(slices.Sorted(slices.Values(append(slices.Clip(b.unpublished), changed...))))
	}
	res, err := b.rebuild(ctx, changed)
	if err != nil {
		b.unpublished = slices.Compact(slices.Sorted(slices.Values(changed)))
		return nil, err
	}
	b.unpublished = nil
	res.NextChange = nextExpiry(b.snap.s, b.opts.Now())
	return res, nil
}

// nextExpiry is the first instant after now at which a guest of s
// expires, zero when none does.
func nextExpiry(s *loadedSite, now time.Time) time.Time {
	var next time.Time
	for _, g := range s.acc.Directory.Guests {
		if e := g.Expires; !e.IsZero() && e.After(now) && (next.IsZero() || e.Before(next)) {
			next = e
		}
	}
	return next
}

// rebuild is Rebuild from a snapshot, for the paths changed since it.
func (b *Builder) rebuild(ctx context.Context, changed []string) (*Result, error) {
	if res, ok, err := b.fastRebuild(ctx, changed); ok || err != nil {
		return res, err
	}
	if res, ok, err := b.retitleRebuild(ctx, changed); ok || err != nil {
		return res, err
	}
	return b.wideRebuild(ctx, changed)
}

// outputIntact reports whether the output folder still holds the
// manifest the snapshot published (nobody replaced or removed it).
func (b *Builder) outputIntact() bool {
	gen, err := manifest.ReadGeneration(b.opts.Out)
	return err == nil && gen == b.snap.generation
}

// wideRebuild is Rebuild's general path.
func (b *Builder) wideRebuild(ctx context.Context, changed []string) (*Result, error) {
	start := time.Now()
	res := &Result{}
	warn := func(err error) {
		res.Warnings = append(res.Warnings, err)
		b.opts.Warn(err)
	}
	prev := b.snap
	s, err := load(b.opts.Site)
	if err != nil {
		return nil, err
	}
	s.shard = b.shardSize
	s.convs = map[string]*conversion{}
	if err := s.convert(ctx, b.opts.Workers, warn, nil, prev.s.convs); err != nil {
		return nil, err
	}
	now := b.opts.Now()
	wanted := s.stillWanted(readWanted(b.opts.Out), now)
	plan := s.planAt(wantedGroups(wanted), now)
	verify := s.cfg.Build.Verify && !b.opts.NoVerify
	var tr *tracer
	if verify {
		s.words = true
		tr = s.newTracer(s.findMentions(prev.sameIndex(s)))
		tr.reuse(prev.tr, prev.s)
		tr.wordsFrom(prev.tr, prev.s)
	}
	for _, p := range s.tree.Pages {
		p.Body = nil
	}
	keys := b.newKeys(prev.atts, changedSet(changed))
	prints, err := s.prints(plan, keys, [2]maphash.Seed{b.seedA, b.seedB})
	if err != nil {
		return nil, err
	}
	if onlyContent(changed) {
		b.completePrints(prev)
		b.replays(plan, prints, prev)
	}
	d := b.newDiff(prev.outputs, keys, s.dir)
	s.memo = b.keptMemo()
	defer s.memo.Sweep()
	if err := s.emit(ctx, plan, d, tr, b.opts.Workers, nil, false); err != nil {
		return nil, err
	}
	for _, bp := range plan.builds {
		bp.replay = nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	next := &published{s: s, plan: plan, tr: tr, atts: keys.atts, now: now, wanted: wantedGroups(wanted), wantedFile: wanted, prints: prints}
	if err := b.publishInPlace(d, next, wanted); err != nil {
		return nil, err
	}
	next.pruneLater()
	return b.result(res, next, verify, d, start), nil
}

// publishInPlace applies d to the output folder and writes the manifest,
// the rules and wanted.json with a new generation, last. The snapshot is
// dropped first, so that a failure part way makes the next Rebuild a full
// build.
func (b *Builder) publishInPlace(d *diff, next *published, wanted *manifest.Wanted) error {
	b.snap = nil
	out := filepath.Clean(b.opts.Out)
	into := out
	if b.into != "" {
		into = b.into // a warm build's mirror, swapped in at the end
	}
	now, err := d.apply(into)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".meta-")
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	defer os.RemoveAll(tmp)
	gen := fmt.Sprintf("%d", b.opts.Now().UnixNano())
	if prev, err := manifest.ReadGeneration(out); err == nil && prev == gen {
		gen += "-1"
	}
	rules, err := next.s.writeManifest(next.plan, tmp, gen, b.opts.Now(), next.rules)
	if err != nil {
		return err
	}
	if err := writeWanted(tmp, wanted); err != nil {
		return err
	}
	if len(wanted.Combinations) == 0 {
		if err := os.Remove(filepath.Join(into, manifest.WantedFile)); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("build: %w", err)
		}
	}
	for _, name := range []string{manifest.WantedFile, manifest.RulesFile, manifest.ManifestFile} {
		err := os.Rename(filepath.Join(tmp, name), filepath.Join(into, name))
		if err != nil && !(name == manifest.WantedFile && os.IsNotExist(err)) {
			return fmt.Errorf("build: publish: %w", err)
		}
	}
	if into != out {
		swapped, err := swapIn(into, out)
		if !swapped {
			return err
		}
		if err != nil {
			// published; only the output it replaced is not kept
			b.opts.Warn(err)
		}
		b.changed = d.paths()
	}
	next.outputs, next.generation, next.rules = now, gen, rules
	b.snap = next
	return nil
}

// result fills res for a rebuild that published next.
func (b *Builder) result(res *Result, next *published, verify bool, d *diff, start time.Time) *Result {
	plan := next.plan
	res.Audiences, res.Pages = len(plan.audiences), next.s.pageCount()
	res.Verified = verify
	res.Files = d.changes()
	res.Builds = plan.summaries()
	for _, bp := range plan.builds {
		if bp.reused {
			res.Reused++
		}
	}
	res.Duration = time.Since(start)
	return res
}

// completePrints makes the prints pb's fast paths dropped, from the site
// and plan it published, with the attachments' published keys; on any
// error they stay unknown (those builds are rendered).
func (b *Builder) completePrints(pb *published) {
	if pb.prints == nil || len(pb.stale) == 0 {
		return
	}
	all, err := pb.s.prints(pb.plan, b.publishedKeys(pb.atts), [2]maphash.Seed{b.seedA, b.seedB})
	if err != nil {
		return
	}
	for dir := range pb.stale {
		if pr, ok := all[dir]; ok {
			pb.prints[dir] = pr
		}
	}
	pb.stale = nil
}

// changedSet is the changed paths as a set.
func changedSet(changed []string) map[string]bool {
	m := make(map[string]bool, len(changed))
	for _, c := range changed {
		m[c] = true
	}
	return m
}
