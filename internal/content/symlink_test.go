package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// tempSite writes files (path -> content) and symlinks (path -> target)
// under a temporary folder and returns the site folder.
func tempSite(t *testing.T, files, links map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(target), p); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	return filepath.Join(root, "site")
}

func TestSymlinksInsideAreFollowed(t *testing.T) {
	t.Parallel()
	dir := tempSite(t, map[string]string{
		"site/content/a/b.md":          "B\n",
		"site/content/a/q/y/z.md":      "Z\n",
		"site/content/a/x.md":          "X\n",
		"site/content/shared/logo.png": "12345678",
	}, map[string]string{
		"site/content/inside.md":  "a/b.md",
		"site/content/docs":       "a",
		"site/content/deep":       "a/q/y",
		"site/content/trick.md":   "deep/../../x.md", // real path content/a/x.md, though it reads as ../x.md
		"site/content/a/logo.png": "../shared/logo.png",
	})
	tr, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for u, body := range map[string]string{"/inside/": "B\n", "/docs/b/": "B\n", "/docs/q/y/z/": "Z\n", "/deep/z/": "Z\n", "/trick/": "X\n"} {
		p := tr.Page(u)
		if p == nil || string(p.Body) != body {
			t.Errorf("Page(%s) = %+v, want body %q", u, p, body)
		}
	}
	a := tr.Attachment("/a/logo.png")
	if a == nil || a.Size != 8 || a.Owner != tr.Page("/a/") {
		t.Errorf("linked attachment = %+v", a)
	}
	if tr.Attachment("/docs/logo.png") == nil {
		t.Error("attachment under a linked folder is missing")
	}
}

func TestContentFolderMayBeALink(t *testing.T) {
	t.Parallel()
	dir := tempSite(t, map[string]string{"docs/_index.md": "home\n", "docs/p.md": "P\n"},
		map[string]string{"site/content": "../docs", "docs/q.md": "p.md"})
	tr, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"/p/", "/q/"} {
		if p := tr.Page(u); p == nil || string(p.Body) != "P\n" {
			t.Fatalf("Page(%s) = %+v", u, p)
		}
	}
}

func TestSymlinkErrors(t *testing.T) {
	t.Parallel()
	dir := tempSite(t, map[string]string{
		"secret.md":             "secret",
		"site/config/site.toml": "",
		"site/content/a/b.md":   "B",
	}, map[string]string{
		"site/content/leak.md":   "../../secret.md",
		"site/content/conf.png":  "../config/site.toml",
		"site/content/abs.md":    "/etc/hostname",
		"site/content/broken.md": "nothing.md",
		"site/content/a/loop":    "..",
		"site/content/self":      "self",
		"site/content/a/escape":  "../../..",
		"site/content/a/via.md":  "../a/escape/secret.md",
		"site/content/back.md":   "../content/a/b.md",
	})
	_, err := Load(os.DirFS(dir))
	want := strings.Join([]string{
		"content/a/escape: symlink leaves content/",
		"content/a/loop: symlink loop",
		"content/a/via.md: symlink leaves content/",
		"content/abs.md: symlink leaves content/",
		"content/back.md: symlink leaves content/",
		"content/broken.md: broken symlink",
		"content/conf.png: symlink leaves content/",
		"content/leak.md: symlink leaves content/",
		"content/self: symlink loop",
	}, "\n")
	if err == nil {
		t.Fatal("Load accepted links that leave content/")
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Fatalf("errors (-want +got):\n%s", diff)
	}
}

func TestSymlinksInMapFS(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"content/a.md": md("A"),
		"content/b.md": {Data: []byte("a.md"), Mode: os.ModeSymlink},
		"content/c.md": {Data: []byte("../outside.md"), Mode: os.ModeSymlink},
		"outside.md":   md("secret"),
	}
	_, err := Load(fsys)
	if err == nil || err.Error() != "content/c.md: symlink leaves content/" {
		t.Fatalf("err = %v", err)
	}
	delete(fsys, "content/c.md")
	tr, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if p := tr.Page("/b/"); p == nil || string(p.Body) != "A" {
		t.Fatalf("Page(/b/) = %+v", p)
	}
}
