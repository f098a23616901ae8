package browsertest_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/facet-docs/facet/internal/browsertest"
)

// TestBrowserMobile opens the handbook 390 px wide, as a phone shows it,
// in the builds with the longest badges (a signed-in guest's own name, a
// two-group build): the top bar fits, the search box keeps room for its
// word, the search results stay on the screen, the closed menu casts no
// shadow and is out of reach of the keyboard, and the open menu offers
// the site title and the Tags page, which the top bar has no room for.
// Skipped with -short or without Chromium.
func TestBrowserMobile(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	browsertest.Find(t)
	out := buildHandbook(t, "")
	ctx := browsertest.Start(t, time.Minute)
	reports, err := browsertest.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []struct{ dir, whoami string }{{"guest-1", guestWhoami}, {"groups-eng-ops", ""}} {
		srv := buildServer(t, filepath.Join(out, b.dir), "/", b.whoami)
		m := &mobile{t: t, ctx: ctx, name: b.dir}
		if err := browsertest.View(ctx, 390, false); err != nil {
			t.Fatal(err)
		}
		if err := browsertest.Open(ctx, srv.URL+"/getting-started/"); err != nil {
			t.Fatal(err)
		}
		m.wait("the badge", `!document.getElementById('fc-badge').hidden`+
			map[bool]string{true: ` && document.getElementById('fc-badge').textContent.indexOf('Carol') >= 0`, false: ``}[b.whoami != ""])
		wide, err := browsertest.Overflow(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wide {
			t.Errorf("%s: %s", b.dir, w)
		}
		if w := m.float(`document.getElementById('fc-q').getBoundingClientRect().width`); w < 140 {
			t.Errorf("%s: the search box is %.0f px wide, too narrow for its word", b.dir, w)
		}

		// The results of a search stay within the screen.
		m.eval(`var q = document.getElementById('fc-q'); q.focus(); q.value = 'access'; q.dispatchEvent(new Event('input')); ''`)
		m.wait("search results", `!document.getElementById('fc-results').hidden && document.querySelectorAll('#fc-results li a').length > 0`)
		if r := m.eval(`var r = document.getElementById('fc-results').getBoundingClientRect(); r.left >= 0 && r.right <= document.documentElement.clientWidth ? '' : Math.round(r.left) + '..' + Math.round(r.right)`); r != "" {
			t.Errorf("%s: the search results span %s px of a 390 px screen", b.dir, r)
		}
		m.eval(`document.getElementById('fc-q').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'})); ''`)

		m.closedMenu()
		// Open, the menu offers the title (home) and Tags.
		m.eval(`document.querySelector('.fc-menu').click(); ''`)
		m.wait("the menu opens", `document.getElementById('fc-sidebar').getBoundingClientRect().left >= 0 && !document.getAnimations().length`)
		links := m.eval(`Array.prototype.filter.call(document.querySelectorAll('#fc-sidebar a'), function (a) {
			var r = a.getBoundingClientRect();
			return r.width > 0 && r.left >= 0 && r.right <= innerWidth;
		}).slice(0, 2).map(function (a) { return a.textContent + ' ' + new URL(a.href).pathname; }).join(' | ')`)
		if want := "facet handbook / | Tags /tags/"; links != want {
			t.Errorf("%s: the open menu begins with %q, want %q", b.dir, links, want)
		}
		m.eval(`document.querySelector('.fc-menu').click(); ''`)
		m.wait("the menu closes", `document.getElementById('fc-sidebar').getBoundingClientRect().right <= 0 && !document.getAnimations().length`)
		m.closedMenu()

		// Wide, the menu's copies of the top bar's links are not shown.
		if err := browsertest.View(ctx, 1280, false); err != nil {
			t.Fatal(err)
		}
		if got := m.eval(`Array.prototype.filter.call(document.querySelectorAll('#fc-sidebar a'), function (a) { return a.getClientRects().length > 0; })[0].textContent`); got == "facet handbook" || got == "Tags" {
			t.Errorf("%s: 1280 px wide, the sidebar begins with %q, which the top bar shows", b.dir, got)
		}
		for _, r := range reports.Take() {
			t.Errorf("%s: browser reported %s", b.dir, r)
		}
	}
}

// mobile drives one tab of TestBrowserMobile.
type mobile struct {
	t    *testing.T
	ctx  context.Context
	name string
}

func (m *mobile) eval(js string) string {
	m.t.Helper()
	v, err := chromedp.Run(m.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		m.t.Fatalf("%s: %s: %v", m.name, js, err)
	}
	return v
}

func (m *mobile) float(js string) float64 {
	m.t.Helper()
	v, err := chromedp.Run(m.ctx, chromedp.Evaluate[float64](js))
	if err != nil {
		m.t.Fatalf("%s: %s: %v", m.name, js, err)
	}
	return v
}

func (m *mobile) wait(what, js string) {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(m.ctx, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
		m.t.Fatalf("%s: %s: %v", m.name, what, err)
	}
}

// closedMenu checks the closed slide-in menu: a strip of the screen's
// left edge below the top bar shows the page's background alone (no
// shadow of the menu), and no link of the menu takes the keyboard's
// focus.
func (m *mobile) closedMenu() {
	m.t.Helper()
	top := m.float(`document.querySelector('.fc-top').getBoundingClientRect().bottom`)
	bg := m.eval(`getComputedStyle(document.body).backgroundColor`)
	shot, err := chromedp.Call(m.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng,
		Clip:   &page.Viewport{X: 0, Y: top + 4, Width: 10, Height: 300, Scale: 1},
	})
	if err != nil {
		m.t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot.Data))
	if err != nil {
		m.t.Fatal(err)
	}
	if c := differs(img, bg); c != "" {
		m.t.Errorf("%s: beside the closed menu, the screen's edge shows %s on a %s page", m.name, c, bg)
	}
	if got := m.eval(`var a = document.querySelector('#fc-sidebar a'); a.focus(); document.activeElement === a ? 'focused' : ''`); got != "" {
		m.t.Errorf("%s: a link of the closed menu takes the focus", m.name)
	}
}

// differs returns the first colour of img other than the CSS colour bg
// ("rgb(r, g, b)"), or "".
func differs(img image.Image, bg string) string {
	var r, g, b uint8
	if _, err := fmt.Sscanf(bg, "rgb(%d, %d, %d)", &r, &g, &b); err != nil {
		return "an unreadable background " + bg
	}
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if uint8(cr>>8) != r || uint8(cg>>8) != g || uint8(cb>>8) != b {
				return fmt.Sprintf("rgb(%d, %d, %d) at (%d, %d)", cr>>8, cg>>8, cb>>8, x, y)
			}
		}
	}
	return ""
}
