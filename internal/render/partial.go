package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"
)

// BuildPartial renders the named template (e.g. "partials/header.html")
// once per build and link depth. Its dot is a Data holding only what is
// the same for every page of the build at that depth: Site, Build, Badge,
// Root, TagsURL, FeedURL and SearchURL. Layouts use it for what surrounds
// the page (top bar, footer, asset links): html/template costs about a
// microsecond per action, and a build has thousands of pages. Like Body,
// print its result once in HTML text: it is filled in after the layout
// runs.
func (d *Data) BuildPartial(name string) (template.HTML, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("BuildPartial: bad template name %q", name)
	}
	if d.st == nil {
		v := &Data{th: d.th, Site: d.Site, Build: d.Build, Badge: d.Badge, Root: d.Root,
			TagsURL: d.TagsURL, FeedURL: d.FeedURL, SearchURL: d.SearchURL}
		return d.th.partial(name, v)
	}
	if _, err := d.st.buildPartial(name, d.Root); err != nil {
		return "", err
	}
	return template.HTML("\x00P" + name + "\x00"), nil
}

// buildPartial returns the named build partial for pages whose root link
// is root, rendering it on first use.
func (s *state) buildPartial(name, root string) ([]byte, error) {
	k := partialKey{name: name, root: root}
	if h, ok := s.partials[k]; ok {
		return h, nil
	}
	h, err := s.r.th.partial(name, s.buildView(root))
	if err != nil {
		return nil, err
	}
	s.partials[k] = []byte(h)
	return s.partials[k], nil
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

// pageParts holds what is rendered once per page for every build: its
// page partials and its layout skeletons (see skeleton.go).
type pageParts struct {
	mu   sync.Mutex
	html map[string]template.HTML
	skel map[string][]byte
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
