package content

import (
	"testing"
	"testing/fstest"

	"github.com/facet-docs/facet/internal/access"
)

func TestRelURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ from, to, want string }{
		{"/a/b/", "/a/c/", "../c/"},
		{"/", "/a/", "a/"},
		{"/a/", "/a/", "./"},
		{"/", "/", "./"},
		{"/a/b/", "/", "../../"},
		{"/a/", "/a/x.pdf", "x.pdf"},
		{"/a/b/", "/a/b/c/d/", "c/d/"},
		{"/a/b/", "/x/y.png", "../../x/y.png"},
		{"/a/", "/ab/", "../ab/"},
		{"/", "/a:b/", "./a:b/"},
		{"/a/", "/a/c:d.pdf", "./c:d.pdf"},
		{"/my%20file/", "/my%20file/x.png", "x.png"},
		{"/a/page.html", "/a/b/", "b/"},
		{"", "/a/", "a/"},
	}
	for _, tt := range tests {
		if got := RelURL(tt.from, tt.to); got != tt.want {
			t.Errorf("RelURL(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestFileTitle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"getting-started.md": "Getting started", "api_v2.MD": "Api v2", "über": "Über",
		"a": "A", "--": "--", "FAQ.md": "FAQ", "Deep_folder": "Deep folder",
	} {
		if got := fileTitle(in); got != want {
			t.Errorf("fileTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	tr, err := Load(site())
	if err != nil {
		t.Fatal(err)
	}
	for u, want := range map[string]string{
		"/": "content/_index.md", "/a/c/": "content/a/c/index.md", "/my%20file/": "content/my file.md",
		"/my file/": "content/my file.md", "/d/": "content/d/", "/nope/": "", "/a/x.pdf": "",
	} {
		got := ""
		if p := tr.Page(u); p != nil {
			got = p.File
		}
		if got != want {
			t.Errorf("Page(%q) = %q, want %q", u, got, want)
		}
	}
	for u, want := range map[string]string{"/a/x.pdf": "content/a/x.pdf", "/a/c/sub/y.txt": "content/a/c/sub/y.txt", "/a/": "", "/a/y.pdf": ""} {
		got := ""
		if a := tr.Attachment(u); a != nil {
			got = a.File
		}
		if got != want {
			t.Errorf("Attachment(%q) = %q, want %q", u, got, want)
		}
	}
}

func TestChain(t *testing.T) {
	t.Parallel()
	level := func(rules string) string {
		if rules == "" {
			return ""
		}
		return "+++\n[access]\n" + rules + "\n+++\n"
	}
	fsys := fstest.MapFS{
		"content/_index.md":        md(level(`grant = ["anyone"]`)),
		"content/a/_index.md":      md(level(`allow = ["group:eng"]`)),
		"content/a/p.md":           md(level(`deny = ["group:contractors"]`)),
		"content/a/q.md":           md(""),
		"content/a/b/c/_index.md":  md(level(`allow = []`)),
		"content/a/b/c/r.md":       md(level(`grant = ["members"]`)),
		"content/a/bun/index.md":   md(level(`allow = ["members"]`)),
		"content/a/bun/x.png":      md(""),
		"content/a/b/c/d/plain.md": md(""),
	}
	tr, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	site := &access.Level{File: "config/site.toml", Line: 1, Closed: true}
	tests := []struct {
		url  string
		site *access.Level
		want []string
	}{
		{"/a/p/", site, []string{"content/a/p.md", "content/a/_index.md", "content/_index.md", "config/site.toml"}},
		{"/a/q/", site, []string{"content/a/_index.md", "content/_index.md", "config/site.toml"}},
		{"/a/q/", nil, []string{"content/a/_index.md", "content/_index.md"}},
		{"/a/", site, []string{"content/a/_index.md", "content/_index.md", "config/site.toml"}},
		{"/", site, []string{"content/_index.md", "config/site.toml"}},
		{"/a/b/", site, []string{"content/a/_index.md", "content/_index.md", "config/site.toml"}},
		{"/a/b/c/", site, []string{"content/a/b/c/_index.md", "content/a/_index.md", "content/_index.md", "config/site.toml"}},
		{"/a/b/c/r/", site, []string{"content/a/b/c/r.md", "content/a/b/c/_index.md", "content/a/_index.md", "content/_index.md", "config/site.toml"}},
		{"/a/b/c/d/plain/", site, []string{"content/a/b/c/_index.md", "content/a/_index.md", "content/_index.md", "config/site.toml"}},
		{"/a/bun/", site, []string{"content/a/bun/index.md", "content/a/_index.md", "content/_index.md", "config/site.toml"}},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range tr.Chain(tr.Page(tt.url), tt.site) {
			got = append(got, l.File)
		}
		if len(got) != len(tt.want) {
			t.Errorf("Chain(%s) = %v, want %v", tt.url, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Chain(%s) = %v, want %v", tt.url, got, tt.want)
				break
			}
		}
	}
	// The chain decides as ACCESS.md says: /a/b/c/r/ is closed at c but
	// granted to members on the page itself.
	member := access.Identity{Kind: access.Member, Email: "m@example.com"}
	if !access.Decide(tr.Chain(tr.Page("/a/b/c/r/"), site), member).Visible {
		t.Error("r must be visible to a member")
	}
	if access.Decide(tr.Chain(tr.Page("/a/b/c/d/plain/"), site), member).Visible {
		t.Error("plain must be hidden under allow = []")
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tr, err := Load(site())
	if err != nil {
		t.Fatal(err)
	}
	from := map[string]*Page{
		"b":    tr.Page("/a/b/"), // content/a/b.md: base content/a
		"bun":  tr.Page("/a/c/"), // content/a/c/index.md: base content/a/c
		"sec":  tr.Page("/a/"),   // content/a/_index.md: base content/a
		"gen":  tr.Page("/d/"),   // generated content/d/: base content/d
		"home": tr.Page("/"),     // content/_index.md: base content
		"e":    tr.Page("/d/e/"), // content/d/e.md: base content/d
	}
	tests := []struct {
		from, dest      string
		internal, found bool
		target, suffix  string // target: page File or attachment File
	}{
		{"b", "https://example.com/x", false, false, "", ""},
		{"b", "mailto:bob@example.com", false, false, "", ""},
		{"b", "//cdn.example/x.js", false, false, "", ""},
		{"b", "#section", false, false, "", ""},
		{"b", "", false, false, "", ""},
		{"b", "?tab=2", true, true, "content/a/b.md", "?tab=2"},
		{"b", "c/index.md", true, true, "content/a/c/index.md", ""},
		{"b", "_index.md#top", true, true, "content/a/_index.md", "#top"},
		{"b", "../a/_index.md", true, true, "content/a/_index.md", ""},
		{"b", "../getting-started.md?x=1#y", true, true, "content/getting-started.md", "?x=1#y"},
		{"b", "x.pdf", true, true, "content/a/x.pdf", ""},
		{"b", "/a/x.pdf#page=2", true, true, "content/a/x.pdf", "#page=2"},
		{"b", "/a/c/", true, true, "content/a/c/index.md", ""},
		{"b", "/a/c", true, true, "content/a/c/index.md", ""},
		{"b", "/a/c/index.html", true, true, "content/a/c/index.md", ""},
		{"b", "../d/", true, true, "content/d/", ""},
		{"b", "/", true, true, "content/_index.md", ""},
		{"b", "../my%20file.md", true, true, "content/my file.md", ""},
		{"b", "/my%20file/", true, true, "content/my file.md", ""},
		{"b", "nope.md", true, false, "", ""},
		{"b", "/a/x.pdf/", true, false, "", ""},
		{"b", "../../../etc/passwd", true, false, "", ""},
		{"b", "/../config/site.toml", true, false, "", ""},
		{"b", "c/x.png", true, true, "content/a/c/x.png", ""},
		{"bun", "x.png", true, true, "content/a/c/x.png", ""},
		{"bun", "sub/y.txt", true, true, "content/a/c/sub/y.txt", ""},
		{"bun", "../b.md", true, true, "content/a/b.md", ""},
		{"sec", "b.md", true, true, "content/a/b.md", ""},
		{"sec", "c/", true, true, "content/a/c/index.md", ""},
		{"gen", "e.md", true, true, "content/d/e.md", ""},
		{"gen", "notes.txt", true, true, "content/d/notes.txt", ""},
		{"e", "notes.txt", true, true, "content/d/notes.txt", ""},
		{"e", "../a/b/", true, true, "content/a/b.md", ""},
		{"home", "a/b.md", true, true, "content/a/b.md", ""},
		{"home", "a/b/", true, true, "content/a/b.md", ""},
		{"home", "zeta/Deep_folder/", true, true, "content/zeta/Deep_folder/_index.md", ""},
	}
	for _, tt := range tests {
		tgt, internal, found := tr.Resolve(from[tt.from], tt.dest)
		got := ""
		switch {
		case tgt.Page != nil && tgt.Attachment != nil:
			t.Errorf("Resolve(%s, %q) gave both a page and an attachment", tt.from, tt.dest)
		case tgt.Page != nil:
			got = tgt.Page.File
		case tgt.Attachment != nil:
			got = tgt.Attachment.File
		}
		if internal != tt.internal || found != tt.found || got != tt.target || tgt.Suffix != tt.suffix {
			t.Errorf("Resolve(%s, %q) = %q %q internal=%v found=%v; want %q %q %v %v",
				tt.from, tt.dest, got, tgt.Suffix, internal, found, tt.target, tt.suffix, tt.internal, tt.found)
		}
	}
}
