package render

import (
	"html/template"

	"github.com/facet-docs/facet/internal/content"

	"github.com/facet-docs/facet/internal/markdown"
)

// Data is what a layout (layouts/*.html) sees as its dot. It is filled from
// one build's view of the site: every page, link, count and date in it is
// of a page present in that build. Links are relative to the page being
// written, except on 404.html where they are root-relative.
//
// Nothing in it names the build itself: the sidebar, prev/next links and
// the audience badge are drawn by assets/facet.js from the build's
// _facet/nav.js. So a content page (layouts/page.html) is a function of
// the page, its body and its breadcrumbs alone, and is byte-identical in
// every build that sees it the same way; Children and TagCounts, which
// list a build's pages, are set only for the other kinds.
type Data struct {
	// Site is the site's settings.
	Site *Site
	// Kind is the layout's kind: "home", "section", "page", "tags", "tag"
	// or "404".
	Kind string
	// Title is the page title (the site title on a generated home page).
	Title string
	// URL is the page's root-relative URL ("/a/b/"), "" on 404.html.
	// Print it as the body's data-url: facet.js finds the current page
	// in the navigation by it.
	URL string
	// Permalink is the absolute URL when the site has a base_url, else "".
	Permalink string
	// Root is the link to the build root ("../../", "./"; "/" on 404.html):
	// assets are at Root + "assets/...", the navigation script at Root +
	// "_facet/nav.js". Print it as the body's data-root.
	Root string
	// Description is the page summary, or the site description.
	Description string
	// Date is the page date as "2 Jan 2006", "" when none.
	Date string
	// DateISO is the same date as "2006-01-02", for <time datetime>.
	DateISO string
	// Tags are the page's tags, linking to their tag pages.
	Tags []Link
	// PageMeta holds the page's edit link and the date of its last change.
	PageMeta
	// BodyH1 is true when the body has a level-1 heading of its own, so
	// the layout need not print Title as one.
	BodyH1 bool
	// TOC is the table of contents: the body's level 2 and 3 headings.
	TOC []markdown.Heading
	// Body is the page body as this build sees it. Print it in HTML text
	// (not in an attribute): the renderer fills it in after the layout
	// runs. It is "" when the page has no body.
	Body template.HTML
	// Breadcrumbs is partials/breadcrumbs.html for this page ("" when it
	// has no crumbs). Print it in HTML text, like Body.
	Breadcrumbs template.HTML
	// Backlinks is partials/backlinks.html for this page in this build:
	// the pages of the build whose bodies link to it ("" when none does,
	// on pages other than content and section pages, and when the site
	// sets [layout] backlinks = false). Print it in HTML text, like Body.
	Backlinks template.HTML
	// LinkedFrom is the dot's list in partials/backlinks.html: the pages
	// of the build that link to the page, in sidebar order, with links
	// relative to it. Nil elsewhere.
	LinkedFrom []Link
	// Children lists a section's (or the home page's, or a tag's) pages;
	// nil on content pages.
	Children []Entry
	// TagCounts lists every tag of the build on the tags page.
	TagCounts []TagCount
	// TagsURL links to the tags page; every build has one.
	TagsURL string
	// FeedURL links to the Atom feed, "" when the site has no base_url.
	FeedURL string
	// SearchURL links to the search results page, which reads ?q=.
	SearchURL string

	th   *themeSet
	st   *pass         // nil outside Render
	page *content.Page // the content page being written, nil for others
}

// Link is a title and a link.
type Link struct {
	Title string
	URL   string
}

// Entry is one item of a page list.
type Entry struct {
	Title string
	URL   string
	// Link is the attribute href="URL", for <a {{.Link}}>: one action
	// instead of the three html/template runs for href="{{.URL}}".
	Link template.HTMLAttr
	// Summary is the page's summary, or the start of its text.
	Summary string
	// Date and DateISO are as in Data.
	Date, DateISO string
	// Section is true for a section page.
	Section bool
}

// TagCount is a tag with the number of this build's pages that carry it.
type TagCount struct {
	Name  string
	URL   string
	Count int
}
