// Package report answers the questions facet's inspection commands ask of a
// loaded site (see build.Load): may this person see this page and which
// rule decided (Explain), who sees what across the whole site (Audit,
// written as text, HTML or JSON), and what is wrong with the site (Check).
//
// It decides nothing itself: visibility comes from internal/access through
// the rules and builds that internal/build plans, so that the reports can
// never disagree with what `facet build` writes and `facet gateway` serves.
// It does not parse flags, exit or choose where output goes: cmd/facet
// does. Time comes in as a parameter (a guest's expiry depends on it), never
// from a global clock.
//
// Counting choices, made once here for every report: a "page" is a
// markdown file that is not a draft; the generated index page of a folder
// without _index.md is navigation, not content, and is not counted; drafts
// are in no build and never reported as visible to anyone.
package report

import (
	"github.com/facet-docs/facet/internal/content"
)

// Space is a top-level space of a site: a section directly under
// content/, or the pages directly in content/ itself (the home page among
// them), whose URL is "/".
type Space struct {
	// URL is the space's URL ("/eng/", "/" for the top level).
	URL string `json:"url"`
	// Title is the section's title ("Top level" for "/").
	Title string `json:"title"`
	// Dir is the section's folder ("content/eng", "content" for "/").
	Dir string `json:"dir"`
	// Pages is the number of pages in the space, sub-sections included.
	Pages int `json:"pages"`
}

// PageRef names one page in a report.
type PageRef struct {
	// URL is the page's URL ("/a/b/").
	URL string `json:"url"`
	// Title is the page's title.
	Title string `json:"title"`
	// File is the page's source ("content/a/b.md").
	File string `json:"file"`
}

// counted reports whether a page counts in reports: a markdown file that
// is not a draft.
func counted(p *content.Page) bool { return !p.Generated && !p.Draft }

// spaces lists the top-level spaces of the tree that hold a counted page:
// the top level first, then each section directly under content/ in path
// order. It maps every counted page's index to its space's position.
func spaces(tree *content.Tree) ([]Space, map[int]int) {
	members := map[*content.Section][]int{}
	for _, p := range tree.Pages {
		if counted(p) {
			sec := topSection(p)
			members[sec] = append(members[sec], p.Index)
		}
	}
	var out []Space
	of := map[int]int{}
	add := func(sp Space, sec *content.Section) {
		idx := members[sec]
		if len(idx) == 0 {
			return
		}
		sp.Pages = len(idx)
		for _, i := range idx {
			of[i] = len(out)
		}
		out = append(out, sp)
	}
	add(Space{URL: "/", Title: "Top level", Dir: content.Dir}, tree.Root)
	for _, sec := range tree.Root.Sections {
		add(Space{URL: sec.URL, Title: sec.Page.Title, Dir: sec.Dir}, sec)
	}
	return out, of
}

// topSection is the section directly under content/ that holds the page,
// or Root for the pages directly in content/ (the home page included).
func topSection(p *content.Page) *content.Section {
	s := p.Section
	if s == nil {
		return nil
	}
	for s.Parent != nil && s.Parent.Parent != nil {
		s = s.Parent
	}
	return s
}

// ref returns the PageRef of a page.
func ref(p *content.Page) PageRef { return PageRef{URL: p.URL, Title: p.Title, File: p.File} }
