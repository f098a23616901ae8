package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/sitetest"
)

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, files)
	return dir
}

func TestConvert(t *testing.T) {
	t.Parallel()
	site := writeSite(t, map[string]string{
		"content/_index.md":        "+++\ntitle = \"Home & more\"\n+++\n\n# Welcome\n",
		"content/a/_index.md":      "+++\ntitle = \"Section A\"\n[access]\nallow = [\"group:eng\"]\n+++\nSection body.\n",
		"content/a/b.md":           "+++\ntitle = \"Page B\"\n+++\n\n## Known limits\n\nText[^1] with ~~old~~ `code`.\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```go\nfunc main() {}\n```\n\n[^1]: A note.\n",
		"content/a/c/index.md":     "No frontmatter: ![d](diagram.png)\n",
		"content/a/c/diagram.png":  "\x89PNG fake",
		"content/a/report.pdf":     "%PDF",
		"config/site.toml":         "title = \"ignored\"\n",
		"content/a/windows.md":     "+++\r\ntitle = \"CRLF\"\r\n+++\r\nBody.\r\n",
		"content/a/unquoted.md":    "+++\ntitle = 'Literal'\n+++\nBody.\n",
		"content/a/equals-text.md": "+++\ntitle = \"a = b\"\n+++\n\n+++ is not a fence here\n",
	})
	out := t.TempDir()
	var stdout bytes.Buffer
	if err := run([]string{"-site", site, "-out", out}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), "plain: 7 pages, 2 other files in ") {
		t.Errorf("summary %q", stdout.String())
	}
	want := map[string][]string{
		"index.html":               {"<title>Home &amp; more</title>", `<h1 id="welcome">Welcome</h1>`, "<main>"},
		"a/index.html":             {"<title>Section A</title>", "<p>Section body.</p>", "!allow"},
		"a/b/index.html":           {`<h2 id="known-limits">`, "<del>old</del>", "<table>", `class="chroma"`, `class="kd"`, `class="footnotes"`, "!+++"},
		"a/c/index.html":           {"<title></title>", `<img src="diagram.png" alt="d">`},
		"a/c/diagram.png":          {"\x89PNG fake"},
		"a/report.pdf":             {"%PDF"},
		"a/windows/index.html":     {"<title>CRLF</title>", "<p>Body.</p>", "!title ="},
		"a/unquoted/index.html":    {"<title>Literal</title>"},
		"a/equals-text/index.html": {"<title>a = b</title>", "<p>+++ is not a fence here</p>"},
	}
	for name, checks := range want {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, c := range checks {
			if neg, ok := strings.CutPrefix(c, "!"); ok {
				if strings.Contains(string(b), neg) {
					t.Errorf("%s holds %q:\n%s", name, neg, b)
				}
			} else if !strings.Contains(string(b), c) {
				t.Errorf("%s lacks %q:\n%s", name, c, b)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "site.toml")); err == nil {
		t.Error("config copied into the output")
	}
}

func TestUnclosedFrontmatter(t *testing.T) {
	t.Parallel()
	site := writeSite(t, map[string]string{"content/a/bad.md": "+++\ntitle = \"x\"\n\nbody\n"})
	err := run([]string{"-site", site, "-out", t.TempDir()}, io.Discard, io.Discard)
	if err == nil || err.Error() != "content/a/bad.md:1: frontmatter opened with +++ is never closed" {
		t.Fatalf("err = %v", err)
	}
}

func TestOutPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"_index.md":      "index.html",
		"a/_index.md":    "a/index.html",
		"a/b.md":         "a/b/index.html",
		"a/b/index.md":   "a/b/index.html",
		"a/b/c/d.md":     "a/b/c/d/index.html",
		"index.md":       "index.html",
		"a/index-two.md": "a/index-two/index.html",
	} {
		if got := outPath(in); got != want {
			t.Errorf("outPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Pages converted on several goroutines come out as one sequential loop
// writes them, and an error in any page fails the run.
func TestConvertWorkersSameOutput(t *testing.T) {
	t.Parallel()
	files := map[string]string{"content/_index.md": "+++\ntitle = \"Home\"\n+++\nHome.\n"}
	for i := range 40 {
		files[fmt.Sprintf("content/s%d/p%d.md", i%5, i)] = fmt.Sprintf("+++\ntitle = \"Page %d\"\n+++\n\n## Part %d\n\nText %d.\n\n```go\nvar x = %d\n```\n", i, i, i, i)
	}
	files["content/s1/att.txt"] = "attachment"
	site := writeSite(t, files)
	trees := map[int]map[string]string{}
	for _, w := range []int{1, 4} {
		out := t.TempDir()
		if err := run([]string{"-site", site, "-out", out, "-workers", strconv.Itoa(w)}, io.Discard, io.Discard); err != nil {
			t.Fatalf("-workers %d: %v", w, err)
		}
		tree := map[string]string{}
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(out, p)
				tree[filepath.ToSlash(rel)] = string(b)
			}
			return err
		})
		trees[w] = tree
	}
	if len(trees[1]) != 42 || !maps.Equal(trees[1], trees[4]) {
		t.Errorf("-workers 1 wrote %d files, -workers 4 %d; equal: %v", len(trees[1]), len(trees[4]), maps.Equal(trees[1], trees[4]))
	}
	files["content/s3/bad.md"] = "+++\ntitle = \"x\"\n"
	bad := writeSite(t, files)
	if err := run([]string{"-site", bad, "-out", t.TempDir(), "-workers", "4"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "content/s3/bad.md:1:") {
		t.Errorf("a bad page among 41: err = %v", err)
	}
}
