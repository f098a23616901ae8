package render

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
)

// feedSize is the number of entries in index.xml.
const feedSize = 20

// noDate is the updated time of a feed without entries.
const noDate = "1970-01-01T00:00:00Z"

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// emitSitemap writes sitemap.xml (absolute URLs, so only with a base_url):
// the home page and every present page.
func (s *pass) emitSitemap() error {
	if s.r.baseURL == "" {
		return nil
	}
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	if s.tree.root.page == nil {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.r.baseURL})
	}
	for _, nd := range s.tree.order {
		set.URLs = append(set.URLs, sitemapURL{
			Loc:     s.abs(nd.page.URL),
			LastMod: s.r.info[nd.page.Index].dateISO,
		})
	}
	return s.writeXML("sitemap.xml", set)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomAuthor  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary,omitempty"`
}

// emitFeed writes index.xml, an Atom feed of the build's most recent dated
// pages. It is written whenever the site has a base_url, so that every
// page can link it; a build without dated pages gets a feed without
// entries, updated at the Unix epoch.
func (s *pass) emitFeed() error {
	if s.r.baseURL == "" {
		return nil
	}
	var dated []*node
	for _, nd := range s.tree.order {
		if s.r.info[nd.page.Index].dateAtom != "" {
			dated = append(dated, nd)
		}
	}
	slices.SortStableFunc(dated, func(a, b *node) int {
		return b.page.Date.Compare(a.page.Date) // newest first; ties keep sidebar order
	})
	dated = dated[:min(len(dated), feedSize)]
	updated := noDate
	if len(dated) > 0 {
		updated = s.r.info[dated[0].page.Index].dateAtom
	}
	f := atomFeed{
		NS: "http://www.w3.org/2005/Atom", Title: s.r.site.Title, ID: s.r.baseURL,
		Updated: updated, Author: atomAuthor{Name: s.r.site.Title},
		Links: []atomLink{{Rel: "self", Href: s.r.baseURL + "index.xml"}, {Href: s.r.baseURL}},
	}
	for _, nd := range dated {
		u := s.abs(nd.page.URL)
		f.Entries = append(f.Entries, atomEntry{
			Title: nd.page.Title, ID: u, Link: atomLink{Href: u},
			Updated: s.r.info[nd.page.Index].dateAtom, Summary: s.summary(nd),
		})
	}
	return s.writeXML("index.xml", f)
}

// abs is the absolute URL of a root-relative URL.
func (s *pass) abs(u string) string { return s.r.baseURL + strings.TrimPrefix(u, "/") }

func (s *pass) writeXML(path string, v any) error {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("render: %s: %w", path, err)
	}
	return s.write(path, append([]byte(xml.Header), append(out, '\n')...))
}
