package build

import (
	"strings"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/siteurl"
)

// target resolves a destination, decoded by the markdown package (escapes
// and character references resolved; percent-encoding kept), to a page or
// attachment of the site. It accepts every spelling a browser would follow
// to one:
//
//   - an absolute or scheme-relative URL of the site (base_url's host or
//     one of config hosts, any case, default port, dot segments, doubled
//     slashes), under the base path;
//   - a path relative to the page's file or root-relative (content.Tree
//     Resolve), backslashes read as slashes;
//   - a root-relative path that spells out the base path ("/docs/x/"
//     when base_url ends in "/docs/"), when the literal path names nothing;
//   - a relative path as the browser resolves it against the page's URL,
//     when the file-relative reading names nothing.
//
// internal is false for other URLs (other hosts and schemes, a pure
// "#fragment"); found is false for a broken internal link.
func (r *resolver) target(dest string) (tgt content.Target, internal, found bool) {
	t := r.s.tree
	if p, suf, ok := r.urls.Local(dest); ok {
		tgt, found = t.ResolvePath(p, suf)
		return tgt, true, found
	}
	raw, suf := splitRef(dest)
	dest = strings.ReplaceAll(raw, `\`, "/") + suf
	tgt, internal, found = t.Resolve(r.page, dest)
	if !internal || found || raw == "" {
		return tgt, internal, found
	}
	if strings.HasPrefix(dest, "/") {
		if p, s, ok := r.urls.StripBase(dest[:len(raw)], suf); ok && r.urls.BasePath() != "" {
			if tgt, found := t.ResolvePath(p, s); found {
				return tgt, true, true
			}
		}
		return tgt, true, false
	}
	if r.page != nil {
		p := siteurl.Clean(r.page.URL + dest[:len(raw)])
		if tgt, found := t.ResolvePath(p, suf); found {
			return tgt, true, true
		}
	}
	return tgt, true, false
}

// Names implements markdown.Resolver: whether ref, a word of a raw-HTML
// attribute facet does not resolve, names a page or attachment.
func (r *resolver) Names(ref string) bool {
	_, internal, found := r.target(ref)
	return internal && found
}

// splitRef splits "a/b?q#f" into "a/b" and "?q#f".
func splitRef(s string) (p, suffix string) {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
