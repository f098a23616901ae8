package content

import (
	"fmt"
	"testing"
	"testing/fstest"
)

func withURL(u string) *fstest.MapFile {
	return md("+++\ntitle = \"P\"\nurl = " + u + "\n+++\nbody\n")
}

// A page's url key moves the page, and a bundle's files with it; links
// by source path follow, the old URL is gone.
func TestPageURL(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"content/_index.md":               md(""),
		"content/internal/_index.md":      md("+++\n[access]\nallow = [\"group:eng\"]\n+++\n"),
		"content/internal/partner-api.md": withURL(`"/shared/partner-api/"`),
		"content/internal/x.pdf":          md("pdf"),
		"content/internal/bun/index.md":   withURL(`"/pub/Bun"`),
		"content/internal/bun/x.png":      md("png"),
		"content/internal/bun/sub/y.txt":  md("y"),
		"content/sp.md":                   withURL(`"/my docs/p%C3%A9/"`),
	}
	tr, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for u, out := range map[string]string{
		"/shared/partner-api/": "shared/partner-api/index.html", "/pub/Bun/": "pub/Bun/index.html",
		"/my%20docs/p%C3%A9/": "my docs/pé/index.html",
	} {
		p := tr.Page(u)
		if p == nil || p.OutPath != out || p.URL != u {
			t.Errorf("Page(%s) = %+v, want output %s", u, p, out)
		}
	}
	for _, old := range []string{"/internal/partner-api/", "/internal/bun/", "/sp/"} {
		if p := tr.Page(old); p != nil {
			t.Errorf("Page(%s) = %s, want none", old, p.File)
		}
	}
	for u, out := range map[string]string{"/pub/Bun/x.png": "pub/Bun/x.png", "/pub/Bun/sub/y.txt": "pub/Bun/sub/y.txt", "/internal/x.pdf": "internal/x.pdf"} {
		if a := tr.Attachment(u); a == nil || a.OutPath != out {
			t.Errorf("Attachment(%s) = %+v, want output %s", u, a, out)
		}
	}
	if a := tr.Attachment("/internal/bun/x.png"); a != nil {
		t.Errorf("bundle file stayed at its folder's URL: %+v", a)
	}
	home, bun := tr.Page("/"), tr.Page("/pub/Bun/")
	for _, c := range []struct {
		from       *Page
		dest, file string
	}{
		{home, "internal/partner-api.md", "content/internal/partner-api.md"},
		{home, "/internal/partner-api.md#x", "content/internal/partner-api.md"},
		{home, "/shared/partner-api/", "content/internal/partner-api.md"},
		{home, "internal/bun/index.md", "content/internal/bun/index.md"},
		{home, "internal/bun/x.png", "content/internal/bun/x.png"},
		{home, "/pub/Bun/x.png", "content/internal/bun/x.png"},
		{home, "/internal/bun/x.png", "content/internal/bun/x.png"}, // its source path
		{home, "sp.md", "content/sp.md"},
		{bun, "x.png", "content/internal/bun/x.png"},
		{bun, "sub/y.txt", "content/internal/bun/sub/y.txt"},
		{bun, "../x.pdf", "content/internal/x.pdf"},
		{bun, "../partner-api.md", "content/internal/partner-api.md"},
	} {
		tgt, _, found := tr.Resolve(c.from, c.dest)
		got := ""
		if tgt.Page != nil {
			got = tgt.Page.File
		} else if tgt.Attachment != nil {
			got = tgt.Attachment.File
		}
		if !found || got != c.file {
			t.Errorf("Resolve(%s, %q) = %q, want %s", c.from.File, c.dest, got, c.file)
		}
	}
	for _, dead := range []string{"/internal/partner-api/", "internal/bun/", "/internal/bun/"} {
		if _, _, found := tr.Resolve(home, dead); found {
			t.Errorf("Resolve(%q) found the page's old place", dead)
		}
	}
}

func TestPageURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, want string // url as written between TOML literal quotes
	}{
		{"shared/x/", "must start with / (a URL of this site, as /shared/x/)"},
		{"https://example.com/x/", "must start with / (a URL of this site, as /shared/x/)"},
		{"", "must start with / (a URL of this site, as /shared/x/)"},
		{"//example.com/x/", "must be a path of this site (no //host, no empty segments)"},
		{"/a//b/", "must be a path of this site (no //host, no empty segments)"},
		{"/a/../b/", `must not hold "." or ".." segments`},
		{"/a/./b/", `must not hold "." or ".." segments`},
		{"/a/%2e%2e/b/", `must not hold "." or ".." segments`},
		{"/a?x=1", "must not hold ?, # or a backslash"},
		{"/a#top", "must not hold ?, # or a backslash"},
		{`/a\b/`, "must not hold ?, # or a backslash"},
		{"/a%2Fb/", "must not hold an encoded / or a control character"},
		{"/a%00/", "must not hold an encoded / or a control character"},
		{"/a%zz/", "is not a valid URL path"},
		{"/a/_x/", `must not hold segments starting with "." or "_" (facet keeps those for itself)`},
		{"/.well-known/", `must not hold segments starting with "." or "_" (facet keeps those for itself)`},
	}
	for _, tt := range tests {
		_, err := Load(fstest.MapFS{"content/p.md": withURL("'" + tt.url + "'")})
		want := fmt.Sprintf("content/p.md:3: url %q %s", tt.url, tt.want)
		if err == nil || err.Error() != want {
			t.Errorf("url = %s: error %v\nwant %s", tt.url, err, want)
		}
	}
	others := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"not a string", fstest.MapFS{"content/p.md": withURL("3")}, "content/p.md:3: url must be a string, not an integer"},
		{"on a section", fstest.MapFS{"content/s/_index.md": withURL(`"/t/"`)},
			"content/s/_index.md:3: url is for pages: a section's URL is its folder (move the folder instead)"},
		{"collision with a page", fstest.MapFS{"content/a/b.md": md(""), "content/p.md": withURL(`"/a/b/"`)},
			"content/p.md: URL /a/b/ is also the URL of content/a/b.md"},
		{"collision with the home page", fstest.MapFS{"content/p.md": withURL(`"/"`)},
			"content/p.md: URL / is also the URL of the section content/ (move content/p.md to content/_index.md)"},
		{"two urls", fstest.MapFS{"content/p.md": withURL(`"/x/"`), "content/q.md": withURL(`"/X"`)},
			"content/q.md: output X/index.html collides with x/index.html of content/p.md (names that differ only in case)"},
		{"reserved", fstest.MapFS{"content/p.md": withURL(`"/tags/p/"`), "content/q.md": withURL(`"/search-index.js/"`)},
			"content/p.md: tags/p/index.html is reserved for the files facet generates: rename it\n" +
				"content/q.md: search-index.js/index.html is reserved for the files facet generates: rename it"},
		{"bundle file over a page", fstest.MapFS{"content/b/index.md": withURL(`"/e/"`), "content/b/d": md(""), "content/q.md": withURL(`"/e/d/"`)},
			"content/b/d: output e/d is a file, but content/q.md needs a folder of that name (for e/d/index.html): rename one"},
	}
	for _, tt := range others {
		if _, err := Load(tt.fsys); err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v\nwant %s", tt.name, err, tt.want)
		}
	}
}
