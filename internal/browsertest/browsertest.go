// Package browsertest starts headless Chromium for facet's browser tests,
// driven through chromedp. It finds the browser, skips the test when there
// is none (or fails it when FACET_REQUIRE_ALL=1, as CI sets it), and starts
// it with the flags a closed network and a root user need. Test support
// only: nothing outside tests imports it.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Names are the browser binaries looked for on PATH, in order.
var Names = []string{"chromium", "chromium-browser", "google-chrome"}

// Find returns the path of a Chromium or Chrome binary. Without one it
// skips t, or fails it when FACET_REQUIRE_ALL=1.
func Find(t testing.TB) string {
	t.Helper()
	for _, name := range Names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("FACET_REQUIRE_ALL") == "1" {
		t.Fatal("no chromium, chromium-browser or google-chrome on PATH, and FACET_REQUIRE_ALL=1 (Debian: apt-get install -y chromium)")
	}
	t.Skip("no chromium, chromium-browser or google-chrome on PATH")
	return ""
}

// Start launches headless Chromium with a fresh profile and returns a
// chromedp context bounded by timeout; everything stops at t's cleanup.
func Start(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Find(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelBrowser)
	return ctx
}
