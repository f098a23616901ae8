package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPropertyWarmBuild applies the random edit sequences of
// TestPropertyRebuild to generated sites and after each step builds twice:
// a `facet build` with the build cache into the output the last one wrote
// (a new Builder each time, as a new process), and a clean build without
// cache. The two must be equal byte for byte (the manifest's generation and
// time aside), with the same warnings, and fail alike; a failed build
// leaves the output as it was, and a build keeps the output it replaced
// whole as the previous one. Body edits must take the warm path.
func TestPropertyWarmBuild(t *testing.T) {
	for _, seed := range []uint64{4, 11} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			checkWarmBuilds(t, seed, 30)
		})
	}
}

func checkWarmBuilds(t *testing.T, seed uint64, steps int) {
	e := newESite(seed)
	dir := t.TempDir()
	cleanOut := filepath.Join(t.TempDir(), "clean")
	out := filepath.Join(dir, "public")
	cacheDir := filepath.Join(t.TempDir(), "cache")
	writeFiles(t, dir, e.files, nil)
	var log []string
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d, after %d steps:\n  %s\n"+format,
			append([]any{seed, len(log), strings.Join(log, "\n  ")}, args...)...)
	}
	build := func(out, cache string) (*Result, []string, error) {
		var warns []string
		b := New(Options{Site: dir, Out: out, Cache: cache, Now: propNow, Workers: 2,
			Warn: func(err error) { warns = append(warns, err.Error()) }})
		b.shardSize = propShardSize
		res, err := b.Build(context.Background())
		return res, warns, err
	}
	warm, bodies := 0, 0
	lastBody := false
	for step := 0; step <= steps; step++ {
		before := treeOf(t, out)
		res, warns, err := build(out, cacheDir)
		_, cleanWarns, cerr := build(cleanOut, "")
		if (err == nil) != (cerr == nil) {
			fail("build error %v, clean build error %v", err, cerr)
		}
		if err != nil {
			if err.Error() != cerr.Error() {
				fail("build error:\n%v\nclean build error:\n%v", err, cerr)
			}
			if after := treeOf(t, out); !maps2Equal(before, after) {
				fail("a failed build changed the output")
			}
			os.RemoveAll(cleanOut)
		} else {
			// the output replaced is kept whole as the previous one,
			// warm or not (unless the build wrote nothing)
			if after := treeOf(t, out); step > 0 && !maps2Equal(before, after) && !maps2Equal(before, treeOf(t, prevOf(out))) {
				fail("the previous output (warm %v) is not the output the build replaced", res.Warm)
			}
			if diffs := compareTrees(treeOf(t, out), treeOf(t, cleanOut)); len(diffs) > 0 {
				fail("cached build (warm %v) differs from a clean build:\n  %s", res.Warm, strings.Join(diffs[:min(10, len(diffs))], "\n  "))
			}
			if !slices.Equal(warns, cleanWarns) {
				fail("warnings differ (warm %v):\ncached %q\nclean  %q", res.Warm, warns, cleanWarns)
			}
			if res.Warm {
				warm++
			}
			if lastBody {
				bodies++
			}
		}
		old := clone(e.files)
		what, _ := e.edit()
		lastBody = strings.HasPrefix(what, "body ")
		log = append(log, what)
		writeFiles(t, dir, e.files, old)
	}
	t.Logf("seed %d: %d steps, %d after a body edit, %d warm", seed, steps, bodies, warm)
	if bodies > 2 && warm == 0 {
		t.Fatalf("seed %d: no build of %d after a body edit was warm", seed, bodies)
	}
}

// TestWarmBuildDistrustsTheOutput checks that a warm build is made only
// into the output its record describes: after another build wrote the
// folder (without the cache, or with another cache), at a clock that
// stands still so that the generation is the same, after the folder was
// removed, or with the record damaged, the next cached build is a full
// one, and right.
func TestWarmBuildDistrustsTheOutput(t *testing.T) {
	e := newESite(8)
	dir, out, cacheDir, cleanOut, build := warmSite(t, e.files)
	// edit appends a sentence to the longest page, past its excerpt: an
	// edit the warm path takes.
	long := ""
	for _, f := range e.pages(false) {
		if len(e.files[f]) > len(e.files[long]) {
			long = f
		}
	}
	n := 0
	edit := func() {
		t.Helper()
		old := clone(e.files)
		n++
		e.files[long] += fmt.Sprintf("\nOne more plain sentence, number %d.\n", n)
		writeFiles(t, dir, e.files, old)
	}
	same := func(what string) {
		t.Helper()
		os.RemoveAll(cleanOut)
		build(cleanOut, "")
		if diffs := compareTrees(treeOf(t, out), treeOf(t, cleanOut)); len(diffs) > 0 {
			t.Fatalf("%s: differs from a clean build:\n  %s", what, strings.Join(diffs[:min(10, len(diffs))], "\n  "))
		}
	}
	if res := build(out, cacheDir); res.Warm {
		t.Fatal("the first build was warm")
	}
	edit()
	if res := build(out, cacheDir); !res.Warm {
		t.Fatal("a body edit's build was not warm")
	}
	same("warm")

	for _, c := range []struct {
		what    string
		between func()
	}{
		{"a build without cache wrote the output", func() { build(out, "") }},
		{"a build with another cache wrote the output", func() { build(out, filepath.Join(t.TempDir(), "other")) }},
		{"the output was removed", func() { os.RemoveAll(out) }},
		{"the record is damaged", func() {
			bc := openCache(Options{Cache: cacheDir}, func(error) {})
			k := recordKey(bc, out)
			raw, ok := bc.c.Get(k)
			if !ok {
				t.Fatal("no record")
			}
			bc.c.Put(k, raw[:len(raw)/2])
		}},
	} {
		// the cached build records the output; then something else
		// happens, and the site changes
		build(out, cacheDir)
		c.between()
		edit()
		if res := build(out, cacheDir); res.Warm {
			t.Fatalf("%s: the next build was warm", c.what)
		}
		same(c.what)
	}

	// A warm build records what it published; an output whose manifest
	// was touched since (by hand, or by a build cut short) is not trusted.
	build(out, cacheDir)
	edit()
	if res := build(out, cacheDir); !res.Warm {
		t.Fatal("not warm")
	}
	bc := openCache(Options{Cache: cacheDir}, func(error) {})
	if _, ok := bc.c.Get(recordKey(bc, out)); !ok {
		t.Fatal("a warm build left no record of what it published")
	}
	now := time.Now()
	os.Chtimes(filepath.Join(out, "manifest.json"), now, now.Add(time.Second))
	edit()
	if res := build(out, cacheDir); res.Warm {
		t.Fatal("a build into an output whose manifest changed was warm")
	}
	same("manifest touched")
}

// TestWarmBuildNamedAttachment: a body edit that names an attachment in
// prose, so that a build it was held from for want of a visible user now
// holds it, changes what the builds copy: the warm build must notice
// (the plan takes the names from the new body) and give what a clean
// build gives.
func TestWarmBuildNamedAttachment(t *testing.T) {
	e := newESite(8)
	long := "\n" + strings.Repeat("Plain words of a long page about nothing in particular. ", 40) + "\n"
	e.files["content/warmcase/_index.md"] = "+++\ntitle = \"Warm case\"\n[access]\nallow = [\"anyone\"]\n+++\nThe section.\n"
	e.files["content/warmcase/hidden.md"] = "+++\ntitle = \"Hidden plan\"\n[access]\nallow = [\"group:eng\"]\n+++\nSee [the chart](chart-w.csv)." + long
	e.files["content/warmcase/open.md"] = "+++\ntitle = \"Open notes\"\n+++\nOpen notes." + long
	e.files["content/warmcase/chart-w.csv"] = "a,b\n1,2\n"
	dir, out, cacheDir, cleanOut, build := warmSite(t, e.files)
	build(out, cacheDir)
	anon := filepath.Join(out, "anonymous", "warmcase", "chart-w.csv")
	if _, err := os.Stat(anon); err == nil {
		t.Fatal("the anonymous build holds a file only a hidden page uses")
	}
	old := clone(e.files)
	e.files["content/warmcase/open.md"] += "\nThe numbers are in chart-w.csv, as before.\n"
	writeFiles(t, dir, e.files, old)
	build(out, cacheDir)
	build(cleanOut, "")
	if _, err := os.Stat(filepath.Join(cleanOut, "anonymous", "warmcase", "chart-w.csv")); err != nil {
		t.Fatalf("the case does not test what it means to: %v", err)
	}
	if diffs := compareTrees(treeOf(t, out), treeOf(t, cleanOut)); len(diffs) > 0 {
		t.Fatalf("differs from a clean build:\n  %s", strings.Join(diffs[:min(10, len(diffs))], "\n  "))
	}
}

// warmSite writes files as a site and returns its folder, its output,
// cache and clean output folders, and a build of it (into an output,
// with a cache or none) that fails the test on error.
func warmSite(t *testing.T, files map[string]string) (dir, out, cacheDir, cleanOut string, build func(out, cache string) *Result) {
	dir = t.TempDir()
	out = filepath.Join(dir, "public")
	cacheDir = filepath.Join(t.TempDir(), "cache")
	cleanOut = filepath.Join(t.TempDir(), "clean")
	writeFiles(t, dir, files, nil)
	build = func(out, cache string) *Result {
		t.Helper()
		res, err := New(Options{Site: dir, Out: out, Cache: cache, Now: propNow, Workers: 2}).Build(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	return dir, out, cacheDir, cleanOut, build
}

// longestPage is the longest page of e: a sentence appended to it lies
// past its excerpt, an edit the warm path takes.
func longestPage(e *eSite) string {
	long := ""
	for _, f := range e.pages(false) {
		if len(e.files[f]) > len(e.files[long]) {
			long = f
		}
	}
	return long
}

// TestWarmBuildKeepsTheOutputsMode: the folder a warm build swaps in has
// the mode a full build's has, and so do the files it writes.
func TestWarmBuildKeepsTheOutputsMode(t *testing.T) {
	e := newESite(8)
	dir, out, cacheDir, _, build := warmSite(t, e.files)
	long := longestPage(e)
	build(out, cacheDir)
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	full := st.Mode().Perm()
	page, _ := os.Stat(filepath.Join(out, "members", strings.TrimSuffix(strings.TrimPrefix(long, "content/"), ".md"), "index.html"))
	for n := range 2 { // a new link tree, then the previous output caught up
		old := clone(e.files)
		e.files[long] += fmt.Sprintf("\nOne more plain sentence, %d.\n", n)
		writeFiles(t, dir, e.files, old)
		if !build(out, cacheDir).Warm {
			t.Fatal("not warm")
		}
		if st, _ := os.Stat(out); st.Mode().Perm() != full {
			t.Fatalf("output folder mode %v after a full build, %v after a warm one", full, st.Mode().Perm())
		}
		if page != nil {
			got, err := os.Stat(filepath.Join(out, "members", strings.TrimSuffix(strings.TrimPrefix(long, "content/"), ".md"), "index.html"))
			if err != nil || got.Mode().Perm() != page.Mode().Perm() {
				t.Fatalf("the edited page's file: %v, %v (a full build's: %v)", got, err, page.Mode().Perm())
			}
		}
	}
}

// TestWarmBuildEditWhileBuilding: a page saved again while a warm build
// runs (after the site was loaded) is not published as a body the record
// does not describe: the build is a full one of what it reads, and
// undoing that save gives what a clean build gives.
func TestWarmBuildEditWhileBuilding(t *testing.T) {
	e := newESite(8)
	long := longestPage(e)
	dir := t.TempDir()
	writeFiles(t, dir, e.files, nil)
	out := filepath.Join(dir, "public")
	cleanOut := filepath.Join(t.TempDir(), "clean")
	cacheDir := filepath.Join(t.TempDir(), "cache")
	var during func() // run at the build's first look at the clock, after loading
	now := func() time.Time {
		if f := during; f != nil {
			during = nil
			f()
		}
		return propNow()
	}
	build := func(out, cache string) *Result {
		t.Helper()
		res, err := New(Options{Site: dir, Out: out, Cache: cache, Now: now, Workers: 2}).Build(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	build(out, cacheDir)
	b1 := e.files[long] + "\nOne more plain sentence.\n"
	b2 := b1 + "\nPasted by mistake: zqxjkvb.\n"
	path := filepath.Join(dir, filepath.FromSlash(long))
	if err := os.WriteFile(path, []byte(b1), 0o644); err != nil {
		t.Fatal(err)
	}
	during = func() { os.WriteFile(path, []byte(b2), 0o644) }
	build(out, cacheDir)
	if during != nil {
		t.Fatal("the build never looked at the clock")
	}
	if err := os.WriteFile(path, []byte(b1), 0o644); err != nil {
		t.Fatal(err)
	}
	res := build(out, cacheDir)
	build(cleanOut, "")
	if diffs := compareTrees(treeOf(t, out), treeOf(t, cleanOut)); len(diffs) > 0 {
		t.Fatalf("warm %v: differs from a clean build of the same files:\n  %s", res.Warm, strings.Join(diffs[:min(4, len(diffs))], "\n  "))
	}
}

// TestWarmBuildSwapFails: when the previous output cannot be removed to
// make room, a warm build fails before it touches the output, and the
// next build is right.
func TestWarmBuildSwapFails(t *testing.T) {
	e := newESite(8)
	dir, out, cacheDir, cleanOut, build := warmSite(t, e.files)
	long := longestPage(e)
	build(out, cacheDir)
	old := clone(e.files)
	e.files[long] += "\nOne more plain sentence.\n"
	writeFiles(t, dir, e.files, old)
	before := treeOf(t, out)
	removeAll = func(string) error { return errors.New("cannot remove") }
	_, err := New(Options{Site: dir, Out: out, Cache: cacheDir, Now: propNow, Workers: 2}).Build(context.Background())
	removeAll = os.RemoveAll
	if err == nil || !strings.Contains(err.Error(), "cannot remove") {
		t.Fatalf("build error %v, want the removal's", err)
	}
	if after := treeOf(t, out); !maps2Equal(before, after) {
		t.Fatal("a failed warm build changed the output")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, d := range entries {
		if strings.Contains(d.Name(), "staging") {
			t.Fatalf("a failed warm build left %s", d.Name())
		}
	}
	build(out, cacheDir)
	build(cleanOut, "")
	if diffs := compareTrees(treeOf(t, out), treeOf(t, cleanOut)); len(diffs) > 0 {
		t.Fatalf("differs from a clean build:\n  %s", strings.Join(diffs[:min(4, len(diffs))], "\n  "))
	}
}

// TestWarmBuildDropsStrays: files and folders another program left at
// the output's top level (a gateway's temporary file, a folder) are not
// carried into a warm build's output, by a new link tree or by catching
// up the previous output; and when the output replaced cannot be kept,
// the build still publishes, warns, and leaves no staging folder.
func TestWarmBuildDropsStrays(t *testing.T) {
	e := newESite(8)
	dir, out, cacheDir, cleanOut, build := warmSite(t, e.files)
	long := longestPage(e)
	build(out, cacheDir)
	for n := range 3 {
		for _, p := range []string{".wanted.json.1234", "wanted.json.tmp", "tmp/left.txt"} {
			os.MkdirAll(filepath.Dir(filepath.Join(out, p)), 0o755)
			os.WriteFile(filepath.Join(out, p), []byte("stray"), 0o644)
		}
		old := clone(e.files)
		e.files[long] += fmt.Sprintf("\nOne more plain sentence, %d.\n", n)
		writeFiles(t, dir, e.files, old)
		var warns []string
		if n == 0 {
			// (a new link tree) the previous output comes back before the replaced one is
			// moved there: it cannot be kept
			removeAll = func(p string) error {
				err := os.RemoveAll(p)
				os.MkdirAll(filepath.Join(p, "x"), 0o755)
				return err
			}
		}
		res, err := New(Options{Site: dir, Out: out, Cache: cacheDir, Now: propNow, Workers: 2,
			Warn: func(err error) { warns = append(warns, err.Error()) }}).Build(context.Background())
		removeAll = os.RemoveAll
		if err != nil || !res.Warm {
			t.Fatalf("step %d: %v, warm %v", n, err, res != nil && res.Warm)
		}
		os.RemoveAll(cleanOut)
		build(cleanOut, "")
		if diffs := compareTrees(treeOf(t, out), treeOf(t, cleanOut)); len(diffs) > 0 {
			t.Fatalf("step %d differs from a clean build:\n  %s", n, strings.Join(diffs[:min(4, len(diffs))], "\n  "))
		}
		if n == 0 && !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "keep previous output") }) {
			t.Fatalf("no warning that the previous output was not kept: %q", warns)
		}
		entries, _ := os.ReadDir(filepath.Dir(out))
		for _, d := range entries {
			if strings.Contains(d.Name(), "staging") || strings.HasSuffix(d.Name(), ".old") {
				t.Fatalf("step %d left %s", n, d.Name())
			}
		}
	}
}
