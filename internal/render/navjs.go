package render

import (
	"encoding/json"
	"fmt"
)

// NavPath is the build's navigation script, relative to the build root.
// Content never reaches it: content ignores folders whose name starts
// with "_".
const NavPath = "_facet/nav.js"

// Flags of a nav.js page entry.
const (
	navSection = 1 // a section page
	navHome    = 2 // the home page (the root of the tree)
)

// navBadge is the build's badge as nav.js gives it: a kind and a label
// that names no person (see Build.Label).
type navBadge struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

// navScript is the value nav.js assigns to window.FACET_NAV.
type navScript struct {
	Badge navBadge `json:"badge"`
	// Pages are the build's present pages in sidebar order (prev/next
	// follow it), each as [url, title, parent, flags]: the root-relative
	// URL, the title, the index in Pages of the page it is listed under
	// (-1 for the top level and for the home page) and navSection |
	// navHome bits.
	Pages [][4]any `json:"pages"`
}

// emitNav writes _facet/nav.js: a script assigning the build's badge and
// navigation to window.FACET_NAV, from which assets/facet.js draws the
// sidebar, prev/next links and badge of every page. It lists exactly the
// build's present pages, each under its nearest present ancestor, so it
// holds nothing of a hidden page. A script (rather than JSON fetched at
// run time) loads from file:// too; JSON escapes "<", ">", "&", U+2028
// and U+2029, so titles are safe in it.
func (s *state) emitNav() error {
	v := navScript{
		Badge: navBadge{Kind: s.b.Kind, Label: s.b.Label},
		Pages: make([][4]any, len(s.tree.order)),
	}
	for i, nd := range s.tree.order {
		parent := -1
		if nd.parent != nil && nd.parent != &s.tree.root {
			parent = nd.parent.order
		}
		flags := 0
		if nd.page.IsSection {
			flags |= navSection
		}
		if nd == &s.tree.root {
			flags |= navHome
		}
		v.Pages[i] = [4]any{nd.page.URL, nd.page.Title, parent, flags}
	}
	js, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("render: %s: %w", NavPath, err)
	}
	out := make([]byte, 0, len(js)+32)
	out = append(out, "window.FACET_NAV = "...)
	out = append(out, js...)
	out = append(out, ";\n"...)
	return s.write(NavPath, out)
}
