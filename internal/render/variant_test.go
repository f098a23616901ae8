package render

import (
	"bytes"
	"context"
	"strings"

	"math/rand/v2"
	"slices"
	"testing"

	"github.com/facet-docs/facet/internal/content"
	"github.com/google/go-cmp/cmp"
)

// TestPackVariant holds that a packed variant gives back every term it
// was made of, with its info, by ascending id.
func TestPackVariant(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		seen := map[uint64]bool{}
		var terms []uint64
		for range r.IntN(600) {
			id := uint64(r.IntN(1 << 22))
			if r.IntN(10) == 0 {
				id = uint64(r.Uint32())
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			terms = append(terms, id<<32|uint64(r.Uint32()))
		}
		want := slices.Clone(terms)
		slices.Sort(want)
		var got []uint64
		packVariant(terms).each(func(x uint64) { got = append(got, x) })
		if !slices.Equal(got, want) {
			t.Fatalf("packed %d terms, got back %d, first difference in %v", len(want), len(got), firstDiffU(got, want))
		}
	}
}

func firstDiffU(a, b []uint64) [2]uint64 {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return [2]uint64{a[i], b[i]}
		}
	}
	return [2]uint64{}
}

// TestExpectReleases holds that a Renderer told its builds drops what it
// kept for each page once the last build holding the page has written
// it, keeps it while one has still to, and that the files are the same
// bytes as a Renderer that keeps everything writes, RenderPage after the
// builds included.
func TestExpectReleases(t *testing.T) {
	t.Parallel()
	f := newFixture()
	site := Site{Title: "Docs", Theme: Theme{Backlinks: true}}
	keep := newRenderer(t, site, f.tree)
	drop := newRenderer(t, site, f.tree)
	drop.Expect([]*Target{f.anon, f.eng})
	kept := func(r *Renderer) (n int) {
		for i := range r.parts {
			pp := &r.parts[i]
			if pp.skel != nil || pp.terms != nil {
				n++
			}
		}
		return n
	}
	for _, b := range []*Target{f.anon, f.eng} {
		want, got := render(t, keep, b, f.bodies), render(t, drop, b, f.bodies)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("build %s differs when pieces are dropped (-kept +dropped):\n%s", b.Dir, diff)
		}
		if b == f.anon && kept(drop) == 0 {
			t.Fatalf("after the first build nothing is kept, though the second holds every page")
		}
	}
	if n := kept(drop); n != 0 {
		t.Errorf("after the last build, pieces of %d pages are still kept", n)
	}
	if kept(keep) == 0 {
		t.Fatalf("a Renderer not told its builds kept nothing: the test no longer sees what Expect drops")
	}
	for i, p := range f.tree.Pages {
		if p.IsSection || !f.eng.Present.Has(i) {
			continue
		}
		var want, got []byte
		err1 := keep.RenderPage(context.Background(), f.eng, f.bodies, i, func(_ string, d []byte) error { want = bytes.Clone(d); return nil })
		err2 := drop.RenderPage(context.Background(), f.eng, f.bodies, i, func(_ string, d []byte) error { got = bytes.Clone(d); return nil })
		if err1 != nil || err2 != nil {
			t.Fatalf("RenderPage %s: %v, %v", p.URL, err1, err2)
		}
		if want == nil || !bytes.Equal(want, got) {
			t.Errorf("RenderPage %s differs after its pieces were dropped", p.URL)
		}
	}
}

// TestSearchTermsPerVersion holds that the search terms a Renderer reuses
// between builds are those of the text each build holds: a Renderer that
// rendered other builds first writes the same search files as a new one;
// the home page, whose body differs between the builds only in a link,
// has one version of its terms, and a page whose text differs has two.
func TestSearchTermsPerVersion(t *testing.T) {
	t.Parallel()
	f := newFixture()
	site := Site{Title: "Docs", Theme: Theme{Backlinks: true}}
	search := func(files map[string][]byte) map[string][]byte {
		out := map[string][]byte{}
		for name, data := range files {
			if strings.HasPrefix(name, SearchDir) {
				out[name] = data
			}
		}
		return out
	}
	shared := newRenderer(t, site, f.tree)
	var got []map[string][]byte
	for _, b := range []*Target{f.anon, f.eng, f.anon, f.eng} {
		got = append(got, search(render(t, shared, b, f.bodies)))
	}
	for k, b := range []*Target{f.anon, f.eng, f.anon, f.eng} {
		want := search(render(t, newRenderer(t, site, f.tree), b, f.bodies))
		if len(want) == 0 {
			t.Fatalf("build %s: no search files", b.Dir)
		}
		if diff := cmp.Diff(want, got[k]); diff != "" {
			t.Errorf("build %s, render %d: search files differ from a new Renderer's (-new +shared):\n%s", b.Dir, k+1, diff)
		}
	}
	for url, want := range map[string]int{"/": 1, "/secret/shared/": 2} {
		i := slices.IndexFunc(f.tree.Pages, func(p *content.Page) bool { return p.URL == url })
		if n := len(shared.parts[i].terms); n != want {
			t.Errorf("%s: the text has %d versions, the Renderer kept the terms of %d", url, want, n)
		}
	}
}
