package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Reports collects what the browser reports while pages load and run:
// console errors and warnings, uncaught exceptions, the browser's own
// error log (failed loads, Content-Security-Policy refusals) and every
// securitypolicyviolation event a page sees.
type Reports struct {
	mu   sync.Mutex
	list []string
}

// cspHook runs in every document before its own scripts: it turns each
// Content-Security-Policy violation into a console error, which Watch
// records. DevTools adds it, so the page's policy does not apply to it.
const cspHook = `document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber);
});`

// Watch starts recording the reports of ctx's tab. Call it before the
// first navigation.
func Watch(ctx context.Context) (*Reports, error) {
	r := &Reports{}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspHook}); err != nil {
		return nil, fmt.Errorf("add the CSP hook: %w", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		var s string
		switch ev := ev.(type) {
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				s = fmt.Sprintf("%s (%s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		case *runtime.EventExceptionThrown:
			s = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				s += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, strings.Trim(string(a.Value), `"`))
				}
				s = "console " + string(ev.Type) + ": " + strings.Join(args, " ")
			}
		}
		if s != "" {
			r.mu.Lock()
			r.list = append(r.list, s)
			r.mu.Unlock()
		}
	})
	return r, err
}

// Take returns what was reported since the last Take.
func (r *Reports) Take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.list
	r.list = nil
	return out
}

// View sets the tab's viewport width (height 900 px) and its
// prefers-color-scheme, as a reader's window and system setting would.
func View(ctx context.Context, width int64, dark bool) error {
	if err := Width(ctx, width); err != nil {
		return err
	}
	return Dark(ctx, dark)
}

// Width sets the tab's viewport width (height 900 px).
func Width(ctx context.Context, width int64) error {
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: 900, DeviceScaleFactor: 1,
	}); err != nil {
		return fmt.Errorf("set the viewport: %w", err)
	}
	return nil
}

// Dark sets the tab's prefers-color-scheme to dark, or to light.
func Dark(ctx context.Context, dark bool) error {
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		return fmt.Errorf("set the colour scheme: %w", err)
	}
	return nil
}

// describeJS names an element for a message: tag, id, classes.
const describeJS = `function describe(el) {
  var s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
  return s;
}`

// overflowJS lists the elements that stick out past the right edge of
// the viewport when the document is wider than it: the outermost ones
// not inside a box that clips or scrolls them.
const overflowJS = `(function () {
  ` + describeJS + `
  var de = document.documentElement, w = de.clientWidth;
  if (de.scrollWidth <= w && document.body.scrollWidth <= w) return [];
  var out = [];
  var all = document.body.querySelectorAll('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i], r = el.getBoundingClientRect();
    if (!r.width || r.right <= w + 0.5) continue;
    var inside = false;
    for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' || a.getBoundingClientRect().right > w + 0.5) { inside = true; break; }
    }
    if (!inside) out.push(describe(el) + ' reaches ' + Math.round(r.right) + 'px');
  }
  if (!out.length) out.push('no element found past ' + w + 'px');
  return ['the document is ' + de.scrollWidth + 'px wide in a ' + w + 'px viewport: ' + out.slice(0, 8).join(', ')];
})()`

// Overflow returns a description of what makes the page wider than the
// viewport, or nil when nothing does.
func Overflow(ctx context.Context) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](overflowJS))
}

// contrastJS lists the code tokens (highlighted spans and inline code)
// whose text colour reads against the background they are drawn on with
// a contrast under 4.5:1 (WCAG AA). The background is the first opaque
// one among the element and its ancestors, with translucent ones laid
// over it.
const contrastJS = `(function () {
  ` + describeJS + `
  function rgba(s) {
    var m = /rgba?\(([^)]*)\)/.exec(s || '');
    if (!m) return null;
    var p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function over(top, under) {
    var a = top[3];
    return [0, 1, 2].map(function (i) { return top[i] * a + under[i] * (1 - a); }).concat(1);
  }
  function background(el) {
    var layers = [];
    for (var e = el; e; e = e.parentElement) {
      var c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    var bg = [255, 255, 255, 1];
    for (var i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }
  function lum(c) {
    function f(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  var seen = {}, out = [];
  var els = document.querySelectorAll('.chroma, .chroma *, code');
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
    if (!own || !el.getClientRects().length) continue;
    var st = getComputedStyle(el);
    if (st.visibility === 'hidden' || parseFloat(st.opacity) === 0) continue;
    var bg = background(el), fg = over(rgba(st.color), bg);
    var a = lum(fg), b = lum(bg);
    var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio >= 4.5) continue;
    var key = describe(el) + st.color + bg.join();
    if (seen[key]) continue;
    seen[key] = true;
    out.push(describe(el) + ' "' + el.textContent.trim().slice(0, 20) + '" ' + st.color + ' on rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + '): ' + ratio.toFixed(2));
  }
  return out;
})()`

// LowContrastCode lists the code tokens of the page whose contrast with
// their background is under 4.5:1.
func LowContrastCode(ctx context.Context) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](contrastJS))
}

// Follow navigates ctx's tab to from and waits until the document at want
// has loaded: from redirects there (a meta refresh, a server redirect).
func Follow(ctx context.Context, from, want string) error {
	res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: from})
	if err != nil {
		return fmt.Errorf("open %s: %w", from, err)
	}
	if res.ErrorText != "" {
		return fmt.Errorf("open %s: %s", from, res.ErrorText)
	}
	done := fmt.Sprintf(`document.readyState === 'complete' && location.href === %q`, want)
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for try := 0; ; try++ {
		_, err = chromedp.Run(wait, chromedp.Poll[bool](done, chromedp.WithPollingInterval(10*time.Millisecond)))
		if err == nil || try == 5 || wait.Err() != nil {
			break
		}
	}
	if err != nil {
		at, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
		return fmt.Errorf("open %s: not at %s (at %s): %w", from, want, at, err)
	}
	return nil
}

// Open navigates ctx's tab to url and waits until the new document has
// loaded (deferred scripts run): quicker than chromedp.Navigate, which
// also waits for the DOM to be mirrored.
func Open(ctx context.Context, url string) error {
	res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url})
	if err != nil {
		return fmt.Errorf("open %s: %w", url, err)
	}
	if res.ErrorText != "" {
		return fmt.Errorf("open %s: %s", url, res.ErrorText)
	}
	done := fmt.Sprintf(`document.readyState === 'complete' && location.href === %q`, url)
	for try := 0; ; try++ {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](done, chromedp.WithPollingInterval(5*time.Millisecond)))
		if err == nil || try == 3 || ctx.Err() != nil {
			break
		}
		// The document changed under the poll: ask again in the new one.
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", url, err)
	}
	return nil
}
