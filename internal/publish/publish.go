// Package publish uploads a built output folder to an S3-compatible
// object store (internal/store) as one generation: content-addressed
// objects uploaded only when absent, a per-build index onto them, the
// generation's manifest.json and rules.json, the anonymous build as plain
// files, and last the pointer current.json that readers follow. Older
// generations and objects nothing kept refers to are removed after a
// grace period. See docs/CONTRACT.md "Object store layout".
//
// It publishes what `facet build` wrote; it does not build. Keeping the
// two apart lets CI build, test and gate the output before any of it
// reaches readers, and lets a failed upload be retried without building
// again. A rerun after a failure uploads only what is missing: objects are
// listed first and nothing is visible to readers until the pointer moves.
package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/store"
)

// Options are one publication's settings.
type Options struct {
	// Out is the built output folder (manifest.json, rules.json, builds).
	Out string
	// Store is where to publish.
	Store *store.Store
	// DryRun computes and reports what would change, writing nothing.
	DryRun bool
	// Keep is how many generations are kept, the current one included
	// (default 3); older ones go once Grace has passed since they were
	// replaced.
	Keep int
	// Grace is how long a replaced generation, and an object nothing
	// refers to, is kept at least (default 1 h): readers still serving it
	// have that long to move on.
	Grace time.Duration
	// Workers is how many uploads run at once (default 16).
	Workers int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Progress receives a progress line, rewritten in place; nil: none.
	Progress io.Writer
	// AfterUpload is called after each object is uploaded (a test hook).
	AfterUpload func()
	// AllowOlder publishes a generation built before the one the store
	// serves. Without it that is refused (ErrOlder): the newer build may
	// have hidden a page, or dropped a guest, that the older one shows.
	AllowOlder bool
}

// ErrOlder is the error of a publication of a generation built before the
// one the store serves, without Options.AllowOlder.
var ErrOlder = errors.New("publish: older than what the store serves")

// older reports whether generation a was built before b. Generations are
// build times in nanoseconds; one that is not a number is not compared.
func older(a, b string) bool {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	return errA == nil && errB == nil && x < y
}

// notOlderNow reads the pointer and refuses, as checkNotOlder does, when
// it names a generation built after gen.
func (o *Options) notOlderNow(ctx context.Context, gen string) error {
	cur, err := o.Store.ReadPointer(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return o.checkNotOlder(gen, cur)
}

// checkNotOlder refuses, without o.AllowOlder, to replace the pointer's
// generation cur with gen when gen was built before it.
func (o *Options) checkNotOlder(gen string, cur *store.Pointer) error {
	if o.AllowOlder || cur == nil || !older(gen, cur.Generation) {
		return nil
	}
	return fmt.Errorf("%w: the store serves generation %s, built after this output's %s; publishing this one would bring back what the newer build changed (a page it hid, a guest it removed): build again from the newest commit, or allow the rollback (--allow-older)", ErrOlder, cur.Generation, gen)
}

// Result says what a publication did (or, dry, would do).
type Result struct {
	Generation string
	// Unchanged is true when the store already serves this generation:
	// then only the anonymous plain files that differ from its anonymous
	// build are written or deleted (Plain, PlainRemoved).
	Unchanged bool
	// Files is the number of files of all builds; Objects the distinct
	// contents among them.
	Files, Objects int
	// Uploaded objects and their bytes; Present objects were in the store.
	Uploaded      int
	UploadedBytes int64
	Present       int
	// Plain is the number of anonymous plain files written, PlainBytes
	// their bytes, PlainRemoved those deleted.
	Plain        int
	PlainBytes   int64
	PlainRemoved int
	// Meta is the number of indexes, manifests and pointers written.
	Meta int
	// RemovedGenerations are the generations deleted; RemovedObjects the
	// objects deleted.
	RemovedGenerations []string
	RemovedObjects     int
}

func (o *Options) defaults() {
	if o.Keep <= 0 {
		o.Keep = 3
	}
	if o.Grace < 0 {
		o.Grace = 0
	}
	if o.Workers <= 0 {
		o.Workers = 16
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// DefaultGrace is the default Options.Grace.
const DefaultGrace = time.Hour

// plan is what a publication will write.
type plan struct {
	l        *local
	prev     *store.Pointer
	existing []store.Object
	missing  []string // objects to upload, sorted
	plain    []string // anonymous files to write
	gone     []string // anonymous files to delete (counted; settlePlain lists them afresh)
}

// Publish publishes the output folder o.Out to o.Store: the objects the
// store lacks, the generation's indexes, manifest and rules, the
// anonymous build's changed plain files, the pointer, and then removes
// what the grace period allows. With o.DryRun it only reports.
func Publish(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	p, res, err := o.plan(ctx)
	if err != nil || o.DryRun {
		return res, err
	}
	if err := o.apply(ctx, p, res); err != nil {
		return nil, err
	}
	return res, nil
}

// apply writes what p planned, counting in res.
func (o *Options) apply(ctx context.Context, p *plan, res *Result) error {
	if res.Unchanged {
		// A publication of this generation may have stopped after moving
		// the pointer, before settling the plain layout.
		res.Plain, res.PlainBytes = 0, 0
		return o.settlePlain(ctx, p.l, p.prev, res)
	}
	if err := o.upload(ctx, p.l, p.missing); err != nil {
		return err
	}
	if err := o.writeGeneration(ctx, p.l); err != nil {
		return err
	}
	// A publication of a newer generation may have moved the pointer
	// since the plan (two CI jobs racing): the older one neither writes
	// its plain files over the newer one's nor moves the pointer back.
	if err := o.notOlderNow(ctx, p.l.m.Generation); err != nil {
		return err
	}
	if err := o.writePlain(ctx, p.l, p.plain); err != nil {
		return err
	}
	if err := o.notOlderNow(ctx, p.l.m.Generation); err != nil {
		return err
	}
	ptr := o.pointer(p.l, p.prev)
	if err := putJSON(ctx, o.Store, store.PointerKey, ptr); err != nil {
		return err
	}
	if err := o.settlePlain(ctx, p.l, p.prev, res); err != nil {
		return err
	}
	return o.collect(ctx, ptr, p.l, p.existing, res)
}

// settlePlain, once the pointer names this generation, lists anonymous/
// afresh, deletes every key the anonymous build lacks and writes again
// every file another publication may have written since the plan (one
// whose generation neither the pointer nor the plan's previous pointer
// names): a publication racing this one may have written its plain files
// after this one's plan read the layout. When the pointer names another
// generation by now, the publication that moved it settles the layout.
func (o *Options) settlePlain(ctx context.Context, l *local, prev *store.Pointer, res *Result) error {
	cur, err := o.Store.ReadPointer(ctx)
	if err != nil {
		return err
	}
	if cur.Generation != l.m.Generation {
		return nil
	}
	named := *cur
	if prev != nil && prev.Generation != cur.Generation {
		named.History = append(slices.Clone(cur.History), store.Published{Generation: prev.Generation, Builds: prev.Builds})
		named.History = append(named.History, prev.History...)
	}
	write, gone, err := plainChanges(ctx, o.Store, &named, l)
	if err != nil {
		return err
	}
	if err := o.writePlain(ctx, l, write); err != nil {
		return err
	}
	res.Plain += len(write)
	for _, f := range write {
		res.PlainBytes += anonymous(l).Files[f].Size
	}
	res.PlainRemoved = len(gone)
	return o.Store.Remove(ctx, prefixed(store.AnonymousDir, gone))
}

// plan reads the output and the store and works out what to write.
func (o *Options) plan(ctx context.Context) (*plan, *Result, error) {
	l, err := scan(o.Out)
	if err != nil {
		return nil, nil, err
	}
	st := o.Store
	switch outer, found, err := st.Enclosing(ctx); {
	case err != nil:
		return nil, nil, err
	case found:
		return nil, nil, fmt.Errorf("publish: %s lies in the layout of the store at %s, whose anonymous/ a static host may serve and whose publications prune the rest; publish to a prefix of its own", st.Location(), outer)
	}
	p := &plan{l: l}
	res := &Result{Generation: l.m.Generation, Objects: len(l.files)}
	for _, ix := range l.indexes {
		res.Files += len(ix.Files)
	}
	if p.prev, err = st.ReadPointer(ctx); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	if err := o.checkNotOlder(l.m.Generation, p.prev); err != nil {
		return nil, nil, err
	}
	if p.prev != nil && p.prev.Generation == l.m.Generation {
		res.Unchanged = true
		if err := p.plainChanges(ctx, st, res); err != nil {
			return nil, nil, err
		}
		return p, res, nil
	}
	if p.existing, err = st.List(ctx, store.ObjectsDir); err != nil {
		return nil, nil, err
	}
	present := map[string]bool{}
	for _, ob := range p.existing {
		present[strings.TrimPrefix(ob.Key, store.ObjectsDir)] = true
	}
	for h := range l.files {
		if present[h] {
			res.Present++
		} else {
			p.missing = append(p.missing, h)
			res.UploadedBytes += l.sizes[h]
		}
	}
	slices.Sort(p.missing)
	res.Uploaded = len(p.missing)
	if err := p.plainChanges(ctx, st, res); err != nil {
		return nil, nil, err
	}
	res.Meta = len(l.indexes) + 3
	return p, res, nil
}

// plainChanges works out the anonymous plain files to write and delete
// and counts them in res.
func (p *plan) plainChanges(ctx context.Context, st *store.Store, res *Result) (err error) {
	if p.plain, p.gone, err = plainChanges(ctx, st, p.prev, p.l); err != nil {
		return err
	}
	res.Plain, res.PlainRemoved = len(p.plain), len(p.gone)
	for _, f := range p.plain {
		res.PlainBytes += anonymous(p.l).Files[f].Size
	}
	return nil
}

// put is one file to upload.
type put struct {
	key, path, ctype string
	size             int64
}

// upload puts the missing objects, o.Workers at a time.
func (o *Options) upload(ctx context.Context, l *local, missing []string) error {
	puts := make([]put, len(missing))
	for i, h := range missing {
		puts[i] = put{key: store.ObjectKey(h), path: l.files[h], size: l.sizes[h], ctype: "application/octet-stream"}
	}
	return o.putAll(ctx, puts, "objects uploaded", o.AfterUpload)
}

// putAll uploads puts, o.Workers at a time, calling after (when not nil)
// after each; the first error stops the rest.
func (o *Options) putAll(ctx context.Context, puts []put, what string, after func()) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Workers)
	var done, bytes atomic.Int64
	for _, p := range puts {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := putFile(gctx, o.Store, p.key, p.path, p.size, p.ctype); err != nil {
				return err
			}
			if after != nil {
				after()
			}
			n, b := done.Add(1), bytes.Add(p.size)
			o.progress(fmt.Sprintf("publish: %d/%d %s (%s)", n, len(puts), what, human(b)))
			return nil
		})
	}
	err := g.Wait()
	if len(puts) > 0 {
		o.progress("")
	}
	if err == nil {
		err = context.Cause(ctx)
	}
	if err != nil {
		return fmt.Errorf("publish: stopped after %d of %d %s (a rerun uploads the rest): %w", done.Load(), len(puts), what, err)
	}
	return nil
}

var progressMu sync.Mutex

// progress rewrites the progress line; "" ends it.
func (o *Options) progress(line string) {
	if o.Progress == nil {
		return
	}
	progressMu.Lock()
	defer progressMu.Unlock()
	if line == "" {
		fmt.Fprintln(o.Progress)
		return
	}
	fmt.Fprintf(o.Progress, "\r\033[K%s", line)
}

// writeGeneration writes each build's index, then rules.json and
// manifest.json, under generations/<gen>/.
func (o *Options) writeGeneration(ctx context.Context, l *local) error {
	gen := l.m.Generation
	for _, ix := range l.indexes {
		if err := putJSON(ctx, o.Store, store.IndexKey(gen, ix.Dir), ix); err != nil {
			return err
		}
	}
	if err := o.Store.PutBytes(ctx, store.GenerationKey(gen, manifest.RulesFile), l.rules, "application/json"); err != nil {
		return err
	}
	return o.Store.PutBytes(ctx, store.GenerationKey(gen, manifest.ManifestFile), l.manifest, "application/json")
}

// writePlain writes the anonymous build's changed files under anonymous/.
func (o *Options) writePlain(ctx context.Context, l *local, paths []string) error {
	ix := anonymous(l)
	puts := make([]put, len(paths))
	for i, p := range paths {
		e := ix.Files[p]
		puts[i] = put{key: store.AnonymousDir + p, path: l.files[e.Hash], size: e.Size, ctype: e.Type}
	}
	return o.putAll(ctx, puts, "anonymous files written", nil)
}

// pointer is the new current.json: this generation, then the earlier ones
// still kept.
func (o *Options) pointer(l *local, prev *store.Pointer) *store.Pointer {
	p := &store.Pointer{Format: store.Format, Generation: l.m.Generation,
		Published: o.Now().UTC().Format(time.RFC3339)}
	for _, ix := range l.indexes {
		p.Builds = append(p.Builds, ix.Dir)
	}
	if prev == nil {
		return p
	}
	history := append([]store.Published{{Generation: prev.Generation, Published: prev.Published, Builds: prev.Builds}},
		prev.History...)
	for i, h := range history {
		if i+1 < o.Keep || o.recent(h.Published) {
			p.History = append(p.History, h)
		}
	}
	return p
}

// recent reports whether a generation replaced at or after published is
// still within the grace period (an unreadable time counts as recent).
func (o *Options) recent(published string) bool {
	t, err := time.Parse(time.RFC3339, published)
	return err != nil || o.Now().Sub(t) < o.Grace
}

// plainChanges compares the anonymous build with what the anonymous/
// layout may hold and returns the paths to write and those to delete
// under anonymous/. The layout holds the previous generation's anonymous
// build, except where a publication that stopped after writing plain
// files and before moving the pointer left its own: so every key listed
// under anonymous/ that the build lacks goes, and a file is written
// unless the previous generation and every generation no pointer names (a
// stopped publication's, whose index precedes its plain files) agree with
// it and the listing holds it at its size.
func plainChanges(ctx context.Context, st *store.Store, prev *store.Pointer, l *local) (write, gone []string, err error) {
	cur := anonymous(l)
	old := map[string]store.Entry{}
	if prev != nil && slices.Contains(prev.Builds, manifest.AnonymousDir) {
		ix, err := st.ReadIndex(ctx, prev.Generation, manifest.AnonymousDir)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, nil, err
		}
		if ix != nil {
			old = ix.Files
		}
	}
	stray, unknown, err := strayIndexes(ctx, st, prev, l.m.Generation)
	if err != nil {
		return nil, nil, err
	}
	listed, err := st.List(ctx, store.AnonymousDir)
	if err != nil {
		return nil, nil, err
	}
	sizes := make(map[string]int64, len(listed))
	for _, ob := range listed {
		sizes[strings.TrimPrefix(ob.Key, store.AnonymousDir)] = ob.Size
	}
	same := func(p string, e store.Entry) bool {
		if unknown {
			return false
		}
		o, ok := old[p]
		if !ok || o.Hash != e.Hash || o.Type != e.Type {
			return false
		}
		if size, ok := sizes[p]; !ok || size != e.Size {
			return false
		}
		for _, ix := range stray {
			if o, ok := ix.Files[p]; ok && (o.Hash != e.Hash || o.Type != e.Type) {
				return false
			}
		}
		return true
	}
	for _, p := range slices.Sorted(maps.Keys(cur.Files)) {
		if !same(p, cur.Files[p]) {
			write = append(write, p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(sizes)) {
		if _, ok := cur.Files[p]; !ok {
			gone = append(gone, p)
		}
	}
	return write, gone, nil
}

// strayIndexes reads the anonymous index of every generation in the store
// that is neither prev's (current or in its history) nor gen: what a
// publication that stopped before moving the pointer may have written
// under anonymous/. unknown is true when one of them cannot be read: then
// any plain file may differ from the build.
func strayIndexes(ctx context.Context, st *store.Store, prev *store.Pointer, gen string) (ixs []*store.Index, unknown bool, err error) {
	named := map[string]bool{gen: true}
	if prev != nil {
		named[prev.Generation] = true
		for _, h := range prev.History {
			named[h.Generation] = true
		}
	}
	listed, err := st.List(ctx, store.GenerationsDir)
	if err != nil {
		return nil, false, err
	}
	for _, ob := range listed {
		g, ok := strings.CutSuffix(strings.TrimPrefix(ob.Key, store.GenerationsDir), "/builds/"+manifest.AnonymousDir+".json")
		if !ok || named[g] || !store.ValidGeneration(g) {
			continue
		}
		ix, err := st.ReadIndex(ctx, g, manifest.AnonymousDir)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			unknown = true
		default:
			ixs = append(ixs, ix)
		}
	}
	return ixs, unknown, nil
}

// anonymous is the index of the anonymous build (always present: checked
// by manifest.Read).
func anonymous(l *local) *store.Index {
	for _, ix := range l.indexes {
		if ix.Dir == manifest.AnonymousDir {
			return ix
		}
	}
	return &store.Index{Files: map[string]store.Entry{}}
}

func putFile(ctx context.Context, st *store.Store, key, path string, size int64, ctype string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer f.Close()
	return st.Put(ctx, key, f, size, ctype)
}

func putJSON(ctx context.Context, st *store.Store, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return st.PutBytes(ctx, key, append(b, '\n'), "application/json")
}

func prefixed(prefix string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = prefix + k
	}
	return out
}

// human prints a byte count.
func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
