package render

import (
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/content"
)

// Theme is what config/site.toml tells the theme beyond the site's title:
// every build shows the logo, announcement and footer links alike, and
// each page its own edit link and date (PageMeta).
type Theme struct {
	// Logo is a file under the theme's assets/ ("logo.svg") shown before
	// the site title; "" for none.
	Logo string
	// Announcement is a line of plain text shown above the top bar of
	// every page; "" for none.
	Announcement string
	// FooterLinks are shown in the footer of every page, in order.
	FooterLinks []Link
	// RepoURL and EditPath make each page's "Edit this page" link:
	// RepoURL + "/" + EditPath with "{path}" replaced by the page's source
	// file ("content/a/b.md"). No link when RepoURL is "".
	RepoURL, EditPath string
	// Backlinks shows, at the foot of each content and section page, the
	// pages of the build that link to it ("Linked from").
	Backlinks bool
	// Updated gives the date of a source file's last change
	// ("content/a/b.md" -> that day, in UTC), from git history; nil or a
	// missing file: no date. It names every source file, hidden pages'
	// too, so New takes it out of what templates see: a layout gets a
	// page's own date in PageMeta, and .Site.Updated is nil.
	Updated map[string]time.Time
}

// PageMeta is what a content page shows below its body.
type PageMeta struct {
	// EditURL links to the page's source for editing, "" when the site has
	// no repo_url or the page has no source file.
	EditURL string
	// Updated is the date of the page source's last commit as "2 Jan
	// 2006", "" when unknown; UpdatedISO the same as "2006-01-02".
	Updated, UpdatedISO string
}

// pageMeta is the edit link and date of a content page; updated is
// Theme.Updated. The edit link names the page's source file, whose
// folders are those of its sections: edit is false in a build that lacks
// one of them (a page shared beyond a hidden section, perhaps at a url of
// its own so that its address does not name that section), and then the
// page has no edit link there.
func (s *Site) pageMeta(p *content.Page, updated map[string]time.Time, edit bool) PageMeta {
	var m PageMeta
	if p.Generated {
		return m
	}
	if s.RepoURL != "" && edit {
		m.EditURL = strings.TrimSuffix(s.RepoURL, "/") + "/" +
			strings.ReplaceAll(strings.TrimPrefix(s.EditPath, "/"), "{path}", p.File)
	}
	if t, ok := updated[p.File]; ok {
		m.Updated, m.UpdatedISO = t.Format("2 Jan 2006"), t.Format("2006-01-02")
	}
	return m
}
