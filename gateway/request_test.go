package gateway

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// TestRoutes pins what each method and spelling of a path reaches: the
// gateway's own paths answer only their methods (405 with Allow, never
// cached, otherwise), a spelling that is not exactly one of them (a double
// slash, a dot segment, an encoded slash, a trailing slash) is a path of
// the site and never reaches a system handler, and HEAD works for files.
// The fixture's provider is unreachable, so a request that reaches sign-in
// answers 502.
func TestRoutes(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	tests := []struct {
		method, target string
		status         int
		allow          string // Allow on a 405
		location       string // prefix of Location on a redirect
	}{
		{"GET", "/auth/login?rd=/eng/", 502, "", ""},
		{"HEAD", "/auth/login", 502, "", ""},
		{"GET", "/auth/%6Cogin", 502, "", ""}, // the same path, percent-encoded
		{"POST", "/auth/login", 405, "GET, HEAD", ""},
		{"DELETE", "/auth/login", 405, "GET, HEAD", ""},
		{"GET", "/auth/login/", 302, "", "/auth/login?rd=%2Fauth%2Flogin%2F"},
		{"GET", "//auth/login", 302, "", "/auth/login?rd=%2F"},
		{"GET", "/auth/./login", 302, "", "/auth/login?rd=%2F"},
		{"GET", "/x/../auth/login", 302, "", "/auth/login?rd=%2F"},
		{"GET", "/auth%2Flogin", 302, "", "/auth/login?rd=%2Fauth%252Flogin"},
		{"GET", "/auth/callback", 400, "", ""},
		{"POST", "/auth/callback", 405, "GET, HEAD", ""},
		{"GET", "/auth/logout", 302, "", "/"},
		{"POST", "/auth/logout", 303, "", "/"},
		{"PUT", "/auth/logout", 405, "GET, HEAD, POST", ""},
		{"GET", "/healthz", 200, "", ""},
		{"HEAD", "/healthz", 200, "", ""},
		{"POST", "/healthz", 405, "GET, HEAD", ""},
		{"GET", "/auth/../healthz", 302, "", "/auth/login?rd=%2F"},
		{"GET", "/metrics", 200, "", ""},
		{"DELETE", "/metrics", 405, "GET, HEAD", ""},
		{"GET", "/_facet/whoami", 200, "", ""},
		{"POST", "/_facet/whoami", 405, "GET, HEAD", ""},
		{"GET", "/files/note.txt", 200, "", ""},
		{"POST", "/files/note.txt", 405, "GET, HEAD", ""},
		{"POST", "//files/note.txt", 405, "GET, HEAD", ""},
		{"OPTIONS", "/public/", 405, "GET, HEAD", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		resp := rec.Result()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.target, resp.StatusCode, tt.status)
			continue
		}
		if got := resp.Header.Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.target, got, tt.allow)
		}
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, tt.location) || (tt.location == "") != (loc == "") {
			t.Errorf("%s %s: Location %q, want %q", tt.method, tt.target, loc, tt.location)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no security headers", tt.method, tt.target)
		}
		if tt.status == http.StatusMethodNotAllowed && !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("%s %s: 405 with Cache-Control %q", tt.method, tt.target, resp.Header.Get("Cache-Control"))
		}
	}
}

// HEAD answers a file with its headers and no body.
func TestHeadFile(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	get := httptest.NewRecorder()
	s.ServeHTTP(get, httptest.NewRequest("GET", "/files/note.txt", nil))
	head := httptest.NewRecorder()
	s.ServeHTTP(head, httptest.NewRequest("HEAD", "/files/note.txt", nil))
	if head.Code != 200 || head.Body.Len() != 0 || get.Body.Len() == 0 {
		t.Fatalf("HEAD %d with %d bytes; GET %d bytes", head.Code, head.Body.Len(), get.Body.Len())
	}
	for _, h := range []string{"Content-Length", "Content-Type", "ETag"} {
		if head.Header().Get(h) != get.Header().Get(h) {
			t.Errorf("%s: HEAD %q, GET %q", h, head.Header().Get(h), get.Header().Get(h))
		}
	}
}

func TestClientIP(t *testing.T) {
	t.Parallel()
	s := &Server{}
	for _, p := range []string{"10.0.0.0/8", "2001:db8::/32"} {
		s.proxies = append(s.proxies, mustPrefix(t, p))
	}
	tests := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"192.0.2.1:5000", nil, "192.0.2.1"},
		{"192.0.2.1:5000", []string{"203.0.113.9"}, "192.0.2.1"}, // untrusted peer: header ignored
		{"10.1.2.3:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"10.1.2.3:5000", []string{"198.51.100.7, 203.0.113.9, 10.9.9.9"}, "203.0.113.9"},
		{"10.1.2.3:5000", []string{"198.51.100.7", "203.0.113.9"}, "203.0.113.9"},
		{"10.1.2.3:5000", []string{"garbage"}, "10.1.2.3"},
		{"10.1.2.3:5000", []string{"10.4.4.4"}, "10.4.4.4"},
		{"[2001:db8::1]:443", []string{"2001:db8::2, 198.51.100.7"}, "198.51.100.7"},
		{"[::ffff:10.0.0.1]:80", []string{"203.0.113.9"}, "203.0.113.9"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("clientIP(%s, %q) = %q, want %q", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func mustPrefix(t *testing.T, s string) netip.Prefix {
	t.Helper()
	p, err := netip.ParsePrefix(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPickAsMux holds the shortcut past the mux to the mux itself: for
// every method and spelling of the gateway's own paths and of site paths,
// pick reaches the pattern the mux picks (for a path the mux is asked
// about).
func TestPickAsMux(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	var targets []string
	for _, p := range []string{LoginPath, CallbackPath, LogoutPath, WhoamiPath, HealthPath, MetricsPath, "/", "/eng/", "/files/note.txt"} {
		targets = append(targets, p, p+"/", p+"x", strings.ToUpper(p), strings.Replace(p, "/", "%2F", 2),
			strings.Replace(p, "a", "%61", 1), strings.Replace(p, "e", "%65", -1), p+"?q=1", p+"/..", p[:len(p)-1])
	}
	methods := []string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get"}
	checked := 0
	for _, target := range targets {
		for _, m := range methods {
			r := httptest.NewRequest("GET", "/", nil)
			r.Method = m
			u, err := r.URL.Parse(target)
			if err != nil {
				continue
			}
			r.URL = u
			_, got := s.pick(r)
			want := siteRoute
			if canonical(r) {
				_, want = s.mux.Handler(r)
				checked++
			}
			if got != want {
				t.Errorf("%s %s: pick %q, mux %q", m, target, got, want)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d requests reached the comparison", checked)
	}
}
