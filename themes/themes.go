// Package themes holds the themes built into facet. It owns the files of
// the default theme and nothing else: rendering them is internal/render's
// job, and render.Layer lays a site's themes/<name>/ folder over them, so a
// site overrides any file by giving the same path.
//
// A theme is:
//
//	layouts/{home,section,page,404,tags,tag}.html  one per kind of page; dot is a render.Data
//	partials/sidebar.html                         the sidebar box; facet.js fills it from _facet/nav.js
//	partials/breadcrumbs.html                     dot is a []render.Link, root first
//	partials/*.html                               anything else the layouts call
//	assets/...                                    copied to every build under assets/
//
// Every template is parsed into one set, named by its path, so a layout
// calls {{template "partials/head.html" .}}. Layouts print .Body,
// .Breadcrumbs and the results of .SitePartial in HTML text, not in
// attributes: the renderer fills them in after the layout runs. Nothing a
// layout sees names the build: the sidebar, prev/next links and audience
// badge are drawn by assets/facet.js from the build's _facet/nav.js, so a
// content page is the same file in every build that sees it alike.
//
// The default theme makes no external request and needs no inline script,
// so it holds under a Content-Security-Policy of default-src 'self' with
// one exception: mermaid (assets/vendor/mermaid/, loaded only by pages that
// have a diagram) draws SVG with inline styles, which need style-src
// 'unsafe-inline', as the gateway sends. KaTeX (assets/vendor/katex/, loaded
// only by pages with math) sets its styles through the CSSOM and needs
// nothing more.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var embedded embed.FS

// Default is the built-in default theme, rooted at its folder: paths look
// like "layouts/page.html" and "assets/facet.css".
var Default fs.FS = mustSub(embedded, "default")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		// Unreachable: dir is a valid path known at compile time.
		panic(err)
	}
	return sub
}
