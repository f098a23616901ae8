package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// contentBase is a public site with a members-only section, an eng-only
// section and a guest: the tests below add content whose rules the loader
// once lost or republished.
const contentBase = `
-- config/site.toml --
title = "Content Site"
base_url = "https://docs.example.com/"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[[guests]]
email = "carol@partner.example"
name = "Carol"
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/members/_index.md --
+++
title = "Pangolin Den"
[access]
allow = ["members"]
+++
Den.
-- content/members/ledger.md --
+++
title = "Narwhal Ledger"
+++
NARWHAL-BODY
`

// failsWith builds s, which must fail with an error holding each want and
// no raw filesystem text, leaving the previous output as it was.
func failsWith(t *testing.T, s *testSite, before string, want ...string) {
	t.Helper()
	err := s.tryBuild()
	if err == nil {
		t.Fatal("build succeeded")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	for _, raw := range []string{"not a directory", "is a directory", "file exists", s.dir} {
		if strings.Contains(err.Error(), raw) {
			t.Errorf("error %q holds raw filesystem text %q", err, raw)
		}
	}
	if after := snapshot(t, s.out); after != before {
		t.Error("a failed build changed the output")
	}
}

// A section's _index.md whose frontmatter follows blank lines, spaces or
// a BOM kept its whole TOML as body text: the section went public.
func TestContentFrontmatterAfterBlankLines(t *testing.T) {
	t.Parallel()
	for name, prefix := range map[string]string{"blank": "\n", "spaces": "   \n\n", "bom": "\uFEFF", "bom-crlf": "\uFEFF\r\n\t\r\n"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, contentBase+"-- content/vault/_index.md --\n"+prefix+
				"+++\ntitle = \"Quokka Vault\"\n[access]\nallow = [\"members\"]\n+++\nVault.\n"+
				"-- content/vault/plan.md --\n+++\ntitle = \"Walrus Plan\"\n+++\nWALRUS-BODY\n").build()
			s.assertNoTrace("anonymous", "Quokka Vault", "Walrus Plan", "WALRUS-BODY", "vault/", "allow =", "Narwhal", "members/")
			s.assertFile("members", "vault/index.html", "Quokka Vault", "! allow =")
			s.assertFile("members", "vault/plan/index.html", "WALRUS-BODY")
		})
	}
}

// Rules or a +++ block later in the body are refused at their line; shown
// in a code block they are text.
func TestContentStrayRules(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ body, want string }{
		"fenced block after text": {"# Notes\n\n+++\n[access]\nallow = [\"members\"]\n+++\nSecret.\n", "content/notes.md:3: a +++ fenced block in the body"},
		"access table":            {"+++\ntitle = \"Notes\"\n+++\nIntro.\n\n[access]\nallow = [\"members\"]\n", "content/notes.md:6: \"[access]\" in the body"},
		"dotted key":              {"+++\ntitle = \"Notes\"\n+++\n\naccess.allow = [\"members\"]\n", "content/notes.md:5: \"access.allow = [\\\"members\\\"]\" in the body"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, contentBase).build()
			before := snapshot(t, s.out)
			s.editFile("content/notes.md", c.body)
			failsWith(t, s, before, c.want)
		})
	}
	s := newTestSite(t, contentBase+"-- content/doc.md --\n+++\ntitle = \"Rules\"\n+++\nWrite:\n\n```toml\n+++\n[access]\nallow = [\"group:eng\"]\n+++\n```\n\nor\n\n    [access]\n    deny = [\"members\"]\n").build()
	s.assertFile("anonymous", "doc/index.html", "[access]", "allow = [&#34;group:eng&#34;]", "deny = [&#34;members&#34;]")
}

// A symbolic link to a restricted page republished its body under the
// link's (public) rules; every link under content/ is now an error.
func TestContentSymlinkRefused(t *testing.T) {
	t.Parallel()
	for name, link := range map[string][2]string{
		"page":       {"content/copy.md", "members/ledger.md"},
		"folder":     {"content/mirror", "members"},
		"attachment": {"content/chart.png", "members/chart.png"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, contentBase+"-- content/members/chart.png --\nPNG-NARWHAL\n").build()
			before := snapshot(t, s.out)
			if err := os.Symlink(filepath.FromSlash(strings.TrimPrefix(link[1], "content/")), filepath.Join(s.dir, filepath.FromSlash(link[0]))); err != nil {
				t.Skipf("symlinks unavailable: %v", err)
			}
			failsWith(t, s, before, link[0]+": symlink to "+link[1]+": facet follows no links under content/")
			s.assertNoTrace("anonymous", "Narwhal", "NARWHAL", "members/", "Pangolin")
		})
	}
}

// .markdown, .mdown, .mkd... files were copied raw, frontmatter included,
// as attachments; they are pages, and links to them resolve.
func TestContentMarkdownExtensions(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, contentBase+`-- content/members/vault.markdown --
+++
title = "Okapi Vault"
+++
OKAPI-BODY
-- content/members/Notes.MKD --
+++
title = "Okapi Notes"
+++
OKAPI-NOTES
-- content/secret.mdown --
+++
title = "Okapi Secret"
[access]
allow = ["members"]
+++
OKAPI-SECRET
-- content/members/links.md --
+++
title = "Links"
+++
[vault](vault.markdown), [notes](Notes.MKD) and [secret](../secret.mdown).
`).build()
	s.assertNoTrace("anonymous", "Okapi", "OKAPI", ".markdown", ".mdown", ".MKD", "vault", "members/")
	s.assertFile("members", "members/vault/index.html", "OKAPI-BODY", "! +++")
	s.assertFile("members", "members/Notes/index.html", "OKAPI-NOTES")
	s.assertFile("members", "secret/index.html", "OKAPI-SECRET")
	s.assertFile("members", "members/links/index.html", `href="../vault/"`, `href="../Notes/"`, `href="../../secret/"`)
	s.assertNoFile("members", "members/vault.markdown")
	s.assertNoFile("members", "secret.mdown")
}

// A page and a file of one URL (data.md and data) failed at publish with
// a raw filesystem error; they fail at load naming both files.
func TestContentFileWherePageNeedsFolder(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ page, file, want string }{
		"beside":      {"content/data.md", "content/data", "content/data: output data is a file, but content/data.md needs a folder"},
		"case folded": {"content/members/Report.md", "content/members/report", "content/members/report: output members/report is a file, but content/members/Report.md needs a folder"},
		"under url":   {"content/p.md", "content/x.csv", "content/x.csv: output x.csv is a file, but content/p.md needs a folder"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, contentBase).build()
			before := snapshot(t, s.out)
			s.editFile(c.page, "+++\nurl = \"/x.csv/\"\n+++\nx\n")
			if name != "under url" {
				s.editFile(c.page, "x\n")
			}
			s.editFile(c.file, "1,2\n")
			failsWith(t, s, before, c.want)
		})
	}
}

// A page granted to a guest under a section hidden from the guest showed
// the section's slug in its URL; with url it is published elsewhere, its
// bundle's files with it, and links by source path follow it.
func TestContentPageURLHidesSection(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, contentBase+`-- content/okapi-den/_index.md --
+++
title = "Okapi Den"
[access]
allow = ["group:eng"]
+++
Den.
-- content/okapi-den/partner-api/index.md --
+++
title = "Partner API"
url = "/shared/partner-api/"
[access]
grant = ["user:carol@partner.example"]
+++
![chart](chart.png) and [the spec](spec/api.json).
-- content/okapi-den/partner-api/chart.png --
PNG-PARTNER
-- content/okapi-den/partner-api/spec/api.json --
{"api": 1}
-- content/okapi-den/inner.md --
+++
title = "Inner"
+++
See the [Partner API](partner-api/index.md) and its [chart](partner-api/chart.png).
`).build()
	guest := "user:carol@partner.example"
	s.assertFile(guest, "shared/partner-api/index.html", "Partner API", `src="chart.png"`, `href="spec/api.json"`)
	s.assertFile(guest, "shared/partner-api/chart.png", "PNG-PARTNER")
	s.assertFile(guest, "shared/partner-api/spec/api.json", `"api"`)
	s.assertNoTrace(guest, "okapi-den", "Okapi Den", "Inner", "Narwhal")
	s.assertFile("group:eng", "okapi-den/inner/index.html", `href="../../shared/partner-api/"`, `href="../../shared/partner-api/chart.png"`)
	s.assertNoFile("group:eng", "okapi-den/partner-api/index.html")
	s.assertNoFile("group:eng", "okapi-den/partner-api/chart.png")
}

// A file of the site's theme goes into every build, and the release gate
// takes the theme's words for text every build carries: a theme file that
// a symbolic link makes a page or file of content/ published it, rules
// and body, to every audience. Such a link is an error; one to a file
// outside content/ is not.
func TestThemeLinkIntoContentRefused(t *testing.T) {
	t.Parallel()
	for name, link := range map[string][2]string{
		"asset":   {"themes/default/assets/notes.txt", "../../../content/members/ledger.md"},
		"partial": {"themes/default/partials/footer.html", "../../../content/members/ledger.md"},
		"folder":  {"themes/default", "../content/members"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, contentBase+"-- content/members/assets/chart.txt --\nNARWHAL-CHART\n").build()
			before := snapshot(t, s.out)
			p := filepath.Join(s.dir, filepath.FromSlash(link[0]))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.FromSlash(link[1]), p); err != nil {
				t.Skipf("symlinks unavailable: %v", err)
			}
			failsWith(t, s, before, "through a symbolic link", "content/members/")
			s.assertNoTrace("anonymous", "Narwhal", "NARWHAL")
		})
	}
	s := newTestSite(t, contentBase+"-- brand/notes.txt --\nBRAND-NOTES\n")
	p := filepath.Join(s.dir, "themes", "default", "assets", "notes.txt")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.FromSlash("../../../brand/notes.txt"), p); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	s.build().assertFile("anonymous", "assets/notes.txt", "BRAND-NOTES")
}
