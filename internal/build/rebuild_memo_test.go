package build

import (
	"context"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
)

// TestRebuildMemoInputs: a Builder's renders keep content pages'
// skeletons and "Linked from" lists between rebuilds (render.Memo), by
// the theme, the site's settings and the template's data. Each step
// changes one input a layout or partials/backlinks.html reads, outside
// the page's own file, and the rebuild must equal a clean build: a theme
// partial (through the layout, PagePartial and SitePartial), a theme
// asset a layout inlines, the site's settings, the title of a page in
// another page's "Linked from", and a members-only page that links to a
// public one.
func TestRebuildMemoInputs(t *testing.T) {
	t.Parallel()
	site := aliasSite + `-- themes/default/layouts/page.html --
<style>{{.InlineCSS "extra.css"}}</style>
{{template "partials/head.html" .}}
{{.SitePartial "partials/header.html"}}
<main>{{.Breadcrumbs}}{{.PagePartial "partials/title.html"}}<div class="fc-body">{{.Body}}</div>{{.Backlinks}}</main>
{{.SitePartial "partials/footer.html"}}
-- themes/default/assets/extra.css --
.a { color: red; }
`
	s := newTestSite(t, site)
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	readManifest(t, s)
	s.assertFile("members", "guide/usage/index.html", "Kestrel Plan", "color: red")
	steps := []struct {
		file, data string
	}{
		{"themes/default/partials/backlinks.html", `<nav class="fc-backlinks"><b>Cited by</b>{{range .LinkedFrom}}<a href="{{.URL}}">{{.Title}}</a>{{end}}</nav>`},
		{"themes/default/partials/title.html", `<h1 class="retitled">{{.Title}}</h1>`},
		{"themes/default/partials/footer.html", `<footer>Other footer {{.Site.Title}}</footer>`},
		{"themes/default/assets/extra.css", ".a { color: blue; }\n"},
		{"config/site.toml", strings.Replace(aliasSite[strings.Index(aliasSite, "title"):strings.Index(aliasSite, "-- config/access.toml")], `"Feature Site"`, `"Renamed Site"`, 1)},
		{"config/site.toml", strings.Replace(aliasSite[strings.Index(aliasSite, "title"):strings.Index(aliasSite, "-- config/access.toml")], `base_url = "https://docs.example.com/"`, `base_url = "https://other.example.com/docs/"`, 1)},
		{"config/site.toml", strings.Replace(aliasSite[strings.Index(aliasSite, "title"):strings.Index(aliasSite, "-- config/access.toml")], "[access]", "[layout]\nbacklinks = false\nrepo_url = \"https://git.example.com/docs\"\n[access]", 1)},
		{"config/site.toml", aliasSite[strings.Index(aliasSite, "title"):strings.Index(aliasSite, "-- config/access.toml")]},
		{"content/vault/plan.md", "+++\ntitle = \"Osprey Plan\"\n+++\nThe plan. See [usage](../guide/usage.md).\n"},
		{"content/guide/install.md", "+++\ntitle = \"Setup Steps\"\nsummary = \"How to install it.\"\naliases = [\"/setup/\", \"installing\"]\n+++\nInstall it. Then read [usage](usage.md).\n"},
		{"content/vault/plan.md", "+++\ntitle = \"Osprey Plan\"\n[access]\nallow = [\"anyone\"]\n+++\nThe plan. See [usage](../guide/usage.md).\n"},
		{"content/vault/plan.md", "+++\ntitle = \"Osprey Plan\"\n+++\nThe plan. See [usage](../guide/usage.md).\n"},
		{"themes/default/partials/backlinks.html", ""},
		{"themes/default/partials/title.html", ""},
	}
	for _, st := range steps {
		s.editFile(st.file, st.data)
		rebuildEquals(t, s, b, st.file)
	}
	readManifest(t, s)
	s.assertNoTrace("anonymous", "Kestrel", "Osprey", "Vault Space", "vault/")
}

// readManifest loads the output folder's manifest into s, for its
// assertions after a Rebuild.
func readManifest(t *testing.T, s *testSite) {
	t.Helper()
	m, _, err := manifest.Read(s.out)
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	s.man = m
}
