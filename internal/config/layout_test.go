package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadSiteLayout(t *testing.T) {
	t.Parallel()
	s, err := LoadSite(siteFS(`title = "Docs"
[layout]
logo = "img/logo.svg"
announcement = "facet 2 is out."
repo_url = "https://github.com/org/docs"
edit_path = "-/edit/main/site/{path}"
last_updated = false
backlinks = false
[[layout.footer_links]]
title = "GitHub"
url = "https://github.com/org/docs"
[[layout.footer_links]]
title = "Write to us"
url = "mailto:docs@example.com"
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Layout{
		Logo: "img/logo.svg", LogoLine: 3, Announcement: "facet 2 is out.",
		RepoURL: "https://github.com/org/docs", EditPath: "-/edit/main/site/{path}",
		FooterLinks: []FooterLink{{"GitHub", "https://github.com/org/docs"}, {"Write to us", "mailto:docs@example.com"}},
	}
	if diff := cmp.Diff(want, s.Layout); diff != "" {
		t.Fatalf("layout (-want +got):\n%s", diff)
	}
}

func TestLoadSiteLayoutErrors(t *testing.T) {
	t.Parallel()
	_, err := LoadSite(siteFS(`[layout]
logo = "../secret.png"
announcement = """two
lines"""
repo_url = "github.com/org/docs"
edit_path = "edit/main"
last_updated = "yes"
colour = "red"
[[layout.footer_links]]
url = "javascript:alert(1)"
[[layout.footer_links]]
title = "ok"
url = "https://example.com/"
target = "_blank"
`))
	if err == nil {
		t.Fatal("LoadSite accepted a bad [layout]")
	}
	want := `config/site.toml:2: logo "../secret.png" must be an image file under the theme's assets/ folder, such as "logo.svg" (.svg, .png, .jpg, .jpeg, .gif or .webp; no "..")
config/site.toml:3: announcement must be one line of at most 300 bytes
config/site.toml:5: repo_url "github.com/org/docs" must be an absolute http or https URL, such as "https://github.com/org/docs"
config/site.toml:6: edit_path "edit/main" must be a path below repo_url holding {path}, such as "edit/main/{path}"
config/site.toml:7: layout.last_updated must be true or false, not a string
config/site.toml:8: unknown key "layout.colour"
config/site.toml:9: layout.footer_links: a link needs a title
config/site.toml:10: layout.footer_links: url "javascript:alert(1)" must be an absolute http, https or mailto URL
config/site.toml:14: unknown key "layout.footer_links.target"`
	if got := err.Error(); got != want {
		t.Fatalf("error:\n%s\nwant:\n%s", got, want)
	}
}
