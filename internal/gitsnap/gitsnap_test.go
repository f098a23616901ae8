package gitsnap

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repo makes a git repository in a new folder with files (path -> text)
// committed on main, and returns the folder.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, dir, "", "init", "-q", "-b", "main")
	run(t, dir, "", "add", "-A")
	run(t, dir, "", "commit", "-qm", "base")
	return dir
}

// run runs git in dir with stdin and returns its trimmed output.
func run(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=facet test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=facet test", "GIT_COMMITTER_EMAIL=test@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Export copies the files as committed: .gitattributes' export-ignore and
// export-subst (meant for release archives) must not drop a page or change
// its text, or facet diff would report a page as added or moved.
func TestExportIgnoresArchiveAttributes(t *testing.T) {
	body := "+++\ntitle = \"A\"\n+++\nRevision $Format:%H$\n"
	dir := repo(t, map[string]string{
		".gitattributes":      "content/a.md export-ignore\n*.md export-subst\n",
		"content/a.md":        body,
		"content/b/index.md":  body,
		"config/site.toml":    "title = \"x\"\n",
		"content/b/notes.txt": "plain\n",
	})
	dest := t.TempDir()
	if err := Export(context.Background(), dir, "HEAD", dest); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"content/a.md", "content/b/index.md"} {
		got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(name)))
		if err != nil || string(got) != body {
			t.Errorf("%s: %q (%v), want the committed text", name, got, err)
		}
	}
}

// Export of a site in a subfolder copies that folder alone.
func TestExportSubfolder(t *testing.T) {
	dir := repo(t, map[string]string{
		"README.md":             "top\n",
		"docs/content/a.md":     "a\n",
		"docs/config/site.toml": "title = \"x\"\n",
	})
	dest := t.TempDir()
	if err := Export(context.Background(), filepath.Join(dir, "docs"), "HEAD", dest); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dest, "content", "a.md")); err != nil || string(got) != "a\n" {
		t.Errorf("content/a.md: %q (%v)", got, err)
	}
	if _, err := os.Stat(filepath.Join(dest, "README.md")); err == nil {
		t.Error("README.md of the repository's top copied")
	}
}

// A symbolic link that leads out of the copied folder is refused: in the
// temporary copy a relative link would name another place than in the
// repository (a file another user of the machine can plant), an absolute
// one a file of the machine.
func TestExportRefusesLinksOut(t *testing.T) {
	for _, target := range []string{"../../outside.toml", "/etc/hostname"} {
		dir := repo(t, map[string]string{"docs/content/a.md": "a\n"})
		if err := os.Symlink(target, filepath.Join(dir, "docs", "content", "b.md")); err != nil {
			t.Fatal(err)
		}
		run(t, dir, "", "add", "-A")
		run(t, dir, "", "commit", "-qm", "link")
		dest := t.TempDir()
		err := Export(context.Background(), filepath.Join(dir, "docs"), "HEAD", dest)
		if err == nil || !strings.Contains(err.Error(), "content/b.md") {
			t.Errorf("link to %s: err %v, want one naming content/b.md", target, err)
		}
	}
}

// A crafted tree holding a symbolic link and a folder of the same name
// (as a case-insensitive file system sees "A" and "a") must not write a
// file through the link, out of the destination.
func TestExportWritesNothingThroughALink(t *testing.T) {
	dir := repo(t, map[string]string{"keep.md": "k\n"})
	outside := t.TempDir()
	blob := run(t, dir, outside, "hash-object", "-w", "--stdin")
	file := run(t, dir, "pwned\n", "hash-object", "-w", "--stdin")
	sub := run(t, dir, "100644 blob "+file+"\tx.md\n", "mktree")
	tree := run(t, dir, "120000 blob "+blob+"\ta\n040000 tree "+sub+"\ta\n", "mktree", "--missing")
	commit := run(t, dir, "", "commit-tree", tree, "-m", "crafted")
	dest := t.TempDir()
	err := Export(context.Background(), dir, commit, dest)
	if _, serr := os.Stat(filepath.Join(outside, "x.md")); serr == nil {
		t.Fatalf("x.md written outside the destination (err %v)", err)
	}
	if err == nil {
		t.Error("a tree with a link and a folder of one name was copied without error")
	}
}

// Resolve refuses a ref that git would take as an option.
func TestResolveRefusesOptions(t *testing.T) {
	dir := repo(t, map[string]string{"a.md": "a\n"})
	for _, ref := range []string{"--output=x", "-h", "--all"} {
		if _, err := Resolve(context.Background(), dir, ref); err == nil || !strings.Contains(err.Error(), "unknown git ref") {
			t.Errorf("ref %q: err %v", ref, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("--output=x wrote a file")
	}
}
