package gateway

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A page elsewhere can send a browser to /auth/login as often as it likes.
// Each sign-in leaves a flow cookie for ten minutes, with rd inside it;
// unbounded, they push the browser's Cookie header past what proxies
// accept (8 KiB is common) and lock it out of the whole site.
func TestFlowCookiesAreBounded(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := noFollow(e.browser(t))
	rd := "/" + strings.Repeat("a", maxRedirect-1)
	for range 12 {
		resp, err := c.Get(e.srv.URL + LoginPath + "?rd=" + url.QueryEscape(rd))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("login: %d", resp.StatusCode)
		}
	}
	site, _ := url.Parse(e.srv.URL + "/")
	size, flows := 0, 0
	for _, ck := range c.Jar.Cookies(site) {
		size += len(ck.Name) + len(ck.Value) + 3
		if strings.HasPrefix(ck.Name, "facet_flow_") {
			flows++
		}
	}
	if flows > maxFlows || size > 8<<10 {
		t.Errorf("after 12 sign-ins the browser holds %d flow cookies, a %d-byte Cookie header", flows, size)
	}
	// The newest sign-in still finishes.
	resp, err := c.Get(e.srv.URL + LoginPath + "?rd=/eng/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	found := false
	for _, ck := range c.Jar.Cookies(site) {
		found = found || strings.HasPrefix(ck.Name, "facet_flow_")
	}
	if !found {
		t.Error("the newest sign-in has no flow cookie")
	}
}

// A page on another site must not sign people out (and end their session
// at the provider, id_token_hint included) by linking to /auth/logout:
// the browser sends SameSite=Lax cookies on that top-level navigation.
func TestCrossSiteLogoutIsConfirmed(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	for _, site := range []string{"cross-site", "same-site"} {
		req, err := http.NewRequest(http.MethodGet, e.srv.URL+LogoutPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Sec-Fetch-Site", site)
		resp, err := noFollow(c).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := body(t, resp)
		resp.Body.Close()
		if resp.StatusCode == http.StatusFound || resp.StatusCode == http.StatusSeeOther {
			t.Errorf("%s logout redirects to %s", site, resp.Header.Get("Location"))
		}
		if resp.Header.Get("Clear-Site-Data") != "" || len(resp.Cookies()) != 0 {
			t.Errorf("%s logout clears state: %v", site, resp.Header)
		}
		if !strings.Contains(b, `href="`+LogoutPath+`"`) {
			t.Errorf("%s logout offers no link to sign out:\n%s", site, b)
		}
		if w := e.whoami(t, c); w.Kind != "member" {
			t.Fatalf("after %s logout: %s", site, w.Kind)
		}
	}
	// The same request from the site itself signs out.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+LogoutPath, nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := noFollow(c).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("same-origin logout: %d", resp.StatusCode)
	}
	if w := e.whoami(t, c); w.Kind != "anonymous" {
		t.Errorf("after same-origin logout: %s", w.Kind)
	}
}

// The session cache answers for a cookie value only the session that
// value opens to, never past its expiry, and stays bounded.
func TestSessionCacheIsExactAndBounded(t *testing.T) {
	t.Parallel()
	s, _, clk := newFixtureServer(t, "http://docs.example")
	bob := s.testCookie(t, "bob@example.com", true, "eng")
	carol := s.testCookie(t, "carol@partner.example", true)
	for range 2 { // the second pass is answered from the cache
		for _, tc := range []struct {
			ck   *http.Cookie
			want string
		}{{bob, "bob@example.com"}, {carol, "carol@partner.example"}} {
			req := httptest.NewRequest("GET", "/", nil)
			req.AddCookie(tc.ck)
			if got := s.readSession(req, clk.now()); got == nil || got.Email != tc.want {
				t.Fatalf("session for %s: %+v", tc.want, got)
			}
		}
	}
	// A value that differs in one byte is not served from the cache.
	forged := *bob
	last := forged.Value[len(forged.Value)-1]
	alt := "A"
	if last == 'A' {
		alt = "B"
	}
	forged.Value = forged.Value[:len(forged.Value)-1] + alt
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(&forged)
	if got := s.readSession(req, clk.now()); got != nil {
		t.Errorf("altered cookie opens to %+v", got)
	}
	// Past expiry the cached session is refused.
	req = httptest.NewRequest("GET", "/", nil)
	req.AddCookie(bob)
	if got := s.readSession(req, clk.now().Add(s.cfg.Session)); got != nil {
		t.Errorf("expired cached session: %+v", got)
	}
	// Bounded by bytes, whatever the sizes of values and sessions.
	for _, size := range []int{1, 500, 4000, 200000} {
		var c sessionCache
		for i := range 5000 {
			sess := &session{ID: "id", Email: strings.Repeat("e", size), Groups: []string{strings.Repeat("g", size)}}
			c.put(fmt.Sprintf("%d-%s", i, strings.Repeat("x", size)), sess)
			if c.bytes > sessionCacheBytes {
				t.Fatalf("size %d: cache accounts %d bytes, bound %d", size, c.bytes, sessionCacheBytes)
			}
		}
		var sum int64
		n := 0
		c.each(func(v string, sess *session) {
			sum += sessionCost(v, sess)
			n++
		})
		if sum != c.bytes || (size < 4000 && n == 0) {
			t.Errorf("size %d: %d sessions cost %d, accounted %d", size, n, sum, c.bytes)
		}
	}
}

// each calls fn with every cached value and session.
func (c *sessionCache) each(fn func(string, *session)) {
	if m := c.m.Load(); m != nil {
		for k, v := range m.Range {
			fn(k.(string), v.(*session))
		}
	}
}
