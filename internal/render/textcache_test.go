package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTextCacheSameOutput: renderers that read body texts through one
// cache, each a build after the other and a renderer after another (as a
// Builder's rebuilds do), write what renderers without it write; the
// cache holds one text per distinct body, keeps them across renderers,
// forgets at a Sweep those not asked for, and stays within its bound.
func TestTextCacheSameOutput(t *testing.T) {
	t.Parallel()
	f := newFixture()
	guest := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	builds := []*Target{f.anon, guest, f.eng}
	c := NewTextCache(1 << 20)
	for round := range 2 {
		cached := newRenderer(t, Site{Title: "Docs"}, f.tree)
		cached.UseTexts(c)
		plain := newRenderer(t, Site{Title: "Docs"}, f.tree)
		for _, b := range builds {
			want, got := render(t, plain, b, f.bodies), render(t, cached, b, f.bodies)
			for _, p := range sortedPaths(want) {
				if diff := cmp.Diff(string(want[p]), string(got[p])); diff != "" {
					t.Errorf("round %d, %s: %s (-plain +cached):\n%s", round, b.Dir, p, diff)
				}
			}
			if len(want) != len(got) {
				t.Errorf("round %d, %s: %d files, cached %d", round, b.Dir, len(want), len(got))
			}
		}
		n, bytes := c.Len()
		if n == 0 || bytes <= 0 {
			t.Fatalf("round %d: the cache holds %d texts (%d bytes)", round, n, bytes)
		}
		if round == 0 {
			c.Sweep() // every text was asked for: all kept
			if m, _ := c.Len(); m != n {
				t.Errorf("a Sweep after a render that asked for all %d texts left %d", n, m)
			}
		}
	}
	c.Sweep()
	c.Sweep() // nothing asked for since the last
	if n, bytes := c.Len(); n != 0 || bytes != 0 {
		t.Errorf("two Sweeps with nothing asked for left %d texts, %d bytes", n, bytes)
	}
	small := NewTextCache(200)
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	r.UseTexts(small)
	render(t, r, f.eng, f.bodies)
	if _, bytes := small.Len(); bytes > 200 {
		t.Errorf("a cache bounded at 200 bytes accounts %d", bytes)
	}
}
