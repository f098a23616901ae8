package render

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"
)

// BuildPartial renders the named template (e.g. "partials/header.html")
// once per build and link depth, and returns its HTML. Its dot is a Data
// holding only what is the same for every page of the build at that depth:
// Site, Build, Badge, Root, TagsURL, FeedURL and SearchURL. Layouts use it
// for what surrounds the page (top bar, footer, asset links): html/template
// costs about a microsecond per action, and a build has thousands of pages.
func (d *Data) BuildPartial(name string) (template.HTML, error) {
	view := &Data{
		Site: d.Site, Build: d.Build, Badge: d.Badge, Root: d.Root,
		TagsURL: d.TagsURL, FeedURL: d.FeedURL, SearchURL: d.SearchURL,
	}
	if d.st == nil {
		return d.th.partial(name, view)
	}
	k := partialKey{name: name, root: d.Root}
	if h, ok := d.st.partials[k]; ok {
		return h, nil
	}
	h, err := d.th.partial(name, view)
	if err == nil {
		d.st.partials[k] = h
	}
	return h, err
}

// PagePartial renders the named template (e.g. "partials/toc.html") once
// per page for every build that holds the page, and returns its HTML. Its
// dot is a Data holding only what belongs to the page itself: Site, Kind,
// Title, URL, Permalink, Root, Date, DateISO, Tags, TOC and BodyH1. On
// pages that are not content pages (a generated home, tag pages, 404.html)
// it renders every time.
func (d *Data) PagePartial(name string) (template.HTML, error) {
	view := &Data{
		Site: d.Site, Kind: d.Kind, Title: d.Title, URL: d.URL, Permalink: d.Permalink,
		Root: d.Root, Date: d.Date, DateISO: d.DateISO, Tags: d.Tags, TOC: d.TOC, BodyH1: d.BodyH1,
	}
	if d.st == nil || d.page == nil {
		return d.th.partial(name, view)
	}
	pp := &d.st.r.parts[d.page.Index]
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if h, ok := pp.html[name]; ok {
		return h, nil
	}
	h, err := d.th.partial(name, view)
	if err == nil {
		if pp.html == nil {
			pp.html = map[string]template.HTML{}
		}
		pp.html[name] = h
	}
	return h, err
}

// partialKey names a build partial within one build.
type partialKey struct{ name, root string }

// pageParts holds one page's rendered page partials, shared by builds.
type pageParts struct {
	mu   sync.Mutex
	html map[string]template.HTML
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
