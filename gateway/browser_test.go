package gateway_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/facet-docs/facet/internal/browsertest"
)

// TestBrowserSignIn signs in through the provider's login form in headless
// Chromium, as a person would, and lands on the member build: the engineer
// sees eng's page and the badge of eng's build, and no trace of ops.
func TestBrowserSignIn(t *testing.T) {
	t.Parallel()
	e := newE2E(t, "groups", "groups")

	ctx := browsertest.Start(t, 60*time.Second)

	// The gateway sends the browser to the provider's form.
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.public+"/eng/design/"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
	)
	if err != nil {
		t.Fatalf("open the protected page: %v", err)
	}
	loginURL := run(t, ctx, chromedp.Location())
	// The person fills it in and lands on the page they asked for.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#username"), "engineer"),
		chromedp.SendKeys(chromedp.CSS("#password"), e2ePassword),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS(".fc-badge")),
	)
	if err != nil {
		t.Fatalf("sign in through the form: %v", err)
	}
	finalURL := run(t, ctx, chromedp.Location())
	title := run(t, ctx, chromedp.Title())
	badge := run(t, ctx, chromedp.Text(chromedp.CSS(".fc-badge")))
	text := run(t, ctx, chromedp.Text(chromedp.CSS("body")))

	if !strings.HasPrefix(loginURL, e.idp.Issuer()+"/") {
		t.Errorf("the login form was at %s, not at the provider %s", loginURL, e.idp.Issuer())
	}
	if finalURL != e.public+"/eng/design/" {
		t.Errorf("after sign-in the browser is at %s, want %s/eng/design/", finalURL, e.public)
	}
	if !strings.Contains(title, "Kestrel Design Notes") {
		t.Errorf("page title %q, want the member-only page", title)
	}
	if strings.TrimSpace(badge) != "Group: Engineering" {
		t.Errorf("badge %q, want %q", badge, "Group: Engineering")
	}
	for _, hidden := range []string{"Ops Heron", "Heron Runbook", "QA Plover", "Partner Shelf"} {
		if strings.Contains(text, hidden) {
			t.Errorf("the page shows %q, hidden from the engineer", hidden)
		}
	}
	if !strings.Contains(text, "Engineering Kestrel") {
		t.Errorf("the page does not link eng's space; text:\n%.500s", text)
	}
}

// run runs a browser action that reads a value, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}
