package render

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
)

// crumbKey names the breadcrumbs above one nav node's page(s), as written
// from one folder: for the node's own page (self) or for any of its leaf
// children.
type crumbKey struct {
	ctx  *node
	link linker
	self bool
}

// breadcrumbs returns partials/breadcrumbs.html for k, rendered once per
// build. crumbs overrides the links computed from the tree (for pages
// outside it: tags pages); nil means "from the tree".
func (s *pass) breadcrumbs(k crumbKey, crumbs []Link) (template.HTML, error) {
	if h, ok := s.crumbCache[k]; ok {
		return h, nil
	}
	if crumbs == nil {
		crumbs = s.crumbs(k)
	}
	var buf bytes.Buffer
	if err := s.r.th.crumbs.Execute(&buf, crumbs); err != nil {
		return "", fmt.Errorf("render: theme partials/breadcrumbs.html: %w", err)
	}
	h := template.HTML(buf.String())
	s.crumbCache[k] = h
	return h, nil
}

// hrefAttr is the attribute href="url", escaped. The renderer's URLs are
// root-relative or relative paths (relURL never yields a scheme), so they
// need no filtering, only attribute escaping.
func hrefAttr(url string) template.HTMLAttr {
	return template.HTMLAttr(`href="` + html.EscapeString(url) + `"`)
}

// crumbs lists the links above the page(s) of k: the build's home, then
// each present ancestor section (hidden ones are simply not in the tree).
func (s *pass) crumbs(k crumbKey) []Link {
	end := k.ctx
	if k.self {
		end = k.ctx.parent
	}
	if end == nil {
		return []Link{}
	}
	chain := ancestors(end)
	out := make([]Link, 0, len(chain))
	for _, a := range chain {
		if a == &s.tree.root {
			out = append(out, Link{Title: s.homeTitle(), URL: k.link.root()})
			continue
		}
		out = append(out, Link{Title: a.page.Title, URL: k.link.link(a.page.URL)})
	}
	return out
}
