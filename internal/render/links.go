package render

import "strings"

// relURL returns a relative reference from the page at URL from (a folder
// URL such as "/a/b/") to the root-relative URL to ("/a/c/", "/").
func relURL(from, to string) string {
	last := 0
	for i := 0; i < len(from) && i < len(to) && from[i] == to[i]; i++ {
		if from[i] == '/' {
			last = i + 1
		}
	}
	ups := strings.Count(from[last:], "/")
	rest := to[last:]
	if ups == 0 {
		if rest == "" {
			return "./"
		}
		// "a:b/" would read as a URL with scheme "a".
		if c := strings.IndexAny(rest, ":/"); c >= 0 && rest[c] == ':' {
			return "./" + rest
		}
		return rest
	}
	var sb strings.Builder
	sb.Grow(3*ups + len(rest))
	for range ups {
		sb.WriteString("../")
	}
	sb.WriteString(rest)
	return sb.String()
}

// rootPrefix is the relative reference from the page at url to the build
// root: "./" for "/", "../../" for "/a/b/".
func rootPrefix(url string) string {
	n := strings.Count(url, "/") - 1
	if n <= 0 {
		return "./"
	}
	return strings.Repeat("../", n)
}

// siblingDir stands for "any page directly in the folder URL dir": links
// from every such page are the same, so fragments made for it are shared.
// The segment "\x00" never occurs in a URL, so relURL climbs out of it.
func siblingDir(dir string) string { return dir + "\x00/" }

// linker turns root-relative URLs into the links one page writes.
type linker struct {
	// from is the folder URL the links are relative to.
	from string
	// abs, when set, is a root-relative prefix ("/" or "/docs/") used
	// instead of relative links: for 404.html, served at any path.
	abs string
}

func (l linker) link(to string) string {
	if l.abs != "" {
		return l.abs + strings.TrimPrefix(to, "/")
	}
	return relURL(l.from, to)
}

// root is the link to the build root.
func (l linker) root() string {
	if l.abs != "" {
		return l.abs
	}
	return rootPrefix(l.from)
}
