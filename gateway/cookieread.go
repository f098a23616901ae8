package gateway

import (
	"iter"
	"net/http"
	"net/textproto"
	"os"
	"runtime/debug"
	"strings"
)

// maxRequestCookies is net/http's default bound on the cookies of one
// request: past it, Request.Cookies and CookiesNamed read none.
const maxRequestCookies = 3000

// cookieLimitBuiltIn reports whether the program was built with its own
// setting of net/http's cookie bound (GODEBUG httpcookiemaxnum, from a
// go.mod godebug line, a //go:debug directive or an older go version), or
// when that cannot be told.
var cookieLimitBuiltIn = func() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return true
	}
	for _, s := range bi.Settings {
		if s.Key == "DefaultGODEBUG" && strings.Contains(s.Value, "httpcookiemaxnum") {
			return true
		}
	}
	return false
}()

// cookieLimitSet reports whether net/http's cookie bound may not be
// maxRequestCookies: the program or its environment sets it.
func cookieLimitSet() bool {
	return cookieLimitBuiltIn || strings.Contains(os.Getenv("GODEBUG"), "httpcookiemaxnum")
}

// namedCookies yields the value of each cookie called name in the
// request's Cookie header lines, in order, read as net/http's
// Request.CookiesNamed reads them (parts split at ";" and trimmed, the
// name compared exactly, one pair of surrounding double quotes taken off
// the value, a value with a byte a cookie may not hold skipped, nothing
// read past maxRequestCookies), without allocating: the values are
// slices of the header. When the bound is set otherwise (cookieLimitSet),
// net/http reads them. TestNamedCookiesAsNetHTTP, FuzzNamedCookies and
// TestNamedCookiesFollowCookieLimit hold it to CookiesNamed.
func namedCookies(h http.Header, name string) iter.Seq[string] {
	return func(yield func(string) bool) {
		if cookieLimitSet() {
			for _, c := range (&http.Request{Header: h}).CookiesNamed(name) {
				if !yield(c.Value) {
					return
				}
			}
			return
		}
		lines := h["Cookie"]
		n := 0
		for _, line := range lines {
			n += strings.Count(line, ";") + 1
		}
		if n > maxRequestCookies {
			return
		}
		for _, line := range lines {
			line = textproto.TrimString(line)
			var part string
			for len(line) > 0 {
				part, line, _ = strings.Cut(line, ";")
				part = textproto.TrimString(part)
				if part == "" {
					continue
				}
				k, v, _ := strings.Cut(part, "=")
				if textproto.TrimString(k) != name {
					continue
				}
				if v, ok := cookieValue(v); ok && !yield(v) {
					return
				}
			}
		}
	}
}

// cookieValue is net/http's reading of a cookie value in a request.
func cookieValue(raw string) (string, bool) {
	if len(raw) > 1 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	for i := 0; i < len(raw); i++ {
		if b := raw[i]; b < 0x20 || b >= 0x7f || b == '"' || b == ';' || b == '\\' {
			return "", false
		}
	}
	return raw, true
}

// cookieNamed returns the value of the first cookie called name, as
// Request.Cookie does.
func cookieNamed(h http.Header, name string) (string, bool) {
	for v := range namedCookies(h, name) {
		return v, true
	}
	return "", false
}
