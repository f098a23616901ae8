package render

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRenderPageMatchesRender: RenderPage writes each present page's file
// as Render does, and nothing for an absent page.
func TestRenderPageMatchesRender(t *testing.T) {
	t.Parallel()
	f := newFixture()
	guest := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest", Present: presentExcept(f.tree, f.hidden...)}
	for _, b := range []*Target{f.anon, guest, f.eng} {
		r := newRenderer(t, Site{Title: "Docs"}, f.tree)
		want := render(t, r, b, f.bodies)
		for _, p := range f.tree.Pages {
			got := output{}
			err := newRenderer(t, Site{Title: "Docs"}, f.tree).RenderPage(context.Background(), b, f.bodies, p.Index,
				func(path string, data []byte) error {
					got[path] = append([]byte(nil), data...)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if !b.Present.Has(p.Index) {
				if len(got) != 0 {
					t.Errorf("%s: absent %s wrote %v", b.Dir, p.URL, sortedPaths(got))
				}
				continue
			}
			if len(got) != 1 {
				t.Fatalf("%s: %s wrote %v, want one file", b.Dir, p.URL, sortedPaths(got))
			}
			for path, data := range got {
				if diff := cmp.Diff(string(want[path]), string(data)); diff != "" {
					t.Errorf("%s: %s (-Render +RenderPage):\n%s", b.Dir, path, diff)
				}
			}
		}
	}
}
