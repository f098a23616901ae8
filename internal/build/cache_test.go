package build

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// cacheSite is a generated site (genPropSite) with highlighted code and a
// broken link, built with and without a build cache at a fixed clock, so
// that two builds of the same input give the same bytes.
type cacheSite struct {
	*testSite
	cache string
}

const codePage = "+++\ntitle = \"Code samples\"\n+++\n# Code samples\n\n```go\npackage main\n\nfunc main() {}\n```\n\n" +
	"See [nowhere](missing/page.md) and [the linked page](linked.md).\n\n- item\n\n  ```bash\n  echo hi\n  ```\n\n```yaml\na: 1\n```\n"

func newCacheSite(t *testing.T, seed uint64) *cacheSite {
	t.Helper()
	ps := genPropSite(seed)
	if len(ps.refuse) > 0 {
		return nil
	}
	ps.extra["content/code.md"] = codePage
	ps.extra["content/linked.md"] = "+++\ntitle = \"Linked page\"\n+++\nLinked.\n"
	ts := newTestSite(t, ps.archive())
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	ts.now = func() time.Time { return at }
	return &cacheSite{testSite: ts, cache: filepath.Join(ts.dir, ".facet-cache")}
}

// buildTo builds into out, with the cache or without, and returns the
// output's snapshot, the warnings and the result.
func (s *cacheSite) buildTo(out string, cached bool) (string, []string, *Result) {
	s.t.Helper()
	opts := Options{Site: s.dir, Out: out, Now: s.now, Workers: 2}
	if cached {
		opts.Cache = s.cache
	}
	res, err := New(opts).Build(context.Background())
	if err != nil {
		s.t.Fatalf("build (cache %v): %v", cached, err)
	}
	var warns []string
	for _, w := range res.Warnings {
		warns = append(warns, w.Error())
	}
	return snapshot(s.t, out), warns, res
}

// check builds without the cache and with it, and fails unless both give
// the same bytes and warnings. It returns the cached build's statistics.
func (s *cacheSite) check(what string) *CacheStats {
	s.t.Helper()
	want, wantWarn, _ := s.buildTo(filepath.Join(s.dir, "public-ref"), false)
	got, gotWarn, res := s.buildTo(s.out, true)
	// A warm build publishes a new generation into the output the last
	// one wrote, which at this fixed clock gets a suffix.
	want = generation.ReplaceAllString(want, "")
	got = generation.ReplaceAllString(got, "")
	if got != want {
		s.t.Fatalf("%s: the cached build differs from a build without cache:\n%s", what, firstDiff(want, got))
	}
	if !slices.Equal(gotWarn, wantWarn) {
		s.t.Fatalf("%s: warnings differ:\nwithout cache %q\nwith cache    %q", what, wantWarn, gotWarn)
	}
	if res.Cache == nil {
		s.t.Fatalf("%s: no cache statistics", what)
	}
	return res.Cache
}

// pages lists the site's page files (not section indexes), sorted.
func (s *cacheSite) pages() []string {
	var out []string
	filepath.WalkDir(filepath.Join(s.dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, "_index.md") {
			rel, _ := filepath.Rel(s.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func (s *cacheSite) readFile(name string) string {
	b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

// TestCacheSameOutput builds generated sites cold and warm with a cache,
// and after a body edit, a title edit, a deletion of a page others link
// to (link targets renumbered, verifier index changed) and a rename (the
// same targets at other URLs): every cached
// build equals a build without cache, byte for byte, warnings included.
func TestCacheSameOutput(t *testing.T) {
	done := 0
	for seed := uint64(1); done < 4; seed++ {
		s := newCacheSite(t, seed)
		if s == nil {
			continue
		}
		done++
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s.t = t
			cold := s.check("cold")
			if cold.Written == 0 || cold.Misses == 0 {
				t.Fatalf("cold build: %+v", cold)
			}
			warm := s.check("warm")
			if warm.Hits == 0 || warm.Misses != 0 || warm.Bad != 0 {
				t.Fatalf("warm build of an unchanged site: %+v", warm)
			}
			pages := s.pages()
			first := pages[0]
			s.editFile(first, s.readFile(first)+"\nA new paragraph, [code](/code/) and `inline`.\n\n```go\nvar x = 1\n```\n")
			if st := s.check("body edit"); st.Hits == 0 || st.Misses == 0 {
				t.Fatalf("body edit: %+v", st)
			}
			last := pages[len(pages)-1]
			s.editFile(last, strings.Replace(s.readFile(last), "title = \"", "title = \"Renamed ", 1))
			s.check("title edit")
			s.editFile(pages[len(pages)/2], "")
			s.check("deletion")
			moved := strings.TrimSuffix(pages[1], ".md") + "x.md"
			s.editFile(moved, s.readFile(pages[1])).editFile(pages[1], "")
			s.check("rename")
			s.editFile("content/linked.md", "+++\ntitle = \"Linked page\"\nurl = \"/elsewhere/\"\n+++\nLinked.\n")
			s.check("a linked page's url")
			s.editFile("content/code.md", strings.Replace(codePage, "echo hi", "echo bye", 1))
			s.check("code edit")
		})
	}
}

// corruptions damage every entry of a cache folder in one way.
var corruptions = map[string]func(t *testing.T, entries []string){
	"truncated": func(t *testing.T, entries []string) {
		for _, e := range entries {
			b, _ := os.ReadFile(e)
			os.WriteFile(e, b[:len(b)/2], 0o644)
		}
	},
	"flipped byte": func(t *testing.T, entries []string) {
		for i, e := range entries {
			b, _ := os.ReadFile(e)
			b[(i*7919)%len(b)] ^= 0x01
			os.WriteFile(e, b, 0o644)
		}
	},
	"empty": func(t *testing.T, entries []string) {
		for _, e := range entries {
			os.WriteFile(e, nil, 0o644)
		}
	},
	"entries swapped": func(t *testing.T, entries []string) {
		// every file is a valid entry, under another entry's name
		var data [][]byte
		for _, e := range entries {
			b, _ := os.ReadFile(e)
			data = append(data, b)
		}
		for i, e := range entries {
			os.WriteFile(e, data[(i+1)%len(data)], 0o644)
		}
	},
}

// cacheEntries lists the entry files of a cache folder.
func cacheEntries(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(d.Name()) == 64 {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	if len(out) == 0 {
		t.Fatalf("no entries in %s", dir)
	}
	return out
}

// TestCacheCorruption damages a warm cache in every way and checks that
// the next build equals a build without cache, finds the damage, and
// repairs it for the build after.
func TestCacheCorruption(t *testing.T) {
	for name, damage := range corruptions {
		t.Run(name, func(t *testing.T) {
			s := newCacheSite(t, 3)
			s.check("cold")
			damage(t, cacheEntries(t, s.cache))
			if st := s.check(name); st.Bad == 0 {
				t.Fatalf("%s: no damaged entry found: %+v", name, st)
			}
			if st := s.check("repaired"); st.Bad != 0 || st.Misses != 0 {
				t.Fatalf("after repair: %+v", st)
			}
		})
	}
}

// TestCacheForeignVersion shares a cache folder between two facet
// versions and puts one version's entries under the other's names.
func TestCacheForeignVersion(t *testing.T) {
	s := newCacheSite(t, 3)
	defer func(v func() string) { cacheVersion = v }(cacheVersion)
	cacheVersion = func() string { return "facet A" }
	s.check("version A")
	a := cacheEntries(t, s.cache)
	cacheVersion = func() string { return "facet B" }
	// Every entry version B needs is a miss: none of A's is taken (a hit
	// can only be an entry B wrote itself earlier in the same build, when
	// two pages ask for the same key at once).
	if st := s.check("version B, first"); st.Hits > st.Written || st.Misses < int64(len(a)/2) {
		t.Fatalf("version B read version A's entries: %+v (A wrote %d)", st, len(a))
	}
	var aData [][]byte
	for _, e := range a {
		b, _ := os.ReadFile(e)
		aData = append(aData, b)
	}
	i := 0
	for _, e := range cacheEntries(t, s.cache) {
		if !slices.Contains(a, e) {
			os.WriteFile(e, aData[i%len(aData)], 0o644)
			i++
		}
	}
	if st := s.check("version B, A's entries under B's names"); st.Bad == 0 {
		t.Fatalf("foreign entries not found: %+v", st)
	}
}

// TestCacheUnusable builds with a cache folder that cannot be made: the
// build warns and succeeds, with the same output.
func TestCacheUnusable(t *testing.T) {
	s := newCacheSite(t, 3)
	os.WriteFile(s.cache, []byte("a file, not a folder"), 0o644)
	want, _, _ := s.buildTo(filepath.Join(s.dir, "public-ref"), false)
	got, warns, res := s.buildTo(s.out, true)
	if got != want || res.Cache != nil {
		t.Fatal("a build with an unusable cache differs from a build without")
	}
	if !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "build cache not used") }) {
		t.Fatalf("no warning about the cache: %q", warns)
	}
	if b, _ := os.ReadFile(s.cache); !bytes.Equal(b, []byte("a file, not a folder")) {
		t.Fatal("the file in the cache's place was changed")
	}
}

// TestCacheConcurrentBuilds runs two builds sharing one cache folder at
// once, cold and then after an edit: each equals a build without cache.
func TestCacheConcurrentBuilds(t *testing.T) {
	s := newCacheSite(t, 3)
	for _, step := range []string{"cold", "edited"} {
		if step == "edited" {
			p := s.pages()[0]
			s.editFile(p, s.readFile(p)+"\nEdited while two builds share the cache.\n")
		}
		want, _, _ := s.buildTo(filepath.Join(s.dir, "public-ref"), false)
		got := make([]string, 2)
		errs := make([]error, 2)
		done := make(chan int)
		for i := range got {
			go func() {
				defer func() { done <- i }()
				out := filepath.Join(s.dir, fmt.Sprintf("public-%d", i))
				_, errs[i] = New(Options{Site: s.dir, Out: out, Now: s.now, Cache: s.cache}).Build(context.Background())
			}()
		}
		<-done
		<-done
		for i := range got {
			if errs[i] != nil {
				t.Fatalf("%s: build %d: %v", step, i, errs[i])
			}
			got[i] = snapshot(t, filepath.Join(s.dir, fmt.Sprintf("public-%d", i)))
			if got[i] != want {
				t.Fatalf("%s: build %d differs from a build without cache:\n%s", step, i, firstDiff(want, got[i]))
			}
		}
	}
}

// encodeStrings and decodeStrings round-trip, and anything else does not
// decode.
func TestEncodeStrings(t *testing.T) {
	t.Parallel()
	in := []string{"alpha", "", "ünïcode", strings.Repeat("x", 300)}
	got, ok := decodeStrings(encodeStrings(in))
	if !ok || !slices.Equal(got, in) {
		t.Fatalf("round trip: %q, %v", got, ok)
	}
	b := encodeStrings(in)
	for _, bad := range [][]byte{b[:len(b)-1], append(slices.Clone(b), 5), {0xff}} {
		if _, ok := decodeStrings(bad); ok {
			t.Errorf("%x decoded", bad)
		}
	}
}
