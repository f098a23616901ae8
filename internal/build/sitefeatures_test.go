package build

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
)

// aliasSite is a public guide with aliases and links between its pages, and
// a members-only vault ("Kestrel Plan") that links to a public page and
// has aliases of its own, one of them inside the public guide's folder.
// The public usage page has an alias under the vault's folder.
const aliasSite = `
-- config/site.toml --
title = "Feature Site"
description = "Docs for features."
base_url = "https://docs.example.com/"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/_index.md --
+++
title = "Home"
+++
Welcome. Start with the [install guide](guide/install.md).
-- content/guide/_index.md --
+++
title = "Guide Space"
+++
The guide.
-- content/guide/install.md --
+++
title = "Install Steps"
summary = "How to install it."
aliases = ["/setup/", "installing"]
+++
Install it. Then read [usage](usage.md).
-- content/guide/usage.md --
+++
title = "Usage Notes"
aliases = ["/vault/usage-old/"]
+++
Use it. Back to [install](install.md) and [this page](usage.md).
-- content/vault/_index.md --
+++
title = "Vault Space"
[access]
allow = ["members"]
+++
Members only.
-- content/vault/plan.md --
+++
title = "Kestrel Plan"
aliases = ["/kestrel/", "/guide/kestrel-old/"]
+++
The plan. See [usage](../guide/usage.md).
`

// backlinkRE finds the "Linked from" list of a page and its entries.
var (
	backlinkBlockRE = regexp.MustCompile(`(?s)<nav class="fc-backlinks".*?</nav>`)
	backlinkItemRE  = regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`)
)

// backlinks returns the titles and hrefs a page's "Linked from" list
// holds, nil when it has none.
func backlinks(t *testing.T, s *testSite, aud, name string) []string {
	t.Helper()
	data, ok := s.read(aud, name)
	if !ok {
		t.Fatalf("%s: %s missing", aud, name)
	}
	blocks := backlinkBlockRE.FindAllString(data, -1)
	if len(blocks) > 1 {
		t.Fatalf("%s: %s has %d backlink lists", aud, name, len(blocks))
	}
	var out []string
	for _, b := range blocks {
		for _, m := range backlinkItemRE.FindAllStringSubmatch(b, -1) {
			out = append(out, m[2]+" "+m[1])
		}
	}
	return out
}

// TestBacklinks: a page lists the pages that link to it which its build
// holds, itself left out; a hidden page that links to it leaves no trace.
func TestBacklinks(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, aliasSite).build()
	for _, c := range []struct {
		aud, page string
		want      []string
	}{
		{"anonymous", "guide/usage/index.html", []string{"Install Steps ../install/"}},
		{"members", "guide/usage/index.html", []string{"Install Steps ../install/", "Kestrel Plan ../../vault/plan/"}},
		{"anonymous", "guide/install/index.html", []string{"Home ../../", "Usage Notes ../usage/"}},
		{"anonymous", "guide/index.html", nil},
		{"members", "vault/plan/index.html", nil},
	} {
		if got := backlinks(t, s, c.aud, c.page); !slices.Equal(got, c.want) {
			t.Errorf("%s: %s: backlinks %q, want %q", c.aud, c.page, got, c.want)
		}
	}
	s.assertNoTrace("anonymous", "Kestrel", "kestrel", "Vault Space", "vault/")
}

// TestBacklinksOff: [layout] backlinks = false leaves every list out.
func TestBacklinksOff(t *testing.T) {
	t.Parallel()
	site := strings.Replace(aliasSite, "[access]\nallow = [\"anyone\"]", "[layout]\nbacklinks = false\n[access]\nallow = [\"anyone\"]", 1)
	s := newTestSite(t, site).build()
	for _, aud := range []string{"anonymous", "members"} {
		s.assertFile(aud, "guide/usage/index.html", "Usage Notes", "! fc-backlinks", "! Linked from")
	}
}

// TestBacklinksRebuild: a body edit that adds or removes a link changes
// the target's list in an incremental rebuild as in a clean build.
func TestBacklinksRebuild(t *testing.T) {
	t.Parallel()
	// Long bodies: an edit past the start of the text takes the fast path.
	long := strings.Repeat("Words that fill the start of the page. ", 12) + "\n\n"
	site := strings.Replace(aliasSite, "Install it. Then read", long+"Install it. Then read", 1)
	site = strings.Replace(site, "The plan. See [usage]", long+"The plan. See [usage]", 1)
	s := newTestSite(t, site)
	b := New(Options{Site: s.dir, Out: s.out})
	rebuild := func(changed ...string) {
		t.Helper()
		if _, err := b.Rebuild(context.Background(), changed); err != nil {
			t.Fatal(err)
		}
		clean := filepath.Join(t.TempDir(), "clean")
		if _, err := New(Options{Site: s.dir, Out: clean}).Build(context.Background()); err != nil {
			t.Fatal(err)
		}
		if diffs := compareTrees(treeOf(t, s.out), treeOf(t, clean)); len(diffs) > 0 {
			t.Fatalf("rebuild differs from a clean build:\n  %s", strings.Join(diffs, "\n  "))
		}
	}
	rebuild()
	m, _, err := manifest.Read(s.out)
	if err != nil {
		t.Fatal(err)
	}
	s.man = m
	s.editFile("content/guide/install.md", "+++\ntitle = \"Install Steps\"\nsummary = \"How to install it.\"\naliases = [\"/setup/\", \"installing\"]\n+++\n"+long+"Install it. Nothing else.\n")
	rebuild("content/guide/install.md")
	if got := backlinks(t, s, "anonymous", "guide/usage/index.html"); got != nil {
		t.Errorf("after the link went: backlinks %q", got)
	}
	s.editFile("content/vault/plan.md", "+++\ntitle = \"Kestrel Plan\"\naliases = [\"/kestrel/\", \"/guide/kestrel-old/\"]\n+++\n"+long+"The plan. See [install](../guide/install.md) and [usage](../guide/usage.md).\n")
	rebuild("content/vault/plan.md")
	if got, want := backlinks(t, s, "members", "guide/install/index.html"), []string{"Home ../../", "Usage Notes ../usage/", "Kestrel Plan ../../vault/plan/"}; !slices.Equal(got, want) {
		t.Errorf("after a link was added: backlinks %q, want %q", got, want)
	}
}

// TestAliases: each alias is a redirect page to its page (meta refresh,
// canonical link, a plain link, an empty icon so that a browser asks for
// no /favicon.ico; no script), in the builds that hold the
// page and the nearest page at or above the alias; relative aliases are
// siblings of the page; aliases are listed nowhere.
func TestAliases(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, aliasSite).build()
	redirect := []string{
		`<meta http-equiv="refresh" content="0; url=../guide/install/">`,
		`<link rel="canonical" href="https://docs.example.com/guide/install/">`,
		`<a href="../guide/install/">Install Steps</a>`,
		`<link rel="icon" href="data:,">`,
		"! <script", "! style=",
	}
	s.assertFile("anonymous", "setup/index.html", redirect...)
	s.assertFile("anonymous", "guide/installing/index.html", `url=../install/"`, `<a href="../install/">Install Steps</a>`)
	s.assertFile("members", "kestrel/index.html", `url=../vault/plan/"`, "Kestrel Plan")
	s.assertFile("members", "guide/kestrel-old/index.html", `url=../../vault/plan/"`)
	s.assertFile("members", "vault/usage-old/index.html", `url=../../guide/usage/"`)
	for _, f := range []string{"kestrel/index.html", "guide/kestrel-old/index.html", "vault/usage-old/index.html"} {
		s.assertNoFile("anonymous", f)
	}
	for _, aud := range []string{"anonymous", "members"} {
		for _, f := range []string{"sitemap.xml", "_facet/nav.js", "llms.txt", "index.html", "guide/index.html"} {
			s.assertFile(aud, f, "! setup/", "! installing", "! kestrel-old", "! usage-old")
		}
		if data, _ := s.read(aud, "_facet/search/index.js"); strings.Contains(data, "setup") {
			t.Errorf("%s: search index names an alias", aud)
		}
	}
	s.assertNoTrace("anonymous", "Kestrel", "kestrel", "vault/")
}

// TestAliasErrors: an alias that is not a folder path of the site, or
// that takes a URL a page, another alias or facet holds, is an error at
// its line; the output stays as it was.
func TestAliasErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ alias, want string }{
		{`"/guide/usage/"`, `content/guide/install.md:4: alias "/guide/usage/" is the URL of content/guide/usage.md`},
		{`"/Guide/Usage/"`, `content/guide/install.md:4: alias "/Guide/Usage/" collides with`},
		{`"usage"`, `content/guide/install.md:4: alias "usage" is the URL of content/guide/usage.md`},
		{`"/guide/install/"`, `content/guide/install.md:4: alias "/guide/install/" is the URL of content/guide/install.md`},
		{`"/kestrel/"`, `content/vault/plan.md:3: alias "/kestrel/" is also an alias of content/guide/install.md`},
		{`"/x/", "/x"`, `content/guide/install.md:4: alias "/x" is also an alias of content/guide/install.md`},
		{`"/tags/old/"`, `content/guide/install.md:4: alias "/tags/old/" is reserved for the files facet generates`},
		{`"/assets/"`, `content/guide/install.md:4: alias "/assets/" is reserved`},
		{`"/llms.txt"`, `content/guide/install.md:4: alias "/llms.txt" is reserved`},
		{`"/_facet/x/"`, `content/guide/install.md:4: alias "/_facet/x/" must not hold segments starting with`},
		{`"/a/../b/"`, `content/guide/install.md:4: alias "/a/../b/" must not hold "." or ".." segments`},
		{`"https://docs.example.com/old/"`, `content/guide/install.md:4: alias "https://docs.example.com/old/" must be a path of this site`},
		{`"/old?x=1"`, `content/guide/install.md:4: alias "/old?x=1" must not hold ?, # or a backslash`},
		{`""`, `content/guide/install.md:4: alias "" must be a path of this site`},
		{`"/"`, `content/guide/install.md:4: alias "/" is the URL of content/_index.md`},
	} {
		site := strings.Replace(aliasSite, `aliases = ["/setup/", "installing"]`, "aliases = ["+c.alias+"]", 1)
		s := newTestSite(t, site)
		err := s.tryBuild()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("aliases = [%s]: error %v, want %q", c.alias, err, c.want)
		}
	}
}

// TestLLMSTxt: each build's llms.txt lists exactly the pages it holds,
// with their summaries, grouped by top-level section.
func TestLLMSTxt(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, aliasSite).build()
	s.assertFile("anonymous", "llms.txt",
		"# Feature Site\n\n> Docs for features.\n\n",
		"- [Home](https://docs.example.com/): Welcome. Start with the install guide.\n",
		"\n## Guide Space\n\n- [Guide Space](https://docs.example.com/guide/): The guide.\n",
		"- [Install Steps](https://docs.example.com/guide/install/): How to install it.\n",
		"! Vault", "! Kestrel", "! vault/")
	s.assertFile("members", "llms.txt", "\n## Vault Space\n\n", "- [Kestrel Plan](https://docs.example.com/vault/plan/): The plan. See usage.\n")
	locRE := regexp.MustCompile(`<loc>([^<]*)</loc>`)
	itemRE := regexp.MustCompile(`(?m)^- \[[^\]]*\]\(([^)]*)\)`)
	for _, aud := range []string{"anonymous", "members"} {
		sm, _ := s.read(aud, "sitemap.xml")
		llms, _ := s.read(aud, "llms.txt")
		var want, got []string
		for _, m := range locRE.FindAllStringSubmatch(sm, -1) {
			want = append(want, m[1])
		}
		for _, m := range itemRE.FindAllStringSubmatch(llms, -1) {
			got = append(got, m[1])
		}
		slices.Sort(want)
		slices.Sort(got)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: llms.txt lists %q, the sitemap %q", aud, got, want)
		}
	}
}
