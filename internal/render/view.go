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
type Data struct {
	// Site is the site's settings.
	Site *Site
	// Build describes the audience the build is for.
	Build *BuildInfo
	// Kind is the layout's kind: "home", "section", "page", "tags", "tag"
	// or "404".
	Kind string
	// Title is the page title (the site title on a generated home page).
	Title string
	// URL is the page's root-relative URL ("/a/b/").
	URL string
	// Permalink is the absolute URL when the site has a base_url, else "".
	Permalink string
	// Root is the link to the build root ("../../", "./"; "/" on 404.html):
	// assets are at Root + "assets/...".
	Root string
	// Description is the page summary, or the site description.
	Description string
	// Date is the page date as "2 Jan 2006", "" when none.
	Date string
	// DateISO is the same date as "2006-01-02", for <time datetime>.
	DateISO string
	// Tags are the page's tags, linking to their tag pages.
	Tags []Link
	// BodyH1 is true when the body has a level-1 heading of its own, so
	// the layout need not print Title as one.
	BodyH1 bool
	// TOC is the table of contents: the body's level 2 and 3 headings.
	TOC []markdown.Heading
	// Body is the page body as this build sees it. Print it in HTML text
	// (not in an attribute): the renderer fills it in after the layout
	// runs. It is "" when the page has no body.
	Body template.HTML
	// Sidebar is the navigation tree (partials/sidebar.html, rendered once
	// per section and build). Print it in HTML text, like Body.
	Sidebar template.HTML
	// Breadcrumbs is partials/breadcrumbs.html for this page ("" when it
	// has no crumbs). Print it in HTML text, like Body.
	Breadcrumbs template.HTML
	// Badge is partials/badge.html for this build. Print it in HTML text,
	// like Body.
	Badge template.HTML
	// Prev and Next are the neighbours in sidebar order, nil at the ends.
	Prev, Next *Link
	// Children lists a section's (or the home page's, or a tag's) pages.
	Children []Entry
	// TagCounts lists every tag of the build on the tags page.
	TagCounts []TagCount
	// TagsURL links to the tags page, "" when the build has no tags.
	TagsURL string
	// FeedURL links to the Atom feed, "" when the build has none.
	FeedURL string
	// SearchURL links to the search index script.
	SearchURL string

	th   *themeSet
	st   *state        // nil outside Render
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

// BuildInfo is what templates know about the build's audience.
type BuildInfo struct {
	// ID is the audience id ("anonymous", "group:eng", ...).
	ID string
	// Kind is "anonymous", "member" or "guest".
	Kind string
	// Label is the badge text.
	Label string
	// Expires is a guest's expiry as "2 Jan 2006" (as written when it is
	// not a date), "" when none.
	Expires string
	// Guest is true for a guest's build.
	Guest bool
}

// NavItem is one entry of the sidebar tree (partials/sidebar.html's dot
// is a []*NavItem: the top level).
type NavItem struct {
	Title string
	URL   string
	// Section is true for a section page.
	Section bool
	// Open is true when the item's children are listed: the current page
	// and its ancestors.
	Open bool
	// Attr holds the attributes that mark the current page
	// (` aria-current="page"`). Print it inside the item's <a> tag: the
	// renderer fills it per page, since one sidebar serves a whole section.
	Attr template.HTMLAttr
	// Link is href="URL" followed by Attr, for <a {{.Link}}>: one action
	// instead of four (sidebars are most of the template work of a build).
	Link template.HTMLAttr
	// Children are listed only when Open.
	Children []*NavItem
}
