package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestRetitleWritesWhatRenderChanges: after a content page's title
// changes (keeping its place), the files Render writes differently are
// exactly those that RenderPage (for the page and the pages it links to),
// RenderRetitled, RetitleLLMs and SearchRetitle write, with the same bytes,
// for every page of every build, with and without a feed; and a renderer
// kept across the change (Retitled) writes what a new one does.
func TestRetitleWritesWhatRenderChanges(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "https://docs.example.com/"} {
		f := newFixture()
		site := Site{Title: "Docs", BaseURL: base, Theme: Theme{Backlinks: true}, ShardSize: 60}
		for _, b := range []*Target{f.anon, f.eng} {
			for _, p := range f.tree.Pages {
				if p.IsSection || !b.Present.Has(p.Index) {
					continue
				}
				name := fmt.Sprintf("base %q, %s, %s", base, b.Dir, p.URL)
				r := newRenderer(t, site, f.tree)
				before := render(t, r, b, f.bodies)
				old := p.Title
				title := old + " Zz [x](y)"
				if !r.KeepsOrder(p.Index, title) {
					t.Fatalf("%s: a suffix moved the page", name)
				}
				p.Title = title
				r.Retitled(p.Index)
				after := render(t, newRenderer(t, site, f.tree), b, f.bodies)
				got := output{}
				emit := func(path string, data []byte) error {
					got[path] = bytes.Clone(data)
					return nil
				}
				ctx := context.Background()
				pages := append([]int{p.Index}, f.bodies.Links(p, b)...)
				for _, j := range pages {
					if err := r.RenderPage(ctx, b, f.bodies, j, emit); err != nil {
						t.Fatal(err)
					}
				}
				if err := r.RenderRetitled(ctx, b, f.bodies, p.Index, emit); err != nil {
					t.Fatal(err)
				}
				llms, ok := r.RetitleLLMs(p.Index, old, before[LLMsPath])
				if !ok {
					t.Fatalf("%s: RetitleLLMs did not find the page's line", name)
				}
				got[LLMsPath] = llms
				files := SearchFiles{
					Read: func(path string) ([]byte, error) {
						if data, ok := got[path]; ok {
							if data == nil {
								return nil, errors.New("removed")
							}
							return data, nil
						}
						if data, ok := before[path]; ok {
							return data, nil
						}
						return nil, errors.New("no " + path)
					},
					Write:  func(path string, data []byte) error { return emit(path, data) },
					Remove: func(path string) error { got[path] = nil; return nil },
				}
				body := f.bodies.Body(p, b)
				if err := r.SearchRetitle(b, p.Index, old, body, body, files); err != nil {
					t.Fatal(err)
				}
				for path, data := range after {
					if g, wrote := got[path]; wrote {
						if !bytes.Equal(g, data) {
							t.Errorf("%s: %s written differently from Render", name, path)
						}
					} else if !bytes.Equal(before[path], data) {
						t.Errorf("%s: %s changed but was not written", name, path)
					}
				}
				for path, data := range got {
					if _, ok := after[path]; !ok && data != nil {
						t.Errorf("%s: %s written but Render has no such file", name, path)
					}
				}
				p.Title = old
			}
		}
	}
}

// TestKeepsOrder: a title that would move the page among the pages sorted
// before and after it is refused.
func TestKeepsOrder(t *testing.T) {
	t.Parallel()
	f := newFixture()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	for _, p := range f.tree.Pages {
		if p.URL != "/zeta/" {
			continue
		}
		if !r.KeepsOrder(p.Index, "Zeta Page two") {
			t.Error("a suffix refused")
		}
		if r.KeepsOrder(p.Index, "Aardvark") {
			t.Error("a title sorting first accepted")
		}
		return
	}
	t.Fatal("no /zeta/ page")
}
