// Package verify is facet's release gate: it finds, in a file a build
// emits, every page or attachment of the site that the file refers to, by
// URL or by title, so that the caller can fail the build when one of them is
// hidden from that build. It knows nothing of how builds are made or who may
// see what: the caller holds the rules, and decides which references are
// traces (see Index.Refs and Leak).
//
// A file is scanned once whatever the number of builds that hold it: Refs
// depends on the file alone, and each build then checks the references
// against its own hidden set.
package verify

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"path"
	"strings"
)

// Item is a page or an attachment of the site.
type Item struct {
	// URL is the root-relative URL ("/a/b/", "/a/x.pdf"); empty when the
	// URL may appear in every build (the home page "/").
	URL string
	// Title is the page's title; empty for attachments.
	Title string
	// File is the source file, for messages.
	File string
}

// Leak is a trace of a hidden item found in an emitted file.
type Leak struct {
	Build string // build folder
	File  string // file within the build
	What  string // "URL" or "title"
	Item  Item
}

// Error says which build, file and hidden page, and whether a URL or a title.
func (l *Leak) Error() string {
	what := fmt.Sprintf("the URL %s", l.Item.URL)
	if l.What == "title" {
		what = fmt.Sprintf("the title %q", l.Item.Title)
	}
	return fmt.Sprintf("verify: build %s: %s contains %s of %s, which is hidden from this build", l.Build, l.File, what, l.Item.File)
}

// Index knows every URL and title of a site.
type Index struct {
	items    []Item
	urls     map[string]int
	titles   *matcher
	host     string // the base URL's host, e.g. "docs.example.com"
	basePath string // the base URL's path without trailing slash, e.g. "/docs"
}

// NewIndex indexes items; their position is their id in Refs. baseURL is
// the site's base URL ("" when none), so that absolute URLs are found too.
func NewIndex(items []Item, baseURL string) *Index {
	ix := &Index{items: items, urls: make(map[string]int, 2*len(items))}
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		ix.host, ix.basePath = u.Host, strings.TrimSuffix(u.EscapedPath(), "/")
	}
	var pats []string
	var ids []int
	for i, it := range items {
		if it.URL != "" {
			ix.urls[it.URL] = i
			if u, err := url.PathUnescape(it.URL); err == nil {
				ix.urls[u] = i
			}
		}
		if it.Title == "" {
			continue
		}
		for _, v := range titleForms(it.Title) {
			pats = append(pats, v)
			ids = append(ids, i)
		}
	}
	ix.titles = newMatcher(pats, ids)
	return ix
}

// Item returns the item with id i.
func (ix *Index) Item(i int) Item { return ix.items[i] }

// Refs are the items a file refers to, each id once, in order of discovery.
type Refs struct {
	URLs   []int
	Titles []int
}

// Refs finds the items that data, the file at name (slash-separated, in a
// build), refers to: by root-relative path, by absolute URL on the base
// URL's host, by href/src relative to name, and by title (on word
// boundaries, in its HTML, XML and JSON forms).
func (ix *Index) Refs(name string, data []byte) Refs {
	var r Refs
	seen := map[int]bool{}
	ix.scanURLs(name, data, func(id int) {
		if !seen[id] {
			seen[id] = true
			r.URLs = append(r.URLs, id)
		}
	})
	seenT := map[int]bool{}
	ix.titles.each(data, func(id int) bool {
		if !seenT[id] {
			seenT[id] = true
			r.Titles = append(r.Titles, id)
		}
		return true
	})
	return r
}

// titleForms are the ways a title can be written into HTML, XML or JSON.
func titleForms(t string) []string {
	forms := []string{t}
	add := func(v string) {
		for _, f := range forms {
			if f == v {
				return
			}
		}
		forms = append(forms, v)
	}
	add(html.EscapeString(t))
	add(xmlEscaper.Replace(t))
	add(jsonEscaper.Replace(t))
	return forms
}

var (
	xmlEscaper  = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
	jsonEscaper = strings.NewReplacer("&", `\u0026`, "<", `\u003c`, ">", `\u003e`, `"`, `\"`)
)

func pathByte(c byte) bool {
	return wordByte(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == '/' || c == '+' || c == '@'
}

// scanURLs reports every root-relative path token and every relative
// href/src value in data that names an item.
func (ix *Index) scanURLs(name string, data []byte, fn func(int)) {
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '/')
		if i < 0 {
			break
		}
		at := off + i
		end := at + 1
		for end < len(data) && pathByte(data[end]) {
			end++
		}
		off = end
		if at > 0 && (pathByte(data[at-1]) || data[at-1] == '<') {
			continue // a relative path, or an HTML end tag such as </a>
		}
		tok := data[at:end]
		if rest, ok := bytes.CutPrefix(tok, []byte("//")); ok {
			// a scheme-relative or absolute URL: only our own host counts.
			slash := bytes.IndexByte(rest, '/')
			if slash < 0 || string(rest[:slash]) != ix.host {
				continue
			}
			tok = bytes.TrimPrefix(rest[slash:], []byte(ix.basePath))
			if len(tok) == 0 || tok[0] != '/' {
				continue
			}
		}
		if k, ok := ix.lookup(string(tok)); ok {
			fn(k)
		}
	}
	dir := "/" + path.Dir(name) + "/"
	if dir == "/./" {
		dir = "/"
	}
	for _, attr := range [][]byte{[]byte(`href="`), []byte(`src="`)} {
		for off := 0; off < len(data); {
			i := bytes.Index(data[off:], attr)
			if i < 0 {
				break
			}
			start := off + i + len(attr)
			end := bytes.IndexByte(data[start:], '"')
			if end < 0 {
				break
			}
			off = start + end
			ref := html.UnescapeString(string(data[start : start+end]))
			if ref == "" || ref[0] == '/' || ref[0] == '#' || strings.Contains(ref, ":") {
				continue
			}
			if k, ok := ix.lookup(resolve(dir, ref)); ok {
				fn(k)
			}
		}
	}
}

func (ix *Index) lookup(p string) (int, bool) {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if k, ok := ix.urls[p]; ok {
		return k, true
	}
	if q, ok := strings.CutSuffix(p, "index.html"); ok {
		if k, ok := ix.urls[q]; ok {
			return k, true
		}
	}
	if !strings.HasSuffix(p, "/") {
		if k, ok := ix.urls[p+"/"]; ok {
			return k, true
		}
	}
	return 0, false
}

// resolve joins a relative reference to a directory URL, keeping a trailing slash.
func resolve(dir, ref string) string {
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		ref = ref[:i]
	}
	if ref == "" {
		return dir
	}
	p := path.Join(dir, ref)
	if strings.HasSuffix(ref, "/") || ref == "." || ref == ".." || strings.HasSuffix(ref, "/.") || strings.HasSuffix(ref, "/..") {
		p = strings.TrimSuffix(p, "/") + "/"
	}
	return p
}

// Check returns the first of refs that is a trace in a build: a URL of an
// item hiddenURL reports, or a title of an item hiddenTitle reports; nil
// when there is none.
func (ix *Index) Check(build, file string, refs Refs, hiddenURL, hiddenTitle func(id int) bool) *Leak {
	for _, id := range refs.URLs {
		if hiddenURL(id) {
			return &Leak{Build: build, File: file, What: "URL", Item: ix.items[id]}
		}
	}
	for _, id := range refs.Titles {
		if hiddenTitle(id) {
			return &Leak{Build: build, File: file, What: "title", Item: ix.items[id]}
		}
	}
	return nil
}
