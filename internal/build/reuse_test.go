package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/verify"
)

// A one-off build, which writes each body version's search fragment once
// and links it into the other builds (reuse.go), writes the same files as
// a build that makes every file itself (one that keeps state for
// rebuilds, through the memo), for random sites whose pages differ
// between builds in their links.
func TestReusedFilesSameOutput(t *testing.T) {
	t.Parallel()
	built := 0
	for seed := uint64(1); built < 6 && seed <= 60; seed++ {
		dir := t.TempDir()
		writeFiles(t, dir, newESite(seed).files, nil)
		oneOff, kept := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
		a := New(Options{Site: dir, Out: oneOff, Now: propNow, Workers: 2})
		a.shardSize = propShardSize
		res, err := a.Build(context.Background())
		b := New(Options{Site: dir, Out: kept, Now: propNow, Workers: 2})
		b.shardSize = propShardSize
		_, kerr := b.build(context.Background(), true)
		if err != nil || kerr != nil {
			if err == nil || kerr == nil || err.Error() != kerr.Error() {
				t.Fatalf("seed %d: one-off build: %v; kept build: %v", seed, err, kerr)
			}
			continue // a site the gate refuses, as it should
		}
		built++
		if diffs := compareTrees(treeOf(t, oneOff), treeOf(t, kept)); len(diffs) > 0 {
			t.Errorf("seed %d: the one-off build differs from the kept one:\n%s", seed, strings.Join(diffs, "\n"))
		}
		if len(res.Builds) > 1 && res.Links == 0 {
			t.Errorf("seed %d: %d builds and no file linked", seed, len(res.Builds))
		}
	}
	if built < 6 {
		t.Fatalf("only %d sites built", built)
	}
}

// reuseFixture is a stage and a Reuser per build of searchBase.
func reuseFixture(t *testing.T) (st *stage, for_ func(aud string) *buildReuse) {
	t.Helper()
	_, tr, bs, builds := gateFixture(t, searchBase)
	st, err := newStage(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.discard)
	tags := &reuseTags{m: map[render.Tag]fileKey{}}
	return st, func(aud string) *buildReuse {
		bp := builds[aud]
		if bp == nil {
			t.Fatalf("no build for %s", aud)
		}
		var files atomic.Int64
		put := func(name string, data []byte) (fileKey, error) {
			key := st.key(data)
			if err := tr.check(bp, bs, name, data, key); err != nil {
				return key, err
			}
			return key, st.write(rel(bp.r.Dir, name), data, key)
		}
		return &buildReuse{tags: tags, st: st, tr: tr, bp: bp, bs: bs, put: put, files: &files}
	}
}

// A file written again through Again is judged for the build it is
// linked into, not only for the build that made it: a fragment naming a
// members-only page passes in the members' build and fails in the
// anonymous one, and is not linked there.
func TestReusedFileJudgedPerBuild(t *testing.T) {
	t.Parallel()
	st, reuser := reuseFixture(t)
	members, anon := reuser("members"), reuser("anonymous")
	tag := render.Tag{}
	frag := []byte(`facetSearch({"t":"Probe","u":"probe/","x":["See Pangolin Lounge for more."]});` + "\n")
	if err := members.Made("_facet/search/f/3.js", frag, tag); err != nil {
		t.Fatalf("members: Made: %v", err)
	}
	ok, err := members.Again("_facet/search/f/4.js", tag)
	if err != nil || !ok {
		t.Fatalf("members: Again = %v, %v; want it linked", ok, err)
	}
	a, _ := os.Stat(filepath.Join(st.dir, members.bp.r.Dir, "_facet/search/f/3.js"))
	b, _ := os.Stat(filepath.Join(st.dir, members.bp.r.Dir, "_facet/search/f/4.js"))
	if a == nil || b == nil || !os.SameFile(a, b) {
		t.Errorf("members: the file written again is not a link to the first")
	}
	ok, err = anon.Again("_facet/search/f/3.js", tag)
	var leak *verify.Leak
	if ok || !errors.As(err, &leak) {
		t.Fatalf("anonymous: Again = %v, %v; want a leak", ok, err)
	}
	if _, err := os.Stat(filepath.Join(st.dir, anon.bp.r.Dir, "_facet/search/f/3.js")); err == nil {
		t.Errorf("anonymous: the leaking file was linked")
	}
	if ok, err := anon.Again("_facet/search/f/5.js", render.Tag{}); ok || err == nil {
		t.Errorf("anonymous, same tag again: Again = %v, %v; want the leak again", ok, err)
	}
}

// A file whose first copy no longer holds the bytes it was written with
// (still being written by another build, say) is not judged by what is
// read back when its references must be found (at a name in another
// folder than the first): Again declines and the renderer makes the file
// itself.
func TestReusedFileTornIsMade(t *testing.T) {
	t.Parallel()
	st, reuser := reuseFixture(t)
	members := reuser("members")
	frag := []byte(`facetSearch({"t":"Probe","u":"probe/","x":["Nothing to see."]});` + "\n")
	if err := members.Made("_facet/search/f/3.js", frag, render.Tag{}); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(st.dir, members.bp.r.Dir, "_facet/search/f/3.js")
	if err := os.WriteFile(first, frag[:20], 0o644); err != nil {
		t.Fatal(err)
	}
	ok, err := members.Again("_facet/search/g/9.js", render.Tag{})
	if ok || err != nil {
		t.Errorf("Again over a torn first copy = %v, %v; want false, nil", ok, err)
	}
	members.tags = &reuseTags{m: map[render.Tag]fileKey{}}
	if ok, err := members.Again("_facet/search/f/9.js", render.Tag{}); ok || err != nil {
		t.Errorf("Again of an unknown tag = %v, %v; want false, nil", ok, err)
	}
}

// A build that links a file whose first copy is not on disk yet (another
// build, writing the same bytes for another body version, registered it
// first; this one wrote its own copy) reports a leak in it as a build
// that makes the file does: with the text found, not an empty quote.
func TestReusedFileLeakBeforeFirstCopy(t *testing.T) {
	t.Parallel()
	st, reuser := reuseFixture(t)
	members, anon := reuser("members"), reuser("anonymous")
	frag := []byte(`facetSearch({"t":"Probe","u":"probe/","x":["See Pangolin Lounge for more."]});` + "\n")
	const name = "_facet/search/f/3.js"
	key := st.key(frag)
	// the first build to write these bytes has not created its copy yet
	st.seen[key] = filepath.Join(st.dir, "other", "_facet/search/f/8.js")
	tag := render.Tag{}
	if err := members.Made(name, frag, tag); err != nil {
		t.Fatalf("members: Made: %v", err)
	}
	want := anon.tr.check(anon.bp, anon.bs, name, frag, key)
	if want == nil {
		t.Fatal("the fragment does not leak in the anonymous build")
	}
	ok, err := anon.Again(name, tag)
	if ok {
		t.Fatal("anonymous: the leaking file was linked")
	}
	if err == nil {
		err = anon.Made(name, frag, tag) // as the renderer does when Again declines
	}
	if err == nil || err.Error() != want.Error() {
		t.Errorf("anonymous: got %v\nwant %v", err, want)
	}
}
