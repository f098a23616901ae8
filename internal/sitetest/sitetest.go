// Package sitetest writes facet sites for tests: from txtar archives
// written inline in a test, or from the shared sites under its testdata
// folder, in the manner of Hugo's integration-test harness. Only tests
// import it (the layers test holds every other package to that).
package sitetest

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

//go:embed testdata/*.txtar
var shared embed.FS

// Archive returns the shared site called name (testdata/NAME.txtar) as
// txtar text, so that a test can add or replace files before writing it.
func Archive(t testing.TB, name string) string {
	t.Helper()
	b, err := shared.ReadFile("testdata/" + name + ".txtar")
	if err != nil {
		t.Fatalf("sitetest: no shared site %q: %v", name, err)
	}
	return string(b)
}

// Shared writes the shared site called name into a new temporary folder
// and returns the folder.
func Shared(t testing.TB, name string) string {
	t.Helper()
	return New(t, Archive(t, name))
}

// New writes a txtar archive's files into a new temporary folder and
// returns the folder.
func New(t testing.TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	Write(t, dir, archive)
	return dir
}

// Write writes a txtar archive's files under dir, making folders as
// needed. A name that is absolute or leaves dir fails the test.
func Write(t testing.TB, dir, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		WriteFile(t, dir, f.Name, string(f.Data))
	}
}

// WriteFiles writes files (slash-separated name to content) under dir, in
// name order.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		WriteFile(t, dir, name, files[name])
	}
}

// WriteFile writes one file, named with slashes relative to dir, making
// its folders. A name that is absolute or leaves dir fails the test.
func WriteFile(t testing.TB, dir, name, data string) {
	t.Helper()
	if !filepath.IsLocal(filepath.FromSlash(name)) || strings.Contains(name, "\\") {
		t.Fatalf("sitetest: %q is not a name inside the site", name)
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ReadTree returns every regular file under dir, by slash path relative
// to dir.
func ReadTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Files parses a txtar archive into its files' names and contents, in
// archive order.
func Files(archive string) [][2]string {
	var out [][2]string
	for _, f := range txtar.Parse([]byte(archive)).Files {
		out = append(out, [2]string{f.Name, string(f.Data)})
	}
	return out
}
