package build

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/verify"
)

// TestRebuildKeepsScans: a rebuild whose site names the same pages and
// attachments by the same titles and URLs keeps the last scans (the
// verifier's index, and the references of files that did not change);
// a title edit makes a new index. TestPropertyRebuild checks the output.
func TestRebuildKeepsScans(t *testing.T) {
	t.Parallel()
	e := newESite(3)
	dir := t.TempDir()
	writeFiles(t, dir, e.files, nil)
	b := New(Options{Site: dir, Out: filepath.Join(dir, "public"), Now: propNow, Workers: 2})
	rebuild := func(changed ...string) *tracer {
		t.Helper()
		if _, err := b.Rebuild(context.Background(), changed); err != nil {
			t.Fatal(err)
		}
		if b.snap == nil || b.snap.tr == nil {
			t.Fatal("no verifier kept")
		}
		b.snap.settle()
		return b.snap.tr
	}
	first := rebuild()
	f := e.pickOf(e.pages(false))
	old := clone(e.files)
	e.files[f] = setKey(e.files[f], "weight", "3")
	writeFiles(t, dir, e.files, old)
	second := rebuild(f)
	if second == first || second.ix != first.ix {
		t.Fatalf("a weight edit made a new verifier index")
	}
	if len(second.cache) == 0 {
		t.Fatalf("no scans kept")
	}
	old = clone(e.files)
	e.files[f] = setKey(e.files[f], "title", fmt.Sprintf("%q", "Another title entirely"))
	writeFiles(t, dir, e.files, old)
	if third := rebuild(f); third.ix == second.ix {
		t.Fatalf("a title edit kept the verifier index")
	}
}

// TestRebuildPrunesScansOnceSettled: once a rebuild that rewrote a page
// (a weight and a body edit: the general path, keeping the last scans) has
// settled, the verifier keeps references of published files only: before
// the next rebuild starts, nothing of the page's old files is left.
func TestRebuildPrunesScansOnceSettled(t *testing.T) {
	t.Parallel()
	e := newESite(4)
	dir := t.TempDir()
	writeFiles(t, dir, e.files, nil)
	b := New(Options{Site: dir, Out: filepath.Join(dir, "public"), Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	before := maps.Clone(b.snap.outputs)
	f := e.pickOf(e.pages(true))
	old := clone(e.files)
	e.files[f] = setKey(e.files[f], "weight", "7") + "\nA paragraph the page did not have.\n"
	writeFiles(t, dir, e.files, old)
	if _, err := b.Rebuild(context.Background(), []string{f}); err != nil {
		t.Fatal(err)
	}
	if maps.Equal(before, b.snap.outputs) {
		t.Fatalf("editing %s changed no file", f)
	}
	b.snap.settle()
	keep := map[traceKey]bool{}
	for rl, k := range b.snap.outputs {
		_, name, _ := strings.Cut(rl, "/")
		keep[refsKey(k, name)] = true
	}
	tr := b.snap.tr
	if len(tr.cache) == 0 {
		t.Fatal("no references kept")
	}
	for k := range tr.cache {
		if !keep[k] {
			t.Fatalf("references of %v, which no published file has, outlive the rebuild", k)
		}
	}
}

// TestRebuildRetitleKeepsExactScans: after title edits, the references the
// verifier holds for every file equal a fresh scan of the file with the
// new index, and most of them were kept rather than scanned. The new
// titles include titles of other pages, so that files that did not change
// gain references to the retitled page, and files naming the old title
// lose them.
func TestRebuildRetitleKeepsExactScans(t *testing.T) {
	t.Parallel()
	e := newESite(5)
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	writeFiles(t, dir, e.files, nil)
	b := New(Options{Site: dir, Out: out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	titles := func() []string {
		var ts []string
		for _, p := range b.snap.s.tree.Pages {
			if !p.Generated && !verify.LowInfo(p.Title) {
				ts = append(ts, p.Title)
			}
		}
		return ts
	}
	kept, unread, keptWords, keptMentions := int64(0), int64(0), 0, 0
	var f string
	for step := 0; step < 8; step++ {
		// even steps give a page the title of another (files that did
		// not change gain references to it), odd ones give the same page
		// a new title (those files lose them)
		title := e.gen.title() + " " + e.pickOf(propProse)
		if step%2 == 0 {
			f = e.pickOf(e.pages(false))
			title = e.pickOf(titles())
		}
		old := clone(e.files)
		e.files[f] = setKey(e.files[f], "title", fmt.Sprintf("%q", title))
		writeFiles(t, dir, e.files, old)
		if _, err := b.Rebuild(context.Background(), []string{f}); err != nil {
			clean := New(Options{Site: dir, Out: filepath.Join(t.TempDir(), "public"), Now: propNow, Workers: 2})
			if _, cerr := clean.Rebuild(context.Background(), nil); cerr == nil {
				t.Fatalf("step %d (%s retitled %q): the rebuild fails, a clean build does not: %v", step, f, title, err)
			}
			continue
		}
		b.snap.settle()
		tr := b.snap.tr
		if tr.prev != nil {
			t.Fatal("the last tracer's references outlive the rebuild")
		}
		kept += tr.kept.Load()
		unread += tr.keptByWords.Load()
		checked := 0
		for rl, key := range b.snap.outputs {
			_, name, _ := strings.Cut(rl, "/")
			refs, ok := tr.cache[refsKey(key, name)]
			if !ok {
				continue
			}
			data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rl)))
			if err != nil {
				t.Fatal(err)
			}
			want, words := tr.ix.RefsWords(name, data)
			if !slices.Equal(refs, want) {
				t.Fatalf("step %d (%s retitled %q): %s: kept references %v, a scan finds %v", step, f, title, rl, refs, want)
			}
			if kw, ok := tr.textWords[refsKey(key, name)]; ok && (words == nil || *kw != *words) {
				t.Fatalf("step %d (%s retitled %q): %s: the words kept are not those a scan finds", step, f, title, rl)
			}
			checked++
		}
		if checked == 0 {
			t.Fatalf("step %d: no file checked", step)
		}
		// what bodies mention, partly taken from the last mentions, is
		// what a fresh search finds
		// (found here when the rebuild did not need them, as a later
		// rebuild may)
		tr.m.bodyOnce.Do(func() { tr.s.findBodyMentions(tr.m) })
		if m := tr.m; m.bodies != nil {
			keptMentions += m.kept
			fresh := &mentions{ix: tr.ix}
			tr.s.findBodyMentions(fresh)
			if !maps.EqualFunc(m.bodyTitles, fresh.bodyTitles, slices.Equal) || !maps.EqualFunc(m.codeURLs, fresh.codeURLs, slices.Equal) {
				t.Fatalf("step %d (%s retitled %q): the bodies' mentions differ from those found afresh", step, f, title)
			}
		}
		// the search gate's words, partly kept, are those of every page
		fresh := &tracer{s: tr.s}
		bs := newBodies(tr.s, b.snap.plan)
		if want, got := fresh.words(bs), tr.words(bs); !maps.EqualFunc(want, got, slices.Equal) {
			t.Fatalf("step %d: the search gate's words differ from those found afresh", step)
		}
		keptWords += tr.vocab.kept
	}
	if kept == 0 {
		t.Fatal("no file's references were kept across a title edit")
	}
	if unread == 0 {
		t.Fatal("no file was cleared of a new title by its words")
	}
	if keptMentions == 0 {
		t.Fatal("no body's mentions were taken from the last rebuild's")
	}
	if keptWords == 0 {
		t.Fatal("no page's words were kept across a title edit")
	}
}

// TestRebuildReadsBackUnchangedBuilds: a title edit of a page some builds
// do not hold leaves those builds as they were: they are read back from
// the output folder, not rendered, and the output equals a clean build's.
// A build whose published files someone changed is rendered again.
func TestRebuildReadsBackUnchangedBuilds(t *testing.T) {
	t.Parallel()
	var e *eSite
	var dir, out string
	var b *Builder
	for seed := uint64(1); ; seed++ { // a generated site that builds
		e, dir = newESite(seed), t.TempDir()
		out = filepath.Join(dir, "public")
		writeFiles(t, dir, e.files, nil)
		b = New(Options{Site: dir, Out: out, Now: propNow, Workers: 2})
		b.shardSize = propShardSize
		if _, err := b.Rebuild(context.Background(), nil); err == nil {
			break
		} else if seed == 20 {
			t.Fatal(err)
		}
	}
	clean := func() {
		t.Helper()
		sameTrees(t, out, cleanBuild(t, dir, propShardSize))
	}
	// a page that some build does not hold
	var page string
	var holders int
	for _, f := range e.pages(false) {
		i, ok := b.snap.pageOf(f)
		if !ok {
			continue
		}
		n := 0
		for _, bp := range b.snap.plan.builds {
			if bp.r.Present.Has(i) {
				n++
			}
		}
		if n > 0 && n < len(b.snap.plan.builds) {
			page, holders = f, n
			break
		}
	}
	if page == "" {
		t.Fatal("no page that some build does not hold")
	}
	retitle := func(title string) *Result {
		t.Helper()
		old := clone(e.files)
		e.files[page] = setKey(e.files[page], "title", fmt.Sprintf("%q", title))
		writeFiles(t, dir, e.files, old)
		res, err := b.Rebuild(context.Background(), []string{page})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := retitle("Zephyr quarterly almanac")
	if want := len(res.Builds) - holders; res.Reused != want {
		t.Fatalf("%d builds read back, want the %d that do not hold %s", res.Reused, want, page)
	}
	clean()
	// someone changes a published file of a build that will be read back
	var victim string
	for _, bp := range b.snap.plan.builds {
		i, _ := b.snap.pageOf(page)
		if !bp.r.Present.Has(i) {
			victim = filepath.Join(out, bp.r.Dir, "_facet", "nav.js")
			break
		}
	}
	if err := os.WriteFile(victim, []byte("// changed by hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = retitle("Zephyr quarterly almanac, revised")
	if want := len(res.Builds) - holders - 1; res.Reused != want {
		t.Fatalf("%d builds read back after a published file changed, want %d", res.Reused, want)
	}
	clean()
}

// TestRebuildWhoCanSeeNotReadBack: a rule edit on a section changes who
// can read a page under it in a member build that holds the page (by a
// grant) but not the section: that build holds the same pages, with the
// same frontmatter, but its "who can see" lists change, so it is
// rendered, not read back.
func TestRebuildWhoCanSeeNotReadBack(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, whoSite)
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	s.editFile("content/eng/_index.md", "+++\ntitle = \"Eng\"\n[access]\nallow = [\"group:eng\", \"user:zed@example.com\"]\n+++\nEng.\n")
	res, err := b.Rebuild(context.Background(), []string{"content/eng/_index.md"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reused == 0 {
		t.Fatal("no build read back: the edit leaves some build as it was")
	}
	if s.man, _, err = manifest.Read(s.out); err != nil {
		t.Fatal(err)
	}
	nav, ok := s.read("user:boss@example.com", render.NavPath)
	if !ok || !strings.Contains(nav, "Member: zed@example.com") {
		t.Fatalf("boss's nav.js does not name the new reader of API:\n%s", nav)
	}
	sameTrees(t, s.out, cleanBuild(t, s.dir, 0))
}

// TestRebuildWordsFollowLinkTitles: a page whose empty link takes another
// page's title holds that title's words; when the title changes, the
// search gate takes the new words for the linking page too, not the kept
// ones.
func TestRebuildWordsFollowLinkTitles(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Words"
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/a.md --
+++
title = "Alpha"
+++
See [](b.md).
-- content/b.md --
+++
title = "Bravo Ledger"
+++
Bravo.
-- content/c.md --
+++
title = "Charlie"
[access]
allow = ["group:eng"]
+++
Charlie is unchanged.
`)
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	b.shardSize = propShardSize // search shards, which the gate checks by its words
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	s.editFile("content/b.md", "+++\ntitle = \"Zanzibar Ledger\"\n+++\nBravo.\n")
	if _, err := b.Rebuild(context.Background(), []string{"content/b.md"}); err != nil {
		t.Fatal(err)
	}
	b.snap.settle()
	tr := b.snap.tr
	words := tr.words(newBodies(tr.s, b.snap.plan))
	a, ok := b.snap.pageOf("content/a.md")
	if !ok {
		t.Fatal("no page a")
	}
	if !slices.Contains(words["zanzibar"], int32(a)) || slices.Contains(words["bravo"], int32(a)) {
		t.Fatalf("the linking page's words do not follow the new title: zanzibar %v, bravo %v", words["zanzibar"], words["bravo"])
	}
	if tr.vocab.kept == 0 {
		t.Fatal("no page's words were kept")
	}
}

// TestRebuildMentionsFollowRetitlesAndBodies: what bodies mention is
// taken from the last rebuild's only where it still holds. A body that
// holds a page's new title mentions it after the retitle, one whose
// words cannot hold it keeps what it mentioned, and a body edited since
// (on the fast path, which keeps the mentions) is searched again.
func TestRebuildMentionsFollowRetitlesAndBodies(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Mentions"
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
-- content/a.md --
+++
title = "Alpha"
+++
We plan the Quasar Kickoff with the Bravo Ledger team, and much else besides: a long page.
-- content/b.md --
+++
title = "Bravo Ledger"
+++
Bravo has many words of its own that say little of anything in particular.
-- content/c.md --
+++
title = "Charlie"
[access]
allow = ["group:eng"]
+++
Charlie is unchanged.
`)
	b := New(Options{Site: s.dir, Out: s.out, Now: propNow, Workers: 2})
	if _, err := b.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	page := func(f string) int {
		i, ok := b.snap.pageOf(f)
		if !ok {
			t.Fatalf("no page %s", f)
		}
		return i
	}
	a, bravo, c := page("content/a.md"), page("content/b.md"), page("content/c.md")
	// what the rebuild's mentions hold, found if it did not need them,
	// against a fresh search with the same index
	check := func(step string) *mentions {
		t.Helper()
		b.snap.settle()
		tr := b.snap.tr
		tr.m.bodyOnce.Do(func() { tr.s.findBodyMentions(tr.m) })
		fresh := &mentions{ix: tr.ix}
		tr.s.findBodyMentions(fresh)
		if !maps.EqualFunc(tr.m.bodyTitles, fresh.bodyTitles, slices.Equal) {
			t.Fatalf("%s: bodies mention %v, a fresh search finds %v", step, tr.m.bodyTitles, fresh.bodyTitles)
		}
		return tr.m
	}
	check("first build")
	edit := func(f, data string) {
		t.Helper()
		s.editFile(f, data)
		if _, err := b.Rebuild(context.Background(), []string{f}); err != nil {
			t.Fatal(err)
		}
	}
	// c takes a title a's body holds
	edit("content/c.md", "+++\ntitle = \"Quasar Kickoff\"\n[access]\nallow = [\"group:eng\"]\n+++\nCharlie is unchanged.\n")
	m := check("c retitled")
	if !slices.Contains(m.bodyTitles[c], a) {
		t.Fatalf("a's body does not mention c's new title: %v", m.bodyTitles[c])
	}
	if m.kept == 0 {
		t.Fatal("no body's mentions were taken from the last rebuild's")
	}
	// a's body changes past its start (the fast path keeps the tracer),
	// then b is retitled: a's old mentions must not be taken
	edit("content/a.md", "+++\ntitle = \"Alpha\"\n+++\nWe plan the Quasar Kickoff with the Bravo Ledger team, and much else besides: a long page. Also the Zanzibar Ledger.\n")
	edit("content/b.md", "+++\ntitle = \"Zanzibar Ledger\"\n+++\nBravo has many words of its own that say little of anything in particular.\n")
	m = check("a edited, b retitled")
	if !slices.Contains(m.bodyTitles[bravo], a) {
		t.Fatalf("a's edited body does not mention b's new title: %v", m.bodyTitles[bravo])
	}
	// c retitled away: a no longer mentions it
	edit("content/c.md", "+++\ntitle = \"Charlie Delta\"\n[access]\nallow = [\"group:eng\"]\n+++\nCharlie is unchanged.\n")
	m = check("c retitled again")
	if slices.Contains(m.bodyTitles[c], a) {
		t.Fatalf("a's body still mentions c's old title: %v", m.bodyTitles[c])
	}
}
