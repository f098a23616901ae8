package build

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPropertyRebuild applies random edit sequences (bodies, titles,
// weights, tags, rules, moves, deletions of pages and folders, new pages
// and sections, attachments, site and access settings, and edits that
// break the site, then fix it) to generated sites, and after each step
// requires Rebuild's output to equal a clean Build of the same files,
// byte for byte (the manifest's generation and time aside), and a failed
// Rebuild to leave the output exactly as it was.
//
// FACET_REBUILD_SEED=S runs seed S alone; FACET_REBUILD_STEPS=N sets the
// steps per seed (default 50, over 4 seeds: 200 steps).
func TestPropertyRebuild(t *testing.T) {
	seeds := []uint64{4, 8, 11, 18}
	steps := 50
	if v, err := strconv.ParseUint(os.Getenv("FACET_REBUILD_SEED"), 10, 64); err == nil {
		seeds = []uint64{v}
	}
	if v, err := strconv.Atoi(os.Getenv("FACET_REBUILD_STEPS")); err == nil && v > 0 {
		steps = v
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			checkRebuilds(t, seed, steps)
		})
	}
}

// propShardSize is the size of the property builds' search shards: small,
// so that a generated site's index has many shards and edits move their
// boundaries.
const propShardSize = 200

// propNow is the clock of the property builds.
func propNow() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

func checkRebuilds(t *testing.T, seed uint64, steps int) {
	checkRebuildsOf(t, newESite(seed), seed, steps)
}

// TestPropertyRetitle is TestPropertyRebuild with two edits in three a
// page's new title (2 seeds x 30 steps), most of which the retitle path takes
// (rebuild_retitle.go): it must publish what a clean build does, and fail
// where it fails.
func TestPropertyRetitle(t *testing.T) {
	for _, seed := range []uint64{5, 13} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			e := newESite(seed)
			e.retitles = true
			n := checkRebuildsOf(t, e, seed, 30)
			t.Logf("seed %d: the retitle path published %d of 30 steps", seed, n)
			if n < 4 {
				t.Errorf("the retitle path took %d of 30 edits", n)
			}
		})
	}
}

// checkRebuildsOf is checkRebuilds for the edits of e; it returns how
// many rebuilds the retitle path published.
func checkRebuildsOf(t *testing.T, e *eSite, seed uint64, steps int) int {
	dir := t.TempDir()
	cleanOut := filepath.Join(t.TempDir(), "clean")
	out := filepath.Join(dir, "public")
	writeFiles(t, dir, e.files, nil)
	inc := New(Options{Site: dir, Out: out, Now: propNow, Workers: 2})
	inc.shardSize = propShardSize
	var log []string
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d (rerun: FACET_REBUILD_SEED=%d), after %d steps:\n  %s\n"+format,
			append([]any{seed, seed, len(log), strings.Join(log, "\n  ")}, args...)...)
	}
	var changed []string
	failed := 0
	defer func() { t.Logf("seed %d: %d steps, %d failed as the clean build did", seed, steps, failed) }()
	for step := 0; step <= steps; step++ {
		before := treeOf(t, out)
		_, ierr := inc.Rebuild(context.Background(), changed)
		clean := New(Options{Site: dir, Out: cleanOut, Now: propNow, Workers: 2})
		clean.shardSize = propShardSize
		_, cerr := clean.Build(context.Background())
		if (ierr == nil) != (cerr == nil) {
			fail("rebuild error %v, clean build error %v", ierr, cerr)
		}
		if ierr != nil {
			failed++
			if ierr.Error() != cerr.Error() {
				fail("rebuild error:\n%v\nclean build error:\n%v", ierr, cerr)
			}
			if after := treeOf(t, out); !maps2Equal(before, after) {
				fail("a failed rebuild changed the output")
			}
			os.RemoveAll(cleanOut)
		} else if diffs := compareTrees(treeOf(t, out), treeOf(t, cleanOut)); len(diffs) > 0 {
			fail("rebuild differs from a clean build:\n  %s", strings.Join(diffs[:min(10, len(diffs))], "\n  "))
		}
		old := clone(e.files)
		what, paths := e.edit()
		log = append(log, what)
		writeFiles(t, dir, e.files, old)
		changed = paths
	}
	return inc.retitles
}

func clone(m map[string]string) map[string]string {
	n := make(map[string]string, len(m))
	for k, v := range m {
		n[k] = v
	}
	return n
}

// writeFiles writes files into dir and removes those of old that are gone
// (and folders left empty).
func writeFiles(t *testing.T, dir string, files, old map[string]string) {
	t.Helper()
	for name := range old {
		if _, ok := files[name]; !ok {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			for d := filepath.Dir(p); d != dir; d = filepath.Dir(d) {
				if os.Remove(d) != nil {
					break
				}
			}
		}
	}
	for name, data := range files {
		if old != nil && old[name] == data {
			if _, ok := old[name]; ok {
				continue
			}
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// generation matches the fields of manifest.json and rules.json that
// differ between two builds of the same site.
var generation = regexp.MustCompile(`"(generation|built)": "[^"]*"`)

// treeOf reads every file under root, by slash path; nil when root is
// missing.
func treeOf(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == root {
				return filepath.SkipAll
			}
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if rel != "." {
				m[filepath.ToSlash(rel)+"/"] = ""
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m[filepath.ToSlash(rel)] = generation.ReplaceAllString(string(b), `"$1": ""`)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// compareTrees lists the differences between two output trees.
func compareTrees(got, want map[string]string) []string {
	var out []string
	for k, v := range want {
		g, ok := got[k]
		switch {
		case !ok:
			out = append(out, "missing "+k)
		case g != v:
			out = append(out, "differs "+k+":\n"+firstDiff(g, v))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			out = append(out, "extra "+k)
		}
	}
	slices.Sort(out)
	return out
}

// firstDiff shows where two texts first differ.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	cut := func(s string) string { return s[max(0, i-80):min(len(s), i+120)] }
	return "    first:  " + cut(a) + "\n    second: " + cut(b)
}
