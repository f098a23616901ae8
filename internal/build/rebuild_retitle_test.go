package build

import (
	"context"
	"path/filepath"
	"testing"
)

// longStart is a start of text long enough that an edit after it keeps what
// lists show of a page (render.Shared).
const longStart = "Words that fill the start of the page. Words that fill the start of the page. Words that fill the start of the page. Words that fill the start of the page. Words that fill the start of the page. Words that fill the start of the page.\n\n"

// TestRetitleLinkerDropsAWord: a page fills an empty link with the title
// of the page retitled, whose old title had a word no other page holds.
// The shards are checked once every search edit of the build is in them
// (searchFiles): checked after the retitled page's own edit, a shard still
// held the linker's posting of the word, which the search gate's
// vocabulary no longer gave to any page, and the path gave way.
func TestRetitleLinkerDropsAWord(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Fill"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/p.md --
+++
title = "Alpha Unique"
+++
Alpha words.
-- content/l.md --
+++
title = "Linker"
+++
`+longStart+"See [](p.md).\n")
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	s.editFile("content/p.md", "+++\ntitle = \"Alpha Renamed\"\n+++\nAlpha words.\n")
	rebuildEquals(t, s, b, "content/p.md")
	if b.retitles != 1 {
		t.Fatalf("the retitle path took %d of 1 retitles", b.retitles)
	}
}

// TestRebuildTwoBodiesDropAWord: two pages edited at once both drop a
// word: the body path checks the shards once both edits are in them (it
// failed the rebuild where a clean build succeeds).
func TestRebuildTwoBodiesDropAWord(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Two"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/a.md --
+++
title = "Apple"
+++
`+longStart+"Zanzibar here.\n"+`-- content/b.md --
+++
title = "Banana"
+++
`+longStart+"Zanzibar there.\n")
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	s.editFile("content/a.md", "+++\ntitle = \"Apple\"\n+++\n"+longStart+"Nothing here.\n")
	s.editFile("content/b.md", "+++\ntitle = \"Banana\"\n+++\n"+longStart+"Nothing there.\n")
	rebuildEquals(t, s, b, "content/a.md", "content/b.md")
}

// TestRetitleFallbackRestoresCacheKeys: a retitle the retitle path gives
// up on must leave the kept site's build cache keyed by the old titles'
// index (findMentions keys it by the new ones); when the general path
// fails too, the next body edit stored scans made with the old titles
// under the new titles' key, which a later cached build trusted.
func TestRetitleFallbackRestoresCacheKeys(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Review"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/pub.md --
+++
title = "Public Page"
+++
Public words.
-- content/data.csv --
name,value
Zorro Omega,42
-- content/zulu.md --
+++
title = "Zulu Page"
+++
Zulu words.
-- content/eng/_index.md --
+++
title = "Engineering Space"
[access]
allow = ["group:eng"]
+++
Eng.
-- content/eng/p.md --
+++
title = "Zeta Draft"
+++
Secret words.
-- content/q.md --
+++
title = "Queue Notes"
+++
`+longStart+"Notes on the Zeta Draft here.\n")
	cacheDir := filepath.Join(t.TempDir(), "cache")
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2, Cache: cacheDir})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	// a title the public CSV holds: the retitle path and the general one fail
	s.editFile("content/eng/p.md", "+++\ntitle = \"Zorro Omega\"\n+++\nSecret words.\n")
	if _, err := b.Rebuild(context.Background(), []string{"content/eng/p.md"}); err == nil {
		t.Fatal("the rebuild published a title the CSV of the public build holds")
	}
	// the old title back, and a body edit past the start of q.md: the body
	// fast path scans q's page with the old titles' index
	s.editFile("content/eng/p.md", "+++\ntitle = \"Zeta Draft\"\n+++\nSecret words.\n")
	s.editFile("content/q.md", "+++\ntitle = \"Queue Notes\"\n+++\n"+longStart+"Notes on the Zeta Draft here, again.\n")
	if _, err := b.Rebuild(context.Background(), []string{"content/q.md"}); err != nil {
		t.Fatal(err)
	}
	// the retitled site, the CSV without the title (same items)
	s.editFile("content/data.csv", "name,value\nOther,42\n")
	s.editFile("content/eng/p.md", "+++\ntitle = \"Zorro Omega\"\n+++\nSecret words.\n")
	if _, err := New(Options{Site: s.dir, Out: filepath.Join(t.TempDir(), "c"), Now: propNow, Workers: 2}).Build(context.Background()); err != nil {
		t.Fatalf("clean build without cache: %v", err)
	}
	_, err := New(Options{Site: s.dir, Out: filepath.Join(t.TempDir(), "o"), Now: propNow, Workers: 2, Cache: cacheDir}).Build(context.Background())
	if err != nil {
		t.Fatalf("a build with the cache the rebuilds used fails where one without succeeds: %v", err)
	}
}

// TestRebuildCompletesDroppedPrints: the fast paths change the files of
// the builds holding the page they edit without printing them; the next
// general rebuild prints them from the published site (completePrints),
// so a build its own change leaves alone is read back, not rendered.
func TestRebuildCompletesDroppedPrints(t *testing.T) {
	t.Parallel()
	site := `
-- config/site.toml --
title = "Prints"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/a.md --
+++
title = "Alpha Page"
+++
` + longStart + "Alpha.\n" + `-- content/c.md --
+++
title = "Charlie Page"
[access]
allow = ["group:eng"]
+++
Charlie.
`
	for _, edit := range []string{"body", "title"} {
		t.Run(edit, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, site)
			b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
			if _, err := b.Rebuild(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			if edit == "body" {
				s.editFile("content/a.md", "+++\ntitle = \"Alpha Page\"\n+++\n"+longStart+"Alpha, edited.\n")
			} else {
				s.editFile("content/a.md", "+++\ntitle = \"Alpha Page Two\"\n+++\n"+longStart+"Alpha.\n")
			}
			res := rebuildEquals(t, s, b, "content/a.md")
			if res.Reused != 0 {
				t.Errorf("the %s path reports %d builds read back", edit, res.Reused)
			}
			if edit == "title" && b.retitles != 1 {
				t.Fatalf("the retitle path took %d of 1 retitles", b.retitles)
			}
			// a weight on the page only the eng build holds: the others
			// are as published
			s.editFile("content/c.md", "+++\ntitle = \"Charlie Page\"\nweight = 3\n[access]\nallow = [\"group:eng\"]\n+++\nCharlie.\n")
			res = rebuildEquals(t, s, b, "content/c.md")
			if want := len(res.Builds) - 1; res.Reused != want {
				t.Errorf("%d builds read back after a %s edit, want %d", res.Reused, edit, want)
			}
		})
	}
}

// TestRetitleWithoutVerify: the retitle path without the verifier (no
// tracer to make or words to move) publishes what a clean build does.
func TestRetitleWithoutVerify(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Plain"
base_url = "https://docs.example.com/"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
-- content/p.md --
+++
title = "Alpha Unique"
tags = ["one"]
date = 2024-05-01
aliases = ["/old-p/"]
+++
Alpha words, see [](l.md).
-- content/l.md --
+++
title = "Linker"
+++
`+longStart+"See [](p.md).\n")
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2, NoVerify: true})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	s.editFile("content/p.md", "+++\ntitle = \"Alpha Unique Two\"\ntags = [\"one\"]\ndate = 2024-05-01\naliases = [\"/old-p/\"]\n+++\nAlpha words, see [](l.md).\n")
	rebuildEquals(t, s, b, "content/p.md")
	if b.retitles != 1 {
		t.Fatalf("the retitle path took %d of 1 retitles", b.retitles)
	}
}

// TestRetitleTraceFails: a new title that a file of a build which may not
// see the page holds (an attachment: never a mention) fails the rebuild as
// a clean build fails, with the output untouched; the retitle path does
// not publish it.
func TestRetitleTraceFails(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Trace"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/pub.md --
+++
title = "Public Page"
+++
Public words, see [the data](data.csv).
-- content/data.csv --
name,value
Zeta Drafts,42
-- content/eng/_index.md --
+++
title = "Engineering Space"
[access]
allow = ["group:eng"]
+++
Eng.
-- content/eng/p.md --
+++
title = "Zeta Draft"
+++
Secret words.
`)
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	before := treeOf(t, s.out)
	s.editFile("content/eng/p.md", "+++\ntitle = \"Zeta Drafts\"\n+++\nSecret words.\n")
	_, rerr := b.Rebuild(context.Background(), []string{"content/eng/p.md"})
	_, cerr := New(Options{Site: s.dir, Out: filepath.Join(t.TempDir(), "clean"), Now: propNow, Workers: 2}).Build(context.Background())
	if rerr == nil || cerr == nil || rerr.Error() != cerr.Error() {
		t.Fatalf("rebuild error %v, clean build error %v", rerr, cerr)
	}
	if !maps2Equal(before, treeOf(t, s.out)) {
		t.Fatal("a failed rebuild changed the output")
	}
	if b.retitles != 0 {
		t.Fatalf("the retitle path published a trace")
	}
	// the title back: the retitle path publishes, equal to a clean build
	s.editFile("content/eng/p.md", "+++\ntitle = \"Zeta Draft\"\n+++\nSecret words.\n")
	rebuildEquals(t, s, b, "content/eng/p.md")
}
