package siteurl

import "testing"

func TestLocal(t *testing.T) {
	s := New("https://example.com/docs/", []string{"Mirror.example.org", "intranet:8443"})
	cases := []struct {
		ref, path, suffix string
		ok                bool
	}{
		{"https://example.com/docs/x/", "/x/", "", true},
		{"https://EXAMPLE.com/docs/x/", "/x/", "", true},
		{"HTTPS://example.com:443/docs/x/", "/x/", "", true},
		{"http://example.com:80/docs/x/", "/x/", "", true},
		{"http://example.com/docs/./x/", "/x/", "", true},
		{"https://example.com/docs/y/../x/", "/x/", "", true},
		{"https://example.com//docs//x/", "/x/", "", true},
		{"https://example.com/docs/%78/", "/x/", "", true},
		{"https://example.com./docs/x/", "/x/", "", true},
		{"https://user@example.com/docs/x/", "/x/", "", true},
		{`https:\\example.com\docs\x\`, "/x/", "", true},
		{"https:example.com/docs/x/", "/x/", "", true},
		{"//example.com/docs/x/?a=1#top", "/x/", "?a=1#top", true},
		{"https://example.com/docs", "/", "", true},
		{"https://example.com/docs/", "/", "", true},
		{"https://mirror.example.org/docs/x", "/x", "", true},
		{"https://intranet:8443/docs/x/", "/x/", "", true},
		{"  https://example.com/docs/x/ ", "/x/", "", true},
		// not the site
		{"https://example.com/other/x/", "", "", false},
		{"https://example.com/docsx/", "", "", false},
		{"https://example.com:8443/docs/x/", "", "", false},
		{"http://example.com:443/docs/x/", "", "", false},
		{"https://intranet/docs/x/", "", "", false},
		{"https://evil.example/docs/x/", "", "", false},
		{"https://example.com.evil/docs/x/", "", "", false},
		{"mailto:a@example.com", "", "", false},
		{"ftp://example.com/docs/x/", "", "", false},
		{"/docs/x/", "", "", false},
		{"x/y.md", "", "", false},
		{"", "", "", false},
	}
	for _, c := range cases {
		p, suf, ok := s.Local(c.ref)
		if p != c.path || suf != c.suffix || ok != c.ok {
			t.Errorf("Local(%q) = %q, %q, %v; want %q, %q, %v", c.ref, p, suf, ok, c.path, c.suffix, c.ok)
		}
	}
}

func TestStripBase(t *testing.T) {
	s := New("https://example.com/docs/", nil)
	cases := []struct {
		raw, want string
		ok        bool
	}{
		{"/docs/x/", "/x/", true},
		{"/docs//x/./", "/x/", true},
		{"/docs/a/../x", "/x", true},
		{"/docs", "/", true},
		{"/x/", "", false},
		{"/docs/../x/", "", false},
		{"/%64ocs/x/", "/x/", true},
	}
	for _, c := range cases {
		p, _, ok := s.StripBase(c.raw, "")
		if p != c.want || ok != c.ok {
			t.Errorf("StripBase(%q) = %q, %v; want %q, %v", c.raw, p, ok, c.want, c.ok)
		}
	}
	root := New("https://example.com", nil)
	if p, _, ok := root.StripBase("/a/../b/", ""); p != "/b/" || !ok {
		t.Errorf("root StripBase = %q, %v", p, ok)
	}
	none := New("", nil)
	if none.HasHosts() {
		t.Error("a site without base_url has no hosts")
	}
	if _, _, ok := none.Local("https://example.com/x/"); ok {
		t.Error("a site without base_url attributes no absolute URL")
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"/a/./b/":  "/a/b/",
		"/a/b/..":  "/a/",
		"/../../a": "/a",
		"//a//b/":  "/a/b/",
		"/a/%2e/b": "/a/b",
		"/a%20b/":  "/a b/",
		"":         "/",
		"/a/b/c/.": "/a/b/c/",
		`/a\b\`:    "/a/b/",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitRefresh(t *testing.T) {
	for _, tt := range []struct{ in, head, url string }{
		{"0; url=/a/b/", "0; url=", "/a/b/"},
		{"5, URL = 'x/'", "5, URL = ", "x/"},
		{`0;"../y/"`, "0;", "../y/"},
		{"0;x/ ", "0;", "x/"},
		{"3", "3", ""},
	} {
		if head, url := SplitRefresh(tt.in); head != tt.head || url != tt.url {
			t.Errorf("SplitRefresh(%q) = %q, %q; want %q, %q", tt.in, head, url, tt.head, tt.url)
		}
	}
}
