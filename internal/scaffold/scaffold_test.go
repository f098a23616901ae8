package scaffold

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Write refuses a folder that holds anything.
func TestWriteRefusesFullFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("err %v, want ErrNotEmpty", err)
	}
}

// What appears in the folder after the emptiness check (a file, or a
// link to someone's file) is neither overwritten nor written through.
func TestWriteNeverOverwritesWhatAppears(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	outside := filepath.Join(t.TempDir(), "precious.toml")
	if err := os.WriteFile(outside, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	afterCheck = func() {
		os.MkdirAll(filepath.Join(dir, "config"), 0o755)
		os.Symlink(outside, filepath.Join(dir, "config", "site.toml"))
	}
	defer func() { afterCheck = func() {} }()
	_, err := Write(dir)
	if got, _ := os.ReadFile(outside); string(got) != "keep me\n" {
		t.Fatalf("the linked file was overwritten: %q", got)
	}
	if err == nil {
		t.Error("Write reported success over a file it did not write")
	}
}

// Into an empty folder it writes every file of the starter site.
func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	written, err := Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	fs.WalkDir(files, "site", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if len(written) != n || n == 0 {
		t.Errorf("wrote %d files, the starter site has %d", len(written), n)
	}
}
