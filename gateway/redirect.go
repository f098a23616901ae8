package gateway

import (
	"net/http"
	"net/url"
	"strings"
)

// maxRedirect bounds the length of an accepted rd.
const maxRedirect = 2048

// localRedirect returns rd when it is a safe path on this site and "/"
// otherwise. The gateway redirects only within itself, so it needs no list
// of allowed hosts: anything with a scheme, a host or a user is refused.
func localRedirect(rd string) string {
	if validRedirect(rd) {
		return rd
	}
	return "/"
}

// validRedirect reports whether rd is a local path a browser cannot read as
// another host. It is stricter than what browsers need, by design:
//   - it starts with one "/" and its second byte is neither "/" nor "\";
//   - it holds only printable ASCII, without spaces and without "\" anywhere
//     (browsers read "\" as "/" and drop tabs and newlines);
//   - its path, both as sent and percent-decoded, has no "//", "/./" or
//     "/../" pattern, nor control bytes once decoded (so "/%2f%2fx" and
//     "/%09/x" are refused too);
//   - it parses as a URL with no scheme, host or user.
func validRedirect(rd string) bool {
	if rd == "" || len(rd) > maxRedirect || rd[0] != '/' {
		return false
	}
	if len(rd) > 1 && (rd[1] == '/' || rd[1] == '\\') {
		return false
	}
	for i := 0; i < len(rd); i++ {
		if c := rd[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(rd)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	rawPath, _, _ := strings.Cut(rd, "?")
	rawPath, _, _ = strings.Cut(rawPath, "#")
	if slashTrick(rawPath) || slashTrick(u.Path) {
		return false
	}
	for i := 0; i < len(u.Path); i++ {
		if c := u.Path[i]; c < ' ' || c == 0x7f || c == '\\' {
			return false
		}
	}
	return !strings.HasPrefix(u.Path, "//")
}

// slashTrick reports whether p has a slash, optional whitespace or one or
// two dots, and another slash: the shapes browsers fold into "//".
func slashTrick(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != '/' && p[i] != '\\' {
			continue
		}
		j := i + 1
		dots := 0
		for j < len(p) && p[j] == '.' && dots < 2 {
			j++
			dots++
		}
		if dots == 0 {
			for j < len(p) && isSpace(p[j]) {
				j++
			}
		}
		if j < len(p) && (p[j] == '/' || p[j] == '\\') {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// loginURL is the local URL that signs in and comes back to r's page.
func loginURL(r *http.Request) string {
	return LoginPath + "?rd=" + url.QueryEscape(localRedirect(r.URL.RequestURI()))
}
