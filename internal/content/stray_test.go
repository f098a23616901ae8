package content

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// A file whose frontmatter follows blank lines, whitespace or a BOM keeps
// its rules, and its body lines are counted from the file's first line.
func TestLoadFrontmatterAfterBlankLines(t *testing.T) {
	t.Parallel()
	rules := "+++\ntitle = \"T\"\n[access]\nallow = [\"group:eng\"]\n+++\nbody\n"
	for name, prefix := range map[string]string{
		"blank": "\n", "blanks": "\n\n\n", "spaces": "   \n", "tabs": "\t\n \t\n",
		"crlf": "\r\n", "bom": "\uFEFF", "bom and blank": "\uFEFF\n  \n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tr, err := Load(fstest.MapFS{"content/s/_index.md": md(prefix + rules), "content/s/p.md": md("P\n")})
			if err != nil {
				t.Fatal(err)
			}
			sec := tr.Page("/s/")
			skipped := strings.Count(strings.TrimPrefix(prefix, "\uFEFF"), "\n")
			if sec.Access == nil || sec.Access.Line != skipped+3 || sec.Title != "T" {
				t.Fatalf("section level = %+v, title %q; want the [access] at line %d", sec.Access, sec.Title, skipped+3)
			}
			if string(sec.Body) != "body\n" || sec.BodyLine != skipped+6 {
				t.Errorf("body %q at line %d, want line %d", sec.Body, sec.BodyLine, skipped+6)
			}
		})
	}
}

// Anything that only frontmatter would hold, found in a page's body outside
// code, is an error at its line: such rules would otherwise be ignored.
func TestStrayFrontmatter(t *testing.T) {
	t.Parallel()
	front := "+++\ntitle = \"A\"\n+++\n" // body starts at line 4
	tests := []struct {
		name, src string
		line      int // 0: no error
	}{
		{"text then fenced toml", "# Title\n\n+++\n[access]\nallow = [\"members\"]\n+++\n", 3},
		{"second fence block", front + "Text.\n\n+++\n[access]\nallow = []\n+++\n", 6},
		{"lone fence is text", front + "one\n+++\n", 0},
		{"fence pair", front + "one\n+++\n\ntwo\n+++\n", 5},
		{"fence pair around code", "x\n+++\n\n```\n+++\n```\n\n+++\n", 2},
		{"fence and a fence in code", "x\n+++\n\n```\n+++\n```\n", 0},
		{"indented fences", "Intro.\n\n  +++  \n a = 1\n   +++\n", 3},
		{"access in text", front + "Some words\n[access]\nallow = [\"members\"]\n", 5},
		{"access with spaces", "[ access ]\n", 1},
		{"access sub-table", "Para.\n\n[access.x]\n", 3},
		{"access array", "[[access]]\n", 1},
		{"quoted access", "[\"access\"]\n", 1},
		{"access with comment", "[access] # rules\n", 1},
		{"page_access in text", front + "Words\n[page_access]\nallow = [\"anyone\"]\n", 5},
		{"page_access key", "page_access.allow = [\"anyone\"]\n", 1},
		{"dotted key", front + "access.allow = [\"members\"]\n", 4},
		{"yaml mapping", "Text\n\naccess:\n  allow: [members]\n", 3},
		{"yaml after blank lines", "\n\n---\ntitle: x\n---\n", 3},
		{"crlf", front + "x\r\n[access]\r\n", 5},
		{"lazy continuation is text", "Para\n    [access]\n", 2},
		{"in a list item's text", "- item\n\n  [access]\n", 3},
		{"after a closed fence", "```\ncode\n```\n[access]\n", 4},
		{"fenced toml", front + "Rules look like this:\n\n```toml\n+++\n[access]\nallow = [\"x\"]\n+++\n```\n", 0},
		{"tilde fence", "~~~\n+++\n[access]\n~~~\n", 0},
		{"long fence", "````md\n```\n[access]\n```\n````\n", 0},
		{"unclosed fence", "```\n[access]\n", 0},
		{"indented code", "Example:\n\n    +++\n    [access]\n    allow = []\n    +++\n", 0},
		{"tab-indented code", "Example:\n\n\t[access]\n", 0},
		{"fence in list", "- step\n\n  ```toml\n  [access]\n  ```\n", 0},
		{"fence in quote", "> ```\n> [access]\n> ```\n", 0},
		{"html block", "<pre>\n[access]\n</pre>\n", 0},
		{"link label", "See [access][] and\n[access]: /rules/\n", 0},
		{"words", "The [access] table, and access: rules, and a+++b.\n", 0},
		{"diff header", "+++ b/file.go\n", 0},
		{"thematic break", "a\n\n***\n\n---\n\nb\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, err := Load(fstest.MapFS{"content/a.md": md(tt.src)})
			switch {
			case tt.line == 0 && err != nil:
				t.Fatalf("Load = %v, want no error", err)
			case tt.line == 0:
				if tr.Page("/a/") == nil {
					t.Fatal("page missing")
				}
			case err == nil:
				t.Fatalf("Load accepted a stray rule at line %d", tt.line)
			default:
				prefix := "content/a.md:" + strconv.Itoa(tt.line) + ": "
				if !strings.HasPrefix(err.Error(), prefix) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %q, want one error starting %q", err, prefix)
				}
			}
		})
	}
}
