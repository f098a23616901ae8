package build

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/sitetest"
)

// testSite is a site written from a txtar archive into a temporary folder
// and built, in the manner of Hugo's integration test harness.
type testSite struct {
	t   testing.TB
	dir string
	out string
	res *Result
	man *manifest.Manifest
	// now, when set, is the builds' clock.
	now func() time.Time
}

// newTestSite writes the archive's files into a temporary site folder.
func newTestSite(t testing.TB, archive string) *testSite {
	t.Helper()
	dir := sitetest.New(t, archive)
	return &testSite{t: t, dir: dir, out: filepath.Join(dir, "public")}
}

// build builds the site and fails the test on error.
func (s *testSite) build() *testSite {
	s.t.Helper()
	if err := s.tryBuild(); err != nil {
		s.t.Fatalf("build: %v", err)
	}
	return s
}

// tryBuild builds the site and returns its error.
func (s *testSite) tryBuild() error {
	s.t.Helper()
	res, err := New(Options{Site: s.dir, Out: s.out, Now: s.now}).Build(context.Background())
	if err != nil {
		return err
	}
	s.res = res
	m, _, err := manifest.Read(s.out)
	if err != nil {
		s.t.Fatalf("manifest: %v", err)
	}
	s.man = m
	return nil
}

// editFile replaces (or, with empty content, removes) a file of the site.
func (s *testSite) editFile(name, data string) *testSite {
	s.t.Helper()
	p := filepath.Join(s.dir, filepath.FromSlash(name))
	if data == "" {
		if err := os.Remove(p); err != nil {
			s.t.Fatal(err)
		}
		return s
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		s.t.Fatal(err)
	}
	return s
}

// dirOf returns the build folder of an audience id.
func (s *testSite) dirOf(aud string) string {
	s.t.Helper()
	for _, a := range s.man.Audiences {
		if a.ID == aud {
			return filepath.Join(s.out, a.Dir)
		}
	}
	s.t.Fatalf("no audience %q in manifest", aud)
	return ""
}

// read returns a file of an audience's build, or ok=false.
func (s *testSite) read(aud, name string) (string, bool) {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dirOf(aud), filepath.FromSlash(name)))
	if err != nil {
		return "", false
	}
	return string(b), true
}

// assertFile checks that a build's file exists and contains each match;
// a match starting with "! " must not occur.
func (s *testSite) assertFile(aud, name string, matches ...string) {
	s.t.Helper()
	data, ok := s.read(aud, name)
	if !ok {
		s.t.Errorf("%s: %s missing", aud, name)
		return
	}
	for _, m := range matches {
		if neg, ok := strings.CutPrefix(m, "! "); ok {
			if strings.Contains(data, neg) {
				s.t.Errorf("%s: %s contains %q", aud, name, neg)
			}
		} else if !strings.Contains(data, m) {
			s.t.Errorf("%s: %s lacks %q\n%s", aud, name, m, data)
		}
	}
}

// assertNoFile checks that a build has no such file.
func (s *testSite) assertNoFile(aud, name string) {
	s.t.Helper()
	if _, ok := s.read(aud, name); ok {
		s.t.Errorf("%s: %s exists", aud, name)
	}
}

// assertNoTrace checks that no file of an audience's build, and no file
// name in it, contains any of the needles.
func (s *testSite) assertNoTrace(aud string, needles ...string) {
	s.t.Helper()
	root := s.dirOf(aud)
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		for _, nd := range needles {
			if strings.Contains(filepath.ToSlash(rel), strings.Trim(nd, "/")) && strings.Contains(nd, "/") {
				s.t.Errorf("%s: file name %s holds %q", aud, rel, nd)
			}
		}
		if d.IsDir() {
			return nil
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if builtinVendor(filepath.ToSlash(rel), b) {
			return nil // shipped bytes, the same in every build of every site
		}
		for _, nd := range needles {
			if bytes.Contains(b, []byte(nd)) {
				s.t.Errorf("%s: %s holds %q", aud, rel, nd)
			}
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	if n == 0 {
		s.t.Errorf("%s: build has no files", aud)
	}
}

// audienceDirs maps audience ids to build folders.
func (s *testSite) audienceDirs() map[string]string {
	m := map[string]string{}
	for _, a := range s.man.Audiences {
		m[a.ID] = a.Dir
	}
	return m
}

// snapshot returns every file under the output folder with its content, to
// compare outputs before and after a failed build.
func snapshot(t testing.TB, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		b.WriteString(rel + "\n")
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
