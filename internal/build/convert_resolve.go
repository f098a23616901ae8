package build

import (
	"net/url"
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

// near returns what a broken internal link lies under (content.Tree
// Near), trying the readings target tries, in its order: an absolute URL
// of the site, the path relative to the page's file or root-relative, the
// base path stripped, and the path relative to the page's URL.
func (r *resolver) near(dest string) content.Target {
	t := r.s.tree
	if p, _, ok := r.urls.Local(dest); ok {
		return t.NearPath(p)
	}
	raw, suf := splitRef(dest)
	raw = strings.ReplaceAll(raw, `\`, "/")
	if tgt := t.Near(r.page, raw+suf); tgt.Page != nil || tgt.Attachment != nil || raw == "" {
		return tgt
	}
	if strings.HasPrefix(raw, "/") {
		if p, _, ok := r.urls.StripBase(raw, suf); ok && r.urls.BasePath() != "" {
			return t.NearPath(p)
		}
		return content.Target{}
	}
	if r.page == nil || strings.HasPrefix(raw, "//") {
		return content.Target{}
	}
	return t.NearPath(siteurl.Clean(r.page.URL + raw))
}

// relocated reads a broken link as a root-relative path of the site, in
// target's readings and order (an absolute URL of the site; the path
// relative to the page's file, or root-relative; the base path stripped;
// the path relative to the page's URL) and, when one lies at or under the
// URL a page had before it set its own url (content.Tree.Relocated),
// returns the page, the same place under its URL and the link's "?q#f".
func (r *resolver) relocated(dest string) (moved *content.Page, to, suf string, ok bool) {
	t := r.s.tree
	if lp, s, local := r.urls.Local(dest); local {
		moved, to, ok = t.Relocated(lp)
		return moved, to, s, ok
	}
	raw, suf := splitRef(dest)
	raw = strings.ReplaceAll(raw, `\`, "/")
	if raw == "" || strings.HasPrefix(raw, "//") {
		return nil, "", "", false
	}
	var readings []string
	if p, ok := content.LinkPath(r.page, raw); ok {
		readings = append(readings, p)
	}
	if strings.HasPrefix(raw, "/") {
		if sp, _, stripped := r.urls.StripBase(raw, suf); stripped && r.urls.BasePath() != "" {
			readings = append(readings, unescape(sp))
		}
	} else if r.page != nil {
		readings = append(readings, unescape(siteurl.Clean(r.page.URL+raw)))
	}
	for _, p := range readings {
		if moved, to, ok = t.Relocated(p); ok {
			return moved, to, suf, true
		}
	}
	return nil, "", "", false
}

// unescape decodes a URL path, or returns it as it is when it does not
// decode.
func unescape(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

// Names implements markdown.Resolver: whether ref, a word of a raw-HTML
// attribute facet does not resolve or of a link's text, names a page or
// attachment, an address from before a page set its own url included
// (Resolve writes a link to one against the page's URL).
func (r *resolver) Names(ref string) bool {
	_, internal, found := r.target(ref)
	if internal && !found {
		_, _, _, found = r.relocated(ref)
	}
	return internal && found
}

// splitRef splits "a/b?q#f" into "a/b" and "?q#f".
func splitRef(s string) (p, suffix string) {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
