package build

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/facet-docs/facet/internal/manifest"
)

// TestPublishedRulesRoundTrip builds several sites, the repository's own
// handbook among them, and checks that the rules the gateway reads back
// from the output equal the rules compiled from the site: every chain,
// the directory (guests with their expiries, declared groups and
// combinations) and every build's kind and visible set.
func TestPublishedRulesRoundTrip(t *testing.T) {
	t.Parallel()
	sites := map[string]string{
		"fixture":     newTestSite(t, fixture).dir,
		"people":      newTestSite(t, peopleSite).dir,
		"adversarial": newTestSite(t, advPeopleSite).dir,
		"handbook":    filepath.Join("..", ".."),
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for name, dir := range sites {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "public")
			clock := func() time.Time { return now }
			if _, err := New(Options{Site: dir, Out: out, Now: clock}).Build(context.Background()); err != nil {
				t.Fatal(err)
			}
			m, got, err := manifest.Read(out)
			if err != nil {
				t.Fatal(err)
			}
			site, err := Load(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			want := &manifest.Rules{Generation: m.Generation, Access: *site.Rules, Directory: site.Access.Directory}
			for _, p := range site.Tree.Pages {
				want.Pages = append(want.Pages, p.URL)
			}
			for _, bp := range site.s.planAt(nil, now).builds {
				want.Builds = append(want.Builds, manifest.BuildSet{Dir: bp.r.Dir, Kind: bp.kind, Visible: bp.visible})
			}
			if len(want.Directory.Guests) == 0 || len(want.Builds) < 2 {
				t.Fatalf("site %s has %d guests and %d builds: too little to compare", name, len(want.Directory.Guests), len(want.Builds))
			}
			opts := cmp.Options{cmpopts.EquateEmpty(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })}
			if diff := cmp.Diff(want, got, opts); diff != "" {
				t.Errorf("rules read back differ from the compiled ones (-compiled +read):\n%s", diff)
			}
		})
	}
}
