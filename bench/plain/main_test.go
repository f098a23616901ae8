package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
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
