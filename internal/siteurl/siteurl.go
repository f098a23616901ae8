// Package siteurl recognises every spelling of a site's own URLs, so that
// the renderer (which turns them into internal links) and the verifier
// (which looks for them in every file of a build) agree on what names a
// page of the site. A site is known by its base URL (config/site.toml
// base_url) and the other hosts it is served under (hosts).
//
// The rules follow how a browser resolves a URL (the WHATWG URL standard
// for http and https): the scheme and host compare case-insensitively, a
// default port (80, 443) is the same as none, a trailing dot on the host is
// ignored, user info is ignored, backslashes count as slashes, and the path
// is percent-decoded and cleaned of "." and ".." segments and doubled
// slashes. It knows nothing of pages or builds.
package siteurl

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"golang.org/x/net/idna"
)

// Site is what makes a URL one of the site's own.
type Site struct {
	hosts    map[string]bool // lower-case host[:port], default ports dropped
	basePath string          // the base URL's decoded path without trailing slash ("/docs"), "" at the root
}

// New returns the Site of a base URL ("" for none) and the other hosts
// ("docs.example.com", "intranet:8443") it is served under. An unparsable
// base URL counts as none (config validates it).
func New(baseURL string, hosts []string) *Site {
	s := &Site{hosts: map[string]bool{}}
	if baseURL != "" {
		if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
			s.hosts[normHost(u.Scheme, u.Host)] = true
			s.basePath = strings.TrimSuffix(cleanPath(u.Path), "/")
		}
	}
	for _, h := range hosts {
		if h = normHost("", h); h != "" {
			s.hosts[h] = true
		}
	}
	return s
}

// HasHosts reports whether the site knows any host of its own; without
// one, no absolute URL can be attributed to it.
func (s *Site) HasHosts() bool { return len(s.hosts) > 0 }

// BasePath is the base URL's path without its trailing slash ("/docs"),
// "" for a site at the root of its host.
func (s *Site) BasePath() string { return s.basePath }

// IsHost reports whether host (with an optional port, any case) is one of
// the site's; scheme ("http", "https" or "") decides the default port.
func (s *Site) IsHost(scheme, host string) bool {
	h := normHost(scheme, host)
	return h != "" && s.hosts[h]
}

// Local maps a reference that names a URL of the site itself to the
// root-relative path of the site it names, decoded and cleaned ("/x/y/"),
// with the "?query#fragment" that followed it, as written. It recognises:
//
//   - absolute http(s) URLs on one of the site's hosts, in any spelling:
//     "https://EXAMPLE.com:443/docs/./x//y/", "http:\\example.com\docs\x";
//   - scheme-relative URLs on one of them: "//example.com/docs/x/";
//
// and requires the path to lie under the base path, which it then strips.
// ok is false for anything else (other hosts, other schemes, relative and
// root-relative references: see StripBase for those).
func (s *Site) Local(ref string) (p, suffix string, ok bool) {
	ref = strings.TrimSpace(ref)
	rest, scheme, ok := cutScheme(ref)
	if !ok {
		return "", "", false
	}
	rest = strings.ReplaceAll(rest, `\`, "/")
	if scheme == "" {
		// A browser reads any run of two or more slashes or
		// backslashes before a host the same ("///host/x").
		if !strings.HasPrefix(rest, "//") {
			return "", "", false
		}
		rest = strings.TrimLeft(rest, "/")
	} else {
		rest = strings.TrimLeft(rest, "/")
	}
	hostEnd := strings.IndexAny(rest, "/?#")
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	host := rest[:hostEnd]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	if !s.IsHost(scheme, host) {
		return "", "", false
	}
	rest = rest[hostEnd:]
	raw, suffix := splitSuffix(rest)
	if raw == "" {
		raw = "/"
	}
	return s.StripBase(raw, suffix)
}

// StripBase maps a root-relative path spelled with the site's base path
// ("/docs/x/" when base_url ends in "/docs/") to the site's root-relative
// path ("/x/"), cleaned and decoded. ok is false when the path does not lie
// under the base path. For a site at the root of its host every
// root-relative path lies under it.
func (s *Site) StripBase(raw, suffix string) (p, suf string, ok bool) {
	if dec, err := url.PathUnescape(raw); err == nil {
		raw = dec
	}
	p = cleanPath(raw)
	if s.basePath == "" {
		return p, suffix, true
	}
	if p == s.basePath {
		return "/", suffix, true
	}
	rest, ok := strings.CutPrefix(p, s.basePath+"/")
	if !ok {
		return "", "", false
	}
	return "/" + rest, suffix, true
}

// Clean decodes and cleans a root-relative path as a browser would reach
// it: "%2e" and "." segments, ".." (never above the root), doubled
// slashes; a trailing slash is kept.
func Clean(raw string) string {
	if dec, err := url.PathUnescape(raw); err == nil {
		raw = dec
	}
	return cleanPath(raw)
}

// cutScheme splits a leading "http:" or "https:" (any case) off ref. A
// reference without a scheme gives scheme "" and ok true; one with another
// scheme gives ok false.
func cutScheme(ref string) (rest, scheme string, ok bool) {
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c == ':':
			sch := strings.ToLower(ref[:i])
			if sch == "http" || sch == "https" {
				return ref[i+1:], sch, true
			}
			return "", "", false
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return ref, "", true
		}
	}
	return ref, "", true
}

// splitSuffix splits "/a/b?q#f" into "/a/b" and "?q#f".
func splitSuffix(s string) (p, suffix string) {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// cleanPath cleans a decoded path: always rooted, "." and ".." resolved
// without climbing above the root, doubled slashes merged, and a trailing
// slash kept (also after a final "." or ".." segment, as a browser does).
func cleanPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if p == "" {
		return "/"
	}
	dir := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") || p == "." || p == ".."
	c := path.Clean("/" + p)
	if dir && c != "/" {
		c += "/"
	}
	return c
}

// normHost lower-cases a host[:port], drops a trailing dot, user info and
// the scheme's default port; "" when nothing is left. As a browser does, it
// percent-decodes the host ("ex%61mple.com"), maps it through IDNA (see
// mapHost) and reads the port as a number ("0443" is 443).
func normHost(scheme, h string) string {
	h = strings.TrimSpace(h)
	if at := strings.LastIndexByte(h, '@'); at >= 0 {
		h = h[at+1:]
	}
	if dec, err := url.PathUnescape(h); err == nil {
		h = dec
	}
	h = strings.ToLower(h)
	host, port := h, ""
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		host, port = h[:i], numPort(h[i+1:])
	}
	host = strings.TrimSuffix(mapHost(host), ".")
	switch {
	case port == "" || port == "80" && scheme != "https" || port == "443" && scheme != "http":
		// A host given without a scheme (hosts = [...]) matches both
		// default ports.
		port = ""
	}
	if host == "" {
		return ""
	}
	if port != "" {
		return host + ":" + port
	}
	return host
}

// numPort writes a port of digits without leading zeros ("0443" -> "443");
// anything else is returned as it is.
func numPort(p string) string {
	if p == "" || strings.Trim(p, "0123456789") != "" {
		return p
	}
	if p = strings.TrimLeft(p, "0"); p == "" {
		return "0"
	}
	return p
}

// hostMapper maps a host as the WHATWG URL standard's "domain to ASCII"
// does: UTS #46 mapping, not transitional, without the STD3 rules (an
// underscore stays) or hyphen checks.
var hostMapper = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false),
	idna.CheckHyphens(false), idna.CheckJoiners(true), idna.BidiRule())

// mapHost returns a host as a browser reaches it: "\uff45xample.com",
// "example\u3002com" and "exam\u00adple.com" are "example.com", and a
// unicode host is its punycode ("b\u00fccher.example" is
// "xn--bcher-kva.example"). An IP literal, and a host IDNA refuses (a
// browser opens no such URL), are returned as they are.
func mapHost(h string) string {
	if strings.HasPrefix(h, "[") {
		return h
	}
	a, err := hostMapper.ToASCII(h)
	if err != nil || a == "" {
		return h
	}
	return a
}

// refreshRE splits a meta refresh's content as a browser does: a delay,
// a ";" or ",", an optional "url=" (spaces around "=" allowed), and the
// URL, quoted or not.
var refreshRE = regexp.MustCompile(`(?is)^(\s*[0-9.]*\s*[;,]?\s*(?:url\s*=\s*)?)(?:'([^']*)'?|"([^"]*)"?|(.*?))\s*$`)

// SplitRefresh splits the content of a <meta http-equiv="refresh"> into
// what stands before the URL (the delay, the separator, "url=") and the
// URL, as a browser reads it ("0; URL = 'x/'" is "0; URL = " and "x/"),
// so that the renderer, which rewrites the URL, and the verifier, which
// looks for it, agree; url is "" when there is none.
func SplitRefresh(content string) (head, url string) {
	m := refreshRE.FindStringSubmatch(content)
	if m == nil {
		return content, ""
	}
	return m[1], m[2] + m[3] + m[4]
}
