package sitetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSharedSiteWritten(t *testing.T) {
	dir := Shared(t, "members-open-eng")
	b, err := os.ReadFile(filepath.Join(dir, "content", "open.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "first version") {
		t.Errorf("content/open.md = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "access.toml")); err != nil {
		t.Error(err)
	}
}

func TestFilesInOrder(t *testing.T) {
	got := Files("-- b.md --\nB\n-- a.md --\nA\n")
	if len(got) != 2 || got[0] != [2]string{"b.md", "B\n"} || got[1] != [2]string{"a.md", "A\n"} {
		t.Errorf("Files = %q", got)
	}
}

// A name that leaves the site fails the test instead of writing outside.
func TestWriteRefusesNamesOutside(t *testing.T) {
	for _, name := range []string{"../escape.md", "/abs.md", "a/../../b.md", `a\b.md`} {
		ft := &fatalT{TB: t}
		func() {
			defer func() { _ = recover() }()
			WriteFile(ft, t.TempDir(), name, "x")
		}()
		if !ft.failed {
			t.Errorf("WriteFile(%q) did not fail", name)
		}
	}
}

// fatalT records Fatalf and stops the call, as testing.T does.
type fatalT struct {
	testing.TB
	failed bool
}

func (f *fatalT) Helper() {}
func (f *fatalT) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}

func TestReadTreeReadsWhatWriteWrote(t *testing.T) {
	dir := New(t, "-- a.md --\nA\n-- b/c.txt --\nC\n")
	got := ReadTree(t, dir)
	if len(got) != 2 || string(got["a.md"]) != "A\n" || string(got["b/c.txt"]) != "C\n" {
		t.Errorf("ReadTree = %q", got)
	}
}
