// Package verify is facet's release gate: it scans every file a build emits
// for the URL paths and titles of the pages hidden from that build, and
// reports the first trace it finds. It knows nothing of how builds are made;
// the caller says what is hidden and which part of a file is the author's
// own body text (excluded from the title scan, since ACCESS.md keeps the
// author's words of a redacted link).
package verify

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"path"
	"strings"
)

// Hidden is a page or attachment a build must not mention.
type Hidden struct {
	// URL is the root-relative URL ("/a/b/", "/a/x.pdf").
	URL string
	// Title is the page's title; empty for attachments or when the title
	// may legitimately appear (the caller decides).
	Title string
	// File is the source file, for messages.
	File string
}

// Leak is a trace of a hidden page found in an emitted file.
type Leak struct {
	Build string // build folder
	File  string // file within the build
	What  string // "URL" or "title"
	Item  Hidden
}

func (l *Leak) Error() string {
	what := fmt.Sprintf("the URL %s", l.Item.URL)
	if l.What == "title" {
		what = fmt.Sprintf("the title %q", l.Item.Title)
	}
	return fmt.Sprintf("verify: build %s: %s contains %s of %s, which is hidden from this build", l.Build, l.File, what, l.Item.File)
}

// Scanner checks the files of one build.
type Scanner struct {
	build    string
	items    []Hidden
	urls     map[string]int
	titles   *matcher
	host     string // the base URL's host, e.g. "docs.example.com"
	basePath string // the base URL's path without trailing slash, e.g. "/docs"
}

// New returns a scanner for a build that must not mention hidden. baseURL
// is the site's base URL ("" when none), so that absolute URLs are found.
func New(build string, hidden []Hidden, baseURL string) *Scanner {
	s := &Scanner{build: build, items: hidden, urls: make(map[string]int, 2*len(hidden))}
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		s.host, s.basePath = u.Host, strings.TrimSuffix(u.EscapedPath(), "/")
	}
	var pats []string
	var ids []int
	for i, h := range hidden {
		if h.URL != "" {
			s.urls[h.URL] = i
			if u, err := url.PathUnescape(h.URL); err == nil {
				s.urls[u] = i
			}
		}
		if h.Title == "" {
			continue
		}
		for _, v := range titleForms(h.Title) {
			pats = append(pats, v)
			ids = append(ids, i)
		}
	}
	s.titles = newMatcher(pats, ids)
	return s
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

// Scan checks one emitted file. name is its path in the build ("a/b/index.html");
// body, when non-nil, must be a sub-slice of data or equal to a part of it:
// the author's body text, left out of the title scan.
func (s *Scanner) Scan(name string, data, body []byte) *Leak {
	if i, ok := s.scanURLs(name, data); ok {
		return &Leak{Build: s.build, File: name, What: "URL", Item: s.items[i]}
	}
	var leak *Leak
	check := func(part []byte) {
		s.titles.each(part, func(id int) bool {
			leak = &Leak{Build: s.build, File: name, What: "title", Item: s.items[id]}
			return false
		})
	}
	if start := indexBody(data, body); start >= 0 {
		check(data[:start])
		if leak == nil {
			check(data[start+len(body):])
		}
	} else {
		check(data)
	}
	return leak
}

func indexBody(data, body []byte) int {
	if len(body) == 0 {
		return -1
	}
	return bytes.Index(data, body)
}

func pathByte(c byte) bool {
	return wordByte(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == '/' || c == '+' || c == '@'
}

// scanURLs looks at every root-relative path token and every relative
// href/src value in data.
func (s *Scanner) scanURLs(name string, data []byte) (int, bool) {
	if len(s.urls) == 0 {
		return 0, false
	}
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
		tok := string(data[at:end])
		if rest, ok := strings.CutPrefix(tok, "//"); ok {
			// a scheme-relative or absolute URL: only our own host counts.
			slash := strings.IndexByte(rest, '/')
			if slash < 0 || rest[:slash] != s.host {
				continue
			}
			tok = strings.TrimPrefix(rest[slash:], s.basePath)
			if !strings.HasPrefix(tok, "/") {
				continue
			}
		}
		if k, ok := s.lookup(tok); ok {
			return k, true
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
			if k, ok := s.lookup(resolve(dir, ref)); ok {
				return k, true
			}
		}
	}
	return 0, false
}

func (s *Scanner) lookup(p string) (int, bool) {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if k, ok := s.urls[p]; ok {
		return k, true
	}
	if q, ok := strings.CutSuffix(p, "index.html"); ok {
		if k, ok := s.urls[q]; ok {
			return k, true
		}
	}
	if !strings.HasSuffix(p, "/") {
		if k, ok := s.urls[p+"/"]; ok {
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
