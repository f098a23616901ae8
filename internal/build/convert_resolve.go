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
// NearPath), trying its readings (linkReadings) in order.
func (r *resolver) near(dest string) content.Target {
	paths, _ := r.linkReadings(dest)
	for _, p := range paths {
		if tgt := r.s.tree.NearPath(p); tgt.Page != nil || tgt.Attachment != nil {
			return tgt
		}
	}
	return content.Target{}
}

// relocated returns, for a broken link at or under the URL a page had
// before it set its own url (content.Tree.Relocated) in one of its
// readings (linkReadings), that page, the same place under its URL and
// the link's "?q#f".
func (r *resolver) relocated(dest string) (moved *content.Page, to, suf string, ok bool) {
	paths, suf := r.linkReadings(dest)
	for _, p := range paths {
		if moved, to, ok = r.s.tree.Relocated(p); ok {
			return moved, to, suf, true
		}
	}
	return nil, "", "", false
}

// aliased returns, for a broken link at or under an alias in one of its
// readings (linkReadings), the alias's page, the same place under its URL
// and the link's "?q#f" (content.Tree.Aliased).
func (r *resolver) aliased(dest string) (page *content.Page, to, suf string, ok bool) {
	paths, suf := r.linkReadings(dest)
	for _, p := range paths {
		if page, to, ok = r.s.tree.Aliased(p); ok {
			return page, to, suf, true
		}
	}
	return nil, "", "", false
}

// linkReadings are the root-relative paths of the site a link may name,
// decoded, in target's order: an absolute URL of the site (alone); else the
// path relative to the page's file or root-relative, then the base path
// stripped (root-relative links) or the path relative to the page's URL.
// suf is the link's "?q#f".
func (r *resolver) linkReadings(dest string) (paths []string, suf string) {
	if p, s, ok := r.urls.Local(dest); ok {
		return []string{unescape(p)}, s
	}
	raw, suf := splitRef(dest)
	raw = strings.ReplaceAll(raw, `\`, "/")
	if raw == "" || strings.HasPrefix(raw, "//") {
		return nil, suf
	}
	if p, ok := content.LinkPath(r.page, raw); ok {
		paths = append(paths, p)
	}
	if strings.HasPrefix(raw, "/") {
		if p, _, ok := r.urls.StripBase(raw, suf); ok && r.urls.BasePath() != "" {
			paths = append(paths, unescape(p))
		}
	} else if r.page != nil {
		paths = append(paths, unescape(siteurl.Clean(r.page.URL+raw)))
	}
	return paths, suf
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
// attachment, an address from before a page set its own url and a page's
// alias included (Resolve writes a link to one against the page's URL).
func (r *resolver) Names(ref string) bool {
	_, internal, found := r.target(ref)
	if internal && !found {
		_, _, _, found = r.relocated(ref)
	}
	if internal && !found {
		_, _, _, found = r.aliased(ref)
	}
	return internal && found
}

// file returns the attachment dest names as Resolve reads it, nil for
// none: at its own address, or, when nothing is there, at the same place
// under the URL of a page that set its own url (for the address it had
// before) or under the URL of a page that has dest's path as an alias.
// Naming a file in any of these spellings uses it as a link does.
func (r *resolver) file(dest string) *content.Attachment {
	tgt, internal, found := r.target(dest)
	switch {
	case !internal:
		return nil
	case found:
		return tgt.Attachment
	}
	if _, to, suf, ok := r.relocated(dest); ok {
		t, _ := r.s.tree.ResolvePath(to, suf)
		return t.Attachment
	}
	if _, to, suf, ok := r.aliased(dest); ok {
		t, _ := r.s.tree.ResolvePath(to, suf)
		return t.Attachment
	}
	return nil
}

// splitRef splits "a/b?q#f" into "a/b" and "?q#f".
func splitRef(s string) (p, suffix string) {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
