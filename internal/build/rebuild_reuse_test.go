package build

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// rebuildEquals rebuilds b after the edits, then checks that the output
// equals a clean build's, and that both fail or succeed alike.
func rebuildEquals(t *testing.T, s *testSite, b *Builder, changed ...string) *Result {
	t.Helper()
	res, rerr := b.Rebuild(context.Background(), changed)
	cleanOut := filepath.Join(t.TempDir(), "clean")
	_, cerr := New(Options{Site: s.dir, Out: cleanOut, Now: propNow, Workers: 2}).Build(context.Background())
	if (rerr == nil) != (cerr == nil) {
		t.Fatalf("rebuild error %v, clean build error %v", rerr, cerr)
	}
	if rerr != nil {
		return nil
	}
	sameTrees(t, s.out, cleanOut)
	return res
}

// sameTrees fails the test when the output folder out differs from the
// clean build's, clean.
func sameTrees(t *testing.T, out, clean string) {
	t.Helper()
	if diffs := compareTrees(treeOf(t, out), treeOf(t, clean)); len(diffs) > 0 {
		t.Fatalf("the rebuild differs from a clean build:\n  %s", strings.Join(diffs[:min(10, len(diffs))], "\n  "))
	}
}

// cleanBuild builds site into a new folder, with search shards cut at
// shard bytes (0 for the default), and returns the folder.
func cleanBuild(t *testing.T, site string, shard int) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "clean")
	c := New(Options{Site: site, Out: out, Now: propNow, Workers: 2})
	c.shardSize = shard
	if _, err := c.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRebuildAliasFollowsNearPage: a build writes an alias's redirect only
// when it holds the alias's nearest page. A members-only page added above
// an alias of a public page makes the public builds, which hold the same
// pages as before, drop the redirect; removing it makes them write it
// again.
func TestRebuildAliasFollowsNearPage(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Alias"
[access]
allow = ["anyone"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/guide/new.md --
+++
title = "New place"
aliases = ["/old/path/"]
+++
Moved here.
`)
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	s.editFile("content/old.md", "+++\ntitle = \"Old\"\n[access]\nallow = [\"group:eng\"]\n+++\nOld.\n")
	rebuildEquals(t, s, b, "content/old.md")
	s.editFile("content/old.md", "")
	rebuildEquals(t, s, b, "content/old.md")
}

// TestRebuildFollowsGitDates: a page's date of last change comes from git
// history, which no content file holds: once the site is committed, the
// next rebuild shows the dates in every build, also in the builds whose
// pages did not change.
func TestRebuildFollowsGitDates(t *testing.T) {
	t.Parallel()
	for _, edit := range []string{"title", "body"} {
		t.Run(edit, func(t *testing.T) {
			t.Parallel()
			checkGitDates(t, edit)
		})
	}
}

// gitBody is the start of a page's body, long enough that an edit after
// it keeps the text lists show.
var gitBody = "Charlie. " + strings.Repeat("Words that fill the start of the page. ", 12) + "\n\n"

// checkGitDates commits the site between two rebuilds, and edits a
// page's title or body: the paths of Rebuild that keep the renderer
// (rebuild_fast.go, rebuild_retitle.go) must not keep the dates too.
func checkGitDates(t *testing.T, edit string) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	s := newTestSite(t, `
-- config/site.toml --
title = "Dates"
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
Alpha.
-- content/c.md --
+++
title = "Charlie Page"
[access]
allow = ["group:eng"]
+++
`+gitBody+"End.\n")
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = s.dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Docs", "GIT_AUTHOR_EMAIL=docs@example.com",
			"GIT_COMMITTER_NAME=Docs", "GIT_COMMITTER_EMAIL=docs@example.com",
			"GIT_AUTHOR_DATE=2024-03-05T10:00:00Z", "GIT_COMMITTER_DATE=2024-03-05T10:00:00Z")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", "content")
	git("commit", "-q", "-m", "content")
	if edit == "title" {
		s.editFile("content/c.md", "+++\ntitle = \"Charlie Renamed\"\n[access]\nallow = [\"group:eng\"]\n+++\n"+gitBody+"End.\n")
	} else {
		// past the start of the text, so that the fast path takes it
		s.editFile("content/c.md", "+++\ntitle = \"Charlie Page\"\n[access]\nallow = [\"group:eng\"]\n+++\n"+gitBody+"The end.\n")
	}
	rebuildEquals(t, s, b, "content/c.md")
}
