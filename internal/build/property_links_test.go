package build

import (
	"path"
	"strings"
)

// body writes a page's or section's markdown body: prose, its canary, and
// links in every form to random pages, sections and files; code that
// names URLs; raw HTML when the site allows it.
func (s *propSite) body(n *pNode) string {
	var b strings.Builder
	b.WriteString("\n" + s.prose() + " Canary " + n.canary + ".\n\n")
	var refs []string
	for _, f := range s.nodes {
		if f.kind == "file" && containsNode(f.refs, n) {
			b.WriteString(s.fileRef(n, f) + "\n\n")
		}
	}
	for i := range 2 + s.r.IntN(6) {
		t := s.nodes[s.r.IntN(len(s.nodes))]
		if t.kind == "file" || t == n {
			continue
		}
		dest := s.dest(n, t)
		switch s.r.IntN(5) {
		case 0:
			b.WriteString("- [" + s.words(2) + "](" + dest + ")\n\n")
		case 1:
			id := "r" + string(rune('a'+i))
			b.WriteString(s.prose() + " [" + s.words(2) + "][" + id + "] " + s.words(3) + ".\n\n")
			refs = append(refs, "["+id+"]: "+dest)
		case 2:
			if auto := s.autolink(t); auto != "" {
				b.WriteString("- <" + auto + ">\n\n")
				continue
			}
			fallthrough
		default:
			b.WriteString(s.prose() + " [" + s.words(2) + "](" + dest + ") " + s.words(3) + ".\n\n")
		}
	}
	if s.r.IntN(3) == 0 {
		t := s.nodes[s.r.IntN(len(s.nodes))]
		if t.kind != "file" && t.url != "/" {
			u := strings.TrimSuffix(t.url, "/")
			b.WriteString("```\nPOST " + u + "\n```\n\n")
			n.mentions = append(n.mentions, strings.ToLower(u))
		}
	}
	if s.unsafe {
		b.WriteString(s.rawHTML(n))
	}
	for _, r := range refs {
		b.WriteString(r + "\n")
	}
	return b.String()
}

func containsNode(list []*pNode, n *pNode) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func (s *propSite) words(k int) string {
	w := make([]string, k)
	for i := range w {
		w[i] = s.pick(propProse)
	}
	return strings.Join(w, " ")
}

func (s *propSite) prose() string {
	p := s.words(4 + s.r.IntN(6))
	return strings.ToUpper(p[:1]) + p[1:] + "."
}

// fileRef links to or embeds a file from page n, in one of several forms.
func (s *propSite) fileRef(n, f *pNode) string {
	dest := s.fileDest(n, f)
	if path.Ext(f.file) == ".svg" && s.r.IntN(2) == 0 {
		return "![" + s.words(2) + "](" + dest + ")"
	}
	return s.prose() + " [" + s.words(2) + "](" + dest + ")."
}

func (s *propSite) fileDest(n, f *pNode) string {
	switch s.r.IntN(3) {
	case 0:
		return f.url
	case 1:
		if abs := s.absolute(f); abs != "" {
			return abs
		}
	}
	return propRel(path.Dir(n.file), f.file)
}

// dest is a link destination from page n to page or section t in a random
// form: relative .md path, page URL with or without the slash, relative
// URL, an absolute spelling of the site's URL, or an escaped name.
func (s *propSite) dest(n, t *pNode) string {
	var d string
	switch s.r.IntN(7) {
	case 0, 1:
		d = propRel(path.Dir(n.file), t.file)
	case 2:
		d = t.url
	case 3:
		d = strings.TrimSuffix(t.url, "/")
		if d == "" {
			d = "/"
		}
	case 4:
		folder := path.Dir(t.file)
		if t.kind == "page" && !t.bundle {
			folder = strings.TrimSuffix(t.file, ".md")
		}
		d = strings.TrimSuffix(propRel(path.Dir(n.file), path.Join(folder, "x")), "x")
		if d == "" {
			d = "./"
		}
	case 5:
		if abs := s.absolute(t); abs != "" {
			return abs
		}
		d = t.url
	default:
		d = propRel(path.Dir(n.file), t.file)
		esc := s.pick([]string{`\-`, "&#45;", "%2D"})
		return strings.Replace(d, "-", esc, 1)
	}
	if s.r.IntN(5) == 0 {
		d += "#top"
	}
	return d
}

// absolute is a spelling of t's absolute URL under the site's base URL,
// "" without one.
func (s *propSite) absolute(t *pNode) string {
	if s.baseURL == "" {
		return ""
	}
	base := strings.TrimSuffix(strings.TrimPrefix(s.baseURL, "https://example.com"), "/")
	switch s.r.IntN(4) {
	case 0:
		return "https://EXAMPLE.com:443" + base + t.url
	case 1:
		return "//example.com" + base + t.url
	case 2:
		if base != "" {
			return base + t.url
		}
	}
	return "https://example.com" + base + "/./" + strings.TrimPrefix(t.url, "/")
}

// autolink is an absolute URL of t with a scheme, as an autolink needs,
// "" without a base URL.
func (s *propSite) autolink(t *pNode) string {
	if s.baseURL == "" {
		return ""
	}
	base := strings.TrimSuffix(s.baseURL, "/")
	switch s.r.IntN(3) {
	case 0:
		return strings.Replace(base, "https://example.com", "https://EXAMPLE.com:443", 1) + t.url
	case 1:
		return base + t.url
	}
	return base + "/./" + strings.TrimPrefix(t.url, "/")
}

// rawHTML writes HTML blocks carrying URLs of random targets in the
// attributes and places that can hold one.
func (s *propSite) rawHTML(n *pNode) string {
	var b strings.Builder
	for range 1 + s.r.IntN(3) {
		t := s.nodes[s.r.IntN(len(s.nodes))]
		if t == n || t.kind == "file" {
			continue // a file's users are the pages of its refs
		}
		d := t.url
		if s.r.IntN(2) == 0 {
			d = propRel(path.Dir(n.file), t.file)
		}
		switch s.r.IntN(6) {
		case 0:
			b.WriteString(`<p><a href="` + d + `">` + s.words(2) + "</a></p>\n\n")
		case 1:
			b.WriteString(`<p><img src="` + d + `" alt=""></p>` + "\n\n")
		case 2:
			b.WriteString(`<p><img srcset="` + d + ` 1x, ` + d + ` 2x" alt=""></p>` + "\n\n")
		case 3:
			if s.r.IntN(4) > 0 {
				continue
			}
			// refused: facet cannot redact a URL inside CSS
			b.WriteString(`<div style="background: url('` + d + `')">` + s.words(2) + "</div>\n\n")
			s.refuse = append(s.refuse, "content/"+n.file)
		case 4:
			b.WriteString(`<meta http-equiv="refresh" content="0;url=` + d + `">` + "\n\n")
		default:
			b.WriteString("<!-- moved to " + d + " -->\n\n")
		}
	}
	return b.String()
}

// propRel is the slash path from folder dir to file target, both relative
// to content/ ("." for content/ itself).
func propRel(dir, target string) string {
	if dir == "." {
		dir = ""
	}
	from := strings.Split(dir, "/")
	if dir == "" {
		from = nil
	}
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	parts := make([]string, 0, len(from)-i+len(to)-i)
	for range len(from) - i {
		parts = append(parts, "..")
	}
	return strings.Join(append(parts, to[i:]...), "/")
}
