package content

import (
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/access"
)

// index sorts the attachments, fills the tree's lookup maps, and reports
// two sources for one output: the same URL (a.md and a/index.md), outputs
// that differ only in case (they collide on case-insensitive disks), and
// outputs facet reserves for itself.
func (l *loader) index() {
	t := l.tree
	slices.SortFunc(t.Attachments, func(a, b *Attachment) int { return strings.Compare(a.File, b.File) })
	t.byURL = make(map[string]*Page, len(t.Pages))
	t.bySource = make(map[string]*Page, len(t.Pages))
	t.files = make(map[string]*Attachment, len(t.Attachments))
	type source struct {
		file, url, out string
		generated      bool
	}
	outs := map[string]source{}
	claim := func(file, u, out string, generated bool) bool {
		lower := strings.ToLower(out)
		for _, r := range Reserved {
			if lower == r || strings.HasSuffix(r, "/") && strings.HasPrefix(lower, r) {
				l.errs.Addf(file, 0, "%s is reserved for the files facet generates: rename it", out)
				return false
			}
		}
		prev, dup := outs[lower]
		switch {
		case !dup:
			outs[lower] = source{file, u, out, generated}
			return true
		case prev.url == u && prev.generated:
			l.errs.Addf(file, 0, "URL %s is also the URL of the section %s (move %s to %s_index.md)", u, prev.file, file, prev.file)
		case prev.url == u:
			l.errs.Addf(file, 0, "URL %s is also the URL of %s", u, prev.file)
		case prev.out == out:
			l.errs.Addf(file, 0, "output %s is also the output of %s", out, prev.file)
		default:
			l.errs.Addf(file, 0, "output %s collides with %s of %s (names that differ only in case)", out, prev.out, prev.file)
		}
		return false
	}
	for _, p := range t.Pages {
		if claim(p.File, p.URL, p.OutPath, p.Generated) {
			t.byURL[p.URL] = p
		}
		if !p.Generated {
			t.bySource[p.File] = p
		}
	}
	for _, a := range t.Attachments {
		if claim(a.File, a.URL, a.OutPath, false) {
			t.files[a.URL] = a
		}
	}
}

// Page returns the page at the root-relative URL ("/a/b/"), nil if none.
// The URL may be written with or without percent-encoding.
func (t *Tree) Page(u string) *Page {
	if p := t.byURL[u]; p != nil {
		return p
	}
	return t.byURL[canonicalURL(u)]
}

// Attachment returns the attachment at the root-relative URL
// ("/a/x.pdf"), nil if none.
func (t *Tree) Attachment(u string) *Attachment {
	if a := t.files[u]; a != nil {
		return a
	}
	return t.files[canonicalURL(u)]
}

// Chain returns the access chain of a page, most specific first: its own
// level, then the levels of the index pages of its section and of every
// ancestor section up to Root, then site. For a section's index page the
// chain starts at that page's own level (the section's). Absent levels
// (nil) are left out.
func (t *Tree) Chain(p *Page, site *access.Level) access.Chain {
	var chain access.Chain
	add := func(l *access.Level) {
		if l != nil {
			chain = append(chain, l)
		}
	}
	add(p.Access)
	s := p.Section
	if p.IsSection && s != nil {
		s = s.Parent
	}
	for ; s != nil; s = s.Parent {
		add(s.Page.Access)
	}
	add(site)
	return chain
}

// Target is what an internal link points at: a page or an attachment.
type Target struct {
	Page       *Page
	Attachment *Attachment
	// Suffix is the "?query#fragment" part of the link, as written.
	Suffix string
}

// schemeRE matches a URL scheme ("https:", "mailto:").
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// Resolve resolves a link destination written in page from, per
// CONTRACT.md "Internal links". A destination with a scheme ("https:",
// "mailto:"), a protocol-relative "//host" one, an empty one and a pure
// "#fragment" are external: internal is false. Otherwise the path is
// root-relative ("/a/b/") or relative to from's file (the folder of
// content/a/b.md is content/a/; a bundle's index.md and a section's
// _index.md are in their own folder), percent-encoded or not, and names a
// .md file ("b.md", "../a/_index.md", "b/index.md"), an attachment, or a
// page URL with or without its trailing slash ("../b/", "/a/b"; also
// ".../index.html"). A "?query" or "#fragment" is returned in
// Target.Suffix. found is false for a broken internal link.
func (t *Tree) Resolve(from *Page, dest string) (tgt Target, internal, found bool) {
	if dest == "" || dest[0] == '#' || strings.HasPrefix(dest, "//") || schemeRE.MatchString(dest) {
		return Target{}, false, false
	}
	p := dest
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		p, tgt.Suffix = dest[:i], dest[i:]
	}
	if p == "" {
		tgt.Page = from
		return tgt, true, from != nil
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	full := path.Join(Dir, p)
	if !strings.HasPrefix(p, "/") {
		if from == nil {
			return tgt, true, false
		}
		full = path.Join(baseDir(from), p)
	}
	if full != Dir && !strings.HasPrefix(full, Dir+"/") {
		return tgt, true, false
	}
	tgt.Page, tgt.Attachment = t.lookup(full, strings.HasSuffix(p, "/"))
	return tgt, true, tgt.Page != nil || tgt.Attachment != nil
}

// lookup finds what the cleaned site path full ("content/a/b.md",
// "content/a/b") names; dir is true when the link ended in "/".
func (t *Tree) lookup(full string, dir bool) (*Page, *Attachment) {
	rel := strings.TrimPrefix(strings.TrimPrefix(full, Dir), "/")
	if !dir {
		if isMarkdown(full) {
			return t.bySource[full], nil
		}
		if a := t.files["/"+escapePath(rel)]; a != nil {
			return nil, a
		}
	}
	u, _ := pageURL(rel)
	if p := t.byURL[u]; p != nil {
		return p, nil
	}
	if !dir && path.Base(rel) == "index.html" {
		u, _ = pageURL(strings.TrimSuffix(strings.TrimSuffix(rel, "index.html"), "/"))
		return t.byURL[u], nil
	}
	return nil, nil
}

// baseDir is the folder a page's relative links start from.
func baseDir(p *Page) string {
	if p.Generated {
		return strings.TrimSuffix(p.File, "/")
	}
	return path.Dir(p.File)
}
