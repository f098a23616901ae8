package build

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/browsertest"
)

// featurePage is a long public page using every body feature, and a plain
// page that uses none.
const featurePages = `
-- content/tour.md --
+++
title = "Tour"
+++
# Tour

## Code

` + "```go title=\"main.go\" hl_lines=\"2\" linenos=true\npackage main\n\nfunc main() {}\n```" + `

## Callouts

> [!NOTE]
> Callout words.

## Tabs

=== "First"

    First tab words.

=== "Second"

    Second tab words.

## Diagram

` + "```mermaid\ngraph TD\n  A[Start] --> B[Guide]\n  click B \"pub.md\"\n```" + `

## Math

Inline $e^{i\pi} + 1 = 0$ and:

$$
\int_0^1 x\,dx = \frac{1}{2}
$$

## Far down
` + "\n" + `
-- content/plain.md --
+++
title = "Plain"
+++
Nothing special.
`

// TestBrowserFeatures opens the theme's features in headless Chromium,
// served with the gateway's Content-Security-Policy: the copy button
// copies the code without line numbers, tabs switch, the theme toggle
// switches and is remembered across a reload, the table of contents
// follows the scroll, the callout shows, mermaid draws an SVG and KaTeX
// renders the math; a page without diagrams or math loads neither
// library. Nothing is reported: no console error, no exception, no CSP
// violation, no request outside the site. Skipped with -short or without
// Chromium.
func TestBrowserFeatures(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	browsertest.Find(t)
	filler := strings.Repeat("Filler words to make the page long enough to scroll. ", 400)
	s := newTestSite(t, featureSite+strings.Replace(featurePages, "## Far down\n", "## Far down\n\n"+filler+"\n", 1)).build()
	var mu sync.Mutex
	var requests []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Security-Policy", gateway.ContentSecurityPolicy)
		http.FileServer(http.Dir(s.out)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx := browsertest.Start(t, 120*time.Second)
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, string(ev.Entry.Level)+": "+ev.Entry.Text)
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, "console "+string(ev.Type))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v (reported %q)", what, err, problems)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	wait := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
			t.Fatalf("%s: %v (reported %q)", what, err, problems)
		}
	}
	base := srv.URL + "/" + filepath.Base(s.dirOf("anonymous")) + "/"
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: srv.URL,
		}); err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	run("open the tour", chromedp.Navigate(base+"tour/"), chromedp.WaitVisible(`.fc-copy`))
	// A security policy violation is also an event on the page.
	eval(`window.fcViolations = []; document.addEventListener('securitypolicyviolation', e => window.fcViolations.push(e.violatedDirective)); ''`)

	// Diagram and math, drawn by the vendored libraries.
	wait("mermaid draws an SVG", `!!document.querySelector('.fc-diagram svg') && document.documentElement.getAttribute('data-diagrams') === 'drawn'`)
	if got := eval(`document.querySelector('.fc-diagram svg a') ? document.querySelector('.fc-diagram svg a').getAttribute('xlink:href') || document.querySelector('.fc-diagram svg a').getAttribute('href') : 'no link'`); got != "../pub/" {
		t.Errorf("the diagram's click link goes to %q", got)
	}
	wait("KaTeX renders", `document.querySelectorAll('.fc-math.fc-math-done .katex').length === 2`)
	if got := eval(`String(document.querySelectorAll('.fc-math-display .katex-display').length)`); got != "1" {
		t.Errorf("%s display formulas", got)
	}

	// Copy.
	run("copy", chromedp.Click(`.fc-copy`))
	wait("copied", `document.querySelector('.fc-copy').textContent === 'Copied'`)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("read the clipboard: %v", err)
	}
	if v != "package main\n\nfunc main() {}\n" {
		t.Errorf("copied %q", v)
	}
	if got := eval(`document.querySelector('.fc-code-title').textContent + ' ' + document.querySelector('.fc-code-lang').textContent + ' ' + document.querySelectorAll('.chroma .line.hl').length`); got != "main.go go 1" {
		t.Errorf("code head and highlighted lines: %q", got)
	}

	// Tabs.
	if got := eval(`Array.from(document.querySelectorAll('.fc-tabbtn')).map(b => b.textContent + ':' + b.getAttribute('aria-selected')).join(' ')`); got != "First:true Second:false" {
		t.Errorf("tabs %q", got)
	}
	run("second tab", chromedp.Click(`.fc-tabbtn:nth-child(2)`))
	if got := eval(`Array.from(document.querySelectorAll('.fc-tab')).map(p => p.hidden ? 'hidden' : p.innerText.trim()).join(' | ')`); got != "hidden | Second tab words." {
		t.Errorf("after choosing the second tab: %q", got)
	}

	// Callout.
	if got := eval(`document.querySelector('.fc-callout-note').innerText.replace(/\s+/g, ' ').trim()`); !strings.Contains(got, "Note") || !strings.Contains(got, "Callout words.") {
		t.Errorf("callout reads %q", got)
	}

	// The table of contents follows the scroll.
	run("scroll to Math", chromedp.Evaluate[chromedp.Void](`document.getElementById('math').scrollIntoView()`))
	wait("the TOC marks Math", `(document.querySelector('.fc-toc a.fc-toc-active') || {}).getAttribute && document.querySelector('.fc-toc a.fc-toc-active').getAttribute('href') === '#math'`)
	wait("back to top shows", `!document.querySelector('.fc-totop').hidden`)
	run("back to top", chromedp.Click(`.fc-totop`))
	wait("at the top", `window.scrollY === 0 && document.querySelector('.fc-toc a.fc-toc-active').getAttribute('href') === '#code'`)

	// Theme toggle, remembered across a reload.
	light := eval(`getComputedStyle(document.body).backgroundColor`)
	if got := eval(`document.documentElement.getAttribute('data-theme') || 'system'`); got != "system" {
		t.Errorf("before any choice the theme is %q", got)
	}
	run("toggle", chromedp.Click(`#fc-theme`))
	if got := eval(`document.documentElement.getAttribute('data-theme')`); got != "dark" {
		t.Errorf("after the toggle the theme is %q", got)
	}
	wait("the diagram is drawn again", `document.documentElement.getAttribute('data-diagrams') === 'drawn' && !!document.querySelector('.fc-diagram svg')`)
	dark := eval(`getComputedStyle(document.body).backgroundColor`)
	if dark == light {
		t.Errorf("the toggle left the background %s", dark)
	}
	if v := eval(`JSON.stringify(window.fcViolations)`); v != "[]" {
		t.Errorf("CSP violations on the tour: %s", v)
	}
	run("reload", chromedp.Reload(), chromedp.WaitVisible(`#fc-theme`))
	if got := eval(`document.documentElement.getAttribute('data-theme') + ' ' + getComputedStyle(document.body).backgroundColor`); got != "dark "+dark {
		t.Errorf("after a reload: %q, want dark %s", got, dark)
	}

	// A page with neither diagram nor math loads neither library.
	mu.Lock()
	requests = nil
	mu.Unlock()
	run("plain page", chromedp.Navigate(base+"plain/"), chromedp.WaitVisible(`.fc-copy, #fc-theme`))
	wait("plain page scripts ran", `!document.querySelector('#fc-theme').hidden`)
	mu.Lock()
	for _, r := range requests {
		if strings.Contains(r, "/vendor/") {
			t.Errorf("a page without diagrams or math loaded %s", r)
		}
	}
	mu.Unlock()
	if got := eval(`performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin + '/')).join(' ')`); got != "" {
		t.Errorf("requests outside the site: %s", got)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}
}
