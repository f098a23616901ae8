package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/s3test"
	"github.com/facet-docs/facet/internal/store"
)

func TestMain(m *testing.M) { os.Exit(s3test.Main(m)) }

// handbook copies the repository's own site (config and content) into a
// folder of the test's, so that a test can edit it.
func handbook(t *testing.T) string {
	t.Helper()
	site := t.TempDir()
	for _, d := range []string{"config", "content"} {
		if err := os.CopyFS(filepath.Join(site, d), os.DirFS(filepath.Join("..", "..", d))); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

// buildSite builds site into out (the release gate on), at a clock that
// gives each build a new generation.
func buildSite(t *testing.T, site, out string) {
	t.Helper()
	if _, err := build.New(build.Options{Site: site, Out: out, Workers: 2}).Build(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// editPage changes one page's body.
func editPage(t *testing.T, site string) {
	t.Helper()
	p := filepath.Join(site, "content", "getting-started", "_index.md")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(b, []byte("\nOne more sentence for the second publication.\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
}

func publish(t *testing.T, st *store.Store, out string, mod func(*Options)) *Result {
	t.Helper()
	o := Options{Out: out, Store: st, Grace: time.Hour}
	if mod != nil {
		mod(&o)
	}
	res, err := Publish(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func countObjects(t *testing.T, st *store.Store, prefix string) int {
	t.Helper()
	obs, err := st.List(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	return len(obs)
}

func TestPublishUploadsOnlyChangedObjects(t *testing.T) {
	srv := s3test.Shared(t)
	st := srv.Bucket(t, "docs")
	site, out := handbook(t), filepath.Join(t.TempDir(), "public")
	buildSite(t, site, out)

	first := publish(t, st, out, nil)
	if first.Uploaded != first.Objects || first.Uploaded == 0 || first.Present != 0 {
		t.Fatalf("first publication: uploaded %d of %d objects (%d present), want all", first.Uploaded, first.Objects, first.Present)
	}
	if got := countObjects(t, st, store.ObjectsDir); got != first.Objects {
		t.Errorf("store holds %d objects, want %d", got, first.Objects)
	}
	again := publish(t, st, out, nil)
	if !again.Unchanged {
		t.Errorf("publishing the same generation again: %+v, want unchanged", again)
	}

	editPage(t, site)
	buildSite(t, site, out)
	changed := changedObjects(t, st, first.Generation, out)
	var uploads atomic.Int64
	dry := publish(t, st, out, func(o *Options) { o.DryRun = true })
	second := publish(t, st, out, func(o *Options) { o.AfterUpload = func() { uploads.Add(1) } })
	t.Logf("first: %d files, %d objects uploaded; after a one-page edit: %d uploaded, %d present, %d plain", first.Files, first.Uploaded, second.Uploaded, second.Present, second.Plain)
	if second.Uploaded != changed || int(uploads.Load()) != changed || changed == 0 {
		t.Errorf("second publication uploaded %d objects (%d counted by the hook), want the %d changed ones",
			second.Uploaded, uploads.Load(), changed)
	}
	if dry.Uploaded != second.Uploaded || dry.UploadedBytes != second.UploadedBytes || dry.Plain != second.Plain {
		t.Errorf("dry run said %+v, the publication did %+v", dry, second)
	}
	if second.Present != second.Objects-changed {
		t.Errorf("%d objects found present, want %d", second.Present, second.Objects-changed)
	}
	if anon := anonymousChanged(t, st, first.Generation, out); second.Plain != anon {
		t.Errorf("%d anonymous plain files written, want the %d changed", second.Plain, anon)
	}
	ptr, err := st.ReadPointer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ptr.Generation != second.Generation || len(ptr.History) != 1 || ptr.History[0].Generation != first.Generation {
		t.Errorf("pointer = %+v, want generation %s with %s in its history", ptr, second.Generation, first.Generation)
	}
	s3test.CheckStore(t, st, out)
}

// changedObjects counts the distinct contents of the output at out that
// generation gen's indexes do not hold.
func changedObjects(t *testing.T, st *store.Store, gen, out string) int {
	t.Helper()
	old := map[string]bool{}
	ptr, err := st.ReadPointer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range ptr.Builds {
		ix, err := st.ReadIndex(context.Background(), gen, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ix.Files {
			old[e.Hash] = true
		}
	}
	l, err := scan(out)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for h := range l.files {
		if !old[h] {
			n++
		}
	}
	return n
}

// anonymousChanged counts the anonymous build's files new or changed
// since generation gen.
func anonymousChanged(t *testing.T, st *store.Store, gen, out string) int {
	t.Helper()
	ix, err := st.ReadIndex(context.Background(), gen, manifest.AnonymousDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(filepath.Join(out, manifest.AnonymousDir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(out, manifest.AnonymousDir), p)
		if ix.Files[filepath.ToSlash(rel)].Hash != fileHash(t, p) {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func fileHash(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestPublishInterruptedLeavesReadersOnPrevious(t *testing.T) {
	srv := s3test.Shared(t)
	st := srv.Bucket(t, "")
	site, out := handbook(t), filepath.Join(t.TempDir(), "public")
	buildSite(t, site, out)
	first := publish(t, st, out, nil)

	editPage(t, site)
	buildSite(t, site, out)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	_, err := Publish(ctx, Options{Out: out, Store: st, Workers: 1, AfterUpload: func() {
		if n.Add(1) == 1 {
			cancel()
		}
	}})
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted publication: err = %v, want it cancelled", err)
	}
	ptr, err := st.ReadPointer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ptr.Generation != first.Generation {
		t.Fatalf("after an interrupted publication readers follow %s, want the previous %s", ptr.Generation, first.Generation)
	}
	m, _, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(context.Background(), store.GenerationKey(m.Generation, manifest.ManifestFile)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the interrupted generation's manifest is in the store (err %v)", err)
	}
	resumed := publish(t, st, out, nil)
	if resumed.Uploaded != changedObjects(t, st, first.Generation, out)-int(n.Load()) || resumed.Uploaded == 0 {
		t.Errorf("the rerun uploaded %d objects after %d went up before the interruption", resumed.Uploaded, n.Load())
	}
	s3test.CheckStore(t, st, out)
}

func TestPublishRemovesOldGenerations(t *testing.T) {
	srv := s3test.Shared(t)
	st := srv.Bucket(t, "gc")
	site, out := handbook(t), filepath.Join(t.TempDir(), "public")
	var gens []string
	for range 4 {
		editPage(t, site)
		buildSite(t, site, out)
		gens = append(gens, publish(t, st, out, func(o *Options) { o.Grace = 0; o.Keep = 2 }).Generation)
	}
	ctx := context.Background()
	for i, g := range gens {
		_, err := st.Get(ctx, store.GenerationKey(g, manifest.ManifestFile))
		if kept := i >= 2; kept != (err == nil) {
			t.Errorf("generation %d: manifest err %v, want kept=%v (keep 2)", i, err, kept)
		}
	}
	refs := map[string]bool{}
	ptr, err := st.ReadPointer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{ptr.Generation, ptr.History[0].Generation} {
		for _, dir := range ptr.Builds {
			ix, err := st.ReadIndex(ctx, g, dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ix.Files {
				refs[e.Hash] = true
			}
		}
	}
	if got := countObjects(t, st, store.ObjectsDir); got != len(refs) {
		t.Errorf("store holds %d objects, the kept generations refer to %d", got, len(refs))
	}
}

// A publication that stops after writing the anonymous plain files and
// before moving the pointer leaves its files under anonymous/. The next
// publication compared the build with the pointer's generation only, so a
// page the stopped publication made public and the next one hides again
// stayed on the static host, and a page it changed and the next one
// changed back kept the stopped publication's words.
func TestPublishStoppedBeforePointerLeavesNoPlainFile(t *testing.T) {
	srv := s3test.Shared(t)
	st := srv.Bucket(t, "")
	site, out := handbook(t), filepath.Join(t.TempDir(), "public")
	buildSite(t, site, out)
	publish(t, st, out, nil)

	page := filepath.Join(site, "content", "getting-started", "_index.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(site, "content", "getting-started", "made-public.md")
	if err := os.WriteFile(extra, []byte("+++\ntitle = \"Made Public\"\n[access]\nallow = [\"anyone\"]\n+++\nBriefly public.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	editPage(t, site)
	buildSite(t, site, out)
	// The publication's steps up to the anonymous files, then it stops.
	ctx := context.Background()
	o := Options{Out: out, Store: st, Grace: time.Hour}
	o.defaults()
	p, _, err := o.plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.upload(ctx, p.l, p.missing); err != nil {
		t.Fatal(err)
	}
	if err := o.writeGeneration(ctx, p.l); err != nil {
		t.Fatal(err)
	}
	if err := o.writePlain(ctx, p.l, p.plain); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, store.AnonymousDir+"getting-started/made-public/index.html"); err != nil {
		t.Fatalf("the stopped publication wrote no plain page: %v", err)
	}

	if err := os.Remove(extra); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	buildSite(t, site, out)
	publish(t, st, out, nil)
	s3test.CheckStore(t, st, out)
}

// A publication that stops after moving the pointer and before deleting
// the plain files the anonymous build lacks leaves them under anonymous/.
// Its rerun found the store already serving the generation and did
// nothing, so a page the publication hid stayed on the static host until
// another generation was published.
func TestPublishStoppedAfterPointerRerunRemovesPlainFile(t *testing.T) {
	srv := s3test.Shared(t)
	st := srv.Bucket(t, "")
	site, out := handbook(t), filepath.Join(t.TempDir(), "public")
	extra := filepath.Join(site, "content", "getting-started", "made-hidden.md")
	if err := os.WriteFile(extra, []byte("+++\ntitle = \"Made Hidden\"\n[access]\nallow = [\"anyone\"]\n+++\nPublic for now.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	buildSite(t, site, out)
	publish(t, st, out, nil)
	const key = store.AnonymousDir + "getting-started/made-hidden/index.html"
	ctx := context.Background()
	if _, err := st.Get(ctx, key); err != nil {
		t.Fatalf("the first publication wrote no plain page: %v", err)
	}

	if err := os.WriteFile(extra, []byte("+++\ntitle = \"Made Hidden\"\n[access]\nallow = [\"group:staff\"]\n+++\nStaff only now.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	buildSite(t, site, out)
	// The publication's steps up to the pointer, then it stops.
	o := Options{Out: out, Store: st, Grace: time.Hour}
	o.defaults()
	p, _, err := o.plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.upload(ctx, p.l, p.missing); err != nil {
		t.Fatal(err)
	}
	if err := o.writeGeneration(ctx, p.l); err != nil {
		t.Fatal(err)
	}
	if err := o.writePlain(ctx, p.l, p.plain); err != nil {
		t.Fatal(err)
	}
	if err := putJSON(ctx, st, store.PointerKey, o.pointer(p.l, p.prev)); err != nil {
		t.Fatal(err)
	}

	rerun := publish(t, st, out, nil)
	if _, err := st.Get(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after the rerun (%+v) the plain layout still holds the hidden page (err %v)", rerun, err)
	}
	s3test.CheckStore(t, st, out)
}

// Two publications race (two CI jobs): the later build B plans, the
// earlier build A is published whole meanwhile, then B writes and moves
// the pointer. B deleted only the plain files its plan had listed, so A's
// page, which B hides, stayed under anonymous/ beside B's build.
func TestPublishRacingPublicationsLeaveNoPlainFile(t *testing.T) {
	srv := s3test.Shared(t)
	st := srv.Bucket(t, "")
	site := handbook(t)
	outP, outA, outB := filepath.Join(t.TempDir(), "p"), filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	buildSite(t, site, outP)
	publish(t, st, outP, nil)

	extra := filepath.Join(site, "content", "getting-started", "racing.md")
	if err := os.WriteFile(extra, []byte("+++\ntitle = \"Racing\"\n[access]\nallow = [\"anyone\"]\n+++\nPublic in build A.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	buildSite(t, site, outA)
	if err := os.WriteFile(extra, []byte("+++\ntitle = \"Racing\"\n[access]\nallow = [\"group:staff\"]\n+++\nStaff only in build B.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	buildSite(t, site, outB)

	ctx := context.Background()
	b := Options{Out: outB, Store: st, Grace: time.Hour}
	b.defaults()
	p, res, err := b.plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	publish(t, st, outA, nil)
	const key = store.AnonymousDir + "getting-started/racing/index.html"
	if _, err := st.Get(ctx, key); err != nil {
		t.Fatalf("publication A wrote no plain page: %v", err)
	}
	if err := b.apply(ctx, p, res); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after publication B the plain layout still holds the page B hides (err %v)", err)
	}
	s3test.CheckStore(t, st, outB)
}

// A location inside another store's anonymous/ (s3://B/site/anonymous/)
// was published to: every build's objects and indexes landed in the plain
// layout a static host serves to anyone. Such a location is refused.
func TestPublishRefusesLocationInAnotherStoresLayout(t *testing.T) {
	srv := s3test.Shared(t)
	outer := srv.Bucket(t, "site")
	site, out := handbook(t), filepath.Join(t.TempDir(), "public")
	buildSite(t, site, out)
	publish(t, outer, out, nil)

	ctx := context.Background()
	for _, dir := range []string{"anonymous/", "anonymous/docs/", "objects/"} {
		loc := outer.Location()
		loc.Prefix += dir
		inner, err := store.Open(srv.Settings(), loc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Publish(ctx, Options{Out: out, Store: inner}); err == nil || !strings.Contains(err.Error(), "lies in the layout of the store at "+outer.Location().String()) {
			t.Errorf("publishing to %s: err = %v, want it refused", loc, err)
		}
	}
	s3test.CheckStore(t, outer, out)
}

// Two CI jobs race and the older build finishes last: it moved the
// pointer back to a generation in which a page the newer build hides is
// public again, and wrote that page into the plain layout. A generation
// built before the one the store serves is refused, at the plan and again
// before its plain files and its pointer are written, unless the rollback
// is asked for.
func TestPublishOlderGenerationRefused(t *testing.T) {
	srv := s3test.Shared(t)
	st := srv.Bucket(t, "")
	site := handbook(t)
	outA, outB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	extra := filepath.Join(site, "content", "getting-started", "rolled.md")
	if err := os.WriteFile(extra, []byte("+++\ntitle = \"Rolled\"\n[access]\nallow = [\"anyone\"]\n+++\nPublic in the older build.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	buildSite(t, site, outA)
	if err := os.WriteFile(extra, []byte("+++\ntitle = \"Rolled\"\n[access]\nallow = [\"group:staff\"]\n+++\nStaff only in the newer build.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	buildSite(t, site, outB)
	ctx := context.Background()
	const key = store.AnonymousDir + "getting-started/rolled/index.html"

	// The older job planned first; the newer one published meanwhile.
	a := Options{Out: outA, Store: st, Grace: time.Hour}
	a.defaults()
	p, res, err := a.plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	publish(t, st, outB, nil)
	if err := a.apply(ctx, p, res); !errors.Is(err, ErrOlder) {
		t.Fatalf("the older publication's apply: err = %v, want ErrOlder", err)
	}
	if _, err := st.Get(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the plain layout holds the page the newer build hides (err %v)", err)
	}
	s3test.CheckStore(t, st, outB)

	// Planned after: refused at once.
	if _, err := Publish(ctx, Options{Out: outA, Store: st}); !errors.Is(err, ErrOlder) || !strings.Contains(err.Error(), "--allow-older") {
		t.Fatalf("publishing the older output: err = %v, want ErrOlder", err)
	}
	s3test.CheckStore(t, st, outB)

	// A rollback asked for.
	if _, err := Publish(ctx, Options{Out: outA, Store: st, AllowOlder: true}); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	s3test.CheckStore(t, st, outA)
}
