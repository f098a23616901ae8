package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// Every common markdown extension, in any case, is a page: its
// frontmatter is read, never published raw as an attachment.
func TestMarkdownExtensions(t *testing.T) {
	t.Parallel()
	rules := "+++\n[access]\nallow = [\"group:eng\"]\n+++\nbody\n"
	fsys := fstest.MapFS{
		"content/s/_index.markdown": md(rules),
		"content/s/a.MARKDOWN":      md(rules),
		"content/b.mdown":           md(rules),
		"content/c.mkd":             md(rules),
		"content/d.mkdn":            md(rules),
		"content/e.mdwn":            md(rules),
		"content/f.mdtxt":           md(rules),
		"content/g.mdtext":          md(rules),
		"content/h.Md":              md(rules),
		"content/bun/index.mkd":     md(rules),
		"content/bun/x.png":         md("png"),
		"content/t/_INDEX.md":       md(rules),
		"content/_ignored.markdown": md("ignored"),
	}
	tr, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range tr.Pages {
		if p.Access == nil && !p.Generated && p.File != "content/" {
			t.Errorf("%s lost its [access]", p.File)
		}
		got = append(got, p.File+" "+p.URL+" "+p.FileTitle)
	}
	want := []string{
		"content/ / Home",
		"content/b.mdown /b/ B",
		"content/bun/index.mkd /bun/ Bun",
		"content/c.mkd /c/ C",
		"content/d.mkdn /d/ D",
		"content/e.mdwn /e/ E",
		"content/f.mdtxt /f/ F",
		"content/g.mdtext /g/ G",
		"content/h.Md /h/ H",
		"content/s/_index.markdown /s/ S",
		"content/s/ /s/ S",
		"content/s/a.MARKDOWN /s/a/ A",
		"content/t/_INDEX.md /t/ T",
		"content/t/ /t/ T",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("pages (-want +got):\n%s", diff)
	}
	if len(tr.Attachments) != 1 || tr.Attachments[0].File != "content/bun/x.png" {
		t.Errorf("attachments = %v", tr.Attachments)
	}
	home := tr.Page("/")
	for dest, file := range map[string]string{"s/a.MARKDOWN": "content/s/a.MARKDOWN", "b.mdown": "content/b.mdown", "s/_index.markdown": "content/s/_index.markdown", "bun/index.mkd": "content/bun/index.mkd"} {
		if tgt, _, found := tr.Resolve(home, dest); !found || tgt.Page == nil || tgt.Page.File != file {
			t.Errorf("Resolve(%q) = %+v, %v", dest, tgt, found)
		}
	}
}

func TestMarkdownExtensionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"two pages one URL", fstest.MapFS{"content/a.md": md(""), "content/a.markdown": md("")},
			"content/a.md: URL /a/ is also the URL of content/a.markdown"},
		{"two section indexes", fstest.MapFS{"content/s/_index.md": md(""), "content/s/_index.markdown": md("")},
			"content/s/_index.md: a second index file beside content/s/_index.markdown: keep one"},
		{"two bundle indexes", fstest.MapFS{"content/b/index.md": md(""), "content/b/index.mkd": md("")},
			"content/b/index.mkd: a second index file beside content/b/index.md: keep one"},
		{"frontmatter in a .text file", fstest.MapFS{"content/notes.text": md("+++\n[access]\nallow = []\n+++\nsecret\n")},
			"content/notes.text:1: starts with +++ frontmatter, but .text files are not pages and would be published as they are: rename it to .md"},
		{"frontmatter after blank lines in a .txt file", fstest.MapFS{"content/s/x.txt": md("\uFEFF\n\n+++ \r\ntitle = \"x\"\r\n+++\r\n")},
			"content/s/x.txt:3: starts with +++ frontmatter, but .txt files are not pages and would be published as they are: rename it to .md"},
		{"frontmatter after many blank lines", fstest.MapFS{"content/d.txt": md(strings.Repeat("\n", 5000) + "+++\n+++\n")},
			"content/d.txt:5001: starts with +++ frontmatter, but .txt files are not pages and would be published as they are: rename it to .md"},
		{"frontmatter in a file without extension", fstest.MapFS{"content/README": md("+++\n+++\n")},
			"content/README:1: starts with +++ frontmatter, but files without an extension are not pages and would be published as they are: rename it to .md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(tt.fsys)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
	// Text files that merely mention +++ are attachments as ever.
	tr, err := Load(fstest.MapFS{
		"content/a.patch": md("--- a/x\n+++ b/x\n"), "content/b.txt": md("text\n+++\n"),
		"content/c.bin": md("\x00\x01+++\n"),
	})
	if err != nil || len(tr.Attachments) != 3 {
		t.Fatalf("Load = %v, %v", tr, err)
	}
}
