package render

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/facet-docs/facet/internal/browsertest"
	"github.com/google/go-cmp/cmp"
)

// TestBrowser drives headless Chromium over rendered builds: served with
// Content-Security-Policy default-src 'self' nothing is blocked, the
// sidebar, prev/next links and badge are drawn from the build's nav.js,
// and search works; opened from disk, folder links and search results
// point at index.html files and sidebar and prev/next links lead there.
// Skipped with -short or without Chromium.
func TestBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	f := newFixture()
	dir := t.TempDir()
	r := newRenderer(t, Site{Title: "Docs"}, f.tree)
	guest := &Target{Dir: "guest-1", Kind: "guest", Label: "Guest · Partners", Present: presentExcept(f.tree, f.hidden...)}
	writeOutput(t, filepath.Join(dir, "anon"), render(t, r, f.anon, f.bodies))
	writeOutput(t, filepath.Join(dir, "guest"), render(t, r, guest, f.bodies))
	writeOutput(t, filepath.Join(dir, "plain"), render(t, r, guest, f.bodies))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		if r.URL.Path == "/guest/_facet/whoami" { // as the gateway answers
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"kind":"guest","email":"carol@partner.example","groups":["partners"],`+
				`"name":"Carol (Partner Inc)","expires":"2027-01-01T00:00:00Z"}`)
			return
		}
		if r.URL.Path == "/plain/_facet/whoami" { // a host that answers anything with a page
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><title>Not here</title>`)
			return
		}
		http.FileServer(http.Dir(dir)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	b := newBrowser(t)

	b.do("over HTTP", chromedp.Navigate(srv.URL+"/anon/guide/install/"), chromedp.WaitVisible(`#fc-q`),
		chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"]`))
	want := []string{
		"section open: Guide ../../guide/",
		"page: Install ../../guide/install/ current",
		"page: Usage ../../guide/usage/",
		"section: gen ../../gen/", // collapsed: no Leaf
		"page: Shared Notes ../../secret/shared/",
		"page: Zeta Page ../../zeta/",
	}
	if diff := cmp.Diff(want, b.sidebar()); diff != "" {
		t.Errorf("sidebar (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"prev ../../guide/ PreviousGuide", "next ../../guide/usage/ NextUsage"}, b.prevNext()); diff != "" {
		t.Errorf("prev/next (-want +got):\n%s", diff)
	}
	if got := b.text(`.fc-badge`); got != "Public" {
		t.Errorf("badge %q", got)
	}
	if got := b.attr(`.fc-badge`, "class"); got != "fc-badge fc-badge-anonymous" {
		t.Errorf("badge class %q", got)
	}
	if got := b.text(`.fc-foot`); !strings.Contains(got, "Docs · Public") {
		t.Errorf("footer %q", got)
	}
	b.do("search over HTTP", chromedp.SendKeys(`#fc-q`, "usage"), chromedp.WaitVisible(`#fc-results li a`))
	if got := b.attr(`#fc-results li a`, "href"); got != srv.URL+"/anon/guide/usage/" {
		t.Errorf("search result links to %q", got)
	}
	// A closed section opens in place: its pages show, nothing navigates.
	b.do("open a section in place", chromedp.Click(`.fc-sidebar button[aria-controls][aria-expanded="false"]`),
		chromedp.WaitVisible(`.fc-sidebar a[href="../../gen/leaf/"]`))
	if loc := b.location(); loc != srv.URL+"/anon/guide/install/" {
		t.Errorf("opening a section went to %q", loc)
	}
	if got := b.sidebar(); !slices.Contains(got, "section open: gen ../../gen/") || !slices.Contains(got, "page: Leaf ../../gen/leaf/") {
		t.Errorf("after opening gen, the sidebar shows %q", got)
	}
	b.do("sidebar over HTTP", chromedp.Click(`.fc-sidebar a[href="../../zeta/"]`),
		chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"][href="../zeta/"]`))
	if loc := b.location(); loc != srv.URL+"/anon/zeta/" {
		t.Errorf("the sidebar link led to %q", loc)
	}

	// Served by the gateway, the guest's own name and expiry come from
	// whoami at request time.
	b.do("guest badge", chromedp.Navigate(srv.URL+"/guest/zeta/"), chromedp.WaitVisible(`.fc-badge-expires`))
	if got := b.text(`.fc-badge`); got != "Guest: Carol (Partner Inc)· until 31 Dec 2026" {
		t.Errorf("guest badge %q", got)
	}
	if got := b.attr(`.fc-badge`, "title"); got != "This is the build for: Guest: Carol (Partner Inc), until 31 Dec 2026" {
		t.Errorf("guest badge title %q", got)
	}
	if got := b.attr(`.fc-badge`, "class"); got != "fc-badge fc-badge-guest" {
		t.Errorf("guest badge class %q", got)
	}

	// Without the gateway's whoami the badge says the kind and groups.
	b.do("static guest badge", chromedp.Navigate(srv.URL+"/plain/zeta/"), chromedp.WaitVisible(`.fc-badge`),
		chromedp.Sleep(300*time.Millisecond)) // time for a whoami answer to be (wrongly) used
	if got := b.text(`.fc-badge`); got != "Guest · Partners" {
		t.Errorf("static guest badge %q", got)
	}

	b.do("from disk", chromedp.Navigate("file://"+filepath.ToSlash(dir)+"/anon/guide/install/index.html"), chromedp.WaitVisible(`#fc-q`))
	if got := b.attr(`.fc-brand`, "href"); got != "../../index.html" {
		t.Errorf("from disk, the home link is %q", got)
	}
	b.do("sidebar from disk", chromedp.Click(`.fc-sidebar a[href$="usage/index.html"]`),
		chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"][href="../../guide/usage/index.html"]`))
	if loc := b.location(); !strings.HasSuffix(loc, "/anon/guide/usage/index.html") {
		t.Errorf("from disk, the sidebar link led to %q", loc)
	}
	b.do("next from disk", chromedp.Click(`.fc-next`),
		chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"][href="../gen/index.html"]`))
	if loc := b.location(); !strings.HasSuffix(loc, "/anon/gen/index.html") {
		t.Errorf("from disk, the next link led to %q", loc)
	}
	if diff := cmp.Diff([]string{"prev ../guide/usage/index.html PreviousUsage", "next ../gen/leaf/index.html NextLeaf"}, b.prevNext()); diff != "" {
		t.Errorf("from disk, prev/next of a section (-want +got):\n%s", diff)
	}
	b.do("search from disk", chromedp.SendKeys(`#fc-q`, "zeta"), chromedp.WaitVisible(`#fc-results li a`),
		chromedp.Click(`#fc-results li a`), chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"][href="../zeta/index.html"]`))
	if loc := b.location(); !strings.HasSuffix(loc, "/anon/zeta/index.html") {
		t.Errorf("from disk, the search result led to %q", loc)
	}
	for _, p := range b.reported() {
		t.Errorf("browser reported: %s", p)
	}
}

// sidebar lists the sidebar's links in order, as "kind[ open]: title
// href[ current]": those shown, not those of closed sections nor the
// menu's copy of the top bar's links (see internal/browsertest).
func (b *browser) sidebar() []string {
	return b.eval(`Array.from(document.querySelectorAll('.fc-sidebar a')).filter(a => !a.closest('ul[hidden], .fc-side-site')).map(a =>
		(a.parentNode.classList.contains('fc-nav-section') ? 'section' : 'page') +
		(a.parentNode.classList.contains('fc-nav-open') ? ' open' : '') + ': ' +
		a.textContent + ' ' + a.getAttribute('href') +
		(a.getAttribute('aria-current') === 'page' ? ' current' : ''))`)
}

// prevNext lists the prev/next links as "rel href text".
func (b *browser) prevNext() []string {
	return b.eval(`Array.from(document.querySelectorAll('#fc-prevnext:not([hidden]) a')).map(a =>
		a.getAttribute('rel') + ' ' + a.getAttribute('href') + ' ' + a.textContent)`)
}

func (b *browser) eval(js string) []string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		b.t.Fatalf("evaluate: %v", err)
	}
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.TextContent(sel))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
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
	ctx := browsertest.Start(t, 120*time.Second)
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
