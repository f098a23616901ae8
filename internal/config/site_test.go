package config

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/access"
)

func siteFS(text string) fstest.MapFS {
	return fstest.MapFS{
		"config/site.toml":  {Data: []byte(text)},
		"content/_index.md": {Data: []byte("# Home\n")},
	}
}

func TestLoadSiteFull(t *testing.T) {
	t.Parallel()
	s, err := LoadSite(siteFS("\uFEFF" + `title = "Handbook"
description = "Internal docs"
base_url = "https://docs.example.com"
hosts = ["docs.internal", "mirror.example.org:8443"]
language = "pt-BR"
theme = "corporate"
[markdown]
unsafe = true
highlight = false
highlight_style = "monokai"
[build]
verify = false
[access]
allow = [
  "members",
]
deny = ["user:Bob@Example.com"]
grant = ["group:eng"]
`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Site{
		Title: "Handbook", Description: "Internal docs", BaseURL: "https://docs.example.com/",
		Hosts:    []string{"docs.internal", "mirror.example.org:8443"},
		Language: "pt-BR", Theme: "corporate",
		Markdown: Markdown{Unsafe: true, Highlight: false, HighlightStyle: "monokai"},
		Build:    BuildOptions{Verify: false, WhoCanSee: true},
		Layout:   Layout{EditPath: "edit/main/{path}", LastUpdated: true, Backlinks: true},
		Access: &access.Level{File: "config/site.toml", Line: 13, Closed: true, Entries: []access.Entry{
			{Principal: access.Principal{Class: access.ClassMembers}, Key: "allow", Line: 15},
			{Principal: access.Principal{Class: access.ClassUser, Name: "bob@example.com"}, Key: "deny", Line: 17},
			{Principal: access.Principal{Class: access.ClassGroup, Name: "eng"}, Key: "grant", Line: 18},
		}},
		File: "config/site.toml",
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Fatalf("LoadSite (-want +got):\n%s", diff)
	}
}

func TestLoadSiteDefaults(t *testing.T) {
	t.Parallel()
	want := DefaultSite()
	want.File = "config/site.toml"
	s, err := LoadSite(siteFS("# nothing set\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Fatalf("empty site.toml (-want +got):\n%s", diff)
	}
	if s.Title != "facet" || s.Language != "en" || s.Theme != "default" || !s.Markdown.Highlight ||
		s.Markdown.HighlightStyle != "github" || !s.Build.Verify || s.Markdown.Unsafe || s.Access != nil {
		t.Fatalf("defaults differ from the documented ones: %+v", s)
	}

	s, err = LoadSite(fstest.MapFS{"content/a.md": {Data: []byte("x")}})
	if err != nil {
		t.Fatalf("missing site.toml with content/: %v", err)
	}
	if diff := cmp.Diff(DefaultSite(), s); diff != "" {
		t.Fatalf("missing site.toml (-want +got):\n%s", diff)
	}
}

func TestLoadSiteAllowEmptyIsClosed(t *testing.T) {
	t.Parallel()
	s, err := LoadSite(siteFS("[access]\nallow = []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Access == nil || !s.Access.Closed || len(s.Access.Entries) != 0 || s.Access.Line != 1 {
		t.Fatalf("allow = [] must give a closed empty level, got %+v", s.Access)
	}
	s, err = LoadSite(siteFS("[access]\ngrant = [\"anyone\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Access == nil || s.Access.Closed {
		t.Fatalf("grant alone must give an open level, got %+v", s.Access)
	}
}

func TestLoadSiteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"not a site", fstest.MapFS{"README.md": {Data: []byte("x")}},
			"config/site.toml: missing, and there is no content/ folder either: not a facet site"},
		{"cascade on the site default", siteFS("[access]\nallow = [\"members\"]\ncascade = true\n"),
			"config/site.toml:3: the site default applies to every page already; cascade is for a section's [access]"},
		{"syntax", siteFS("title = \"a\"\n\ntitle = = 3\n"),
			"config/site.toml:3: invalid TOML: expected value but found '=' instead"},
		{"every problem", siteFS(`titel = "x"
title = 3
base_url = "docs.example.com"
language = "english!"
theme = "../evil"
[markdown]
unsafe = "yes"
highlight_style = "a b"
html = true
[build]
verify = 1
[acces]
allow = ["members"]
`), `config/site.toml:1: unknown key "titel"; did you mean "title"?
config/site.toml:2: title must be a string, not an integer
config/site.toml:3: base_url "docs.example.com" must be an absolute http or https URL without query or fragment
config/site.toml:4: language "english!" is not a language tag such as en or pt-BR
config/site.toml:5: theme "../evil" must be a folder name under themes/
config/site.toml:7: markdown.unsafe must be true or false, not a string
config/site.toml:8: highlight_style "a b" is not a style name
config/site.toml:9: unknown key "markdown.html"
config/site.toml:11: build.verify must be true or false, not an integer
config/site.toml:12: unknown key "acces"; did you mean "access"?`},
		{"access problems", siteFS(`[access]
allow = ["members",
  "everyone",
  "user:nobody",
  3]
deny = "anyone"
grnat = ["group:eng"]
`), `config/site.toml:3: unknown principal "everyone" (want anyone, members, guests, group:NAME or user:EMAIL)
config/site.toml:4: invalid email in principal "user:nobody"
config/site.toml:5: access.allow must hold strings, not an integer
config/site.toml:6: access.deny must be an array of strings, not a string
config/site.toml:7: unknown key "access.grnat"; did you mean "access.grant"?`},
		{"access not a table", siteFS("title = \"x\"\naccess = \"members\"\n"),
			"config/site.toml:2: access must be a table, not a string"},
		{"inline access", siteFS("access = { allow = [\"membres\"] }\n"),
			`config/site.toml:1: unknown principal "membres" (want anyone, members, guests, group:NAME or user:EMAIL)`},
		{"base_url with query", siteFS("base_url = \"https://docs.example.com/?a=b\"\n"),
			`config/site.toml:1: base_url "https://docs.example.com/?a=b" must be an absolute http or https URL without query or fragment`},
		{"hosts not host names", siteFS("hosts = [\"ok.example\",\n  \"https://x.example/\", \"a b\"]\n"),
			`config/site.toml:2: hosts: "https://x.example/" is not a host name with an optional port, such as docs.example.com or intranet:8443
config/site.toml:2: hosts: "a b" is not a host name with an optional port, such as docs.example.com or intranet:8443`},
		{"site.toml is a folder", fstest.MapFS{"config/site.toml/x": {Data: []byte("x")}},
			"config/site.toml: is a folder, not a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := LoadSite(tt.fsys)
			if err == nil {
				t.Fatalf("LoadSite = %+v, want error", s)
			}
			if got := err.Error(); got != tt.want {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestSitePublish(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"config/site.toml": {Data: []byte("title = \"x\"\n[publish]\nendpoint = \"http://127.0.0.1:9000\"\nregion = \"eu-west-1\"\npath_style = true\n")}}
	s, err := LoadSite(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := Publish{Endpoint: "http://127.0.0.1:9000", Region: "eu-west-1", PathStyle: true}
	if s.Publish != want {
		t.Errorf("publish = %+v, want %+v", s.Publish, want)
	}
}

func TestSitePublishRefusesSecrets(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"config/site.toml": {Data: []byte("[publish]\nregion = \"eu-west-1\"\nsecret_access_key = \"abc\"\n")}}
	_, err := LoadSite(fsys)
	if err == nil || !strings.Contains(err.Error(), "config/site.toml:3: publish.secret_access_key: credentials never go in the file") {
		t.Fatalf("err = %v, want the secret refused at config/site.toml:3", err)
	}
	if strings.Contains(err.Error(), "unknown key") {
		t.Errorf("the secret is also reported as an unknown key: %v", err)
	}
}
