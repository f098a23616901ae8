package build

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
)

// advFeatureSite is a public site with members-only sections whose folder
// names a URL spells with percent-encoding ("Geheim Café", "tresor räume"),
// and a public page whose aliases lie under them.
const advFeatureSite = `
-- config/site.toml --
title = "Adv Features"
base_url = "https://example.com/docs/"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/café/_index.md --
+++
title = "Quokka Vault"
[access]
allow = ["members"]
+++
Vault.
-- content/tresor räume/plan.md --
+++
title = "Walrus Plan"
[access]
allow = ["members"]
+++
WALRUSBODY
-- content/pub.md --
+++
title = "Pub"
aliases = ["/café/old/", "/tresor räume/plan/older/", "/caf%C3%A9/old2/"]
+++
Public.
`

// An alias under a hidden folder whose name a URL percent-encodes was
// looked up in its encoded form, found no page above it and was written
// in every build holding its page: the anonymous build had a folder named
// after the hidden section. It now goes only where the hidden page above
// it is held.
func TestAdvAliasUnderEncodedHiddenFolder(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advFeatureSite).build()
	s.assertNoTrace("anonymous", "café/", "caf%C3%A9/", "tresor räume/", "tresor%20r%C3%A4ume/", "Quokka", "Walrus")
	s.assertFile("members", "café/old/index.html", `url=../../pub/"`)
	s.assertFile("members", "café/old2/index.html", `url=../../pub/"`)
	s.assertFile("members", "tresor räume/plan/older/index.html", `url=../../../pub/"`)
}

// Near compared percent-encoded URLs, so an alias or a broken link under a
// hidden folder whose name has letters outside ASCII, spelled with another
// Unicode normalization or case ("cafe" and a combining accent, "CAFÉ"),
// found no page above it: the alias was written, and the link kept its
// href, in builds that may not see the folder. They now go as the plain
// spelling does.
func TestAdvNearNonASCIISpellings(t *testing.T) {
	t.Parallel()
	site := strings.Replace(advFeatureSite, `"/caf%C3%A9/old2/"]`, `"/caf%C3%A9/old2/", "/cafe\u0301/old3/", "/CAFÉ/old4/"]`, 1)
	site = strings.Replace(site, "Public.\n", "Public [a](/CAFÉ/gone/) b [c](/cafe\u0301/gone/) d.\n", 1)
	s := newTestSite(t, site).build()
	for _, f := range []string{"cafe\u0301/old3/index.html", "CAFÉ/old4/index.html"} {
		s.assertNoFile("anonymous", f)
		s.assertFile("members", f, `url=../../pub/"`)
	}
	s.assertFile("anonymous", "pub/index.html", "<p>Public a b c d.</p>", "! CAF%C3%89", "! cafe%CC%81")
	s.assertFile("members", "pub/index.html", `<a href="/CAF%C3%89/gone/">a</a>`, `<a href="/cafe%CC%81/gone/">c</a>`)
}

// "Linked from" was made from every target a page's body names, whatever
// the build: a link that a build drops (its text names a hidden page, or
// it sits in raw HTML removed with a hidden embed) still listed its page
// under the target there, so the target told of a link its build does not
// show; and a page whose link text only names another page (linking
// elsewhere) was listed under that page. The list now holds the pages
// whose body, as the build holds it, links to the page.
func TestAdvBacklinksFromDroppedLinks(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, advBase+advVault+`
-- content/pub.md --
+++
title = "Pub"
+++
Public.
-- content/a.md --
+++
title = "Alpha"
+++
See [vault/plan.md](pub.md) now.
-- content/b.md --
+++
title = "Beta"
+++
<iframe src="/vault/plan/"><a href="/pub/">inner</a></iframe>

Text.
-- content/c.md --
+++
title = "Gamma"
+++
Read [pub](pub.md) too.
`).build()
	for _, c := range []struct {
		aud, page string
		want      []string
	}{
		{"anonymous", "pub/index.html", []string{"Gamma ../c/"}},
		{"members", "pub/index.html", []string{"Alpha ../a/", "Beta ../b/", "Gamma ../c/"}},
		{"members", "vault/plan/index.html", nil},
	} {
		if got := backlinks(t, s, c.aud, c.page); !slices.Equal(got, c.want) {
			t.Errorf("%s: %s: backlinks %q, want %q", c.aud, c.page, got, c.want)
		}
	}
	s.assertFile("anonymous", "a/index.html", "<p>See  now.</p>")
	s.assertNoTrace("anonymous", advNeedles...)
}

// rebuildLikeClean rebuilds the site with b after the given changes and
// fails unless the output is the same as a clean build's.
func rebuildLikeClean(t *testing.T, s *testSite, b *Builder, changed ...string) {
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
	m, _, err := manifest.Read(s.out)
	if err != nil {
		t.Fatal(err)
	}
	s.man = m
}

// A body edit deep in a page that keeps every target it names but turns a
// link into one the anonymous build drops (its text now names a hidden
// page) changes the target's "Linked from" list there: the incremental
// rebuild writes the list as a clean build does.
func TestAdvBacklinksRebuildDroppedLink(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Words that fill the start of the page. ", 12) + "\n\n"
	site := advBase + advVault + `
-- content/pub.md --
+++
title = "Pub"
+++
Public.
-- content/a.md --
+++
title = "Alpha"
+++
` + long + "See [pub](pub.md) and [vault/plan.md](https://other.example/).\n"
	s := newTestSite(t, site)
	b := New(Options{Site: s.dir, Out: s.out})
	rebuildLikeClean(t, s, b)
	if got := backlinks(t, s, "anonymous", "pub/index.html"); !slices.Equal(got, []string{"Alpha ../a/"}) {
		t.Fatalf("before: backlinks %q", got)
	}
	s.editFile("content/a.md", "+++\ntitle = \"Alpha\"\n+++\n"+long+"See [vault/plan.md](pub.md) and [pub](https://other.example/).\n")
	rebuildLikeClean(t, s, b, "content/a.md")
	if got := backlinks(t, s, "anonymous", "pub/index.html"); got != nil {
		t.Errorf("after: anonymous backlinks %q", got)
	}
	if got := backlinks(t, s, "members", "pub/index.html"); !slices.Equal(got, []string{"Alpha ../a/"}) {
		t.Errorf("after: members backlinks %q", got)
	}
}

// A run of edits to the new outputs' inputs (a linking page's title and
// access, an aliased page's access and aliases, a hidden section opened and
// closed, links removed and added, an alias on a hidden page): after each,
// an incremental rebuild writes what a clean build writes, and while the
// vault is closed the anonymous build holds no trace of it.
func TestAdvFeatureRebuildSequence(t *testing.T) {
	t.Parallel()
	long := "Words that fill the start of the page, long enough. "
	site := advBase + advVault + `
-- content/pub.md --
+++
title = "Pub"
aliases = ["/old-pub/"]
+++
Public.
-- content/a.md --
+++
title = "Alpha"
+++
` + long + "See [pub](pub.md).\n"
	s := newTestSite(t, site)
	b := New(Options{Site: s.dir, Out: s.out})
	rebuildLikeClean(t, s, b)
	steps := []struct {
		file, data string
		open       bool // the vault is public after this step
	}{
		{"content/a.md", "+++\ntitle = \"Alpha Renamed\"\n+++\n" + long + "See [pub](pub.md).\n", false},
		{"content/a.md", "+++\ntitle = \"Alpha Renamed\"\n[access]\nallow = [\"members\"]\n+++\n" + long + "See [pub](pub.md).\n", false},
		{"content/pub.md", "+++\ntitle = \"Pub\"\naliases = [\"/old-pub/\", \"/vault/pub-old/\"]\n[access]\nallow = [\"members\"]\n+++\nPublic.\n", false},
		{"content/pub.md", "+++\ntitle = \"Pub\"\naliases = [\"/vault/pub-old/\"]\n+++\nPublic.\n", false},
		{"content/vault/_index.md", "+++\ntitle = \"Quokka Vault\"\n+++\nVault.\n", true},
		{"content/vault/_index.md", "+++\ntitle = \"Quokka Vault\"\n[access]\nallow = [\"members\"]\n+++\nVault.\n", false},
		{"content/a.md", "+++\ntitle = \"Alpha Renamed\"\n+++\n" + long + "See nothing.\n", false},
		{"content/a.md", "+++\ntitle = \"Alpha Renamed\"\n+++\n" + long + "See [p](pub.md) [x](vault/plan.md).\n", false},
		{"content/vault/plan.md", "+++\ntitle = \"Walrus Plan\"\naliases = [\"/plan-old/\"]\n+++\nWALRUSBODY [pub](../pub.md)\n", false},
	}
	for _, st := range steps {
		s.editFile(st.file, st.data)
		rebuildLikeClean(t, s, b, st.file)
		if !st.open {
			s.assertNoTrace("anonymous", advNeedles...)
		}
	}
}

// The gate read what files hold, never where they are: a redirect page
// under a hidden folder (an alias the generator misplaced) passed. A file
// at or under the URL of a page or file hidden from the build, in any
// spelling a disk or a URL may give it, now fails the build; the same
// file passes in a build that holds that page, and anywhere else.
func TestAdvGateFilePlace(t *testing.T) {
	t.Parallel()
	_, tr, bs, builds := gateFixture(t, advFeatureSite)
	anon, members := builds["anonymous"], builds["members"]
	redirect := []byte("<!DOCTYPE html>\n<title>Pub</title>\n<meta http-equiv=\"refresh\" content=\"0; url=/pub/\">\n")
	n := 0
	check := func(bp *buildPlan, name string) error {
		n++
		return tr.check(bp, bs, name, redirect, fileKey{a: uint64(n), n: len(redirect)})
	}
	for _, name := range []string{"café/old/index.html", "CAFÉ/old/index.html", "cafe\u0301/x.html", "tresor räume/plan/older/index.html", "tresor räume/other/index.html", "café/notes.txt"} {
		if err := check(anon, name); err == nil || !strings.Contains(err.Error(), "hidden from this build") {
			t.Errorf("anonymous: %s: err %v, want a trace", name, err)
		}
		if err := check(members, name); err != nil {
			t.Errorf("members: %s: %v", name, err)
		}
	}
	for _, name := range []string{"old/pub/index.html", "pub/old/index.html", "_facet/nav.js", "404.html"} {
		if err := check(anon, name); err != nil {
			t.Errorf("anonymous: %s: %v", name, err)
		}
	}
}

// movedSecret is a visible section holding a members-only page that set
// its own url: its file's folder, guide/secret, is its URL from before.
const movedSecret = `
-- content/guide/_index.md --
+++
title = "Guide"
+++
Guide.
-- content/guide/secret.md --
+++
title = "Hidden Marmot"
url = "/s/"
[access]
allow = ["members"]
+++
Secret.
`

// A hidden page that set its own url left its file's URL unknown: under a
// visible section, an alias at that old URL was written in builds that may
// not see the page, naming its file, and the gate let it pass. The alias
// now goes wherever the page is hidden, as one at its own URL does, and the
// gate fails a file placed there.
func TestAdvNearOldURLOfHiddenPage(t *testing.T) {
	t.Parallel()
	site := advBase + movedSecret + `
-- content/guide/kit/index.md --
+++
title = "Hidden Kit"
url = "/k/"
[access]
allow = ["members"]
+++
Kit.
-- content/guide/notes/_index.md --
+++
title = "Open Secrets"
+++
Open.
-- content/pub.md --
+++
title = "Pub"
aliases = ["/guide/secret/x/", "/guide/KIT/", "/guide/notes/y/"]
+++
Public.
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", "guide/secret/", "guide/kit", "guide/KIT", "Marmot", "Hidden Kit")
	s.assertFile("anonymous", "guide/notes/y/index.html", `url=../../../pub/"`)
	s.assertFile("members", "guide/secret/x/index.html", `url=../../../pub/"`)
	s.assertFile("members", "guide/KIT/index.html", `url=../../pub/"`)
	_, tr, bs, builds := gateFixture(t, site)
	page := []byte("<p>Moved.</p>\n")
	for i, name := range []string{"guide/secret/x/index.html", "guide/Kit/a.txt"} {
		err := tr.check(builds["anonymous"], bs, name, page, fileKey{a: uint64(i + 1), n: len(page)})
		if err == nil || !strings.Contains(err.Error(), "hidden from this build") {
			t.Errorf("anonymous: %s: err %v, want a trace", name, err)
		}
		if err := tr.check(builds["members"], bs, name, page, fileKey{a: uint64(i + 1), n: len(page)}); err != nil {
			t.Errorf("members: %s: %v", name, err)
		}
	}
}

// A link to the address a page had before it set its own url, or to a
// place under it, is written against the page's new URL and kept only
// where the page is: as written it named the page's old folder and the
// folders above it, to readers who may see neither (the page hidden, or
// the page shared beyond a section they may not see).
func TestAdvLinkToOldURLOfMovedPage(t *testing.T) {
	t.Parallel()
	site := advBase + movedSecret + `
-- content/vault/_index.md --
+++
title = "Vault"
[access]
allow = ["members"]
+++
Vault.
-- content/vault/kit/index.md --
+++
title = "Open Kit"
url = "/k/"
[access]
allow = ["anyone"]
+++
Kit.
-- content/vault/kit/diagram.txt --
diagram
-- content/pub.md --
+++
title = "Pub"
+++
Old [marmot](/guide/secret/), deeper [marmot file](/guide/secret/notes.txt),
relative [marmot again](../guide/secret/), kit [old kit](/vault/kit/),
[old diagram](/vault/kit/diagram.txt) and [old kit file](/vault/kit/gone.txt).
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", "guide/secret", "vault", "Marmot")
	s.assertFile("anonymous", "pub/index.html", `href="../k/"`, `href="../k/diagram.txt"`, `href="../k/gone.txt"`)
	s.assertFile("members", "pub/index.html", `href="../s/"`, `href="../s/notes.txt"`, `href="../k/"`)
	s.assertNoTrace("members", "guide/secret/", "vault/kit/")
}

// A broken link read against the page's URL, or with the base path
// stripped, is looked up decoded, as the other readings are: written
// percent-encoded ("caf%C3%A9"), it still names the hidden folder café and
// stays only where café is.
func TestAdvNearEncodedURLReadings(t *testing.T) {
	t.Parallel()
	site := advBase + `
-- content/café/_index.md --
+++
title = "Cafe Vault"
[access]
allow = ["members"]
+++
Vault.
-- content/guide/pub.md --
+++
title = "Pub"
+++
See [gone](../../caf%C3%A9/gone/) and [also gone](../../CAF%C3%89/gone2/).
`
	s := newTestSite(t, site).build()
	s.assertNoTrace("anonymous", "caf%C3%A9", "CAF%C3%89", "café")
	s.assertFile("members", "guide/pub/index.html", `href="../../caf%C3%A9/gone/"`)
}
