package render

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowser drives headless Chromium over a rendered build: served with
// Content-Security-Policy default-src 'self' nothing is blocked and search
// works; opened from disk, folder links and search results point at
// index.html files. Skipped with -short or without Chromium.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	f := newFixture()
	dir := t.TempDir()
	writeOutput(t, dir, render(t, newRenderer(t, Site{Title: "Docs"}, f.tree), f.anon, f.bodies))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		http.FileServer(http.Dir(dir)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	b := newBrowser(t)

	b.do("over HTTP", chromedp.Navigate(srv.URL+"/guide/install/"), chromedp.WaitVisible(`#fc-q`))
	if got := b.attr(`.fc-sidebar [aria-current="page"]`, "href"); got != "../install/" {
		t.Errorf("current sidebar link %q", got)
	}
	b.do("search over HTTP", chromedp.SendKeys(`#fc-q`, "usage"), chromedp.WaitVisible(`#fc-results li a`))
	if got := b.attr(`#fc-results li a`, "href"); got != srv.URL+"/guide/usage/" {
		t.Errorf("search result links to %q", got)
	}

	b.do("from disk", chromedp.Navigate("file://"+filepath.ToSlash(dir)+"/guide/install/index.html"), chromedp.WaitVisible(`#fc-q`))
	if got := b.attr(`.fc-brand`, "href"); got != "../../index.html" {
		t.Errorf("from disk, the home link is %q", got)
	}
	b.do("sidebar from disk", chromedp.Click(`.fc-sidebar a[href$="usage/index.html"]`),
		chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"][href="../usage/index.html"]`))
	if loc := b.location(); !strings.HasSuffix(loc, "/guide/usage/index.html") {
		t.Errorf("from disk, the sidebar link led to %q", loc)
	}
	b.do("search from disk", chromedp.SendKeys(`#fc-q`, "zeta"), chromedp.WaitVisible(`#fc-results li a`),
		chromedp.Click(`#fc-results li a`), chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"][href="../zeta/index.html"]`))
	if loc := b.location(); !strings.HasSuffix(loc, "/zeta/index.html") {
		t.Errorf("from disk, the search result led to %q", loc)
	}
	for _, p := range b.reported() {
		t.Errorf("browser reported: %s", p)
	}
}

// writeOutput writes a rendered build into dir.
func writeOutput(t *testing.T, dir string, out output) {
	t.Helper()
	for p, data := range out {
		fp := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fp, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// browser is a headless Chromium tab that records the errors, exceptions
// and CSP violations it reports.
type browser struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("no Chromium installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(cancel)
	b := &browser{t: t, ctx: ctx}
	if err := chromedp.Listen(ctx, b.listen); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return b
}

func (b *browser) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			b.problems = append(b.problems, ev.Entry.Text)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		b.problems = append(b.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			b.problems = append(b.problems, "console error")
		}
	}
}

func (b *browser) reported() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.problems)
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (browser reported %q)", what, err, b.reported())
	}
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		b.t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return v.Value
}

func (b *browser) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return loc
}
