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

// linkErr is the error of a symbolic link under content/.
func linkErr(file, target string) string {
	return file + ": symlink to " + target + ": facet follows no links under content/ " +
		"(a link would publish its target under the link's rules): copy the file or move the folder instead"
}

// Every symbolic link under content/ is an error naming the link, whatever
// it names: a page, a folder, an attachment, a path inside or outside
// content/, nothing, or itself.
func TestSymlinksRefused(t *testing.T) {
	t.Parallel()
	dir := tempSite(t, map[string]string{
		"secret.md":                    "secret",
		"site/config/site.toml":        "",
		"site/content/a/_index.md":     "+++\n[access]\nallow = [\"group:eng\"]\n+++\n",
		"site/content/a/b.md":          "B\n",
		"site/content/a/q/y/z.md":      "Z\n",
		"site/content/shared/logo.png": "12345678",
	}, map[string]string{
		"site/content/inside.md":   "a/b.md",
		"site/content/docs":        "a",
		"site/content/deep":        "a/q/y",
		"site/content/trick.md":    "deep/../../x.md",
		"site/content/a/logo.png":  "../shared/logo.png",
		"site/content/leak.md":     "../../secret.md",
		"site/content/conf.png":    "../config/site.toml",
		"site/content/abs.md":      "/etc/hostname",
		"site/content/broken.md":   "nothing.md",
		"site/content/a/loop":      "..",
		"site/content/self":        "self",
		"site/content/b/index.md":  "../a/b.md",
		"site/content/a/_x/in.md":  "../b.md", // ignored folder: never read
		"site/content/.hidden.png": "shared/logo.png",
	})
	_, err := Load(os.DirFS(dir))
	if err == nil {
		t.Fatal("Load accepted symlinks under content/")
	}
	want := strings.Join([]string{
		linkErr("content/a/logo.png", "../shared/logo.png"),
		linkErr("content/a/loop", ".."),
		linkErr("content/abs.md", "/etc/hostname"),
		linkErr("content/b/index.md", "../a/b.md"),
		linkErr("content/broken.md", "nothing.md"),
		linkErr("content/conf.png", "../config/site.toml"),
		linkErr("content/deep", "a/q/y"),
		linkErr("content/docs", "a"),
		linkErr("content/inside.md", "a/b.md"),
		linkErr("content/leak.md", "../../secret.md"),
		linkErr("content/self", "self"),
		linkErr("content/trick.md", "deep/../../x.md"),
	}, "\n")
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Fatalf("errors (-want +got):\n%s", diff)
	}
}

// content/ itself may be a link (the root the rule protects); a link
// inside it may not.
func TestContentFolderMayBeALink(t *testing.T) {
	t.Parallel()
	dir := tempSite(t, map[string]string{"docs/_index.md": "home\n", "docs/p.md": "P\n"},
		map[string]string{"site/content": "../docs"})
	tr, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if p := tr.Page("/p/"); p == nil || string(p.Body) != "P\n" {
		t.Fatalf("Page(/p/) = %+v", p)
	}
	if err := os.Symlink("p.md", filepath.Join(dir, "..", "docs", "q.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(os.DirFS(dir)); err == nil || err.Error() != linkErr("content/q.md", "p.md") {
		t.Fatalf("err = %v", err)
	}
}

func TestSymlinksInMapFS(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"content/a.md":     md("A"),
		"content/b.md":     {Data: []byte("a.md"), Mode: os.ModeSymlink},
		"content/s/c.png":  {Data: []byte("../x.png"), Mode: os.ModeSymlink},
		"content/x.png":    md("png"),
		"content/outside":  {Data: []byte("../outside.md"), Mode: os.ModeSymlink},
		"outside.md":       md("secret"),
		"content/s/_index": md(""),
	}
	_, err := Load(fsys)
	want := linkErr("content/b.md", "a.md") + "\n" + linkErr("content/outside", "../outside.md") + "\n" + linkErr("content/s/c.png", "../x.png")
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	delete(fsys, "content/b.md")
	delete(fsys, "content/s/c.png")
	delete(fsys, "content/outside")
	if _, err := Load(fsys); err != nil {
		t.Fatal(err)
	}
}
