package build

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
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
