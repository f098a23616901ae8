package gateway

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/access"
)

// floodPath is a unique path of about n bytes that no build holds.
func floodPath(i, n int) string {
	seg := strings.Repeat("x", 100)
	p := fmt.Sprintf("/flood/%d/", i)
	for len(p) < n {
		p += seg + "/"
	}
	return p
}

// setPathLimit lowers the current generation's path budget for a test.
func setPathLimit(s *Server, n int64) *fileCache {
	c := s.current.Load().files
	c.mu.Lock()
	c.pathLimit = n
	c.mu.Unlock()
	return c
}

func accounted(c *fileCache) (paths, missing int64, entries int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for range c.entries.Range {
		n++
	}
	return c.pathBytes, c.missingBytes, n
}

// A flood of unique long paths, anonymous and signed in, keeps the paths'
// accounted bytes under the budget, and the site's own files stay served
// (and remembered) throughout.
func TestMissingPathFloodStaysInBudget(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	const limit = 64 << 10
	c := setPathLimit(s, limit)
	member := cookies(s.testCookie(t, "bob@example.com", true))
	for _, n := range []int{20, 300, 1000, 4000} {
		for i := range 400 {
			who := []*http.Cookie(nil)
			if i%2 == 1 {
				who = member
			}
			if r := get(s, floodPath(i+n*1000, n), who); r.StatusCode == http.StatusOK {
				t.Fatalf("flood path %d answered 200", i)
			}
			if paths, missing, _ := accounted(c); paths > limit || missing > paths {
				t.Fatalf("after %d paths of %d bytes: %d bytes accounted (%d missing), budget %d", i+1, n, paths, missing, limit)
			}
		}
		if r := get(s, "/style.css", nil); r.StatusCode != http.StatusOK || !strings.HasPrefix(body(t, r), "body{") {
			t.Fatalf("style.css during a flood: %d", r.StatusCode)
		}
	}
	if _, _, entries := accounted(c); entries == 0 || entries > limit/entryOverhead {
		t.Errorf("%d entries remembered for a budget of %d bytes", entries, limit)
	}
}

// The budget bounds the process, not only the accounting: a flood of
// unique 1 KB paths many times the budget grows the heap by about the
// budget at most. Not parallel, so other tests do not move the heap.
func TestMissingPathFloodBoundsHeap(t *testing.T) {
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	const limit = 1 << 20
	setPathLimit(s, limit)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 16000 // about 16 MB of paths
	for i := range n {
		get(s, floodPath(i, 1000), nil)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4*limit {
		t.Errorf("%d paths of 1 KB grew the heap by %d bytes; budget %d", n, grew, limit)
	}
	runtime.KeepAlive(s)
}

// Build choices are bounded by bytes: many identities with long addresses
// and many groups keep the cache's accounted bytes under its bound, and
// every identity is still served its build.
func TestChoiceCacheStaysInBudget(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	st := s.current.Load()
	long := strings.Repeat("g", 2000)
	want := st.choose(access.Identity{Kind: access.Member, Email: "bob@example.com", Groups: []string{"eng"}}, func(access.Identity, choice) {})
	for i := range 6000 {
		id := access.Identity{Kind: access.Member, Email: fmt.Sprintf("%d%s@example.com", i, strings.Repeat("m", 1000)), Groups: []string{"eng", fmt.Sprintf("%d%s", i, long)}}
		if c := st.choose(id, func(access.Identity, choice) {}); c.build != want.build {
			t.Fatalf("identity %d served build %d, want %d", i, c.build, want.build)
		}
		if n := st.choiceBytes.Load(); n > maxChoiceBytes {
			t.Fatalf("after %d identities the choices account %d bytes, bound %d", i+1, n, maxChoiceBytes)
		}
	}
	var sum int64
	st.choices.Range(func(k, v any) bool { sum += choiceCost(k.(string), v.(choice)); return true })
	if sum != st.choiceBytes.Load() || sum == 0 {
		t.Errorf("choices cost %d, accounted %d", sum, st.choiceBytes.Load())
	}
}

// The combinations remembered as written to wanted.json are bounded by
// bytes, and a remembered one is not written again.
func TestWantedSeenStaysInBudget(t *testing.T) {
	t.Parallel()
	var w wanted
	for _, size := range []int{10, 3000, 100000} {
		for i := range 2000 {
			key := fmt.Sprintf("gen\x00%d%s", i, strings.Repeat("g", size))
			w.remember(key)
			if !w.seen[key] || w.seenBytes > maxSeenBytes {
				t.Fatalf("size %d, key %d: remembered %v, %d bytes, bound %d", size, i, w.seen[key], w.seenBytes, maxSeenBytes)
			}
		}
	}
	sum := 0
	for k := range w.seen {
		sum += 64 + len(k)
	}
	if sum != w.seenBytes {
		t.Errorf("keys cost %d, accounted %d", sum, w.seenBytes)
	}
}
