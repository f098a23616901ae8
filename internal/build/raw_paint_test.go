package build

import (
	"strings"
	"testing"
)

// Raw HTML in a page whose SVG paint (fill, stroke) or animation of one
// loads what a url() names is refused at its line, like a style that
// loads a URL; a url() of a fragment of the page itself is kept.
func TestRawHTMLPaintURL(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"fill":    `<svg><rect fill="url(../vault/chart.png#g)"/></svg>`,
		"stroke":  `<svg><rect stroke="url('/docs/vault/chart.png#g')"/></svg>`,
		"animate": `<svg><rect><animate attributeName="fill" values="red;url(../vault/chart.png#g)"/></rect></svg>`,
		"set":     `<svg><rect><set attributeName="stroke" to="url(https://example.com/docs/target-page/#g)"/></rect></svg>`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := newTestSite(t, linkBase+"-- content/probe.md --\n+++\ntitle = \"Probe\"\n+++\n"+body+"\n").tryBuild()
			if err == nil {
				t.Fatalf("raw HTML %q built", body)
			}
			if !strings.Contains(err.Error(), "content/probe.md:4: raw HTML") || strings.Contains(err.Error(), "verify:") {
				t.Errorf("error %q: want the raw HTML refused at content/probe.md:4", err)
			}
		})
	}
	s := linkSite(t, `<svg><defs><linearGradient id="g"/></defs><rect fill="url(#g)" stroke="red"/></svg>`)
	s.assertFile("anonymous", "probe/index.html", `fill="url(#g)"`)
}
