package content

import (
	"net/url"
	"path"
	"strings"
)

// aliasURL resolves an alias value of page p (see Alias) into its URL and
// output file, or says what is wrong with it.
func aliasURL(p *Page, raw string) (u, out, problem string) {
	if raw == "" || strings.HasPrefix(raw, "//") || schemeRE.MatchString(raw) {
		return "", "", "must be a path of this site: /old/path/, or a name beside the page (old-name)"
	}
	abs := raw
	if !strings.HasPrefix(raw, "/") {
		abs = "/" + raw
	}
	rel, problem := cleanURL(abs)
	if problem != "" {
		return "", "", problem
	}
	if !strings.HasPrefix(raw, "/") {
		dir := strings.Trim(parentURL(p.URL), "/")
		if d, err := url.PathUnescape(dir); err == nil {
			dir = d
		}
		rel = path.Join(dir, rel)
	}
	u, out = pageURL(rel)
	return u, out, ""
}

// parentURL is the folder URL holding the page at u: "/a/" for "/a/b/",
// "/" for "/a/" and "/".
func parentURL(u string) string {
	i := strings.LastIndexByte(strings.TrimSuffix(u, "/"), '/')
	if i < 0 {
		return "/"
	}
	return u[:i+1]
}

// decodedPath is the decoded form of a root-relative URL the tree made
// ("/caf%C3%A9/" -> "/café/"), the form Tree.NearPath looks up: an
// encoded one would match no folder whose name a URL encodes.
func decodedPath(u string) string {
	if d, err := url.PathUnescape(u); err == nil {
		return d
	}
	return u
}

// aliases resolves and claims every page's aliases, after the pages and
// attachments have claimed their outputs, and finds each alias's Near and
// Moved.
func (l *loader) aliases(c *claims) {
	t := l.tree
	var claimed []*Alias
	for _, p := range t.Pages {
		for _, a := range p.Aliases {
			u, out, problem := aliasURL(p, a.Raw)
			if problem != "" {
				l.errs.Addf(p.File, a.Line, "alias %q %s", a.Raw, problem)
				continue
			}
			a.URL, a.OutPath = u, out
			if c.claimAlias(p, a) {
				claimed = append(claimed, a)
			}
		}
	}
	for _, a := range claimed {
		a.Near = t.NearPath(decodedPath(a.URL)).Page
		a.Moved = t.MovedFrom(decodedPath(a.URL))
	}
}

// claimAlias claims the output of alias a of page p, or reports, at the
// alias's line, why it cannot: an output facet reserves, or under one; the
// output of a page, an attachment or another alias (also when the two
// differ only in case or Unicode normalization); or a file where another
// output needs a folder, either way round.
func (c *claims) claimAlias(p *Page, a *Alias) bool {
	fail := func(format string, args ...any) bool {
		c.errs.Addf(p.File, a.Line, "alias %q "+format, append([]any{a.Raw}, args...)...)
		return false
	}
	lower := fold(a.OutPath)
	if isReserved(lower) {
		return fail("is reserved for the files facet generates (%s)", a.OutPath)
	}
	if prev, dup := c.files[lower]; dup {
		switch {
		case prev.alias:
			return fail("is also an alias of %s", prev.file)
		case prev.out == a.OutPath:
			return fail("is the URL of %s", prev.file)
		}
		return fail("collides with %s of %s (names that differ only in case or Unicode normalization)", prev.url, prev.file)
	}
	if prev, ok := c.dirs[lower]; ok {
		return fail("is a file %s, but %s needs a folder of that name (for %s)", a.OutPath, prev.file, prev.out)
	}
	for d := path.Dir(a.OutPath); d != "."; d = path.Dir(d) {
		if prev, ok := c.files[fold(d)]; ok {
			return fail("needs a folder %s/, but %s is a file of that name", d, prev.file)
		}
	}
	c.add(source{file: p.File, url: a.URL, out: a.OutPath, alias: true})
	return true
}
