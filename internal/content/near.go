package content

import (
	"net/url"
	"path"
	"strings"
)

// Near returns the page or attachment a link that names nothing is
// nearest to, so that a build can leave the link out wherever that one is
// hidden: a broken link under a hidden page's or section's URL
// ("vault/gone.md", "/vault/plan/old.html", a page's URL from before it
// set its own url) still names the hidden folder. dest is written as for
// Resolve, relative to from's file or root-relative. The link's path and
// then each folder above it is looked up ignoring case and Unicode
// normalization, as outputs are told apart (a link to "VAULT/Plan.md"
// names vault/plan.md on a disk that ignores case). The home page is no
// one's nearest: a zero Target comes back when only the root is above.
func (t *Tree) Near(from *Page, dest string) Target {
	p, ok := LinkPath(from, dest)
	if !ok {
		return Target{}
	}
	return t.NearPath(p)
}

// LinkPath reads dest, a link written as for Resolve (relative to from's
// file or root-relative, percent-encoding kept, "?q#f" ignored), as a
// root-relative path of the site, decoded and cleaned, keeping a trailing
// slash: "secret/x.txt" from content/guide/other.md is
// "/guide/secret/x.txt". ok is false for a URL with a scheme, a
// scheme-relative one, a pure fragment and a path that leaves content/.
func LinkPath(from *Page, dest string) (string, bool) {
	if dest == "" || dest[0] == '#' || strings.HasPrefix(dest, "//") || schemeRE.MatchString(dest) {
		return "", false
	}
	p := dest
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		p = dest[:i]
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	full := path.Join(Dir, path.Clean(p)) // "/../x" is "/x", as a browser reads it
	if !strings.HasPrefix(p, "/") {
		if from == nil {
			return "", false
		}
		full = path.Join(baseDir(from), p)
	}
	if !strings.HasPrefix(full, Dir+"/") {
		return "", false
	}
	rel := strings.TrimPrefix(full, Dir)
	if strings.HasSuffix(p, "/") {
		rel += "/"
	}
	return rel, true
}

// NearPath is Near for a root-relative path of the site, already decoded
// and cleaned ("/vault/gone/", "/vault/plan.md").
func (t *Tree) NearPath(p string) Target {
	t.foldOnce.Do(t.indexFolded)
	for rel := strings.Trim(path.Clean("/"+p), "/"); rel != "" && rel != "."; rel = path.Dir(rel) {
		for _, k := range []string{Dir + "/" + rel, "/" + rel + "/", "/" + rel} {
			if tgt, ok := t.folded[fold(k)]; ok {
				return tgt
			}
		}
		if path.Base(rel) == "index.html" {
			if tgt, ok := t.folded[fold("/"+path.Dir(rel)+"/")]; ok && path.Dir(rel) != "." {
				return tgt
			}
		}
	}
	return Target{}
}

// indexFolded fills t.folded: every page by its URL and source file, every
// attachment by its URL and file, each folded (see fold). URLs are indexed
// decoded ("/café/", not "/caf%C3%A9/"): folding an encoded name would
// neither compose its letters nor lower their case. The home page is left
// out.
func (t *Tree) indexFolded() {
	t.folded = make(map[string]Target, 2*(len(t.Pages)+len(t.Attachments)))
	add := func(k string, tgt Target) {
		if _, dup := t.folded[fold(k)]; !dup {
			t.folded[fold(k)] = tgt
		}
	}
	for _, p := range t.Pages {
		if p.URL == "/" || p != t.byURL[p.URL] {
			continue
		}
		add(decodedPath(p.URL), Target{Page: p})
		if !p.Generated {
			add(p.File, Target{Page: p})
		}
	}
	t.moved = map[string]*Page{}
	for _, p := range t.Pages {
		if f := fileFolder(p); f != "" && p == t.byURL[p.URL] {
			if _, dup := t.moved[fold(f)]; !dup {
				t.moved[fold(f)] = p
			}
		}
	}
	for _, a := range t.Attachments {
		if t.files[a.URL] == a {
			add(decodedPath(a.URL), Target{Attachment: a})
			add(a.File, Target{Attachment: a})
		}
	}
}

// MovedFrom returns the page that set its own url whose file's folder, in
// any case or Unicode normalization, is at or above p (a root-relative
// path, decoded and cleaned, as for NearPath): p is that page's URL from
// before it set one ("/guide/secret/x/" for content/guide/secret.md at
// /s/), or under it. Nil for none. A path may be near one page and moved
// from another (a page of a hidden section that set a url): whatever is
// placed there must leave builds that lack either.
func (t *Tree) MovedFrom(p string) *Page {
	t.foldOnce.Do(t.indexFolded)
	for rel := strings.Trim(path.Clean("/"+p), "/"); rel != "" && rel != "."; rel = path.Dir(rel) {
		if pg, ok := t.moved[fold(rel)]; ok {
			return pg
		}
		if path.Base(rel) == "index.html" && path.Dir(rel) != "." {
			if pg, ok := t.moved[fold(path.Dir(rel))]; ok {
				return pg
			}
		}
	}
	return nil
}

// Relocated maps a path at or under the URL a page had before it set its
// own url (a root-relative path, decoded and cleaned, as for MovedFrom) to
// the same place under the page's URL: "/guide/secret/" to "/s/" and
// "/guide/secret/x.png" to "/s/x.png" for content/guide/secret.md at /s/.
// A link to such a path names the page's old folder, and with it the
// folders above, which readers of the page alone may not see; written
// against the new URL it names nothing they may not see. ok is false when
// p is under no page's old URL.
func (t *Tree) Relocated(p string) (page *Page, to string, ok bool) {
	t.foldOnce.Do(t.indexFolded)
	return under(t.moved, p)
}

// under maps p, at or under a folded path of index (without slashes at
// its ends), to the same place under that path's page's URL.
func under(index map[string]*Page, p string) (page *Page, to string, ok bool) {
	clean := strings.Trim(path.Clean("/"+p), "/")
	for rel := clean; rel != "" && rel != "."; rel = path.Dir(rel) {
		pg, found := index[fold(rel)]
		if !found {
			continue
		}
		rest := strings.TrimPrefix(strings.TrimPrefix(clean, rel), "/")
		if rest == "" || rest == "index.html" {
			return pg, pg.URL, true
		}
		to = strings.TrimSuffix(pg.URL, "/") + "/" + rest
		if strings.HasSuffix(p, "/") {
			to += "/"
		}
		return pg, to, true
	}
	return nil, "", false
}

// Aliased maps a path at or under one of a page's aliases (a root-relative
// path, decoded and cleaned, as for Relocated; the alias matched in any
// case or Unicode normalization) to the same place under the page's URL:
// "/old-den/" to "/lounge/" and "/old-den/x.png" to "/lounge/x.png" for
// a page at /lounge/ with aliases = ["/old-den/"]. The alias redirects to
// the page, and only in the builds that hold it: a link there is a link to
// the page, and written against the page's URL it names no alias of a page
// a build may not hold. ok is false when p is under no alias. Call it once
// Load has set the aliases' URLs.
func (t *Tree) Aliased(p string) (page *Page, to string, ok bool) {
	t.aliasOnce.Do(t.indexAliases)
	return under(t.aliased, p)
}

// indexAliases fills t.aliased: each page by the folded path of each of its
// aliases, without slashes at its ends ("old/path").
func (t *Tree) indexAliases() {
	t.aliased = map[string]*Page{}
	for _, p := range t.Pages {
		for _, a := range p.Aliases {
			if a.URL == "" {
				continue
			}
			k := fold(strings.Trim(decodedPath(a.URL), "/"))
			if _, dup := t.aliased[k]; !dup && k != "" {
				t.aliased[k] = p
			}
		}
	}
}

// fileFolder is the folder, relative to content/, whose URL a page that set
// its own url would have without it ("guide/secret" for
// content/guide/secret.md, "guide/kit" for content/guide/kit/index.md);
// "" for other pages.
func fileFolder(p *Page) string {
	if p.Generated || p.IsSection || !strings.HasPrefix(p.File, Dir+"/") {
		return ""
	}
	f := strings.TrimPrefix(p.File, Dir+"/")
	if p.Bundle {
		f = path.Dir(f)
	} else {
		f = path.Join(path.Dir(f), pageStem(path.Base(f)))
	}
	if u, _ := pageURL(f); u == p.URL {
		return ""
	}
	return f
}
