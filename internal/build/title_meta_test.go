package build

import (
	"regexp"
	"strings"
	"testing"
)

// A page titled by its own "# H1" shows its date and tag chips after the
// title, never above it; a page without one shows them under the layout's
// title.
func TestMetaFollowsTheTitle(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "T"
[access]
allow = ["anyone"]
-- content/_index.md --
+++
title = "Home"
+++
Hi.
-- content/h1.md --
+++
tags = ["zebra"]
date = 2026-01-02
+++
# Heading From The Body

Text.
-- content/plain.md --
+++
title = "Plain Title"
tags = ["zebra"]
+++
Text.
`).build()
	for page, title := range map[string]string{"h1/index.html": "Heading From The Body", "plain/index.html": "Plain Title"} {
		html, ok := s.read("anonymous", page)
		if !ok {
			t.Fatalf("%s missing", page)
		}
		h := regexp.MustCompile(`<h1[^>]*>` + regexp.QuoteMeta(title)).FindStringIndex(html)
		tag := strings.Index(html, `class="fc-tag"`)
		if h == nil {
			t.Fatalf("%s: no h1 with the title", page)
		}
		if tag < 0 || tag < h[0] {
			t.Errorf("%s: title at %d, first tag chip at %d: the chips must follow the title", page, h[0], tag)
		}
	}
}
