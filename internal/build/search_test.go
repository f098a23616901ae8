package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/verify"
)

// searchBase adds to leakBase a members-only page whose body, deep down
// and in code, holds words no other page has.
const searchBase = leakBase + `
-- content/deep.md --
+++
title = "Deep Notes"
[access]
allow = ["members"]
+++
Intro.

## Later

` + "Filler words here.\n\nThe zanzibarquokka lives here.\n\n```go\nfunc ParseQuokkaLedger() {}\n```\n"

// shardTerms reads every term of a build's search shards.
func shardTerms(t *testing.T, s *testSite, aud string) map[string]bool {
	t.Helper()
	dir := filepath.Join(s.dirOf(aud), filepath.FromSlash(render.SearchDir), "w")
	names, err := filepath.Glob(filepath.Join(dir, "*.js"))
	if err != nil || len(names) == 0 {
		t.Fatalf("%s: no search shards in %s (%v)", aud, dir, err)
	}
	terms := map[string]bool{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := verify.ShardTerms(data)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		for _, term := range ts {
			terms[term] = true
		}
	}
	return terms
}

// A hidden page's words, body and code alike, are in no file of a build
// that may not see it, search shards and fragments included; the build
// that sees it can search them.
func TestSearchHiddenWords(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, searchBase).build()
	words := []string{"zanzibarquokka", "quokka", "parsequokkaledger", "pangolin"}
	s.assertNoTrace("anonymous", append([]string{"zanzibarquokka", "Quokka", "quokka", "Deep Notes"}, leakNeedles...)...)
	anon, members := shardTerms(t, s, "anonymous"), shardTerms(t, s, "members")
	for _, w := range words {
		if anon[w] {
			t.Errorf("anonymous search shards hold %q", w)
		}
		if !members[w] {
			t.Errorf("members search shards lack %q", w)
		}
	}
	for _, w := range []string{"home", "child", "public"} {
		if !anon[w] {
			t.Errorf("anonymous search shards lack %q of a public page", w)
		}
	}
}

// gateFixture loads and plans a site as Build does, for feeding the gate
// files directly.
func gateFixture(t *testing.T, archive string) (*loadedSite, *tracer, *bodies, map[string]*buildPlan) {
	t.Helper()
	ts := newTestSite(t, archive)
	s, err := load(ts.dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.convert(context.Background(), 1, func(error) {}, newProgress(nil, time.Now()), nil); err != nil {
		t.Fatal(err)
	}
	p := s.planAt(nil, time.Now())
	byAud := map[string]*buildPlan{}
	for _, bp := range p.builds {
		for _, a := range bp.audiences {
			byAud[a.ID] = bp
		}
	}
	return s, s.newTracer(s.findMentions(nil)), newBodies(s, p), byAud
}

// The gate reads every search shard: a hidden page's unique body word
// planted in a shard fails it with a WordLeak naming the word and the
// page; its title fails it like in any file; the same shard passes in the
// build that sees the page, and a shard the gate cannot read fails.
func TestGateSearchShard(t *testing.T) {
	t.Parallel()
	_, tr, bs, builds := gateFixture(t, searchBase)
	anon, members := builds["anonymous"], builds["members"]
	if anon == nil || members == nil {
		t.Fatalf("builds: %v", slices.Collect(func(yield func(string) bool) {
			for k := range builds {
				if !yield(k) {
					return
				}
			}
		}))
	}
	shard := func(terms ...string) []byte {
		var b strings.Builder
		b.WriteString("facetSearch({")
		for i, term := range terms {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:\"!!#$\"", term)
		}
		b.WriteString("});\n")
		return []byte(b.String())
	}
	n := 0
	check := func(bp *buildPlan, data []byte) error {
		n++
		return tr.check(bp, bs, render.SearchDir+"w/0.js", data, fileKey{a: uint64(n), n: len(data)})
	}
	if err := check(anon, shard("child", "home", "public")); err != nil {
		t.Errorf("a shard of public words fails: %v", err)
	}
	for _, word := range []string{"zanzibarquokka", "quokka", "parsequokkaledger"} {
		err := check(anon, shard("child", word, "public"))
		var wl *verify.WordLeak
		if !errors.As(err, &wl) || wl.Term != word || !slices.Contains(wl.Pages, "content/deep.md") {
			t.Errorf("planting %q: err %v, want a WordLeak of content/deep.md", word, err)
		}
		if err := check(members, shard("child", word, "public")); err != nil {
			t.Errorf("planting %q in members: %v", word, err)
		}
	}
	var leak *verify.Leak
	if err := check(anon, shard("child", "pangolin lounge")); !errors.As(err, &leak) {
		t.Errorf("a hidden title in a shard: err %v, want a Leak", err)
	}
	if err := check(anon, []byte(`facetSearch({"child":"a\"b"});`+"\n")); err == nil {
		t.Errorf("an unreadable shard passes")
	}
	// Fragments and the index go through the title and URL scan.
	err := tr.check(anon, bs, render.SearchDir+"f/3.js", []byte(`facetSearch({"t":"x","u":"lounge/","h":[],"x":[""]});`+"\n"), fileKey{a: 99})
	if !errors.As(err, &leak) {
		t.Errorf("a hidden page's fragment: err %v, want a Leak", err)
	}
}

// checkSearch is TestPropertyNoTrace's check of a build's search index
// (checkBuild already finds no hidden canary in any of its files): every
// visible page's canary, a word of its body, is a term of the build's
// shards, so that the index under test is not empty or stale.
func (s *propSite) checkSearch(t *testing.T, root, id string, vis map[*pNode]bool) []problem {
	names, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(render.SearchDir), "w", "*.js"))
	if err != nil {
		t.Fatal(err)
	}
	terms := map[string]bool{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := verify.ShardTerms(data)
		if err != nil {
			return []problem{{"search: unreadable shard", fmt.Sprintf("build %s: %s: %v", id, n, err)}}
		}
		for _, term := range ts {
			terms[term] = true
		}
	}
	var probs []problem
	for n := range vis {
		if n.kind != "file" && n.canary != "" && strings.Contains(n.body, n.canary) && !terms[n.canary] {
			probs = append(probs, problem{"search: a visible page's word is not indexed",
				fmt.Sprintf("build %s: canary %q of %s is in no search shard", id, n.canary, n.file)})
		}
	}
	return probs
}

// TestRefsFoundOnce: callers asking for the references of the same file
// at the same time (builds rendered side by side meet the same page file
// together) read and scan it once; the others wait for its references.
func TestRefsFoundOnce(t *testing.T) {
	_, tr, _, _ := gateFixture(t, searchBase)
	k := traceKey{fileKey{a: 1, b: 2, n: 22}, "a/index.html"}
	var loads atomic.Int32
	release := make(chan struct{})
	bytesOf := func() ([]byte, error) {
		loads.Add(1)
		<-release
		return []byte("<p>nothing of note</p>"), nil
	}
	const n = 6
	var waiting sync.WaitGroup
	waiting.Add(n - 1)
	tr.waiting = waiting.Done
	var wg sync.WaitGroup
	got := make([]verify.Packed, n)
	for i := range n {
		wg.Go(func() {
			refs, err := tr.refsOf(k, bytesOf)
			if err != nil {
				t.Error(err)
			}
			got[i] = refs
		})
	}
	waited := make(chan struct{})
	go func() { waiting.Wait(); close(waited) }()
	select {
	case <-waited: // every caller but the first waits for its scan
	case <-time.After(10 * time.Second):
		close(release)
		wg.Wait()
		t.Fatalf("the callers did not wait for one scan: the file was read %d times", loads.Load())
	}
	close(release)
	wg.Wait()
	if l := loads.Load(); l != 1 {
		t.Errorf("the file was read %d times for %d callers, want once", l, n)
	}
	for i := range got {
		if !slices.Equal(got[i], got[0]) {
			t.Errorf("caller %d got %v, caller 0 %v", i, got[i], got[0])
		}
	}
	failing := traceKey{fileKey{a: 3, b: 4, n: 2}, "b/index.html"}
	if _, err := tr.refsOf(failing, func() ([]byte, error) { return nil, os.ErrNotExist }); err == nil {
		t.Error("a file that cannot be read has references")
	}
	if _, err := tr.refsOf(failing, func() ([]byte, error) { return []byte("ok"), nil }); err != nil {
		t.Errorf("after a failed read the file cannot be scanned: %v", err)
	}
}
