package gateway

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	member := cookies(s.testCookie(t, "bob@example.com", true))
	for _, tc := range []struct {
		path string
		c    []*http.Cookie
	}{
		{"/", nil}, {"/handbook/", nil}, {"/nothing/", member}, {"/public", nil},
		{LoginPath, nil}, {LogoutPath, member}, {WhoamiPath, member}, {HealthPath, nil}, {"/style.css", member},
	} {
		resp := get(s, tc.path, tc.c)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self';") || !strings.Contains(csp, "default-src 'self';") || !strings.Contains(csp, "frame-ancestors 'none'") ||
			!strings.Contains(csp, "object-src 'none'") || !strings.Contains(csp, "base-uri 'self'") {
			t.Errorf("%s: CSP %q", tc.path, csp)
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options":    "nosniff",
			"Referrer-Policy":           "same-origin",
			"X-Frame-Options":           "DENY",
			"Strict-Transport-Security": "max-age=31536000",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", tc.path, k, got, want)
			}
		}
	}
}

func TestNoHSTSOverHTTP(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "http://localhost:8080")
	if h := get(s, "/", nil).Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("HSTS over http: %q", h)
	}
}

func TestCachingHeaders(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	member := cookies(s.testCookie(t, "bob@example.com", true))
	for _, tc := range []struct {
		path  string
		c     []*http.Cookie
		cache string
		vary  string
	}{
		{"/", nil, "private, no-cache", "Cookie"},
		{"/", member, "private, no-cache", "Cookie"},
		{"/nothing/", member, "private, no-cache", "Cookie"},
		{"/handbook/", nil, "no-store", "Cookie"}, // the sign-in redirect
		{LoginPath, nil, "no-store", "Cookie"},
		{WhoamiPath, member, "no-store", "Cookie"},
		{LogoutPath, member, "no-store", "Cookie"},
	} {
		resp := get(s, tc.path, tc.c)
		if got := resp.Header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		if got := resp.Header.Get("Vary"); !strings.Contains(got, tc.vary) {
			t.Errorf("%s: Vary %q, want %q", tc.path, got, tc.vary)
		}
	}
}

func TestSingleBuildIsShareable(t *testing.T) {
	t.Parallel()
	site := level("config/site.toml", true, "allow anyone")
	rules := siteRules(page{"/", access.Chain{site}}, page{"/public/", access.Chain{site}})
	// The anonymous build alone: a member is served it (no build of their
	// kind is a subset), and every identity gets the same bytes.
	dir := access.Directory{MemberDomains: []string{"example.com"}}
	s, _, _ := newServerWith(t, "https://docs.example.com", fixtureOptions{gen: "g", rules: rules, directory: &dir, onlyAnonymous: true})
	if n := len(s.current.Load().builds); n != 1 {
		t.Fatalf("%d builds; the test needs one", n)
	}
	resp := get(s, "/public/", cookies(s.testCookie(t, "bob@example.com", true)))
	if cc, v := resp.Header.Get("Cache-Control"), resp.Header.Get("Vary"); cc != "no-cache" || strings.Contains(v, "Cookie") {
		t.Errorf("one build: Cache-Control %q, Vary %q", cc, v)
	}
	// A 404 is never shareable: anonymous visitors get a sign-in redirect there.
	if cc := get(s, "/nothing/", cookies(s.testCookie(t, "bob@example.com", true))).Header.Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("404 on a public site: Cache-Control %q", cc)
	}
}

// On a public site (one build for everyone) a page may be kept by shared
// caches. A response that sets or clears the session cookie must never be:
// RFC 9111 lets a shared cache store a response with Set-Cookie and hand
// it, cookie included, to the next person (a refreshed session borrowed,
// or a cleared one signing everyone out).
func TestResponseSettingACookieIsNeverShared(t *testing.T) {
	t.Parallel()
	site := level("config/site.toml", true, "allow anyone")
	rules := siteRules(page{"/", access.Chain{site}}, page{"/public/", access.Chain{site}})
	dir := access.Directory{MemberDomains: []string{"example.com"}}
	fo := fixtureOptions{gen: "g", rules: rules, directory: &dir}
	check := func(what string, resp *http.Response) {
		t.Helper()
		if len(resp.Header.Values("Set-Cookie")) == 0 {
			t.Fatalf("%s: no Set-Cookie; the test expects one", what)
		}
		cc, v := resp.Header.Get("Cache-Control"), resp.Header.Get("Vary")
		if !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") || !strings.Contains(v, "Cookie") {
			t.Errorf("%s: Set-Cookie with Cache-Control %q, Vary %q: a shared cache may keep it", what, cc, v)
		}
	}

	// A session ended by logout, cleared on the next request.
	s, _, _ := newServerWith(t, "https://docs.example.com", fo)
	ck := s.testCookie(t, "bob@example.com", true)
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(ck)
	sess := s.readSession(req, s.now())
	s.endSession(sess, s.now(), "test")
	check("revoked session", get(s, "/public/", cookies(ck)))

	// A session refreshed on a request for a page.
	e := newTestEnvFixture(t, fo, func(iss *testIssuer) { iss.rt.offline = true })
	e.gw.cfg.Refresh = 10 * time.Minute
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true), "/").Body.Close()
	e.clk.set(e.clk.now().Add(11 * time.Minute))
	resp, err := noFollow(c).Get(e.srv.URL + "/public/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	check("refreshed session", resp)
}

// Builds of different kinds with the same pages still differ (the badge,
// who-can-see in a member build), so a page of one must never be kept by a
// shared cache: it would hand a guest's or a member's build to an anonymous
// visitor, a build of another kind that ACCESS.md never serves in its place.
func TestBuildsOfOtherKindsWithEqualPagesAreNotShared(t *testing.T) {
	t.Parallel()
	site := level("config/site.toml", true, "allow anyone")
	rules := siteRules(page{"/", access.Chain{site}}, page{"/public/", access.Chain{site}})
	dir := access.Directory{MemberDomains: []string{"example.com"}, Groups: []string{"partners"},
		Guests: []access.GuestEntry{{Email: "carol@partner.example", Groups: []string{"partners"}}}}
	s, _, _ := newServerWith(t, "https://docs.example.com", fixtureOptions{gen: "g", rules: rules, directory: &dir})
	if len(s.current.Load().builds) < 2 {
		t.Fatal("the fixture has one build; the test needs several of equal pages")
	}
	bodies := map[string]bool{}
	for _, who := range []struct {
		name string
		c    []*http.Cookie
	}{
		{"anonymous", nil},
		{"member", cookies(s.testCookie(t, "bob@example.com", true))},
		{"guest", cookies(s.testCookie(t, "carol@partner.example", true))},
	} {
		for _, p := range []string{"/public/", "/style.css", "/files/note.txt", "/public"} {
			resp := get(s, p, who.c)
			body, _ := io.ReadAll(resp.Body)
			if p == "/public/" {
				bodies[string(body)] = true
			}
			cc, v := resp.Header.Get("Cache-Control"), resp.Header.Get("Vary")
			if !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") || !strings.Contains(v, "Cookie") {
				t.Errorf("%s %s (%d): Cache-Control %q, Vary %q: a shared cache may hand this build to another kind",
					who.name, p, resp.StatusCode, cc, v)
			}
		}
	}
	if len(bodies) < 2 {
		t.Fatalf("every identity got the same page; the test expects a build per kind")
	}
}
