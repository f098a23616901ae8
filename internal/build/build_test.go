package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
)

// fixture is a small site with every rule kind: a public home and guide, a
// members-only page, a group space with a page granted to a guest, a bundle
// denied to contractors with an image, a section attachment, another group
// space, a draft and links across all of them.
const fixture = `
-- config/site.toml --
title = "Test Site"
base_url = "https://docs.example.com/"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
[groups.contractors]
title = "Contractors"
[groups.partners]
title = "Partners"
[[guests]]
email = "carol@partner.example"
name = "Carol (Partner Inc)"
groups = ["partners"]
expires = 2099-12-31
[[audiences]]
groups = ["eng", "ops"]
-- content/_index.md --
+++
title = "Welcome Home"
[access]
allow = ["anyone"]
+++
Read the [zebra write-up](eng/zebra.md) when you can, and the [guide](guide.md).

- [Walrus link text](ops/runbook.md)
- [Guide again](/guide/)

[Lounge paragraph](members.md)

![Quokka diagram alt](eng/secret/diagram.png)

Also [](guide.md) and [](eng/zebra.md).
-- content/guide.md --
+++
title = "Public Guide"
tags = ["basics", "zebra-tag"]
[access]
allow = ["anyone"]
+++
# Guide

See the [report](eng/report.pdf) and [members lounge](/members/).
-- content/members.md --
+++
title = "Members Lounge"
tags = ["lounge-tag"]
[access]
allow = ["members"]
+++
For members only. Go [home](/) or read the [guide](guide.md).
-- content/draft.md --
+++
title = "Draft Narwhal"
draft = true
[access]
allow = ["anyone"]
+++
not yet
-- content/eng/_index.md --
+++
title = "Engineering Space"
[access]
allow = ["group:eng"]
+++
Engineering home. See [zebra](zebra.md).
-- content/eng/zebra.md --
+++
title = "Zebra Protocol"
summary = "How zebras talk."
aliases = ["/old-zebra/"]
tags = ["zebra-tag"]
[access]
grant = ["user:carol@partner.example"]
+++
The zebra protocol. Back to [the space](_index.md) and [secret](secret/index.md).
-- content/eng/secret/index.md --
+++
title = "Quokka Secret"
[access]
deny = ["group:contractors"]
+++
![diagram](diagram.png)
-- content/eng/secret/diagram.png --
PNGDATA-QUOKKA
-- content/eng/report.pdf --
PDFDATA-REPORT
-- content/ops/_index.md --
+++
title = "Ops Corner"
[access]
allow = ["group:ops"]
+++
Ops.
-- content/ops/runbook.md --
+++
title = "Walrus Runbook"
+++
Restart things.
-- content/notes/loose.md --
+++
title = "Loose Note"
[access]
allow = ["group:ops"]
+++
In a folder without _index.md.
`

func TestFixtureBuilds(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture).build()

	// Anonymous: the public pages only, redacted links, no trace of the rest.
	s.assertFile("anonymous", "index.html",
		"Welcome Home", "zebra write-up", "! eng/zebra", "Guide again", "! Walrus link text",
		"! Lounge paragraph", "! Quokka diagram alt", "! diagram.png", "Public Guide")
	s.assertFile("anonymous", "guide/index.html", "report", "! report.pdf", "members lounge", "! members/")
	s.assertFile("anonymous", "404.html")
	s.assertNoFile("anonymous", "eng/zebra/index.html")
	s.assertNoFile("anonymous", "members/index.html")
	s.assertNoFile("anonymous", "eng/report.pdf")
	s.assertNoFile("anonymous", "old-zebra/index.html")
	s.assertFile("group:eng", "old-zebra/index.html", "Zebra Protocol", "../eng/zebra/")
	s.assertFile("members", "guide/index.html", "Linked from", "Members Lounge")
	s.assertNoTrace("anonymous", "Zebra Protocol", "Quokka Secret", "Walrus Runbook", "Members Lounge",
		"Engineering Space", "Ops Corner", "Loose Note", "Draft Narwhal", "eng/", "ops/", "notes/",
		"members/", "draft", "lounge-tag", "How zebras talk", "PDFDATA", "PNGDATA")

	// Members see the lounge, not the group spaces.
	s.assertFile("members", "members/index.html", "Members Lounge", "For members only")
	s.assertFile("members", "guide/index.html", "members/")
	s.assertNoTrace("members", "Zebra Protocol", "Quokka Secret", "Walrus Runbook", "Engineering Space", "eng/", "ops/", "Loose Note")

	// The guest sees the granted page alone, under a section whose title stays hidden.
	s.assertFile("user:carol@partner.example", "eng/zebra/index.html", "Zebra Protocol", "The zebra protocol", "! secret/")
	s.assertNoTrace("user:carol@partner.example", "Engineering Space", "Quokka Secret", "Members Lounge",
		"PDFDATA", "report.pdf", "Walrus Runbook", "members/")

	// Engineering sees its space, the bundle image and the section's file.
	s.assertFile("group:eng", "eng/index.html", "Engineering Space")
	s.assertFile("group:eng", "eng/secret/diagram.png", "PNGDATA-QUOKKA")
	s.assertFile("group:eng", "eng/report.pdf", "PDFDATA-REPORT")
	s.assertFile("group:eng", "index.html", "eng/zebra/", "eng/secret/diagram.png", "Quokka diagram alt")
	s.assertNoTrace("group:eng", "Walrus Runbook", "Ops Corner", "Loose Note")

	// Contractors are members, so they see eng only if in eng; the deny beats the eng allow.
	s.assertNoTrace("group:contractors", "Quokka Secret", "Zebra Protocol")

	// A folder without _index.md appears only where something beneath it is visible.
	s.assertFile("group:ops", "notes/loose/index.html", "Loose Note")
	s.assertFile("group:ops", "notes/index.html", "Loose Note")
	s.assertNoFile("group:eng", "notes/index.html")

	// The declared combination sees both spaces.
	s.assertFile("groups:eng+ops", "ops/runbook/index.html", "Walrus Runbook")
	s.assertFile("groups:eng+ops", "eng/zebra/index.html", "Zebra Protocol")

	// Drafts are in no build.
	for aud := range s.audienceDirs() {
		s.assertNoTrace(aud, "Draft Narwhal")
	}
}

func TestSharedBuilds(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture).build()
	dirs := s.audienceDirs()
	if dirs["anonymous"] != "anonymous" {
		t.Errorf("anonymous build at %q", dirs["anonymous"])
	}
	// partners and contractors see what a plain member sees, but each
	// badge names its own group: a build each, named after its audience,
	// whose files are those of the members build, hard-linked.
	if dirs["members"] == dirs["group:partners"] || dirs["members"] == dirs["group:contractors"] ||
		dirs["group:partners"] != "group-partners" || dirs["group:contractors"] != "group-contractors" {
		t.Errorf("members %q, partners %q, contractors %q should each have their own build", dirs["members"], dirs["group:partners"], dirs["group:contractors"])
	}
	if dirs["group:eng"] == dirs["members"] || dirs["group:eng"] == dirs["groups:eng+ops"] {
		t.Errorf("distinct sets share a build: %v", dirs)
	}
	for _, name := range []string{"index.html", "guide/index.html", "members/index.html"} {
		a, _ := os.Stat(filepath.Join(s.out, dirs["members"], name))
		b, _ := os.Stat(filepath.Join(s.out, dirs["group:partners"], name))
		if a == nil || b == nil || !os.SameFile(a, b) {
			t.Errorf("%s: the members and partners builds do not share the file", name)
		}
	}
	if s.res.Links == 0 {
		t.Error("no identical file was hard-linked across builds")
	}
}

// TestNoTraceEveryBuild derives, from rules.json alone, every page hidden
// from every build and checks that neither its title nor its URL occurs in
// any file of that build.
func TestNoTraceEveryBuild(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture).build()
	_, rules, err := manifest.Read(s.out)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{
		"/eng/": "Engineering Space", "/eng/zebra/": "Zebra Protocol", "/eng/secret/": "Quokka Secret",
		"/ops/": "Ops Corner", "/ops/runbook/": "Walrus Runbook", "/members/": "Members Lounge",
		"/draft/": "Draft Narwhal", "/notes/loose/": "Loose Note", "/guide/": "Public Guide",
	}
	for _, b := range rules.Builds {
		vis := b.Visible
		aud := ""
		for _, a := range s.man.Audiences {
			if a.Dir == b.Dir {
				aud = a.ID
			}
		}
		var needles []string
		for i, url := range rules.Pages {
			if vis.Has(i) || titles[url] == "" {
				continue
			}
			needles = append(needles, titles[url])
			below := false
			for j, q := range rules.Pages {
				below = below || vis.Has(j) && strings.HasPrefix(q, url)
			}
			if !below { // a visible page beneath keeps the folder in its URL
				needles = append(needles, strings.TrimPrefix(url, "/"))
			}
		}
		s.assertNoTrace(aud, needles...)
	}
}

func TestGeneratedHome(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- content/_index.md --
+++
title = "Private Home Page"
+++
members
-- content/open.md --
+++
title = "Open Page"
[access]
allow = ["anyone"]
+++
hello
`).build()
	s.assertFile("anonymous", "index.html", "Open Page", "open/", "! Private Home Page")
	s.assertFile("members", "index.html", "Private Home Page")
}

func TestFailedBuildLeavesOutput(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture).build()
	before := snapshot(t, s.out)
	s.editFile("content/guide.md", "+++\ntitle = \"x\"\n[access]\nallow = [\"group:nope\"]\n+++\n")
	err := s.tryBuild()
	if err == nil || !strings.Contains(err.Error(), "content/guide.md:4:") || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("want an undeclared group error at content/guide.md:4, got %v", err)
	}
	if after := snapshot(t, s.out); after != before {
		t.Error("a failed build changed the output")
	}
	matches, _ := filepath.Glob(filepath.Join(s.dir, ".public.staging-*"))
	if len(matches) != 0 {
		t.Errorf("staging folders left behind: %v", matches)
	}
}

func TestVerifyCatchesLeak(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture)
	// An author pastes the hidden page's URL as running text (not code) into a public page.
	s.editFile("content/guide.md", "+++\ntitle = \"Public Guide\"\n[access]\nallow = [\"anyone\"]\n+++\nThe plan lives at /eng/zebra/ now.\n")
	err := s.tryBuild()
	if err == nil {
		t.Fatal("build with a leaked URL succeeded")
	}
	for _, want := range []string{"verify: build ", "guide/index.html", "/eng/zebra/", "content/eng/zebra.md"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestRefusesForeignOutput(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture)
	s.editFile("public/precious.txt", "keep me")
	if err := s.tryBuild(); err == nil || !strings.Contains(err.Error(), "refusing to replace") {
		t.Fatalf("want refusal, got %v", err)
	}
	s.editFile("public/precious.txt", "")
	s.build()
	s.build() // a second build replaces the first
	if _, err := filepath.Glob(filepath.Join(s.dir, ".public.prev")); err != nil {
		t.Fatal(err)
	}
}

func TestWantedCombinations(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture).build()
	if _, ok := s.audienceDirs()["groups:contractors+eng"]; ok {
		t.Fatal("combination built before it was wanted")
	}
	s.editFile("public/wanted.json", `{"combinations":[["eng","contractors","nosuch"],["nosuch","other"]]}`)
	s.build()
	dirs := s.audienceDirs()
	if _, ok := dirs["groups:contractors+eng"]; !ok {
		t.Fatalf("wanted combination not built: %v", dirs)
	}
	for id := range dirs {
		if strings.Contains(id, "nosuch") {
			t.Errorf("undeclared group built: %s", id)
		}
	}
	// eng+contractors loses the denied bundle: its own build, not eng's.
	if dirs["groups:contractors+eng"] == dirs["group:eng"] {
		t.Error("eng+contractors shares eng's build though it sees less")
	}
	s.assertNoTrace("groups:contractors+eng", "Quokka Secret")
}

func TestHighlightStyle(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, "-- config/site.toml --\n[markdown]\nhighlight_style = \"monokai\"\n[access]\nallow = [\"anyone\"]\n-- content/_index.md --\n```go\npackage main\n```\n").build()
	css, ok := s.read("anonymous", "assets/syntax.css")
	if !ok || !strings.Contains(css, ".chroma") || strings.Contains(css, "prefers-color-scheme") {
		t.Errorf("syntax.css is not monokai's:\n%.300s", css)
	}
	s.assertFile("anonymous", "index.html", `class="chroma"`, "! style=")
	bad := newTestSite(t, "-- config/site.toml --\n[markdown]\nhighlight_style = \"nosuchstyle\"\n-- content/_index.md --\nhi\n")
	if err := bad.tryBuild(); err == nil || !strings.Contains(err.Error(), "config/site.toml") {
		t.Errorf("unknown style: %v", err)
	}
}
