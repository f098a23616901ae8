package render

import "strings"

// renderLeaves takes every present page's text (for summaries) and
// writes and indexes for search the pages that are not sections.
func (s *pass) renderLeaves() error {
	for i, nd := range s.tree.order {
		if i%64 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		p := nd.page
		body := s.bodies.Body(p, s.b)
		s.texts[p.Index] = plainText(body, summaryLen+1)
		if p.IsSection {
			continue
		}
		if err := s.renderLeaf(nd, body); err != nil {
			return err
		}
		// after the page, so that the gate names the page's file first
		if err := s.searchPage(nd, body); err != nil {
			return err
		}
		s.done(nd)
	}
	return nil
}

// done tells the Renderer that this pass has written nd's page, unless
// the pass is RenderPage's.
func (s *pass) done(nd *node) {
	if !s.pageOnly && nd.page != nil {
		s.r.release(nd.page.Index)
	}
}

// renderLeaf writes a present page that is not a section.
func (s *pass) renderLeaf(nd *node, body []byte) error {
	p := nd.page
	lk := linker{from: siblingDir(urlDir(p.URL))}
	crumbs, err := s.breadcrumbs(crumbKey{ctx: nd.parent, link: lk}, nil)
	if err != nil {
		return err
	}
	s.reset("page", p.Title, p.URL, lk)
	s.fillPage(nd, lk)
	if s.back, err = s.backlinks(nd, lk); err != nil {
		return err
	}
	return s.layout(crumbs, body, p.OutPath)
}

// renderSections writes the present section pages but the home page.
func (s *pass) renderSections() error {
	for _, nd := range s.tree.order {
		if !nd.page.IsSection || nd == &s.tree.root {
			continue
		}
		if err := s.renderSection(nd); err != nil {
			return err
		}
	}
	return nil
}

// renderSection writes a present section page but the home page.
func (s *pass) renderSection(nd *node) error {
	p := nd.page
	lk := linker{from: p.URL}
	crumbs, err := s.breadcrumbs(crumbKey{ctx: nd, link: lk, self: true}, nil)
	if err != nil {
		return err
	}
	s.reset("section", p.Title, p.URL, lk)
	s.fillPage(nd, lk)
	if s.back, err = s.backlinks(nd, lk); err != nil {
		return err
	}
	s.data.Children = s.entries(nd.children, lk)
	body := s.bodies.Body(p, s.b)
	if err := s.layout(crumbs, body, p.OutPath); err != nil {
		return err
	}
	// after the page, so that the gate names the page's file first
	if err := s.searchPage(nd, body); err != nil {
		return err
	}
	s.done(nd)
	return nil
}

// renderHome writes index.html: the root page, or when the build lacks it
// a generated home listing the top-level sections and pages it can see.
func (s *pass) renderHome() error {
	root := &s.tree.root
	lk := linker{from: "/"}
	var body []byte
	if p := root.page; p != nil {
		s.reset("home", p.Title, "/", lk)
		s.fillPage(root, lk)
		body = s.bodies.Body(p, s.b)
	} else {
		s.reset("home", s.r.site.Title, "/", lk)
	}
	s.data.Children = s.entries(root.children, lk)
	if err := s.layout("", body, "index.html"); err != nil {
		return err
	}
	if root.page != nil {
		if err := s.searchPage(root, body); err != nil {
			return err
		}
		s.done(root)
		return nil
	}
	return nil
}

// renderSearch writes the search results page, which lists the results
// of the query in its address (?q=) with assets/facet.js.
func (s *pass) renderSearch() error {
	lk := linker{from: "/" + SearchDir}
	crumbs, err := s.breadcrumbs(crumbKey{ctx: &s.tree.root, link: lk}, []Link{{Title: s.homeTitle(), URL: lk.root()}})
	if err != nil {
		return err
	}
	s.reset("search", SearchTitle, "/"+SearchDir, lk)
	return s.layout(crumbs, nil, SearchPagePath)
}

// render404 writes 404.html. A server returns it for any missing path, so
// its links are root-relative (under base_url's path) and nothing in it
// depends on the path asked for.
func (s *pass) render404() error {
	lk := linker{abs: s.r.basePath}
	crumbs, err := s.breadcrumbs(crumbKey{ctx: &s.tree.root, link: lk}, []Link{{Title: s.homeTitle(), URL: lk.root()}})
	if err != nil {
		return err
	}
	s.reset("404", NotFoundTitle, "", lk)
	s.data.Permalink = ""
	return s.layout(crumbs, nil, "404.html")
}

// urlDir is the folder URL holding the page at u: "/a/" for "/a/b/".
func urlDir(u string) string {
	i := strings.LastIndexByte(strings.TrimSuffix(u, "/"), '/')
	if i < 0 {
		return "/"
	}
	return u[:i+1]
}
