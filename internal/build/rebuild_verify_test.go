package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/verify"
)

// TestRebuildKeepsScans: a rebuild whose site names the same pages and
// attachments by the same titles and URLs keeps the last scans (the
// verifier's index, and the references of files that did not change);
// a title edit makes a new index. TestPropertyRebuild checks the output.
func TestRebuildKeepsScans(t *testing.T) {
	t.Parallel()
	e := newESite(3)
	dir := t.TempDir()
	writeFiles(t, dir, e.files, nil)
	b := New(Options{Site: dir, Out: filepath.Join(dir, "public"), Now: propNow, Workers: 2})
	rebuild := func(changed ...string) *tracer {
		t.Helper()
		if _, err := b.Rebuild(context.Background(), changed); err != nil {
			t.Fatal(err)
		}
		if b.snap == nil || b.snap.tr == nil {
			t.Fatal("no verifier kept")
		}
		return b.snap.tr
	}
	first := rebuild()
	f := e.pickOf(e.pages(false))
	old := clone(e.files)
	e.files[f] = setKey(e.files[f], "weight", "3")
	writeFiles(t, dir, e.files, old)
	second := rebuild(f)
	if second == first || second.ix != first.ix {
		t.Fatalf("a weight edit made a new verifier index")
	}
	if len(second.cache) == 0 {
		t.Fatalf("no scans kept")
	}
	old = clone(e.files)
	e.files[f] = setKey(e.files[f], "title", fmt.Sprintf("%q", "Another title entirely"))
	writeFiles(t, dir, e.files, old)
	if third := rebuild(f); third.ix == second.ix {
		t.Fatalf("a title edit kept the verifier index")
	}
}

// TestRebuildRetitleKeepsExactScans: after title edits, the references the
// verifier holds for every file equal a fresh scan of the file with the
// new index, and most of them were kept rather than scanned. The new
// titles include titles of other pages, so that files that did not change
// gain references to the retitled page, and files naming the old title
// lose them.
func TestRebuildRetitleKeepsExactScans(t *testing.T) {
	t.Parallel()
	e := newESite(5)
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	writeFiles(t, dir, e.files, nil)
	b := New(Options{Site: dir, Out: out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	titles := func() []string {
		var ts []string
		for _, p := range b.snap.s.tree.Pages {
			if !p.Generated && !verify.LowInfo(p.Title) {
				ts = append(ts, p.Title)
			}
		}
		return ts
	}
	kept := int64(0)
	var f string
	for step := 0; step < 8; step++ {
		// even steps give a page the title of another (files that did
		// not change gain references to it), odd ones give the same page
		// a new title (those files lose them)
		title := e.gen.title() + " " + e.pickOf(propProse)
		if step%2 == 0 {
			f = e.pickOf(e.pages(false))
			title = e.pickOf(titles())
		}
		old := clone(e.files)
		e.files[f] = setKey(e.files[f], "title", fmt.Sprintf("%q", title))
		writeFiles(t, dir, e.files, old)
		if _, err := b.Rebuild(context.Background(), []string{f}); err != nil {
			clean := New(Options{Site: dir, Out: filepath.Join(t.TempDir(), "public"), Now: propNow, Workers: 2})
			if _, cerr := clean.Rebuild(context.Background(), nil); cerr == nil {
				t.Fatalf("step %d (%s retitled %q): the rebuild fails, a clean build does not: %v", step, f, title, err)
			}
			continue
		}
		tr := b.snap.tr
		if tr.prev != nil {
			t.Fatal("the last tracer's references outlive the rebuild")
		}
		kept += tr.kept.Load()
		checked := 0
		for rl, key := range b.snap.outputs {
			_, name, _ := strings.Cut(rl, "/")
			refs, ok := tr.cache[traceKey{key, name}]
			if !ok {
				continue
			}
			data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rl)))
			if err != nil {
				t.Fatal(err)
			}
			if want := tr.ix.RefsPacked(name, data); !slices.Equal(refs, want) {
				t.Fatalf("step %d (%s retitled %q): %s: kept references %v, a scan finds %v", step, f, title, rl, refs, want)
			}
			checked++
		}
		if checked == 0 {
			t.Fatalf("step %d: no file checked", step)
		}
	}
	if kept == 0 {
		t.Fatal("no file's references were kept across a title edit")
	}
}
