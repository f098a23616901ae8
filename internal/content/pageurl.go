package content

import (
	"net/url"
	"path"
	"strings"

	"github.com/facet-docs/facet/internal/tomlx"
)

// readURL reads a page's url key: the root-relative URL the page is
// published at instead of its file's, so that an author can publish a
// page granted to a guest outside a section the guest may not see. The
// URL is checked here (a path of this site, folder-like, no "." or ".."
// or empty segments, no "." or "_" names, no query or fragment); the
// claims of Load report collisions and outputs facet reserves.
func readURL(p *Page, r *tomlx.Table) {
	var raw string
	if !r.String("url", &raw) {
		return
	}
	line := r.Line("url")
	if p.IsSection {
		r.ErrorAt(line, "url is for pages: a section's URL is its folder (move the folder instead)")
		return
	}
	rel, problem := cleanURL(raw)
	if problem != "" {
		r.ErrorAt(line, "url %q %s", raw, problem)
		return
	}
	p.URL, p.OutPath = pageURL(rel)
}

// cleanURL turns a url key ("/shared/partner-api/", "/my%20docs/x")
// into a page folder relative to the build root ("shared/partner-api",
// "my docs/x"), or says what is wrong with it.
func cleanURL(raw string) (rel, problem string) {
	if !strings.HasPrefix(raw, "/") {
		return "", "must start with / (a URL of this site, as /shared/x/)"
	}
	if strings.ContainsAny(raw, `?#\`) {
		return "", "must not hold ?, # or a backslash"
	}
	trimmed := strings.TrimSuffix(raw[1:], "/")
	if trimmed == "" {
		return "", ""
	}
	segs := strings.Split(trimmed, "/")
	for i, seg := range segs {
		if seg == "" {
			return "", "must be a path of this site (no //host, no empty segments)"
		}
		d, err := url.PathUnescape(seg)
		switch {
		case err != nil:
			return "", "is not a valid URL path"
		case strings.ContainsAny(d, `/\`) || strings.ContainsFunc(d, isControl):
			return "", "must not hold an encoded / or a control character"
		case d == "." || d == "..":
			return "", `must not hold "." or ".." segments`
		case strings.HasPrefix(d, ".") || strings.HasPrefix(d, "_"):
			return "", `must not hold segments starting with "." or "_" (facet keeps those for itself)`
		}
		segs[i] = d
	}
	return strings.Join(segs, "/"), ""
}

// relocate moves the files of each bundle whose page has a url with the
// page: a bundle's links to its files are relative, so the files keep
// their place beside the page ("content/a/b/x.png" of a bundle at
// /shared/b/ is at /shared/b/x.png).
func (l *loader) relocate() {
	for _, p := range l.tree.Pages {
		if !p.Bundle {
			continue
		}
		oldDir := strings.TrimPrefix(path.Dir(p.File), Dir+"/") + "/"
		newDir := strings.TrimSuffix(p.OutPath, "index.html")
		if oldDir == newDir {
			continue
		}
		for _, a := range p.Attachments {
			a.OutPath = newDir + strings.TrimPrefix(a.OutPath, oldDir)
			a.URL = "/" + escapePath(a.OutPath)
		}
	}
}
