package gateway

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/oauth2"
)

// newRefreshEnv is a test env whose issuer offers refresh tokens (unless
// adjust says otherwise) and whose gateway checks sessions every 10 min.
func newRefreshEnv(t *testing.T, adjust func(*testIssuer), opts ...Option) *testEnv {
	t.Helper()
	e := newTestEnv(t, func(iss *testIssuer) {
		iss.rt.offline = true
		if adjust != nil {
			adjust(iss)
		}
	}, opts...)
	e.gw.cfg.Refresh = 10 * time.Minute // before the first request: discovery reads it
	return e
}

// whoamiOf reads /_facet/whoami with c and returns the response too.
func (e *testEnv) whoamiOf(t *testing.T, c *http.Client) (Whoami, *http.Response) {
	t.Helper()
	resp, err := noFollow(c).Get(e.srv.URL + WhoamiPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var w Whoami
	if err := json.NewDecoder(resp.Body).Decode(&w); err != nil {
		t.Fatalf("whoami: %v", err)
	}
	return w, resp
}

// jarSession opens the session cookie c holds.
func (e *testEnv) jarSession(t *testing.T, c *http.Client) *session {
	t.Helper()
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name != e.gw.cookieName {
			continue
		}
		payload, ok := e.gw.sealer.open(ck.Name, ck.Value, e.clk.now())
		if !ok {
			t.Fatal("session cookie does not open")
		}
		s, ok := decodeSession(payload)
		if !ok {
			t.Fatalf("session cookie holds a malformed session: %q", payload)
		}
		return s
	}
	return nil
}

// sessionValue returns the session cookie value c holds.
func (e *testEnv) sessionValue(t *testing.T, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == e.gw.cookieName {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// replay requests path with exactly the session cookie value.
func (e *testEnv) replay(t *testing.T, value, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: e.gw.cookieName, Value: value})
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// clearsSession reports whether resp expires the session cookie.
func clearsSession(resp *http.Response, name string) bool {
	for _, ck := range resp.Cookies() {
		if ck.Name == name && ck.MaxAge < 0 {
			return true
		}
	}
	return false
}

func (e *testEnv) advance(d time.Duration) { e.clk.set(e.clk.now().Add(d)) }

func refreshOutcome(t *testing.T, reg *prometheus.Registry, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "facet_gateway_session_refreshes_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func TestRefreshNotDue(t *testing.T) {
	t.Parallel()
	e := newRefreshEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	if s := e.jarSession(t, c); s == nil || s.Refresh == "" || s.Checked != testNow.Unix() {
		t.Fatalf("session after sign-in = %+v, want a refresh token checked at sign-in", s)
	}
	e.advance(9 * time.Minute)
	w, resp := e.whoamiOf(t, c)
	if grants, _ := e.iss.refreshCounts(); grants != 0 || w.Kind != "member" {
		t.Errorf("before the interval: %d refresh grants, kind %q; want 0, member", grants, w.Kind)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("before the interval the cookie was rewritten: %v", resp.Header.Values("Set-Cookie"))
	}
}

func TestRefreshUpdatesGroupsAndStoresRotatedToken(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	e := newRefreshEnv(t, nil, WithRegistry(reg))
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng", "staff"), "/").Body.Close()
	first := e.jarSession(t, c)
	e.iss.setClaims("sub-bob@example.com", person("bob@example.com", true, "staff"))
	e.advance(11 * time.Minute)
	w, _ := e.whoamiOf(t, c)
	if w.Kind != "member" || !slices.Equal(w.Groups, []string{"staff"}) {
		t.Fatalf("after a refresh: %s %q, want member [staff]", w.Kind, w.Groups)
	}
	second := e.jarSession(t, c)
	e.iss.mu.Lock()
	latest := e.iss.rt.issued[len(e.iss.rt.issued)-1]
	e.iss.mu.Unlock()
	if second.ID != first.ID || second.Refresh != latest || second.Refresh == first.Refresh ||
		second.Checked != e.clk.now().Unix() || second.Expires != first.Expires {
		t.Errorf("refreshed session = %+v, want same ID and expiry, the rotated token, checked now", second)
	}
	// The next interval redeems the rotated token (the old one is spent).
	e.advance(11 * time.Minute)
	if w, _ := e.whoamiOf(t, c); w.Kind != "member" {
		t.Errorf("second refresh: kind %q", w.Kind)
	}
	if got := refreshOutcome(t, reg, "ok"); got != 2 {
		t.Errorf("refreshes ok = %v, want 2", got)
	}
}

func TestRefreshWithoutIDTokenReadsUserInfo(t *testing.T) {
	t.Parallel()
	e := newRefreshEnv(t, func(iss *testIssuer) { iss.rt.noID = true })
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	e.iss.setClaims("sub-bob@example.com", person("bob@example.com", false, "eng"))
	e.advance(11 * time.Minute)
	if w, _ := e.whoamiOf(t, c); w.Kind != "outsider" {
		t.Errorf("after UserInfo says unverified: kind %q, want outsider", w.Kind)
	}
}

// A refresh reads email_verified as sign-in does: only true or the string
// "true" counts. From an ID token any other value makes an outsider; a
// UserInfo answer holding one is refused whole (its reader takes only
// true, false, "true" and "false"), which ends the session: anonymous.
func TestRefreshEmailVerifiedExactly(t *testing.T) {
	t.Parallel()
	for _, noID := range []bool{false, true} {
		want := "outsider"
		if noID {
			want = "anonymous"
		}
		for _, v := range []any{"TRUE", "True", " true", "1", 1.0, "yes"} {
			e := newRefreshEnv(t, func(iss *testIssuer) { iss.rt.noID = noID })
			c := e.browser(t)
			e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
			claims := person("bob@example.com", true, "eng")
			claims["email_verified"] = v
			e.iss.setClaims("sub-bob@example.com", claims)
			e.advance(11 * time.Minute)
			if w, _ := e.whoamiOf(t, c); w.Kind != want {
				t.Errorf("refresh (without ID token %v) says email_verified %#v: kind %q, want %s", noID, v, w.Kind, want)
			}
		}
	}
}

func TestRefusedRefreshEndsSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, outcome string
		break_        func(*testIssuer)
	}{
		{"refused", "refused", func(iss *testIssuer) { clear(iss.rt.live) }},
		{"unreachable", "unreachable", func(iss *testIssuer) { iss.rt.down = true }},
		{"rotated token too large", "session_too_large", func(iss *testIssuer) { iss.rt.length = maxSessionValue }},
		{"other subject", "invalid_token", func(iss *testIssuer) {
			iss.rt.claims["sub-bob@example.com"] = person("mallory@example.com", true, "eng")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reg := prometheus.NewRegistry()
			e := newRefreshEnv(t, nil, WithRegistry(reg))
			c := e.browser(t)
			e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
			copied := e.sessionValue(t, c)
			e.iss.mu.Lock()
			tt.break_(e.iss)
			e.iss.mu.Unlock()
			e.advance(11 * time.Minute)
			w, resp := e.whoamiOf(t, c)
			if w.Kind != "anonymous" || !clearsSession(resp, e.gw.cookieName) {
				t.Fatalf("after a failed refresh: kind %q, Set-Cookie %v; want anonymous and the cookie cleared", w.Kind, resp.Header.Values("Set-Cookie"))
			}
			if got := refreshOutcome(t, reg, tt.outcome); got != 1 {
				t.Errorf("outcome %s counted %v times, want 1", tt.outcome, got)
			}
			// A copy of the cookie is refused too, without asking the provider again.
			before, _ := e.iss.refreshCounts()
			resp = e.replay(t, copied, "/eng/")
			after, _ := e.iss.refreshCounts()
			if resp.StatusCode != http.StatusFound || after != before {
				t.Errorf("copied cookie: status %d, %d more refresh grants; want a redirect to sign in and none", resp.StatusCode, after-before)
			}
		})
	}
}

func TestNoRefreshTokenEndsSessionAtInterval(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	e := newRefreshEnv(t, func(iss *testIssuer) { iss.rt.offline = false }, WithRegistry(reg))
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	e.iss.mu.Lock()
	scope := e.iss.authReqs[0].Get("scope")
	e.iss.mu.Unlock()
	if strings.Contains(scope, "offline_access") {
		t.Errorf("asked for offline_access though discovery does not list it: %q", scope)
	}
	if s := e.jarSession(t, c); s.Refresh != "" {
		t.Fatal("a refresh token from nowhere")
	}
	e.advance(10 * time.Minute)
	if w, resp := e.whoamiOf(t, c); w.Kind != "anonymous" || !clearsSession(resp, e.gw.cookieName) {
		t.Errorf("at the interval without a refresh token: kind %q", w.Kind)
	}
	if got := refreshOutcome(t, reg, "reauthenticate"); got != 1 {
		t.Errorf("reauthenticate counted %v times, want 1", got)
	}
}

// TestRefreshOncePerSession: requests that arrive together with a session
// due for refresh share one refresh, and requests still carrying the old
// cookie afterwards get the refreshed session instead of redeeming the
// spent token.
func TestRefreshOncePerSession(t *testing.T) {
	t.Parallel()
	e := newRefreshEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	old := e.sessionValue(t, c)
	e.advance(11 * time.Minute)
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Go(func() { codes[i] = e.replay(t, old, "/eng/").StatusCode })
	}
	wg.Wait()
	late := e.replay(t, old, "/eng/")
	grants, _ := e.iss.refreshCounts()
	if grants != 1 {
		t.Errorf("%d refresh grants for one session, want 1", grants)
	}
	for i, code := range append(codes, late.StatusCode) {
		if code != http.StatusOK {
			t.Errorf("request %d: status %d, want 200", i, code)
		}
	}
}

func TestLogoutRevokesSession(t *testing.T) {
	t.Parallel()
	e := newRefreshEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	copied := e.sessionValue(t, c)
	rt := e.jarSession(t, c).Refresh
	resp, err := noFollow(c).Get(e.srv.URL + LogoutPath)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if _, revoked := e.iss.refreshCounts(); !slices.Equal(revoked, []string{rt}) {
		t.Errorf("revoked at the provider: %d tokens, want the session's refresh token", len(revoked))
	}
	resp = e.replay(t, copied, "/eng/")
	if resp.StatusCode != http.StatusFound || !clearsSession(resp, e.gw.cookieName) {
		t.Errorf("copied cookie after logout: status %d, want a redirect to sign in and the cookie cleared", resp.StatusCode)
	}
}

// A copy of a session's cookie sent to /auth/logout after the session
// ended is anonymous there too: it asks the provider to revoke nothing, so
// one copied cookie cannot make the gateway call the provider's revocation
// endpoint with its client credentials on every request.
func TestLogoutOfEndedSessionAsksProviderNothing(t *testing.T) {
	t.Parallel()
	e := newRefreshEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	copied := e.sessionValue(t, c)
	resp, err := noFollow(c).Get(e.srv.URL + LogoutPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for range 20 {
		e.replay(t, copied, LogoutPath).Body.Close()
	}
	if _, revoked := e.iss.refreshCounts(); len(revoked) != 1 {
		t.Errorf("one logout and 20 copies of its cookie sent %d revocations to the provider, want 1", len(revoked))
	}
}

func TestRevocationTableFullRaisesNotBefore(t *testing.T) {
	t.Parallel()
	tab := revocations{limit: 3 * (22 + revocationEntryCost)}
	id := func(c string) string { return strings.Repeat(c, 22) }
	sess := func(c string, issued time.Time) *session {
		return &session{ID: id(c), Issued: issued.Unix(), Expires: issued.Add(time.Hour).Unix()}
	}
	hour := testNow.Add(time.Hour).Unix()
	early := sess("e", testNow.Add(-time.Minute))
	revoke := func(sid string, expires int64, now time.Time) bool {
		_, full := tab.spend(sid, testNow.Unix(), expires, now)
		return full
	}
	revoke(id("a"), hour, testNow)
	revoke(id("b"), hour, testNow)
	if revoke(id("c"), testNow.Add(time.Minute).Unix(), testNow) {
		t.Fatal("raised not-before below the limit")
	}
	if !tab.refused(sess("b", testNow)) || tab.refused(early) {
		t.Fatal("table refuses the wrong sessions")
	}
	// Full, but c has expired: it is forgotten, nothing is raised.
	later := testNow.Add(2 * time.Minute)
	if revoke(id("x"), hour, later) || !tab.refused(sess("x", testNow)) {
		t.Fatal("an expired entry did not make room")
	}
	// Full of live entries: none is dropped, not-before is raised instead.
	if !revoke(id("d"), hour, later) {
		t.Fatal("a full table of live entries raised nothing")
	}
	if !tab.refused(early) || !tab.refused(sess("a", testNow)) {
		t.Error("a session issued before the not-before instant is still accepted")
	}
	if tab.refused(sess("f", later.Add(time.Second))) {
		t.Error("a session issued after the not-before instant is refused")
	}
	if tab.count.Load() != 0 || tab.bytes != 0 {
		t.Errorf("table not emptied: %d entries, %d bytes", tab.count.Load(), tab.bytes)
	}
}

func TestRefreshTokenTooLargeForCookie(t *testing.T) {
	t.Parallel()
	e := newRefreshEnv(t, func(iss *testIssuer) { iss.rt.length = maxSessionValue })
	c := e.browser(t)
	resp := e.signIn(t, c, person("bob@example.com", true, "eng"), "/")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "Sign-in cannot be kept") {
		t.Errorf("sign-in with a refresh token too long for a cookie: status %d", resp.StatusCode)
	}
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == e.gw.cookieName || strings.HasPrefix(ck.Name, e.gw.cookieName+"_") {
			t.Errorf("cookie %s written", ck.Name)
		}
	}
}

// TestAuthStyleFromDiscovery: the client authenticates one way, chosen
// from token_endpoint_auth_methods_supported, at the token and
// revocation endpoints alike.
func TestAuthStyleFromDiscovery(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	s.cfg.ClientSecret = "client-secret"
	tests := []struct {
		methods []string
		want    oauth2.AuthStyle
	}{
		{nil, oauth2.AuthStyleInHeader},
		{[]string{"client_secret_basic", "client_secret_post"}, oauth2.AuthStyleInHeader},
		{[]string{"client_secret_post"}, oauth2.AuthStyleInParams},
		{[]string{"private_key_jwt"}, oauth2.AuthStyleInHeader},
	}
	for _, tt := range tests {
		if got := s.authStyle(tt.methods); got != tt.want {
			t.Errorf("authStyle(%q) = %v, want %v", tt.methods, got, tt.want)
		}
	}
	s.cfg.ClientSecret = ""
	if got := s.authStyle([]string{"client_secret_basic"}); got != oauth2.AuthStyleInParams {
		t.Errorf("public client: authStyle = %v, want in params (client_id only)", got)
	}
}

// Logging out with a cookie from before a refresh (another tab, a copy)
// revokes the token the refresh got too, or that token would stay alive at
// the provider and other replicas would keep refreshing the session.
func TestLogoutWithPreRefreshCookieRevokesRotatedToken(t *testing.T) {
	t.Parallel()
	e := newRefreshEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	old := e.sessionValue(t, c)
	e.advance(11 * time.Minute)
	if w, _ := e.whoamiOf(t, c); w.Kind != "member" {
		t.Fatalf("refresh: kind %q", w.Kind)
	}
	rotated := e.jarSession(t, c).Refresh
	e.replay(t, old, LogoutPath).Body.Close()
	if _, revoked := e.iss.refreshCounts(); !slices.Contains(revoked, rotated) {
		t.Errorf("logout with the pre-refresh cookie revoked %d tokens, not the rotated one", len(revoked))
	}
	if w, _ := e.whoamiOf(t, c); w.Kind != "anonymous" {
		t.Errorf("the refreshed cookie after logout: kind %q, want anonymous", w.Kind)
	}
}
