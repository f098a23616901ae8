package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/content"
)

// widening warns about an [access] table on content/_index.md or on a
// top-level space's _index.md that opens pages beneath it, pages that no
// rule of their own decides, to audiences the levels above would keep out: an
// author who means to open the home page (or a space's front page) alone
// opens everything below it. The warning points to [page_access]; a table
// that says cascade = true means it and is not warned about.
func (f *Findings) widening(s *build.Site, now time.Time) {
	var auds []access.Audience
	for _, a := range s.Access.Directory.Audiences(nil) {
		if a.Identity.Kind != access.Guest || !(access.GuestEntry{Expires: a.Expires}).Expired(now) {
			auds = append(auds, a) // an expired guest sees what anonymous sees
		}
	}
	for _, sec := range s.Tree.Sections {
		lvl := sec.Page.Access
		if sec.Depth > 1 || lvl == nil || lvl.Cascade || sec.Page.Generated {
			continue
		}
		gained, example, n := widenedBy(s, sec, lvl, auds)
		if n == 0 {
			continue
		}
		f.Warnings.Addf(lvl.File, lvl.Line, "[access] here applies to every page below %s too: it opens %s that no rule of their own decides (such as %s) to %s; to set only this page's own access, use [page_access], or say cascade = true in [access] if every page below is meant",
			sec.URL, pluralPages(n), example, strings.Join(gained, ", "))
	}
}

// widenedBy finds the pages beneath sec that some audience sees with lvl
// in their chain and would not see without it (pages without rules of
// their own, or whose own open rules, such as a grant, leave that
// audience to the levels above; a closed rule of their own decides first):
// the audiences that gain, one such page's URL and how many pages.
func widenedBy(s *build.Site, sec *content.Section, lvl *access.Level, auds []access.Audience) ([]string, string, int) {
	var gained []string
	example, n := "", 0
	for _, p := range s.Tree.Pages {
		if !counted(p) || p == sec.Page || !beneath(p, sec) || p.Index >= len(s.Rules.Chains) {
			continue
		}
		chain := s.Rules.Chains[p.Index]
		without := slices.DeleteFunc(slices.Clone(chain), func(l *access.Level) bool { return l == lvl })
		opened := false
		for _, a := range auds {
			if access.Decide(chain, a.Identity).Visible && !access.Decide(without, a.Identity).Visible {
				opened = true
				if !slices.Contains(gained, a.ID) {
					gained = append(gained, a.ID)
				}
			}
		}
		if opened {
			n++
			if example == "" {
				example = p.URL
			}
		}
	}
	return gained, example, n
}

// beneath reports whether p lies in sec or below it.
func beneath(p *content.Page, sec *content.Section) bool {
	for s := p.Section; s != nil; s = s.Parent {
		if s == sec {
			return true
		}
	}
	return false
}

func pluralPages(n int) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}
