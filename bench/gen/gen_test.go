package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/sitetest"
)

func gen(t *testing.T, args ...string) {
	t.Helper()
	var stderr bytes.Buffer
	if err := run(args, io.Discard, &stderr); err != nil {
		t.Fatalf("gen %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
}

// sameTree compares two trees by path and bytes, reporting the first few
// differences only (a diff of whole corpora is unreadable).
func sameTree(a, b map[string][]byte) []string {
	var diffs []string
	for p, x := range a {
		y, ok := b[p]
		switch {
		case !ok:
			diffs = append(diffs, "only in first: "+p)
		case !bytes.Equal(x, y):
			diffs = append(diffs, "differs: "+p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diffs = append(diffs, "only in second: "+p)
		}
	}
	return diffs
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	d1, d2, d3 := t.TempDir(), t.TempDir(), t.TempDir()
	gen(t, "-pages", "200", "-seed", "7", "-out", d1)
	gen(t, "-pages", "200", "-seed", "7", "-out", d2)
	first, second := sitetest.ReadTree(t, d1), sitetest.ReadTree(t, d2)
	if len(first) < 200 {
		t.Fatalf("only %d files written", len(first))
	}
	if diffs := sameTree(first, second); len(diffs) > 0 {
		t.Fatalf("two runs differ (%d files), e.g. %v", len(diffs), diffs[:min(5, len(diffs))])
	}

	// Regenerating into a folder of its own replaces it with the same bytes.
	gen(t, "-pages", "200", "-seed", "7", "-out", d1)
	if diffs := sameTree(first, sitetest.ReadTree(t, d1)); len(diffs) > 0 {
		t.Fatalf("regeneration differs: %v", diffs[:min(5, len(diffs))])
	}

	// The seed matters.
	gen(t, "-pages", "200", "-seed", "8", "-out", d3)
	if len(sameTree(first, sitetest.ReadTree(t, d3))) == 0 {
		t.Fatal("seeds 7 and 8 wrote the same corpus")
	}
}

func TestOutputFolder(t *testing.T) {
	t.Parallel()
	foreign := t.TempDir()
	keep := filepath.Join(foreign, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"-pages", "20", "-out", foreign}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Fatalf("non-empty foreign folder: err = %v, want a refusal", err)
	}
	if got, _ := os.ReadFile(keep); string(got) != "mine" {
		t.Fatalf("foreign file changed to %q", got)
	}
	if diff := cmp.Diff([]string{"notes.txt"}, names(t, foreign)); diff != "" {
		t.Fatalf("foreign folder touched (-want +got):\n%s", diff)
	}

	// A folder holding a directory named like the marker is not ours either.
	fake := t.TempDir()
	if err := os.Mkdir(filepath.Join(fake, markerName), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-pages", "20", "-out", fake}, io.Discard, io.Discard); err == nil {
		t.Fatal("a folder with a directory named like the marker was overwritten")
	}

	// An own folder is emptied first: stale files go.
	own := filepath.Join(t.TempDir(), "corpus")
	gen(t, "-pages", "20", "-out", own)
	stale := filepath.Join(own, "content", "stale.md")
	if err := os.WriteFile(stale, []byte("+++\ntitle = \"Stale\"\n+++\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gen(t, "-pages", "20", "-out", own)
	if _, err := os.Stat(stale); err == nil {
		t.Fatal("stale file survived regeneration")
	}
}

func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-pages", "10"},
		{"-pages", "0", "-out", t.TempDir()},
		{"-pages", "ten", "-out", t.TempDir()},
		{"-out", t.TempDir(), "extra"},
	} {
		if err := run(args, io.Discard, io.Discard); err == nil {
			t.Errorf("run %q: no error", args)
		}
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
