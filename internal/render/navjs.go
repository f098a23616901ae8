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
	// Who is who can read each page, in member builds alone (see
	// Build.WhoCanSee): labels, and per entry of Pages the positions of
	// its readers in them. Its key is the marker the release gate refuses
	// in every other build.
	Who *navWho `json:"facetWhoCanSee,omitempty"`
}

// WhoCanSeeMarker is the key of nav.js's readers list and the class of the
// panel drawn from it: no guest or anonymous build may hold it.
const WhoCanSeeMarker = "facetWhoCanSee"

// navWho is nav.js's list of who can read each page.
type navWho struct {
	Labels []string `json:"labels"`
	Pages  [][]int  `json:"pages"`
}

// emitNav writes _facet/nav.js: a script assigning the build's badge and
// navigation to window.FACET_NAV, from which assets/facet.js draws the
// sidebar, prev/next links and badge of every page. It lists exactly the
// build's present pages, each under its nearest present ancestor, so it
// holds nothing of a hidden page. A script (rather than JSON fetched at
// run time) loads from file:// too; JSON escapes "<", ">", "&", U+2028
// and U+2029, so titles are safe in it.
func (s *pass) emitNav() error {
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
	if w := s.b.WhoCanSee; w != nil && s.b.Kind == "member" {
		v.Who = whoOf(w, s.tree.order)
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

// whoOf is nav.js's readers list for the pages in order: only the labels
// those pages use, renumbered in order of first use, so that a label of a
// page the build does not hold (a person it is shared with) is not in it.
func whoOf(w *WhoCanSee, order []*node) *navWho {
	out := &navWho{Labels: []string{}, Pages: make([][]int, len(order))}
	renum := map[int]int{}
	for i, nd := range order {
		out.Pages[i] = []int{}
		idx := nd.page.Index
		if idx >= len(w.Pages) {
			continue
		}
		for _, l := range w.Pages[idx] {
			n, ok := renum[l]
			if !ok {
				n = len(out.Labels)
				renum[l] = n
				out.Labels = append(out.Labels, w.Labels[l])
			}
			out.Pages[i] = append(out.Pages[i], n)
		}
	}
	return out
}
