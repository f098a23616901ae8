package config

import (
	"net/url"
	"path"
	"strings"

	"github.com/facet-docs/facet/internal/tomlx"
)

// Layout is the [layout] table of config/site.toml: what the theme shows
// around the pages besides the site's title.
type Layout struct {
	// Logo is an image under the theme's assets/ folder ("logo.svg",
	// "img/logo.png"), shown before the site title. Default "": none.
	// The build checks that the theme has it.
	Logo string
	// LogoLine is the line of logo in the file, for the build's error.
	LogoLine int
	// Announcement is one line of plain text shown above the top bar of
	// every page of every build. Default "": none. Every build shows it,
	// so the release gate fails a build whose announcement names a page
	// hidden from it.
	Announcement string
	// FooterLinks are links shown in every page's footer, in order: an
	// absolute http, https or mailto URL and its title. Default none.
	FooterLinks []FooterLink
	// RepoURL is the web address of the repository holding the site
	// ("https://github.com/org/docs"): each page gets an "Edit this page"
	// link to RepoURL/EditPath. Default "": no edit links.
	RepoURL string
	// EditPath is the edit link's path below RepoURL, "{path}" standing
	// for the page's file from the site folder ("content/a/b.md"). Default
	// "edit/main/{path}" (GitHub; GitLab: "-/edit/main/{path}"). A site in
	// a subfolder of its repository writes it: "edit/main/docs/{path}".
	EditPath string
	// LastUpdated shows on each page the date of its source file's last
	// commit, from git history: dates only, never who made the change.
	// Default true; a site that is not in git shows no dates.
	LastUpdated bool
	// Backlinks shows, at the foot of each page, the pages that link to
	// it ("Linked from"): only pages of the reader's own build. Default
	// true.
	Backlinks bool
}

// FooterLink is one of the footer's links.
type FooterLink struct {
	Title, URL string
}

// defaultEditPath is EditPath's default.
const defaultEditPath = "edit/main/{path}"

// parseLayout reads the [layout] table of t.
func parseLayout(t *tomlx.Table) Layout {
	l := Layout{EditPath: defaultEditPath, LastUpdated: true, Backlinks: true}
	lt := t.Table("layout")
	if lt == nil {
		return l
	}
	if lt.String("logo", &l.Logo) {
		l.LogoLine = lt.Line("logo")
		if !assetPath(l.Logo) {
			lt.Errorf("logo", "logo %q must be an image file under the theme's assets/ folder, such as \"logo.svg\" (.svg, .png, .jpg, .jpeg, .gif or .webp; no \"..\")", l.Logo)
		}
	}
	if lt.String("announcement", &l.Announcement) {
		if strings.ContainsAny(l.Announcement, "\r\n") || len(l.Announcement) > 300 {
			lt.Errorf("announcement", "announcement must be one line of at most 300 bytes")
		}
	}
	if lt.String("repo_url", &l.RepoURL) && !webURL(l.RepoURL, false) {
		lt.Errorf("repo_url", "repo_url %q must be an absolute http or https URL, such as \"https://github.com/org/docs\"", l.RepoURL)
	}
	if lt.String("edit_path", &l.EditPath) {
		if !strings.Contains(l.EditPath, "{path}") || strings.Contains(l.EditPath, "://") || strings.ContainsAny(l.EditPath, " \t\r\n") {
			lt.Errorf("edit_path", "edit_path %q must be a path below repo_url holding {path}, such as %q", l.EditPath, defaultEditPath)
		}
	}
	lt.Bool("last_updated", &l.LastUpdated)
	lt.Bool("backlinks", &l.Backlinks)
	for _, ft := range lt.Tables("footer_links") {
		var f FooterLink
		if !ft.String("title", &f.Title) || strings.TrimSpace(f.Title) == "" {
			ft.Errorf("", "layout.footer_links: a link needs a title")
		}
		if !ft.String("url", &f.URL) || !webURL(f.URL, true) {
			ft.Errorf("url", "layout.footer_links: url %q must be an absolute http, https or mailto URL", f.URL)
		}
		ft.Finish()
		l.FooterLinks = append(l.FooterLinks, f)
	}
	lt.Finish()
	return l
}

// assetPath reports whether p names an image file below a folder.
func assetPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) || path.Clean(p) != p ||
		p == ".." || strings.HasPrefix(p, "../") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if !validName(seg) {
			return false
		}
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp":
		return true
	}
	return false
}

// webURL reports whether s is an absolute http or https URL (or mailto,
// when mail is set).
func webURL(s string, mail bool) bool {
	u, err := url.Parse(s)
	if err != nil || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	if mail && u.Scheme == "mailto" {
		return u.Opaque != ""
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
