package place

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWithin(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	site := filepath.Join(root, "site")
	content := filepath.Join(site, "content")
	if err := os.MkdirAll(filepath.Join(content, "eng"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(content, filepath.Join(root, "notes")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	for _, tt := range []struct {
		path, want string
	}{
		{filepath.Join(content, "eng", "cache"), content},
		{content, content},
		{filepath.Join(site, "x", "..", "content", "new", "deeper"), content},
		{filepath.Join(root, "notes", "cache"), content},
		{filepath.Join(root, "notes"), content},
		{filepath.Join(site, "contents"), ""},
		{filepath.Join(site, ".facet-cache"), ""},
		{filepath.Join(root, "elsewhere", "ledger.jsonl"), ""},
		{"", ""},
	} {
		if got := Within(tt.path, "", content); got != tt.want {
			t.Errorf("Within(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestWithinRelative(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("content", 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Within("content/a/b", filepath.Join(dir, "content")); got == "" {
		t.Errorf("a relative path inside is not found inside the absolute folder")
	}
	if got := Within(filepath.Join(dir, "content", "a"), "./content"); got != "./content" {
		t.Errorf("an absolute path inside ./content: got %q", got)
	}
}
