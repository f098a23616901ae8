package preview

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/facet-docs/facet/internal/browsertest"
	"github.com/facet-docs/facet/internal/sitetest"
)

// TestBrowserLiveReload drives headless Chromium: the page reloads after a
// rebuild, a failed rebuild shows its errors in an overlay over the
// previous build, and view-as switches the build shown.
func TestBrowserLiveReload(t *testing.T) {
	t.Parallel()
	s, dir := site(t)
	rebuild(t, s)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close) // after the browser's cleanup, which closes its event stream
	ctx := browsertest.Start(t, 60*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open/"),
		chromedp.WaitVisible("#facet-preview-as"),
	)
	if err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if badge := browse(t, ctx, chromedp.Text("#facet-preview-as")); badge != "view as: anonymous" {
		t.Errorf("badge %q, want view as: anonymous", badge)
	}
	browse(t, ctx, chromedp.Evaluate[int](`window.facetMarker = 1`))

	// A good edit reloads the page.
	sitetest.WriteFile(t, dir, "content/open.md", "+++\ntitle = \"Open\"\n[access]\nallow = [\"anyone\"]\n+++\nSecond version.\n")
	rebuild(t, s)
	waitBody(t, ctx, "Second version.")
	if browse(t, ctx, chromedp.Evaluate[bool](`window.facetMarker === 1`)) {
		t.Error("page changed without a reload")
	}

	// A bad edit shows the errors over the previous build.
	sitetest.WriteFile(t, dir, "content/open.md", "+++\ntitle = \"Open\"\n[access]\nallow = [\"group:nobody\"]\n+++\nBroken.\n")
	if _, err := s.Rebuild(context.Background(), nil); err == nil {
		t.Fatal("bad rebuild succeeded")
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#facet-preview-error")); err != nil {
		t.Fatalf("error overlay: %v", err)
	}
	overlay := browse(t, ctx, chromedp.Text("#facet-preview-error"))
	text := browse(t, ctx, chromedp.Text("body"))
	if !strings.Contains(overlay, "content/open.md:") || !strings.Contains(text, "Second version.") {
		t.Errorf("overlay %q over body %q, want the error over the previous build", overlay, text)
	}

	// View as group:eng shows eng's page.
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_facet/as?id=group:eng"),
		chromedp.Navigate(srv.URL+"/eng/"),
		chromedp.WaitVisible("#facet-preview-as"),
	)
	if err != nil {
		t.Fatalf("view as: %v", err)
	}
	waitBody(t, ctx, "Eng only.")
	if badge := browse(t, ctx, chromedp.Text("#facet-preview-as")); badge != "view as: group:eng" {
		t.Errorf("badge %q, want view as: group:eng", badge)
	}
}

// browse runs one browser action and returns its value.
func browse[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// waitBody waits until the page's text holds want.
func waitBody(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if text, err := chromedp.Run(ctx, chromedp.Text("body")); err == nil && strings.Contains(text, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("page never showed %q", want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// On every page the preview's bar shows who can read it and switches the
// audience without leaving the page; the build's sidebar, drawn from its
// _facet/nav.js, is there.
func TestBrowserViewAsStaysOnPage(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ctx := browsertest.Start(t, 60*time.Second)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open/"),
		chromedp.WaitVisible("#facet-preview-readers"),
		chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"]`),
	)
	if err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if got := browse(t, ctx, chromedp.Text("#facet-preview-readers")); got != "Who can see this page: Everyone" {
		t.Errorf("readers %q", got)
	}
	browse(t, ctx, chromedp.Evaluate[bool](`(function(){var s=document.getElementById('facet-preview-switch');`+
		`s.value='group:eng';s.dispatchEvent(new Event('change'));return true})()`))
	deadline := time.Now().Add(15 * time.Second)
	for {
		badge, err := chromedp.Run(ctx, chromedp.Text("#facet-preview-as"))
		path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		if err == nil && badge == "view as: group:eng" && path == "/open/" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after switching: badge %q on %q, want view as: group:eng on /open/", badge, path)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
