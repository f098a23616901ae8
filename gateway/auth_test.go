package gateway

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/config"
)

func TestLoginStartsCodeFlowWithPKCE(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := noFollow(e.browser(t))
	resp, err := c.Get(e.srv.URL + LoginPath + "?rd=" + url.QueryEscape("/eng/?x=1"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("login: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	if !strings.HasPrefix(loc.String(), e.iss.srv.URL+"/authorize?") {
		t.Fatalf("login redirects to %s", loc)
	}
	checks := map[string]string{
		"response_type":         "code",
		"client_id":             "facet-test",
		"redirect_uri":          e.srv.URL + CallbackPath,
		"code_challenge_method": "S256",
		"scope":                 "openid email profile",
	}
	for k, want := range checks {
		if got := q.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if len(q.Get(k)) < 32 {
			t.Errorf("%s = %q: missing or short", k, q.Get(k))
		}
	}
	var flowCookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if strings.HasPrefix(ck.Name, "facet_flow_") {
			flowCookie = ck
		}
	}
	if flowCookie == nil || !flowCookie.HttpOnly || flowCookie.SameSite != http.SameSiteLaxMode || flowCookie.MaxAge != 600 {
		t.Errorf("flow cookie %+v", flowCookie)
	}
	if strings.Contains(flowCookie.Value, q.Get("nonce")) || strings.Contains(flowCookie.Value, "/eng/") {
		t.Error("flow cookie is not sealed")
	}
	// Two sign-ins in two tabs do not share a flow cookie.
	resp2, err := c.Get(e.srv.URL + LoginPath)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	loc2, _ := url.Parse(resp2.Header.Get("Location"))
	if loc2.Query().Get("state") == q.Get("state") || loc2.Query().Get("nonce") == q.Get("nonce") {
		t.Error("state or nonce repeats between sign-ins")
	}
}

func TestSignInServesTheRightBuild(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	tests := []struct {
		name    string
		claims  map[string]any
		kind    string
		sees    []string
		notSees []string
	}{
		{"member in several groups", person("bob@example.com", true, "eng", "staff", "unrelated"), "member",
			[]string{"/eng/", "/staff/", "/handbook/"}, []string{"/partners/"}},
		{"guest", person("carol@partner.example", true, "eng"), "guest",
			[]string{"/partners/"}, []string{"/eng/", "/handbook/"}},
		{"expired guest", person("dave@partner.example", true), "outsider",
			[]string{"/public/"}, []string{"/partners/", "/handbook/"}},
		{"unverified email", person("bob@example.com", false, "eng"), "outsider",
			[]string{"/public/"}, []string{"/eng/", "/handbook/"}},
		{"email_verified as a string", map[string]any{"sub": "s", "email": "bob@example.com", "email_verified": "true", "groups": []string{"eng"}}, "member",
			[]string{"/eng/"}, []string{"/staff/"}},
		{"email_verified as another spelling of true", map[string]any{"sub": "s", "email": "bob@example.com", "email_verified": "TRUE", "groups": []string{"eng"}}, "outsider",
			[]string{"/public/"}, []string{"/eng/", "/handbook/"}},
		{"outsider", person("eve@elsewhere.example", true, "eng"), "outsider",
			[]string{"/public/"}, []string{"/eng/", "/handbook/"}},
		{"no groups claim", person("bob@example.com", true), "member",
			[]string{"/handbook/"}, []string{"/eng/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.browser(t)
			resp := e.signIn(t, c, tt.claims, "/public/")
			b := body(t, resp)
			if resp.StatusCode != 200 || !strings.Contains(b, "PAGE /public/<") || resp.Request.URL.Path != "/public/" {
				t.Fatalf("landed on %s: %d %q", resp.Request.URL, resp.StatusCode, b)
			}
			who := e.whoami(t, c)
			if who.Kind != tt.kind {
				t.Errorf("kind %s, want %s", who.Kind, tt.kind)
			}
			for _, p := range tt.sees {
				if r := e.get(t, c, p); r.StatusCode != 200 || !strings.Contains(body(t, r), "PAGE "+p+"<") {
					t.Errorf("%s: cannot see it", p)
				}
			}
			for _, p := range tt.notSees {
				r := e.get(t, c, p)
				if b := body(t, r); r.StatusCode != 404 || strings.Contains(b, "PAGE "+p+"<") {
					t.Errorf("%s: %d %q, want the 404 page", p, r.StatusCode, b)
				}
			}
		})
	}
}

func (e *testEnv) get(t *testing.T, c *http.Client, p string) *http.Response {
	t.Helper()
	resp, err := c.Get(e.srv.URL + p)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func (e *testEnv) whoami(t *testing.T, c *http.Client) Whoami {
	t.Helper()
	resp := e.get(t, c, WhoamiPath)
	b := body(t, resp)
	e.iss.mu.Lock()
	issued := append([]string(nil), e.iss.issued...)
	e.iss.mu.Unlock()
	for _, tok := range issued {
		if strings.Contains(b, tok) || strings.Contains(b, strings.Split(tok, ".")[1]) {
			t.Fatal("whoami shows a token")
		}
	}
	var w Whoami
	if err := json.Unmarshal([]byte(b), &w); err != nil {
		t.Fatalf("whoami %q: %v", b, err)
	}
	return w
}

func TestAnonymousIsSentToSignInAndBack(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := e.browser(t)
	e.iss.signInAs(person("bob@example.com", true, "eng"))
	resp := e.get(t, c, "/eng/?tab=2")
	b := body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(b, "PAGE /eng/<") || resp.Request.URL.RequestURI() != "/eng/?tab=2" {
		t.Errorf("after sign-in: %s %d %q", resp.Request.URL, resp.StatusCode, b)
	}
}

func TestCallbackRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		adjust  func(*testIssuer)
		outcome string
	}{
		{"wrong nonce", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["nonce"] = "other" } }, "invalid_token"},
		{"no nonce", func(i *testIssuer) { i.tamper = func(m map[string]any) { delete(m, "nonce") } }, "invalid_token"},
		{"wrong audience", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["aud"] = "another-client" } }, "invalid_token"},
		{"several audiences, azp another client", func(i *testIssuer) {
			i.tamper = func(m map[string]any) { m["aud"] = []string{"facet-test", "x"}; m["azp"] = "x" }
		}, "invalid_token"},
		{"no subject", func(i *testIssuer) { i.tamper = func(m map[string]any) { delete(m, "sub") } }, "invalid_token"},
		{"empty subject", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["sub"] = "" } }, "invalid_token"},
		{"one audience, azp another client", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["azp"] = "x" } }, "invalid_token"},
		{"one audience, azp empty", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["azp"] = "" } }, "invalid_token"},
		{"one audience, azp not a string", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["azp"] = []string{"facet-test"} } }, "invalid_token"},
		{"wrong issuer", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["iss"] = "https://evil.example" } }, "invalid_token"},
		{"expired", func(i *testIssuer) {
			i.tamper = func(m map[string]any) { m["exp"] = testNow.Add(-time.Minute).Unix() }
		}, "invalid_token"},
		{"signed by another key", func(i *testIssuer) { i.signWith = testRSAKeys(t)[1] }, "invalid_token"},
		{"bad access token hash", func(i *testIssuer) { i.tamper = func(m map[string]any) { m["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA" } }, "invalid_token"},
		{"wrong client secret", func(i *testIssuer) { i.secret = "other" }, "exchange_failed"},
		{"provider refuses", func(i *testIssuer) {}, "provider_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, tt.adjust)
			c := e.browser(t)
			claims := person("bob@example.com", true, "eng")
			if tt.outcome == "provider_error" {
				claims = nil // the provider answers error=access_denied
			}
			resp := e.signIn(t, c, claims, "/eng/")
			b := body(t, resp)
			if resp.StatusCode < 400 || !strings.Contains(b, "Sign-in failed") {
				t.Fatalf("status %d %q, want a sign-in error page", resp.StatusCode, b)
			}
			assertNoSecrets(t, e, b)
			if w := e.whoami(t, c); w.Kind != "anonymous" {
				t.Errorf("after a failed sign-in the browser is %s", w.Kind)
			}
			if got := counter(t, e.gw, "facet_gateway_signins_total", "outcome", tt.outcome); got != 1 {
				t.Errorf("signins{outcome=%s} = %v, want 1", tt.outcome, got)
			}
		})
	}
}

func assertNoSecrets(t *testing.T, e *testEnv, b string) {
	t.Helper()
	e.iss.mu.Lock()
	defer e.iss.mu.Unlock()
	for _, tok := range e.iss.issued {
		if strings.Contains(b, tok) {
			t.Error("page shows an ID token")
		}
	}
	for _, s := range []string{"goroutine", "panic", "client-secret", "invalid_grant", "oidc:"} {
		if strings.Contains(b, s) {
			t.Errorf("page shows %q", s)
		}
	}
}

func TestCallbackStateChecks(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	// Start a sign-in in the victim's browser, but finish it in another:
	// the state has no flow cookie there.
	victim := noFollow(e.browser(t))
	e.iss.signInAs(person("bob@example.com", true, "eng"))
	resp, err := victim.Get(e.srv.URL + LoginPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	authz := resp.Header.Get("Location")
	resp, err = victim.Get(authz)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	other := e.browser(t)
	r := e.get(t, other, strings.TrimPrefix(callback, e.srv.URL))
	if b := body(t, r); r.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Sign-in failed") {
		t.Errorf("callback in another browser: %d %q", r.StatusCode, b)
	}
	// A changed state in the right browser fails too.
	u, _ := url.Parse(callback)
	q := u.Query()
	q.Set("state", strings.Repeat("A", 43))
	u.RawQuery = q.Encode()
	if r := e.get(t, victim, u.RequestURI()); r.StatusCode != http.StatusBadRequest {
		t.Errorf("changed state: %d", r.StatusCode)
	}
	// A state the gateway could not have made is refused before use.
	for _, bad := range []string{strings.Repeat("a;b=c ", 8), strings.Repeat("A", 200), "short"} {
		if r := e.get(t, victim, CallbackPath+"?code=x&state="+url.QueryEscape(bad)); r.StatusCode != http.StatusBadRequest ||
			len(r.Header.Values("Set-Cookie")) != 0 {
			t.Errorf("state %q: %d, cookies %q", bad, r.StatusCode, r.Header.Values("Set-Cookie"))
		}
	}
	// The genuine callback still works once, and its flow cookie is gone
	// afterwards, so a replay fails.
	if r := e.get(t, victim, strings.TrimPrefix(callback, e.srv.URL)); r.StatusCode != http.StatusFound {
		t.Errorf("genuine callback: %d", r.StatusCode)
	}
	if r := e.get(t, victim, strings.TrimPrefix(callback, e.srv.URL)); r.StatusCode != http.StatusBadRequest {
		t.Errorf("replayed callback: %d", r.StatusCode)
	}
}

func TestUserInfoFillsMissingClaims(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, func(i *testIssuer) {
		i.userinfo = map[string]any{"email": "bob@example.com", "email_verified": true, "groups": []string{"eng"}}
	})
	c := e.browser(t)
	e.signIn(t, c, map[string]any{"sub": "sub-bob"}, "/").Body.Close()
	w := e.whoami(t, c)
	if w.Kind != "member" || w.Email != "bob@example.com" || strings.Join(w.Groups, ",") != "eng" {
		t.Errorf("whoami = %+v", w)
	}
}

func TestUserInfoOfAnotherSubjectIgnored(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, func(i *testIssuer) {
		i.userinfo = map[string]any{"sub": "someone-else", "email": "bob@example.com", "email_verified": true}
	})
	c := e.browser(t)
	e.signIn(t, c, map[string]any{"sub": "sub-x"}, "/").Body.Close()
	if w := e.whoami(t, c); w.Kind != "outsider" || w.Email != "" {
		t.Errorf("whoami = %+v, want an outsider without email", w)
	}
}

func TestNestedGroupsClaim(t *testing.T) {
	t.Parallel()
	clk := &clock{t: testNow}
	iss := newTestIssuer(t, clk.now)
	out := t.TempDir() + "/public"
	mustMkdir(t, out)
	writeFixture(t, out, fixtureOptions{gen: "g"})
	for _, tc := range []struct {
		claim  string
		claims map[string]any
	}{
		{"realm_access.roles", map[string]any{"realm_access": map[string]any{"roles": []string{"eng"}}}},
		{"https://example.com/claims:groups", map[string]any{"https://example.com/claims:groups": []string{"eng"}}},
		{`resource_access."docs.example.com".roles`, map[string]any{"resource_access": map[string]any{"docs.example.com": map[string]any{"roles": "eng"}}}},
	} {
		srv := httptestServer(t)
		cfg := testConfig(srv.URL, iss.srv.URL)
		claim, err := config.ParseClaim(tc.claim)
		if err != nil {
			t.Fatal(err)
		}
		cfg.GroupsClaim = claim
		gw, err := New(cfg, out, WithNow(clk.now), WithLogger(quietLogger(t)))
		if err != nil {
			t.Fatal(err)
		}
		srv.set(gw)
		e := &testEnv{iss: iss, gw: gw, srv: srv.Server, clk: clk, out: out}
		c := e.browser(t)
		claims := person("bob@example.com", true)
		for k, v := range tc.claims {
			claims[k] = v
		}
		e.signIn(t, c, claims, "/").Body.Close()
		if w := e.whoami(t, c); strings.Join(w.Groups, ",") != "eng" {
			t.Errorf("groups_claim %q: groups %v", tc.claim, w.Groups)
		}
		gw.Close()
	}
}

func TestLogoutEndsSessionAtProvider(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	resp, err := noFollow(c).Get(e.srv.URL + LogoutPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Clear-Site-Data"); !strings.Contains(got, `"cache"`) {
		t.Errorf("Clear-Site-Data = %q", got)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
	}
	cleared := false
	for _, ck := range resp.Cookies() {
		if ck.Name == "facet" && ck.MaxAge < 0 {
			cleared = true
		}
	}
	if !cleared {
		t.Error("session cookie not cleared")
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	e.iss.mu.Lock()
	idToken := e.iss.issued[len(e.iss.issued)-1]
	e.iss.mu.Unlock()
	if !strings.HasPrefix(loc.String(), e.iss.srv.URL+"/end_session?") || q.Get("id_token_hint") != idToken ||
		q.Get("post_logout_redirect_uri") != e.srv.URL+"/" || q.Get("client_id") != "facet-test" {
		t.Errorf("logout redirects to %s", loc)
	}
	if w := e.whoami(t, c); w.Kind != "anonymous" {
		t.Errorf("after logout: %s", w.Kind)
	}
}

func TestLogoutWithoutEndSession(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, func(i *testIssuer) { i.endSession = false })
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true), "/").Body.Close()
	resp, err := noFollow(c).Get(e.srv.URL + LogoutPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/" {
		t.Errorf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSignInWhileProviderDown(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	resp := get(s, LoginPath+"?rd=/eng/", nil)
	b := body(t, resp)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(b, "Sign-in unavailable") || strings.Contains(b, "127.0.0.1") {
		t.Errorf("login with the provider down: %d %q", resp.StatusCode, b)
	}
	if r := get(s, "/public/", nil); r.StatusCode != 200 {
		t.Errorf("anonymous pages while the provider is down: %d", r.StatusCode)
	}
}
