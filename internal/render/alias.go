package render

import (
	"html"
	"strings"

	"github.com/facet-docs/facet/internal/content"
)

// aliasInfo is one alias of a page (content.Alias): a redirect page written
// in the builds that hold both the page and the alias's Near page.
type aliasInfo struct {
	page  *content.Page
	alias *content.Alias
}

// collectAliases lists every page's aliases in page order.
func collectAliases(t *content.Tree) []aliasInfo {
	var out []aliasInfo
	for _, p := range t.Pages {
		for _, a := range p.Aliases {
			if a.OutPath != "" {
				out = append(out, aliasInfo{page: p, alias: a})
			}
		}
	}
	return out
}

// emitAliases writes the redirect page of every alias whose page, Near and
// Moved the build holds. A build without the page has no file at the alias: it
// answers as for any missing URL, and never learns the page's title.
func (s *pass) emitAliases() error { return s.emitAliasesOf(-1) }

// emitAliasesOf is emitAliases for the aliases of one page (by index), or
// of every page for -1.
func (s *pass) emitAliasesOf(page int) error {
	for _, a := range s.r.aliases {
		if page >= 0 && a.page.Index != page {
			continue
		}
		if !s.b.Present.Has(a.page.Index) || !s.holdsPlace(a.alias.Near) || !s.holds(a.alias.Moved) {
			continue
		}
		if err := s.write(a.alias.OutPath, s.r.aliasPage(a)); err != nil {
			return err
		}
	}
	return nil
}

// aliasPage is the redirect page of an alias: a meta refresh to the page,
// its canonical URL (which tells search engines where the page now is)
// and a plain link, with an empty icon and no script (a gateway's CSP of script-src 'self'
// forbids inline scripts). Links are relative to the alias, so the page works under any
// base path; the canonical link is absolute when the site has a base_url.
func (r *Renderer) aliasPage(a aliasInfo) []byte {
	to := html.EscapeString(relURL(a.alias.URL, a.page.URL))
	canonical := to
	if r.baseURL != "" {
		canonical = html.EscapeString(r.baseURL + strings.TrimPrefix(a.page.URL, "/"))
	}
	title := html.EscapeString(a.page.Title)
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + html.EscapeString(r.site.Language) + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<title>" + title + "</title>\n")
	b.WriteString("<link rel=\"canonical\" href=\"" + canonical + "\">\n")
	// no icon: a browser would ask for /favicon.ico, which no build has
	b.WriteString("<link rel=\"icon\" href=\"data:,\">\n")
	b.WriteString("<meta http-equiv=\"refresh\" content=\"0; url=" + to + "\">\n")
	b.WriteString("</head>\n<body>\n<p>This page has moved to <a href=\"" + to + "\">" + title + "</a>.</p>\n</body>\n</html>\n")
	return []byte(b.String())
}

// holds reports whether the build holds p; a nil p counts as held.
func (s *pass) holds(p *content.Page) bool { return p == nil || s.b.Present.Has(p.Index) }

// holdsPlace reports whether the build holds p's place: p, or the page
// standing in for it at its URL (content.Section.Standin), so that an
// alias under a hidden section page is written where the folder shows.
func (s *pass) holdsPlace(p *content.Page) bool {
	sp := p.StandinPage()
	return s.holds(p) || sp != nil && s.holds(sp)
}
