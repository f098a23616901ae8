package content

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reserved are the outputs of every build that facet generates itself:
// files at the root of a build, and folders (ending in "/"). No page or
// attachment may write to them (compared case-insensitively), so content
// can never overwrite a generated file.
var Reserved = []string{"404.html", "_facet/", "assets/", "index.xml", "llms.txt", "search-index.js", "sitemap.xml", "tags/"}

// escapePath percent-encodes each segment of a slash-separated path, so
// that names are used as written but every URL is safe ("a b/c" ->
// "a%20b/c").
func escapePath(p string) string {
	if p == "" {
		return ""
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// canonicalURL re-escapes a root-relative URL path written by a person
// ("/a b/", "/a%20b/") into the form the tree uses.
func canonicalURL(u string) string {
	if p, err := url.PathUnescape(u); err == nil {
		return escapePath(p)
	}
	return u
}

// pageURL returns the URL and output file of a page whose folder, relative
// to content/, is rel ("" for the home page).
func pageURL(rel string) (u, out string) {
	if rel == "" {
		return "/", "index.html"
	}
	return "/" + escapePath(rel) + "/", rel + "/index.html"
}

// fileTitle makes a title from a file or folder name: the extension goes,
// dashes and underscores become spaces, the first letter is upper-cased
// ("getting-started.md" -> "Getting started").
func fileTitle(name string) string {
	name = pageStem(name)
	t := strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, name))
	if t == "" {
		return name
	}
	r, n := utf8.DecodeRuneInString(t)
	return string(unicode.ToUpper(r)) + t[n:]
}

// RelURL returns a relative reference from the page at URL from (a folder
// URL such as "/a/b/"; a from not ending in "/" is taken as a file in its
// folder) to the root-relative URL to ("/c/", "/a/x.pdf", "/"):
// RelURL("/a/b/", "/a/c/") == "../c/", RelURL("/", "/a/") == "a/",
// RelURL("/a/", "/a/") == "./". A result whose first segment holds a ':'
// is prefixed with "./" so that it never reads as a scheme.
func RelURL(from, to string) string {
	fromDirs := splitDirs(from[:strings.LastIndexByte(from, '/')+1])
	slash := strings.LastIndexByte(to, '/')
	toDirs, file := splitDirs(to[:slash+1]), to[slash+1:]
	common := 0
	for common < len(fromDirs) && common < len(toDirs) && fromDirs[common] == toDirs[common] {
		common++
	}
	var b strings.Builder
	for range len(fromDirs) - common {
		b.WriteString("../")
	}
	for _, d := range toDirs[common:] {
		b.WriteString(d)
		b.WriteByte('/')
	}
	b.WriteString(file)
	rel := b.String()
	if rel == "" {
		return "./"
	}
	if first, _, _ := strings.Cut(rel, "/"); strings.Contains(first, ":") {
		return "./" + rel
	}
	return rel
}

// splitDirs splits "/a/b/" into ["a", "b"].
func splitDirs(dir string) []string {
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return nil
	}
	return strings.Split(dir, "/")
}
