package browsertest_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/browsertest"
)

// TestBrowserAccessibility runs axe-core (from the npm registry, see
// .ci/fetch-axe) in headless Chromium over one page of each of the
// theme's templates in the handbook's public build, served with the
// gateway's Content-Security-Policy, in light and in dark: no serious or
// critical violation. Skipped with -short, without Chromium or without
// axe-core (failed instead under FACET_REQUIRE_ALL=1).
func TestBrowserAccessibility(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	browsertest.Find(t)
	axe := browsertest.AxeScript(t)
	srv := buildServer(t, filepath.Join(buildHandbook(t, ""), "anonymous"), "/", "")
	ctx := browsertest.Start(t, 2*time.Minute)
	reports, err := browsertest.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pages := []struct{ kind, path string }{
		{"home", "/"},
		{"section", "/getting-started/"},
		{"page", "/getting-started/writing-pages/"},
		{"tags", "/tags/"},
		{"tag", "/tags/basics/"},
		{"search", "/_facet/search/?q=access"},
		{"404", "/no/such/page"},
	}
	for _, dark := range []bool{false, true} {
		if err := browsertest.View(ctx, 1280, dark); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := browsertest.Open(ctx, srv.URL+p.path); err != nil {
				t.Fatal(err)
			}
			found, err := browsertest.Axe(ctx, axe)
			if err != nil {
				t.Fatalf("%s %s: %v", p.kind, p.path, err)
			}
			for _, f := range found {
				t.Errorf("%s page %s (dark %v): %s", p.kind, p.path, dark, f)
			}
		}
	}
	for _, r := range reports.Take() {
		if r != "error (network): Failed to load resource: the server responded with a status of 404 (Not Found) "+srv.URL+"/no/such/page" {
			t.Errorf("browser reported %s", r)
		}
	}
}
