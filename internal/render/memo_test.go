package render

import (
	"html/template"
	"reflect"
	"slices"
	"testing"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/google/go-cmp/cmp"
)

// TestMemoSameOutput: renderers that read search fragments, search terms
// and skeletons through one memo, a build after the other and a renderer
// after another (as a Builder's rebuilds do), write what renderers
// without it write, also after pages' titles (one in another's "Linked
// from"), a date and the site's title change between renders; the memo
// keeps its entries across renderers, forgets at a Sweep those not asked
// for, and stays within its bound.
func TestMemoSameOutput(t *testing.T) {
	t.Parallel()
	f := newFixture()
	guest := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	builds := []*Target{f.anon, guest, f.eng}
	zeta := f.tree.Pages[slices.IndexFunc(f.tree.Pages, func(p *content.Page) bool { return p.URL == "/zeta/" })]
	root := f.tree.Pages[slices.IndexFunc(f.tree.Pages, func(p *content.Page) bool { return p.URL == "/" })]
	m := NewMemo(1 << 20)
	site := Site{Title: "Docs", Theme: Theme{Backlinks: true}}
	for round := range 4 {
		switch round {
		case 2:
			zeta.Title = "Zeta Renamed"
			root.Title = "Welcome Renamed" // in the guide's "Linked from"
		case 3:
			site.Title = "Docs Renamed"
			zeta.Date = zeta.Date.AddDate(0, 0, 1)
		}
		cached := newRenderer(t, site, f.tree)
		cached.UseMemo(m)
		plain := newRenderer(t, site, f.tree)
		for _, b := range builds {
			want, got := render(t, plain, b, f.bodies), render(t, cached, b, f.bodies)
			if diff := cmp.Diff(sortedPaths(want), sortedPaths(got)); diff != "" {
				t.Errorf("round %d, %s: files (-plain +memo):\n%s", round, b.Dir, diff)
			}
			for _, p := range sortedPaths(want) {
				if diff := cmp.Diff(string(want[p]), string(got[p])); diff != "" {
					t.Errorf("round %d, %s: %s (-plain +memo):\n%s", round, b.Dir, p, diff)
				}
			}
		}
		frags, _ := m.frags.size()
		skels, _ := m.skels.size()
		variants, _ := m.variants.size()
		if frags == 0 || skels == 0 || variants == 0 {
			t.Fatalf("round %d: the memo holds %d fragments, %d skeletons and %d pages' terms", round, frags, skels, variants)
		}
		if round == 0 {
			n, _ := m.Len()
			m.Sweep() // nothing is old enough to go
			if k, _ := m.Len(); k != n {
				t.Errorf("a Sweep after the first render left %d of %d entries", k, n)
			}
		}
	}
	for range sweepAge {
		m.Sweep() // the entries of the last render are kept a while
	}
	if n, _ := m.Len(); n == 0 {
		t.Errorf("%d Sweeps after the last render left nothing", sweepAge)
	}
	m.Sweep()
	if n, bytes := m.Len(); n != 0 || bytes != 0 {
		t.Errorf("%d Sweeps with nothing asked for left %d entries, %d bytes", sweepAge+1, n, bytes)
	}
	small := NewMemo(400)
	r := newRenderer(t, site, f.tree)
	r.UseMemo(small)
	render(t, r, f.eng, f.bodies)
	if _, bytes := small.Len(); bytes > 400 {
		t.Errorf("a memo bounded at 400 bytes accounts %d", bytes)
	}
}

// TestSkeletonKeyCoversData: changing any exported field of a page's
// Data (Site apart: siteID covers it) changes the skeleton's key, so a
// field added to Data later is in the key without anyone remembering to
// add it; and a change to the site's settings or the theme changes
// siteID.
func TestSkeletonKeyCoversData(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	r.UseMemo(NewMemo(1 << 20))
	base := Data{Kind: "page", Title: "T", URL: "/a/", Permalink: "https://x/a/", Root: "../", Description: "d",
		Date: "1 Jan 2024", DateISO: "2024-01-01", Tags: []Link{{Title: "t", URL: "u"}},
		PageMeta: PageMeta{EditURL: "e", Updated: "u", UpdatedISO: "i"}, BodyH1: true,
		TOC: []markdown.Heading{{Level: 2, ID: "x", Text: "X"}}, Body: bodyMark, Breadcrumbs: crumbsMark,
		Backlinks: backlinksMark, LinkedFrom: []Link{{Title: "l", URL: "m"}},
		Children:  []Entry{{Title: "c", URL: "v", Link: template.HTMLAttr(`href="v"`)}},
		TagCounts: []TagCount{{Name: "n", URL: "w", Count: 2}}, TagsURL: "tu", FeedURL: "fu", SearchURL: "su"}
	k0 := r.skeletonKey(&base)
	typ := reflect.TypeFor[Data]()
	checked := 0
	for i := range typ.NumField() {
		fld := typ.Field(i)
		if !fld.IsExported() || fld.Name == "Site" {
			continue
		}
		d := base
		v := reflect.ValueOf(&d).Elem().Field(i)
		if !v.IsZero() {
			v.SetZero()
		} else {
			t.Fatalf("field %s is zero in the test's Data: give it a value", fld.Name)
		}
		if r.skeletonKey(&d) == k0 {
			t.Errorf("changing Data.%s leaves the skeleton key as it was", fld.Name)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d fields checked", checked)
	}
	moved := base
	moved.Tags = []Link{{Title: "tu", URL: ""}}
	if r.skeletonKey(&moved) == k0 {
		t.Error("moving bytes from one string to the next leaves the key as it was")
	}
	other := newRenderer(t, Site{Title: "Docs", Language: "de"}, f.tree)
	if other.siteID == r.siteID {
		t.Error("another language leaves siteID as it was")
	}
	same := newRenderer(t, Site{Title: "Docs"}, f.tree)
	if same.siteID != r.siteID {
		t.Error("the same site and theme give another siteID")
	}
}
