package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sys/unix"

	"github.com/facet-docs/facet/internal/cache"
	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/siteurl"
)

// A warm build. A `facet build` with a build cache records, in the cache,
// what it published: the output folder's generation, a digest of every
// input file that is not a page (config/, themes/, and content/'s other
// files), and each page's file, frontmatter, body (by its conversion's
// cache key), git date and the attachments it uses. The next `facet build`
// into the same folder, when the folder still holds that generation and
// the only change since is to the bodies of pages (the same frontmatter,
// the same other inputs, the same plan at the current time), builds as
// `facet serve` does after such an edit (rebuild_fast.go): it takes the
// last build's state from the cache (the other pages' conversions, and
// the changed pages' conversions before the edit), re-renders only the
// changed pages' own files in the builds that hold them, verifies them
// and writes them in place, manifest last. An edit the fast path does not
// take, or any doubt (a missing or damaged record, a conversion no
// longer cached, a symlink among the inputs, another generation in the
// folder), makes a full build. The record is deleted before the output
// is touched and written again once it is published, so a build cut short
// leaves no record that claims what the folder holds.

// warmRecord is what a build with a cache records of what it published.
type warmRecord struct {
	Generation string `json:"generation"`
	// Stamp is manifest.json's size and modification time as published
	// (manifestStamp): a build that wrote the same generation (a clock
	// that stands still) wrote another file.
	Stamp    string `json:"stamp"`
	Verified bool   `json:"verified"`
	// Inputs is the digest of every input file that is no page's.
	Inputs string     `json:"inputs"`
	Pages  []warmPage `json:"pages"`
	// Prev is the generation the previous output (prevOf) holds when a
	// warm build made this one from it, with PrevStamp its manifest's
	// stamp and Changed the files (from the output folder) that build
	// wrote or removed; "" after a full build, whose previous output is
	// whatever was there before.
	Prev      string   `json:"prev,omitempty"`
	PrevStamp string   `json:"prev_stamp,omitempty"`
	Changed   []string `json:"changed,omitempty"`
}

// warmPage is one page's source as the recorded build read it.
type warmPage struct {
	File string `json:"file"`
	// Front is the SHA-256 of the frontmatter, Line the body's first line.
	Front string `json:"front"`
	Line  int    `json:"line"`
	// Doc is the cache key of the body's conversion.
	Doc string `json:"doc"`
	// Updated is the page's git date as shown, "" when none.
	Updated string `json:"updated,omitempty"`
	// Uses lists the attachments the page uses (by position).
	Uses []int `json:"uses,omitempty"`
}

// inputSums is the SHA-256 of every file under config/, content/ and
// themes/ of a site, by slash path from the site folder, read before the
// site is loaded: a file changed while the build reads it differs from
// its sum, so the next build does not take it as built.
type inputSums map[string][32]byte

// readInputs sums the site's input files; false when they cannot all be
// read or one is a symbolic link (what it stands for is not summed).
func readInputs(site string) (inputSums, bool) {
	var files []string
	for _, top := range []string{"config", "content", "themes"} {
		root := filepath.Join(site, top)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root && errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if d.Type()&fs.ModeSymlink != 0 {
				return errors.New("symbolic link")
			}
			if d.Type().IsRegular() {
				files = append(files, p)
			} else if !d.IsDir() {
				return errors.New("not a regular file")
			}
			return nil
		})
		if err != nil {
			return nil, false
		}
	}
	sums := make([][32]byte, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	contentDir := filepath.Join(site, "content") + string(filepath.Separator)
	for i, f := range files {
		g.Go(func() error {
			if strings.HasPrefix(f, contentDir) && content.IsMarkdown(filepath.Base(f)) {
				// A page, compared by its loaded frontmatter and body
				// (warmBuild), or a markdown file the build ignores
				// ("_x", ".x"): its size and time stand for it.
				st, err := os.Stat(f)
				if err != nil {
					return err
				}
				sums[i] = sha256.Sum256(fmt.Appendf(nil, "markdown %d %d", st.Size(), st.ModTime().UnixNano()))
				return nil
			}
			b, err := os.ReadFile(f)
			sums[i] = sha256.Sum256(b)
			return err
		})
	}
	if g.Wait() != nil {
		return nil, false
	}
	in := make(inputSums, len(files))
	for i, f := range files {
		in[siteRel(site, f)] = sums[i]
	}
	return in, true
}

// digest is the digest of every summed file that is not a page of s.
func (in inputSums) digest(s *loadedSite) string {
	pages := map[string]bool{}
	for _, p := range s.tree.Pages {
		if !p.Generated {
			pages[p.File] = true
		}
	}
	h := sha256.New()
	for _, f := range sortedKeys(in) {
		if pages[f] {
			continue
		}
		sum := in[f]
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// manifestStamp is the size and modification time of out's manifest.json.
func manifestStamp(out string) (string, bool) {
	st, err := os.Stat(filepath.Join(out, manifest.ManifestFile))
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano()), true
}

// recordKey names the record of the output folder out.
func recordKey(bc *buildCache, out string) cache.Key {
	if abs, err := filepath.Abs(out); err == nil {
		out = abs
	}
	return bc.c.KeyOf("warm-record", []byte(filepath.Clean(out)))
}

// recordBuild records in the cache what a build of s published as
// generation gen with plan p.
// from, when set, is the previous output's generation and the files that
// differ from it (a warm build's).
func (b *Builder) recordBuild(s *loadedSite, p *plan, in inputSums, gen string, verified bool, from *warmRecord) {
	if s.cache == nil || in == nil || s.docKeys == nil {
		return
	}
	stamp, ok := manifestStamp(b.opts.Out)
	if !ok {
		return
	}
	rec := warmRecord{Generation: gen, Stamp: stamp, Verified: verified, Inputs: in.digest(s)}
	if from != nil {
		rec.Prev, rec.PrevStamp, rec.Changed = from.Prev, from.PrevStamp, from.Changed
	}
	uses := make([][]int, len(s.tree.Pages))
	for a, ps := range p.users.pages {
		for _, i := range ps {
			uses[i] = append(uses[i], a)
		}
	}
	for i, pg := range s.tree.Pages {
		if pg.Generated {
			continue
		}
		wp := warmPage{File: pg.File, Front: hex.EncodeToString(pg.FrontSum[:]), Line: pg.BodyLine,
			Doc: hex.EncodeToString(s.docKeys[i][:]), Uses: uses[i]}
		if t, ok := s.updated[pg.File]; ok {
			wp.Updated = t.Format("2006-01-02")
		}
		rec.Pages = append(rec.Pages, wp)
	}
	data, err := json.Marshal(&rec)
	if err != nil {
		return
	}
	_ = s.cache.c.Put(recordKey(s.cache, b.opts.Out), data)
}

// warmBuild builds from the record of the last build into the output
// folder when it can (see above); ok is false when a full build is needed
// (nothing was written then). An error is the build's: bad input, or a
// trace the verifier found; the output is left as it was.
func (b *Builder) warmBuild(ctx context.Context, in inputSums) (res *Result, ok bool, err error) {
	bc := openCache(b.opts, func(error) {})
	if bc == nil {
		return nil, false, nil
	}
	key := recordKey(bc, b.opts.Out)
	raw, found := bc.c.Get(key)
	if !found {
		return nil, false, nil
	}
	var rec warmRecord
	if json.Unmarshal(raw, &rec) != nil {
		return nil, false, nil
	}
	out := filepath.Clean(b.opts.Out)
	if gen, err := manifest.ReadGeneration(out); err != nil || gen != rec.Generation {
		return nil, false, nil
	}
	if stamp, ok := manifestStamp(out); !ok || stamp != rec.Stamp {
		return nil, false, nil
	}
	s, err := load(b.opts.Site)
	if err != nil {
		return nil, false, nil // the full build says what is wrong
	}
	verify := s.cfg.Build.Verify && !b.opts.NoVerify
	if verify != rec.Verified || in.digest(s) != rec.Inputs {
		return nil, false, nil
	}
	s.shard = b.shardSize
	s.cache = bc
	s.docKeys = make([]cache.Key, len(s.tree.Pages))
	var changed []string
	old := map[int]cache.Key{}
	recOf := make([]*warmPage, len(s.tree.Pages)) // the record of each page, by index
	k := 0
	for i, p := range s.tree.Pages {
		if p.Generated {
			continue
		}
		if k >= len(rec.Pages) {
			return nil, false, nil
		}
		wp := &rec.Pages[k]
		recOf[i] = wp
		k++
		if wp.File != p.File || wp.Front != hex.EncodeToString(p.FrontSum[:]) || wp.Line != p.BodyLine {
			return nil, false, nil
		}
		s.docKeys[i] = s.docKey(p.Body)
		if hex.EncodeToString(s.docKeys[i][:]) != wp.Doc {
			ok := false
			if b, err := hex.DecodeString(wp.Doc); err == nil && len(b) == len(cache.Key{}) {
				old[i], ok = cache.Key(b), true
			}
			if !ok {
				return nil, false, nil
			}
			changed = append(changed, p.File)
		}
	}
	if k != len(rec.Pages) {
		return nil, false, nil
	}
	if b.opts.MemoryLimit && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(len(s.tree.Pages), verify))
	}
	// Warnings reach the build only if it is made here: a full build
	// after gives its own.
	var mu sync.Mutex
	var warnings []error
	collect := func(err error) {
		mu.Lock()
		warnings = append(warnings, err)
		mu.Unlock()
	}
	if err := s.convert(ctx, b.opts.Workers, collect, nil, nil); err != nil {
		return nil, false, nil
	}
	// The changed pages as the recorded build had them.
	urls := siteurl.New(s.cfg.BaseURL, s.cfg.Hosts)
	attIDs := s.attachmentIDs()
	for i, key := range old {
		raw, found := bc.c.Get(key)
		if !found {
			return nil, false, nil
		}
		r := &resolver{s: s, page: s.tree.Pages[i], urls: urls, attIDs: attIDs, warn: func(error) {}}
		d, ok := replay(raw, r)
		if !ok || d.Title != s.docs[i].Title {
			return nil, false, nil
		}
		s.docs[i] = d
	}
	// The plan takes what each page used from the record: the same
	// bodies use the same files of the same inputs, and an edited page
	// must use what it used (bodyEdit), else the plan changes.
	s.usedBefore = make([][]int, len(s.tree.Pages))
	for i, wp := range recOf {
		if wp != nil {
			s.usedBefore[i] = wp.Uses
		}
	}
	now := b.opts.Now()
	wanted := s.stillWanted(readWanted(out), now)
	plan := s.planAt(wantedGroups(wanted), now)
	s.usedBefore = nil
	// The plan must be the recorded build's: what the output's manifest
	// and rules say.
	rules, ok := s.samePublished(plan, out, rec.Generation)
	if !ok {
		return nil, false, nil
	}
	var tr *tracer
	if verify {
		tr = s.newTracer(s.findMentions(nil))
	}
	for _, p := range s.tree.Pages {
		p.Body = nil
	}
	if _, err := s.renderer(); err != nil {
		return nil, false, nil
	}
	for i, wp := range recOf {
		if wp == nil {
			continue
		}
		date := ""
		if t, ok := s.updated[wp.File]; ok {
			date = t.Format("2006-01-02")
		}
		if _, edited := old[i]; date != wp.Updated && !edited {
			return nil, false, nil
		}
	}
	planWarnings := s.planWarnings(plan)
	s.convs = map[string]*conversion{}
	pb := &published{s: s, plan: plan, tr: tr, outputs: outputs{}, generation: rec.Generation, rules: rules,
		now: now, wanted: wantedGroups(wanted), wantedFile: wanted, disk: out,
		loaded: func(i int, body []byte) bool { return s.docKey(body) == s.docKeys[i] }}
	if len(changed) == 0 {
		res = &Result{Audiences: len(plan.audiences), Pages: s.pageCount(), Verified: verify, Builds: plan.summaries(), Warm: true}
		b.warnAll(res, warnings, nil, planWarnings, nil)
		res.Cache = bc.finish()
		return res, true, nil
	}
	// Each edit must be one the fast path takes (and the file still the
	// one loaded) before anything is touched.
	for _, f := range changed {
		if _, ok := pb.bodyEdit(f); !ok {
			return nil, false, nil
		}
	}
	// From here the previous output and then the output change: no
	// record may claim them until the new one is written.
	if bc.c.Delete(key) != nil {
		return nil, false, nil
	}
	if tr != nil {
		// The search gate's vocabulary (every page's words, which the
		// shards an edit changes are checked against) is made on the
		// other core while the output is mirrored and the edits are
		// read; fastRebuild's reword waits for it.
		go tr.words(newBodies(s, plan))
	}
	abandon := func() {
		if tr != nil {
			tr.abandoned.Store(true)
		}
	}
	into, err := mirror(out, &rec, plan.outputName)
	if err != nil {
		abandon()
		return nil, false, nil
	}
	edited := map[string]bool{}
	for _, f := range changed {
		edited[f] = true
	}
	// The fast path's warnings join the others, in a full build's order.
	var later []error
	warn := b.opts.Warn
	b.opts.Warn = func(err error) { later = append(later, err) }
	b.snap, b.into, b.changed = pb, into, nil
	defer func() { b.snap, b.into, b.changed, b.opts.Warn = nil, "", nil, warn }()
	res, ok, err = b.fastRebuild(ctx, changed)
	b.opts.Warn = warn
	if err != nil || !ok {
		abandon()
		if into != prevOf(out) {
			os.RemoveAll(into)
		}
		return nil, ok, err
	}
	next := b.snap
	res.Warm = true
	// res.Warnings holds the edited pages' conversion warnings
	edits := res.Warnings
	res.Warnings = nil
	b.warnAll(res, warnings, edits, planWarnings, edited)
	for _, w := range later[min(len(edits), len(later)):] {
		res.Warnings = append(res.Warnings, w)
		warn(w)
	}
	// s.docKeys holds the new bodies' keys: the record of the new state,
	// whose previous output is the one the record described.
	b.recordBuild(s, plan, in, next.generation, verify,
		&warmRecord{Prev: rec.Generation, PrevStamp: rec.Stamp, Changed: b.changed})
	res.Cache = bc.finish()
	return res, true, nil
}

// prevOf is where a build keeps the output it replaced (stage.publish).
func prevOf(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".prev")
}

// mirror returns a folder beside the output folder out that holds what
// out holds, for a warm build to write into and swap in whole, as a full
// build swaps in its stage: the previous output, brought up to date with
// the files the last warm build changed (hard links to out's), when rec
// says what it holds and it still does; else a new folder of hard links
// to every file of out.
func mirror(out string, rec *warmRecord, outputName func(name string, dir bool) bool) (string, error) {
	prev := prevOf(out)
	if rec.Prev != "" {
		gen, err := manifest.ReadGeneration(prev)
		stamp, ok := manifestStamp(prev)
		if err == nil && gen == rec.Prev && ok && stamp == rec.PrevStamp {
			if err := catchUp(out, prev, rec.Changed, outputName); err == nil {
				return prev, nil
			}
		}
	}
	dir, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".staging-")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o755); err != nil { // as a full build's stage
		os.RemoveAll(dir)
		return "", err
	}
	if err := linkTree(out, dir, outputName); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// outputName reports whether a top-level name of the output folder is
// one a build of p writes there: a build folder of the plan (which a warm
// build checked is the output's), or the manifest's files; not another
// program's files or folders.
func (p *plan) outputName(name string, dir bool) bool {
	if dir {
		return slices.ContainsFunc(p.builds, func(bp *buildPlan) bool { return bp.r.Dir == name })
	}
	return name == manifest.ManifestFile || name == manifest.RulesFile || name == manifest.WantedFile
}

// catchUp makes each file of changed (slash paths) in the folder prev
// what it is in out: a hard link to out's file, or gone; and removes
// what else prev holds at its top level that out does not, or that is
// not outputName's.
func catchUp(out, prev string, changed []string, outputName func(name string, dir bool) bool) error {
	top, err := os.ReadDir(prev)
	if err != nil {
		return err
	}
	for _, e := range top {
		if _, err := os.Lstat(filepath.Join(out, e.Name())); errors.Is(err, fs.ErrNotExist) || !outputName(e.Name(), e.IsDir()) {
			if err := os.RemoveAll(filepath.Join(prev, e.Name())); err != nil {
				return err
			}
		}
	}
	for _, rel := range changed {
		src := filepath.Join(out, filepath.FromSlash(rel))
		st, err := os.Lstat(src)
		if errors.Is(err, fs.ErrNotExist) {
			if err := removeOutput(prev, rel); err != nil {
				return err
			}
			continue
		}
		if err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("build: %s: not a file", src)
		}
		dst := filepath.Join(prev, filepath.FromSlash(rel))
		if err := mkdirOver(prev, filepath.Dir(dst)); err != nil {
			return err
		}
		if st, err := os.Lstat(dst); err == nil && st.IsDir() {
			if err := os.RemoveAll(dst); err != nil {
				return err
			}
		}
		tmp := dst + ".facet-link"
		os.Remove(tmp)
		if err := os.Link(src, tmp); err != nil {
			return err
		}
		if err := os.Rename(tmp, dst); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	return nil
}

// linkTree makes dst (an empty folder) hold every file of src as a hard
// link, top-level entries side by side: those outputName takes.
func linkTree(src, dst string, outputName func(name string, dir bool) bool) error {
	top, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, e := range top {
		if !outputName(e.Name(), e.IsDir()) {
			continue
		}
		g.Go(func() error {
			root := filepath.Join(src, e.Name())
			return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				r, _ := filepath.Rel(src, p)
				to := filepath.Join(dst, r)
				switch {
				case d.IsDir():
					return os.Mkdir(to, 0o755)
				case d.Type().IsRegular():
					return os.Link(p, to)
				}
				return fmt.Errorf("build: %s: not a file or folder", p)
			})
		})
	}
	return g.Wait()
}

// removeAll is os.RemoveAll; tests make it fail.
var removeAll = os.RemoveAll

// swapIn swaps the folder into in as the output out and keeps what out
// held as its previous output (prevOf), as stage.publish does: the old
// previous output is removed first, so that a failure leaves out as it
// was. swapped reports whether into is now the output; an error with
// swapped set says only that the replaced output was not kept.
func swapIn(into, out string) (swapped bool, err error) {
	prev := prevOf(out)
	if into != prev {
		if err := removeAll(prev); err != nil {
			return false, fmt.Errorf("build: publish: %w", err)
		}
	}
	if err := unix.Renameat2(unix.AT_FDCWD, into, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE); err == nil {
		if into != prev {
			if err := os.Rename(into, prev); err != nil {
				os.RemoveAll(into) // the replaced output, under a staging name
				return true, fmt.Errorf("build: publish: keep previous output: %w", err)
			}
		}
		return true, nil
	}
	// No atomic exchange here: renames, with a moment without output.
	old := into + ".old"
	if err := os.Rename(out, old); err != nil {
		return false, fmt.Errorf("build: publish: %w", err)
	}
	if err := os.Rename(into, out); err != nil {
		_ = os.Rename(old, out)
		return false, fmt.Errorf("build: publish: %w", err)
	}
	if err := os.Rename(old, prev); err != nil {
		os.RemoveAll(old)
		return true, fmt.Errorf("build: publish: keep previous output: %w", err)
	}
	return true, nil
}

// warnAll passes the conversion warnings conv (but those about the
// edited files, whose new bodies' warnings edits holds) and then the
// plan's to the build, in a full build's order.
func (b *Builder) warnAll(res *Result, conv, edits, plan []error, edited map[string]bool) {
	var keep []error
	for _, w := range conv {
		var e *diag.Error
		if !errors.As(w, &e) || !edited[e.File] {
			keep = append(keep, w)
		}
	}
	keep = append(keep, edits...)
	diagSort(keep)
	for _, w := range append(keep, plan...) {
		res.Warnings = append(res.Warnings, w)
		b.opts.Warn(w)
	}
}

// samePublished reports whether the output folder out holds, as
// generation gen, the manifest and rules plan makes (generation, time and
// file counts aside); it sets each build's file count from the manifest
// and returns the rules encoded.
func (s *loadedSite) samePublished(p *plan, out, gen string) (*manifest.EncodedRules, bool) {
	rules, err := manifest.EncodeRules(s.publishedRules(p))
	if err != nil {
		return nil, false
	}
	want, err := rules.Bytes(gen)
	if err != nil {
		return nil, false
	}
	have, err := os.ReadFile(filepath.Join(out, manifest.RulesFile))
	if err != nil || string(have) != string(want) {
		return nil, false
	}
	raw, err := os.ReadFile(filepath.Join(out, manifest.ManifestFile))
	if err != nil {
		return nil, false
	}
	var m manifest.Manifest
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	mine := s.manifestOf(p, gen, "")
	if !reflect.DeepEqual(m.Audiences, mine.Audiences) || len(m.Builds) != len(mine.Builds) {
		return nil, false
	}
	for j, bl := range m.Builds {
		if bl.Dir != mine.Builds[j].Dir || bl.Pages != mine.Builds[j].Pages {
			return nil, false
		}
		p.builds[j].files = bl.Files
	}
	return rules, true
}
