package render

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"
)

// SitePartial renders the named template (e.g. "partials/header.html")
// once per link depth for every page of every build. Its dot is a Data
// holding only what all those pages share: Site, Root, TagsURL, FeedURL
// and SearchURL. Layouts use it for what surrounds the page (top bar,
// footer, asset links): html/template costs about a microsecond per
// action, and a site has thousands of pages. Like Body, print its result
// once in HTML text: it is filled in after the layout runs.
func (d *Data) SitePartial(name string) (template.HTML, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("SitePartial: bad template name %q", name)
	}
	if d.st == nil {
		return d.th.partial(name, siteView(d.th, d.Site, d.Root, d.FeedURL != ""))
	}
	if _, err := d.st.r.sitePartial(name, d.Root); err != nil {
		return "", err
	}
	return template.HTML("\x00P" + name + "\x00"), nil
}

// siteView is the dot of a site partial for pages whose root link is
// root: the links every build has. feed tells whether the site has a feed.
func siteView(th *themeSet, site *Site, root string, feed bool) *Data {
	v := &Data{th: th, Site: site, Root: root}
	v.TagsURL, v.FeedURL, v.SearchURL = siteLinks(root, feed)
	return v
}

// siteLinks are the links to the tags page, the feed ("" without one)
// and the search results page from pages whose root link is root. Every build
// has them, so no page says by them what its build holds.
func siteLinks(root string, feed bool) (tags, feedURL, search string) {
	if feed {
		feedURL = root + "index.xml"
	}
	return root + "tags/", feedURL, root + SearchDir
}

// sitePartials holds the site partials rendered so far, for all builds.
type sitePartials struct {
	mu sync.Mutex
	m  map[partialKey][]byte
}

// sitePartial returns the named site partial for pages whose root link
// is root, rendering it on first use.
func (r *Renderer) sitePartial(name, root string) ([]byte, error) {
	k := partialKey{name: name, root: root}
	r.partials.mu.Lock()
	h, ok := r.partials.m[k]
	r.partials.mu.Unlock()
	if ok {
		return h, nil
	}
	out, err := r.th.partial(name, siteView(r.th, &r.site, root, r.baseURL != ""))
	if err != nil {
		return nil, err
	}
	r.partials.mu.Lock()
	defer r.partials.mu.Unlock()
	if r.partials.m == nil {
		r.partials.m = map[partialKey][]byte{}
	}
	r.partials.m[k] = []byte(out)
	return r.partials.m[k], nil
}

// PagePartial renders the named template (e.g. "partials/toc.html") for
// the page and returns its HTML. Its dot is a Data holding only what
// belongs to the page itself: Site, Kind, Title, URL, Permalink, Root,
// Date, DateISO, Tags, TOC, BodyH1 and PageMeta (EditURL, Updated,
// UpdatedISO). A content page's layout runs once for each skeleton the
// page needs, not once per build (skeleton.go), and so does this.
func (d *Data) PagePartial(name string) (template.HTML, error) {
	view := &Data{
		Site: d.Site, Kind: d.Kind, Title: d.Title, URL: d.URL, Permalink: d.Permalink,
		Root: d.Root, Date: d.Date, DateISO: d.DateISO, Tags: d.Tags, TOC: d.TOC, BodyH1: d.BodyH1,
		PageMeta: d.PageMeta,
	}
	return d.th.partial(name, view)
}

// partialKey names a site partial: its template and the pages' root link.
type partialKey struct{ name, root string }

// pageParts holds what is made once per page for every build: its
// skeletons (see skeleton.go) and search terms.
type pageParts struct {
	mu   sync.Mutex
	skel map[string][]byte // layout outputs by skelKey
	// terms holds the search terms of each version of the page's text
	// met so far, by a hash of the text (see Renderer.searchTerms).
	terms map[[2]uint64]pageVariant
	// bodies holds the terms of each version of the page's body whose
	// fragment went through a Reuser, by its bodyKey (reuse.go).
	bodies map[[2]uint64]pageVariant
}

// partial runs the named template on view.
func (th *themeSet) partial(name string, view *Data) (template.HTML, error) {
	t := th.set.Lookup(name)
	if t == nil {
		return "", fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, view); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// InlineCSS returns the theme's style sheets assets/<name>, in order, as
// one style sheet for a <style> element. 404.html uses it: a server
// returns that page for any missing path, at any depth, and it may be
// opened from disk, so its linked style sheets may not load; inline,
// its look depends on no link. A sheet holding "</" is refused: it
// would end the element.
func (d *Data) InlineCSS(names ...string) (template.CSS, error) {
	var sb strings.Builder
	for _, name := range names {
		p := "assets/" + name
		i, ok := slices.BinarySearchFunc(d.th.assets, p, func(a asset, p string) int { return strings.Compare(a.path, p) })
		if !ok {
			return "", fmt.Errorf("InlineCSS: the theme has no %s", p)
		}
		if bytes.Contains(d.th.assets[i].data, []byte("</")) {
			return "", fmt.Errorf("InlineCSS: %s holds \"</\", which would end the <style> element", p)
		}
		sb.Write(d.th.assets[i].data)
		sb.WriteByte('\n')
	}
	return template.CSS(sb.String()), nil
}
