package report

import (
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/content"
)

// hiddenSlugs warns about every page that a build holds under a section
// that build hides, at a URL inside the section's: the page's URL (in its
// address, the sitemap, the search index and links to it) then shows the
// hidden section's folder name to an audience that may not see the
// section. The warning names the page, the section and one audience, and
// suggests the page's url key (a section page can only be moved).
func (f *Findings) hiddenSlugs(s *build.Site, now time.Time) {
	warned := map[int]bool{}
	for _, b := range s.BuildsAt(now) {
		if b.Expired {
			continue
		}
		for _, p := range s.Tree.Pages {
			if warned[p.Index] || !counted(p) || !b.Present.Has(p.Index) {
				continue
			}
			sec := hiddenAncestor(p, b)
			if sec == nil {
				continue
			}
			warned[p.Index] = true
			fix := "set url in its frontmatter (url = \"/shared/" + lastSegment(p.URL) + "/\") to publish it elsewhere"
			if p.IsSection {
				fix = "move its folder out of " + sec.Dir + "/"
			}
			f.Warnings.Addf(p.File, 0, "visible to %s under %s, which is hidden from it: its URL %s shows the hidden section's name; %s",
				b.Audiences[0].ID, sec.Page.File, p.URL, fix)
		}
	}
}

// hiddenAncestor returns the outermost section above p (Root excepted)
// whose page build b does not hold and whose URL p's URL lies in, or nil.
func hiddenAncestor(p *content.Page, b build.PlannedBuild) *content.Section {
	var found *content.Section
	sec := p.Section
	if p.IsSection && sec != nil {
		sec = sec.Parent
	}
	for ; sec != nil && sec.Parent != nil; sec = sec.Parent {
		if !b.Present.Has(sec.Page.Index) && strings.HasPrefix(p.URL, sec.URL) {
			found = sec
		}
	}
	return found
}

// lastSegment is the last segment of a folder URL ("/a/b/" -> "b").
func lastSegment(u string) string {
	u = strings.TrimSuffix(u, "/")
	return u[strings.LastIndexByte(u, '/')+1:]
}
