package content

import (
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/access"
)

func md(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// site is a content folder with every kind of source.
func site() fstest.MapFS {
	return fstest.MapFS{
		"config/site.toml":                   md(""),
		"content/_index.md":                  md("+++\ntitle = \"Home\"\n+++\n# Welcome\n"),
		"content/getting-started.md":         md("Start here.\n"),
		"content/my file.md":                 md("Spaces.\n"),
		"content/a/_index.md":                md("+++\n[access]\nallow = [\"group:eng\"]\n+++\n"),
		"content/a/b.md":                     md("B\n"),
		"content/a/x.pdf":                    md("%PDF"),
		"content/a/c/index.md":               md("+++\ntitle = \"Bundle\"\n+++\nC\n"),
		"content/a/c/x.png":                  md("png!"),
		"content/a/c/sub/y.txt":              md("y"),
		"content/d/e.md":                     md("E\n"),
		"content/d/notes.txt":                md("notes"),
		"content/.hidden.md":                 md("hidden"),
		"content/a/.git/config":              md("x"),
		"content/_draft.md":                  md("ignored"),
		"content/_partials/x.md":             md("ignored"),
		"content/d/_include.md":              md("ignored"),
		"content/a/c/.DS_Store":              md("x"),
		"content/zeta/Deep_folder/_index.md": md("deep"),
	}
}

type pageRow struct {
	Index                                 int
	File, URL, OutPath                    string
	FileTitle, Section                    string
	IsSection, Generated, Standin, Bundle bool
}

func rows(tr *Tree) []pageRow {
	var out []pageRow
	for _, p := range tr.Pages {
		out = append(out, pageRow{p.Index, p.File, p.URL, p.OutPath, p.FileTitle, p.Section.Dir, p.IsSection, p.Generated, p.Standin, p.Bundle})
	}
	return out
}

func TestLoadTree(t *testing.T) {
	t.Parallel()
	tr, err := Load(site())
	if err != nil {
		t.Fatal(err)
	}
	// Every _index.md is followed by the generated page that stands in
	// for it where it is hidden.
	want := []pageRow{
		{0, "content/_index.md", "/", "index.html", "Home", "content", true, false, false, false},
		{1, "content/", "/", "index.html", "Home", "content", true, true, true, false},
		{2, "content/a/_index.md", "/a/", "a/index.html", "A", "content/a", true, false, false, false},
		{3, "content/a/", "/a/", "a/index.html", "A", "content/a", true, true, true, false},
		{4, "content/a/b.md", "/a/b/", "a/b/index.html", "B", "content/a", false, false, false, false},
		{5, "content/a/c/index.md", "/a/c/", "a/c/index.html", "C", "content/a", false, false, false, true},
		{6, "content/d/", "/d/", "d/index.html", "D", "content/d", true, true, false, false},
		{7, "content/d/e.md", "/d/e/", "d/e/index.html", "E", "content/d", false, false, false, false},
		{8, "content/getting-started.md", "/getting-started/", "getting-started/index.html", "Getting started", "content", false, false, false, false},
		{9, "content/my file.md", "/my%20file/", "my file/index.html", "My file", "content", false, false, false, false},
		{10, "content/zeta/", "/zeta/", "zeta/index.html", "Zeta", "content/zeta", true, true, false, false},
		{11, "content/zeta/Deep_folder/_index.md", "/zeta/Deep_folder/", "zeta/Deep_folder/index.html", "Deep folder", "content/zeta/Deep_folder", true, false, false, false},
		{12, "content/zeta/Deep_folder/", "/zeta/Deep_folder/", "zeta/Deep_folder/index.html", "Deep folder", "content/zeta/Deep_folder", true, true, true, false},
	}
	for _, sec := range tr.Sections {
		if (sec.Standin != nil) == sec.Page.Generated || sec.Standin != nil && (!sec.Standin.Standin || sec.Standin.Section != sec) {
			t.Errorf("%s: page %s, stand-in %+v", sec.Dir, sec.Page.File, sec.Standin)
		}
		if sec.Standin != nil && tr.Page(sec.URL) != sec.Page {
			t.Errorf("%s: the URL lookup found %+v, not the _index.md", sec.URL, tr.Page(sec.URL))
		}
	}
	if diff := cmp.Diff(want, rows(tr)); diff != "" {
		t.Fatalf("pages (-want +got):\n%s", diff)
	}

	var secs []string
	for _, s := range tr.Sections {
		parent := ""
		if s.Parent != nil {
			parent = s.Parent.Dir
		}
		secs = append(secs, s.Dir+" "+s.URL+" "+s.Page.File+" <"+parent+">"+string(rune('0'+s.Depth)))
	}
	wantSecs := []string{
		"content / content/_index.md <>0",
		"content/a /a/ content/a/_index.md <content>1",
		"content/d /d/ content/d/ <content>1",
		"content/zeta /zeta/ content/zeta/ <content>1",
		"content/zeta/Deep_folder /zeta/Deep_folder/ content/zeta/Deep_folder/_index.md <content/zeta>2",
	}
	if diff := cmp.Diff(wantSecs, secs); diff != "" {
		t.Fatalf("sections (-want +got):\n%s", diff)
	}
	var rootPages, rootSecs, aPages []string
	for _, p := range tr.Root.Pages {
		rootPages = append(rootPages, p.File)
	}
	for _, s := range tr.Root.Sections {
		rootSecs = append(rootSecs, s.Dir)
	}
	for _, p := range tr.Page("/a/").Section.Pages {
		aPages = append(aPages, p.File)
	}
	if diff := cmp.Diff([]string{"content/getting-started.md", "content/my file.md"}, rootPages); diff != "" {
		t.Errorf("root pages: %s", diff)
	}
	if diff := cmp.Diff([]string{"content/a", "content/d", "content/zeta"}, rootSecs); diff != "" {
		t.Errorf("root sections: %s", diff)
	}
	if diff := cmp.Diff([]string{"content/a/b.md", "content/a/c/index.md"}, aPages); diff != "" {
		t.Errorf("section a pages: %s", diff)
	}

	type attRow struct {
		File, URL, OutPath, Owner string
		Size                      int64
	}
	var atts []attRow
	for _, a := range tr.Attachments {
		atts = append(atts, attRow{a.File, a.URL, a.OutPath, a.Owner.File, a.Size})
		if !containsAtt(a.Owner.Attachments, a) {
			t.Errorf("%s is not in its owner's Attachments", a.File)
		}
	}
	wantAtts := []attRow{
		{"content/a/c/sub/y.txt", "/a/c/sub/y.txt", "a/c/sub/y.txt", "content/a/c/index.md", 1},
		{"content/a/c/x.png", "/a/c/x.png", "a/c/x.png", "content/a/c/index.md", 4},
		{"content/a/x.pdf", "/a/x.pdf", "a/x.pdf", "content/a/_index.md", 4},
		{"content/d/notes.txt", "/d/notes.txt", "d/notes.txt", "content/d/", 5},
	}
	if diff := cmp.Diff(wantAtts, atts); diff != "" {
		t.Fatalf("attachments (-want +got):\n%s", diff)
	}
}

func containsAtt(list []*Attachment, a *Attachment) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

func TestLoadFrontmatter(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"content/_index.md": md("\uFEFF+++\r\ntitle = \"Partner API\"\r\n+++\r\nbody\r\n"),
		"content/p.md": md(`+++
title = "Page"
date = 2024-05-06
weight = 3
draft = true
tags = ["api", " guide ", "api"]
summary = "Short."
[access]
allow = ["group:eng"]
grant = ["user:Carol@Partner.example"]
deny  = ["group:contractors"]
+++

# Heading
`),
		"content/q.md": md("+++\ndate = 2024-05-06T07:08:09+02:00\n+++"),
		"content/r.md": md("no frontmatter\n+++\n"),
	}
	tr, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	home := tr.Page("/")
	if home.Title != "Partner API" || string(home.Body) != "body\r\n" || home.BodyLine != 4 {
		t.Errorf("home = %q %q line %d", home.Title, home.Body, home.BodyLine)
	}
	p := tr.Page("/p/")
	if p.Title != "Page" || !p.Date.Equal(time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)) || p.Weight != 3 || !p.Draft ||
		!cmp.Equal(p.Tags, []string{"api", "guide"}) || p.Summary != "Short." || string(p.Body) != "\n# Heading\n" || p.BodyLine != 13 {
		t.Errorf("page fields: %+v", p)
	}
	wantLevel := &access.Level{File: "content/p.md", Line: 8, Closed: true, Entries: []access.Entry{
		{Principal: access.Principal{Class: access.ClassGroup, Name: "eng"}, Key: "allow", Line: 9},
		{Principal: access.Principal{Class: access.ClassUser, Name: "carol@partner.example"}, Key: "grant", Line: 10},
		{Principal: access.Principal{Class: access.ClassGroup, Name: "contractors"}, Key: "deny", Line: 11},
	}}
	if diff := cmp.Diff(wantLevel, p.Access); diff != "" {
		t.Errorf("access level (-want +got):\n%s", diff)
	}
	q := tr.Page("/q/")
	if !q.Date.Equal(time.Date(2024, 5, 6, 5, 8, 9, 0, time.UTC)) || len(q.Body) != 0 || q.BodyLine != 4 || q.Access != nil {
		t.Errorf("q = %v %q %d", q.Date, q.Body, q.BodyLine)
	}
	r := tr.Page("/r/")
	if string(r.Body) != "no frontmatter\n+++\n" || r.BodyLine != 1 || r.Title != "" {
		t.Errorf("r = %q %d", r.Body, r.BodyLine)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"no content", fstest.MapFS{"config/site.toml": md("")}, "content/: missing folder"},
		{"unterminated", fstest.MapFS{"content/a.md": md("+++\ntitle = \"x\"\n")},
			"content/a.md:1: unterminated frontmatter: no closing +++ line"},
		{"yaml", fstest.MapFS{"content/a.md": md("---\ntitle: x\n---\n")},
			"content/a.md:1: YAML frontmatter (---) is not supported: write TOML between +++ lines"},
		{"bad utf-8", fstest.MapFS{"content/a.md": md("ok\nstill ok\nbad \xff here\n")},
			"content/a.md:3: not valid UTF-8"},
		{"frontmatter problems", fstest.MapFS{"content/a.md": md(`+++
title = 1
author = "x"
weight = "heavy"
date = "yesterday"
tags = ["ok", "", "a/b"]
[access]
allow = ["members", "group:"]
+++
`)}, `content/a.md:2: title must be a string, not an integer
content/a.md:3: unknown key "author"
content/a.md:4: weight must be an integer, not a string
content/a.md:5: date must be a date (2026-12-31) or datetime (2026-12-31T18:00:00Z), not a string
content/a.md:6: invalid tag "" (no empty tags, slashes or control characters)
content/a.md:6: invalid tag "a/b" (no empty tags, slashes or control characters)
content/a.md:8: invalid group name in principal "group:"`},
		{"misspelt keys", fstest.MapFS{"content/a.md": md("+++\ntitel = \"A\"\n[acess]\nallow = [\"anyone\"]\n+++\n")},
			`content/a.md:2: unknown key "titel"; did you mean "title"?
content/a.md:3: unknown key "acess"; did you mean "access"?`},
		{"cascade on a page", fstest.MapFS{"content/a.md": md("+++\ntitle = \"A\"\n[access]\nallow = [\"anyone\"]\ncascade = true\n+++\n")},
			"content/a.md:5: cascade = true is for a section's [access] (in its _index.md): a page passes nothing down"},
		{"cascade in page_access", fstest.MapFS{"content/s/_index.md": md("+++\n[page_access]\nallow = [\"anyone\"]\ncascade = true\n+++\n")},
			"content/s/_index.md:4: [page_access] is this page's alone: it cannot cascade (use [access] for the section)"},
		{"page_access on a page", fstest.MapFS{"content/a.md": md("+++\ntitle = \"A\"\n[page_access]\nallow = [\"anyone\"]\n+++\n")},
			"content/a.md:3: [page_access] is for a section's _index.md (the section page's own rules); a page's [access] is its own already"},
		{"toml syntax", fstest.MapFS{"content/s/_index.md": md("+++\n\n[access\n+++\n")},
			`content/s/_index.md:3: invalid TOML: expected '.' or ']' to end table name, but got '\n' instead`},
		{"page and bundle", fstest.MapFS{"content/a.md": md(""), "content/a/index.md": md("")},
			"content/a.md: URL /a/ is also the URL of content/a/index.md"},
		{"page and section", fstest.MapFS{"content/a.md": md(""), "content/a/_index.md": md("")},
			"content/a.md: URL /a/ is also the URL of content/a/_index.md"},
		{"page and generated section", fstest.MapFS{"content/a.md": md(""), "content/a/b.md": md("")},
			"content/a.md: URL /a/ is also the URL of the section content/a/ (move content/a.md to content/a/_index.md)"},
		{"case collision", fstest.MapFS{"content/Guide.md": md(""), "content/guide.md": md("")},
			"content/guide.md: output guide/index.html collides with Guide/index.html of content/Guide.md (names that differ only in case)"},
		{"attachment over a page", fstest.MapFS{"content/a/_index.md": md(""), "content/a/index.html": md("<p>")},
			"content/a/index.html: output a/index.html is also the output of content/a/_index.md"},
		{"reserved", fstest.MapFS{"content/tags.md": md(""), "content/404.html": md(""), "content/Assets/x.css": md("")},
			"content/404.html: 404.html is reserved for the files facet generates: rename it\n" +
				"content/Assets/: Assets/index.html is reserved for the files facet generates: rename it\n" +
				"content/Assets/x.css: Assets/x.css is reserved for the files facet generates: rename it\n" +
				"content/tags.md: tags/index.html is reserved for the files facet generates: rename it"},
		{"markdown in bundle", fstest.MapFS{"content/a/index.md": md(""), "content/a/b.md": md(""), "content/a/s/c.md": md(""), "content/a/_index.md": md("")},
			"content/a/_index.md: markdown inside a page bundle (content/a/index.md owns this folder): move it out, or make the bundle a section with _index.md\n" +
				"content/a/b.md: markdown inside a page bundle (content/a/index.md owns this folder): move it out, or make the bundle a section with _index.md\n" +
				"content/a/s/c.md: markdown inside a page bundle (content/a/index.md owns this folder): move it out, or make the bundle a section with _index.md"},
		{"root index.md", fstest.MapFS{"content/index.md": md("")},
			"content/index.md: index.md makes a folder a page bundle, but content/ is a section: name the home page content/_index.md"},
		{"control character", fstest.MapFS{"content/a\tb.md": md("")},
			"content/a\tb.md: file name with a control character or backslash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, err := Load(tt.fsys)
			if err == nil {
				t.Fatalf("Load = %v, want error", rows(tr))
			}
			if tr != nil {
				t.Error("Load returned a tree with an error")
			}
			if got := err.Error(); got != tt.want {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// BenchmarkLoad loads a synthetic site of 2,000 pages in 40 sections.
func BenchmarkLoad(b *testing.B) {
	fsys := fstest.MapFS{}
	for i := range 2000 {
		fsys[fmt.Sprintf("content/s%d/p%d.md", i%40, i)] = md("+++\ntitle = \"Page\"\ntags = [\"a\"]\n[access]\nallow = [\"group:eng\"]\n+++\n# Body\n\ntext\n")
	}
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
