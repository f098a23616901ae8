package gateway

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// redirectCases follow oauth2-proxy's redirect validator table
// (pkg/app/redirect/validator_test.go) and its list of open-redirect
// payloads, restated for a validator that accepts local paths only: every
// absolute URL, which oauth2-proxy accepts for its allowed domains, is
// refused here.
var redirectCases = []struct {
	name string
	rd   string
	ok   bool
}{
	{"empty", "", false},
	{"single slash path", "/redirect", true},
	{"root", "/", true},
	{"path with query", "/a/b/?q=1&r=%2F", true},
	{"path with fragment", "/a/b/#part", true},
	{"encoded characters in a path", "/caf%C3%A9/", true},
	{"double slash", "//redirect", false},
	{"absolute http", "http://foo.bar/redirect", false},
	{"absolute https", "https://foo.bar/redirect", false},
	{"subdomain", "https://baz.bar.foo/redirect", false},
	{"similar domain", "https://foo.bar.evil.corp/redirect", false},
	{"rd parameter on another host", "https://evil.corp/redirect?rd=foo.bar", false},
	{"port and domain", "https://evil.corp:3838/redirect", false},
	{"user info", "https://ok@evil.example/", false},
	{"user info with allowed-looking host", "https://docs.example.com@evil.example/", false},
	{"missing scheme", "foo.bar/redirect", false},
	{"missing scheme, wildcard-looking host", "proxy.wildcard.bar/redirect", false},
	{"backslash after slash", "/\\evil.com", false},
	{"space then slash", "/ /evil.com", false},
	{"space then backslash", "/ \\evil.com", false},
	{"tab then slash", "/\t/evil.com", false},
	{"tab then backslash", "/\t\\evil.com", false},
	{"vertical tab then slash", "/\v/evil.com", false},
	{"vertical tab then backslash", "/\v\\evil.com", false},
	{"newline then slash", "/\n/evil.com", false},
	{"newline then backslash", "/\n\\evil.com", false},
	{"carriage return then slash", "/\r/evil.com", false},
	{"carriage return then backslash", "/\r\\evil.com", false},
	{"two tabs", "/\t/\t\\evil.com", false},
	{"three tabs, slash", "/\t\t/\t/evil.com", false},
	{"three tabs, backslash", "/\t\t\\\t/evil.com", false},
	{"four tabs, slash", "/\t\t/\t\t\\evil.com", false},
	{"four tabs, backslash", "/\t\t\\\t\t/evil.com", false},
	{"dot segment then backslash", "/./\\evil.com", false},
	{"dot-dot segments then backslash", "/./../../\\evil.com", false},
	{"encoded tab", "/%09/evil.com", false},
	{"encoded tab and user", "/%09/www.example.com@evil.com", false},
	{"encoded slashes", "/%2f%2fevil.com", false},
	{"encoded backslash", "/%5cevil.com", false},
	{"encoded slash then backslash", "/%2f%5c%2fevil.com/", false},
	{"encoded scheme", "/%68%74%74%70%3a%2f%2fevil.com", false},
	{"triple slash", "///evil.com", false},
	{"four slashes", "////evil.com/", false},
	{"backslash semicolon user", "///\\;@evil.com", false},
	{"javascript", "javascript:alert(1)", false},
	{"encoded javascript after slash", "/%09/javascript:alert(1)", false},
	{"data url", "data:text/html;base64,PHNjcmlwdD4=", false},
	{"scheme without slashes", "http:evil.com", false},
	{"path that names a URL", "/http://evil.com", false},
	{"path that names a URL with backslash", "/https:/%5cevil.com/", false},
	{"angle brackets", "/<>//evil.com", false},
	{"escaped slashes", "\\/\\/evil.com/", false},
	{"at sign", "@evil.com", false},
	{"NUL", "/a\x00b", false},
	{"DEL", "/a\x7fb", false},
	{"non-ASCII", "/caf\u00e9", false},
	{"ideographic full stop host", "//evil%E3%80%82com", false},
	{"very long", "/" + strings.Repeat("a", maxRedirect), false},
}

func TestValidRedirect(t *testing.T) {
	t.Parallel()
	for _, tt := range redirectCases {
		if got := validRedirect(tt.rd); got != tt.ok {
			t.Errorf("%s: validRedirect(%q) = %v, want %v", tt.name, tt.rd, got, tt.ok)
		}
		// oauth2-proxy's payload list is checked after query-unescaping;
		// an unsafe payload must stay refused in that form too.
		if un, err := url.QueryUnescape(tt.rd); err == nil && !tt.ok && validRedirect(un) {
			t.Errorf("%s: unescaped %q accepted", tt.name, un)
		}
	}
}

func TestLocalRedirectFallsBack(t *testing.T) {
	t.Parallel()
	if got := localRedirect("//evil.example"); got != "/" {
		t.Errorf("localRedirect = %q, want /", got)
	}
	if got := localRedirect("/a/?b=c"); got != "/a/?b=c" {
		t.Errorf("localRedirect = %q", got)
	}
}

// FuzzRedirect holds the validator's invariant: what localRedirect returns
// is always a path on this site, however a browser or Go reads it.
func FuzzRedirect(f *testing.F) {
	for _, c := range redirectCases {
		f.Add(c.rd)
	}
	base, _ := url.Parse("https://docs.example.com/some/page/")
	f.Fuzz(func(t *testing.T, rd string) {
		got := localRedirect(rd)
		if got == "" || got[0] != '/' || (len(got) > 1 && (got[1] == '/' || got[1] == '\\')) {
			t.Fatalf("localRedirect(%q) = %q: not a local path", rd, got)
		}
		for i := 0; i < len(got); i++ {
			if c := got[i]; c <= ' ' || c >= 0x7f || c == '\\' {
				t.Fatalf("localRedirect(%q) = %q: byte %q a browser may rewrite", rd, got, c)
			}
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("localRedirect(%q) = %q does not parse: %v", rd, got, err)
		}
		if u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
			t.Fatalf("localRedirect(%q) = %q has a scheme, host or user", rd, got)
		}
		if r := base.ResolveReference(u); r.Host != base.Host || r.Scheme != base.Scheme {
			t.Fatalf("localRedirect(%q) = %q resolves to %s", rd, got, r)
		}
		if strings.HasPrefix(u.Path, "//") {
			t.Fatalf("localRedirect(%q) = %q decodes to a network path", rd, got)
		}
	})
}

func TestLoginURLKeepsThePage(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("GET", "/a/b/?x=1", nil)
	got := loginURL(r)
	u, err := url.Parse(got)
	if err != nil || u.Path != LoginPath || u.Query().Get("rd") != "/a/b/?x=1" {
		t.Errorf("loginURL = %q", got)
	}
}
