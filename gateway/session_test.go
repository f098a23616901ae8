package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// sealedRequest returns a request carrying payload sealed as the session.
func sealedRequest(s *Server, payload []byte, exp time.Time) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", s.cookieName+"="+s.sealer.seal(s.cookieName, payload, exp))
	return r
}

func TestReadSession(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	good := session{ID: "id", Email: "bob@example.com", Verified: true, Groups: []string{"eng"},
		Issued: testNow.Unix(), Expires: testNow.Add(time.Hour).Unix()}
	enc := func(sess session) []byte {
		b, err := encodeSession(&sess)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	withTags := func(n int) []byte {
		return append(enc(session{ID: "x", Issued: testNow.Unix(), Expires: testNow.Add(time.Hour).Unix()}), make([]byte, n)...)
	}
	tests := []struct {
		name    string
		payload []byte
		seal    time.Time
		ok      bool
	}{
		{"valid", enc(good), testNow.Add(time.Hour), true},
		{"not JSON", []byte("{"), testNow.Add(time.Hour), false},
		{"no id", enc(session{Email: "a@example.com", Issued: testNow.Unix(), Expires: testNow.Add(time.Hour).Unix()}), testNow.Add(time.Hour), false},
		{"expired inside, valid seal", enc(session{ID: "x", Issued: 1, Expires: testNow.Unix()}), testNow.Add(time.Hour), false},
		{"most groups", withTags(maxGroups * tagBytes), testNow.Add(time.Hour), true},
		{"too many groups", withTags((maxGroups + 1) * tagBytes), testNow.Add(time.Hour), false},
		{"part of a tag", withTags(tagBytes + 1), testNow.Add(time.Hour), false},
		{"JSON alone", func() []byte { b, _ := json.Marshal(good); return b }(), testNow.Add(time.Hour), true},
		{"huge email", enc(session{ID: "x", Email: strings.Repeat("a", 600) + "@example.com", Issued: testNow.Unix(), Expires: testNow.Add(time.Hour).Unix()}), testNow.Add(time.Hour), false},
		{"seal expired", enc(good), testNow, false},
	}
	for _, tt := range tests {
		got := s.readSession(sealedRequest(s, tt.payload, tt.seal), testNow)
		if (got != nil) != tt.ok {
			t.Errorf("%s: session %+v, want ok=%v", tt.name, got, tt.ok)
		}
	}
}

func TestSessionHoldsNoToken(t *testing.T) {
	t.Parallel()
	b, _ := json.Marshal(session{ID: "i", Subject: "s", Email: "e", Groups: []string{"g"}, Issued: 1, Expires: 2})
	for _, k := range []string{"token", "access", "refresh", "id_token"} {
		if strings.Contains(string(b), k) {
			t.Errorf("session JSON %s has %q", b, k)
		}
	}
}

func TestEverySignInIsANewSession(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := e.browser(t)
	u, _ := url.Parse(e.srv.URL)
	// A session someone planted before sign-in is replaced, not kept.
	planted := e.gw.testCookie(t, "mallory@example.com", true, "eng")
	c.Jar.SetCookies(u, []*http.Cookie{planted})
	e.signIn(t, c, person("bob@example.com", true), "/").Body.Close()
	first := sessionID(t, e, c)
	if w := e.whoami(t, c); w.Email != "bob@example.com" {
		t.Fatalf("signed in as %q", w.Email)
	}
	e.signIn(t, c, person("bob@example.com", true), "/").Body.Close()
	second := sessionID(t, e, c)
	if first == "" || first == second {
		t.Errorf("session ids %q and %q: want a new one per sign-in", first, second)
	}
}

func sessionID(t *testing.T, e *testEnv, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(e.srv.URL)
	r, _ := http.NewRequest("GET", e.srv.URL, nil)
	for _, ck := range c.Jar.Cookies(u) {
		r.AddCookie(ck)
	}
	sess := e.gw.readSession(r, e.clk.now())
	if sess == nil {
		t.Fatal("no session after sign-in")
	}
	return sess.ID
}

func TestSessionLifetime(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true), "/").Body.Close()
	if w := e.whoami(t, c); w.Kind != "member" {
		t.Fatalf("kind %s", w.Kind)
	}
	e.clk.set(testNow.Add(12*time.Hour - time.Second))
	if w := e.whoami(t, c); w.Kind != "member" {
		t.Errorf("just before expiry: %s", w.Kind)
	}
	e.clk.set(testNow.Add(12 * time.Hour))
	if w := e.whoami(t, c); w.Kind != "anonymous" {
		t.Errorf("replayed after expiry: %s", w.Kind)
	}
}

func TestGuestExpiryCheckedOnEveryRequest(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	c := e.browser(t)
	e.signIn(t, c, person("erin@partner.example", true), "/").Body.Close()
	if w := e.whoami(t, c); w.Kind != "guest" {
		t.Fatalf("erin is %s before her expiry", w.Kind)
	}
	if r := e.get(t, c, "/partners/"); r.StatusCode != 200 {
		t.Errorf("erin cannot see /partners/: %d", r.StatusCode)
	}
	e.clk.set(time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC)) // erin's expiry
	if w := e.whoami(t, c); w.Kind != "outsider" {
		t.Errorf("erin is %s after her expiry", w.Kind)
	}
	if r := e.get(t, c, "/partners/"); r.StatusCode != 404 {
		t.Errorf("expired erin gets /partners/: %d", r.StatusCode)
	}
}

func TestCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		public string
		name   string
		secure bool
	}{
		{"https://docs.example.com", "__Host-facet", true},
		{"http://localhost:8080", "facet", false},
	} {
		s, _, _ := newFixtureServer(t, tc.public)
		if got := CookieName(s.cfg); got != tc.name {
			t.Errorf("CookieName = %q, want %q", got, tc.name)
		}
		c := s.testCookie(t, "bob@example.com", true)
		if c.Name != tc.name || c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode ||
			c.Path != "/" || c.Domain != "" || c.MaxAge != int((12*time.Hour).Seconds()) {
			t.Errorf("%s: cookie %+v", tc.public, c)
		}
		if strings.Contains(c.Value, "bob@example") || strings.Contains(c.Value, "Ym9iQGV4YW1wbGU") { // the email, plain or base64
			t.Errorf("%s: cookie shows its content", tc.public)
		}
	}
}

// sessionCookies returns the session cookies (whole or chunks) a browser holds.
func sessionCookies(t *testing.T, e *testEnv, c *http.Client) []*http.Cookie {
	t.Helper()
	u, _ := url.Parse(e.srv.URL)
	var out []*http.Cookie
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == e.gw.cookieName || strings.HasPrefix(ck.Name, e.gw.cookieName+"_") && !strings.Contains(ck.Name, "flow") {
			out = append(out, ck)
		}
	}
	return out
}

// TestUndeclaredGroupsAreNotKept signs members in with hundreds of long
// groups the site does not declare, in several shapes: each gets one small
// session cookie holding only the declared groups, and their member build.
func TestUndeclaredGroupsAreNotKept(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	long := func(prefix string, n, size int) []string {
		var gs []string
		for i := 0; i < n; i++ {
			g := fmt.Sprintf("%s-%04d-", prefix, i)
			gs = append(gs, g+strings.Repeat("x", max(0, size-len(g))))
		}
		return gs
	}
	cases := []struct {
		name   string
		groups []string
		want   string
	}{
		{"300 long first", append(long("cn=directory-group", 300, 100), "eng", "staff"), "eng,staff"},
		{"300 long last", append([]string{"staff", "eng"}, long("team", 300, 120)...), "eng,staff"},
		{"over the limit", append(long("g", maxGroups+50, 90), "eng"), "eng"},
		{"duplicates", append(long("d", 200, 100), "eng", "eng", "staff", "eng"), "eng,staff"},
		{"none declared", long("other", 400, 100), ""},
	}
	for _, tc := range cases {
		c := e.browser(t)
		resp := e.signIn(t, c, person("bob@example.com", true, tc.groups...), "/")
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: sign-in landed on %d", tc.name, resp.StatusCode)
		}
		cks := sessionCookies(t, e, c)
		if len(cks) != 1 || len(cks[0].Value) > 1024 {
			n := 0
			for _, ck := range cks {
				n += len(ck.Value)
			}
			t.Errorf("%s: %d session cookies of %d bytes, want one small cookie", tc.name, len(cks), n)
		}
		w := e.whoami(t, c)
		if w.Kind != "member" || strings.Join(w.Groups, ",") != tc.want {
			t.Errorf("%s: whoami = %+v, want member of %q", tc.name, w, tc.want)
		}
	}
}

// A member of 300 declared groups with long names keeps them all in one
// cookie under 4 KB (the groups are sealed as tags, not names), and every
// one of them counts.
func TestManyDeclaredGroupsFitOneCookie(t *testing.T) {
	t.Parallel()
	d := fixtureDirectory
	d.Groups = slices.Clone(d.Groups)
	var many []string
	for i := 0; i < 300; i++ {
		g := fmt.Sprintf("cn=declared-group-%03d,ou=a-long-distribution-list-name,ou=groups,dc=corp,dc=example", i)
		d.Groups = append(d.Groups, g)
		many = append(many, g)
	}
	slices.Sort(d.Groups)
	e := newTestEnvFixture(t, fixtureOptions{gen: "gen-1", directory: &d}, nil)
	c := e.browser(t)
	resp := e.signIn(t, c, person("bob@example.com", true, append(slices.Clone(many), "eng", "undeclared")...), "/")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in landed on %d", resp.StatusCode)
	}
	cks := sessionCookies(t, e, c)
	if len(cks) != 1 || len(cks[0].Name)+len(cks[0].Value) > 3900 {
		t.Fatalf("%d session cookies, want one under 4 KB", len(cks))
	}
	req := httptest.NewRequest("GET", WhoamiPath, nil)
	req.AddCookie(cks[0])
	rec := httptest.NewRecorder()
	e.gw.ServeHTTP(rec, req)
	var w Whoami
	if err := json.Unmarshal(rec.Body.Bytes(), &w); err != nil {
		t.Fatalf("whoami: %v: %s", err, rec.Body)
	}
	want := append(slices.Clone(many), "eng")
	slices.Sort(want)
	if !slices.Equal(w.Groups, want) {
		t.Errorf("whoami has %d groups, want the %d declared ones", len(w.Groups), len(want))
	}
}

// TestSessionTooLargeShowsAnErrorPage declares more groups than one cookie
// holds: a member of them all gets a fixed error page, no session cookie and
// no redirect back to sign-in, whatever page they started from.
func TestSessionTooLargeShowsAnErrorPage(t *testing.T) {
	t.Parallel()
	d := fixtureDirectory
	d.Groups = slices.Clone(d.Groups)
	var many []string
	for i := 0; i < 480; i++ {
		g := fmt.Sprintf("declared-group-%03d-with-a-long-name", i)
		d.Groups = append(d.Groups, g)
		many = append(many, g)
	}
	slices.Sort(d.Groups)
	e := newTestEnvFixture(t, fixtureOptions{gen: "gen-1", directory: &d}, nil)
	for _, rd := range []string{"/", "/eng/", "/staff/"} {
		c := e.browser(t)
		var hops []string
		c.CheckRedirect = func(r *http.Request, via []*http.Request) error {
			hops = append(hops, r.URL.Path)
			if len(via) > 10 {
				return http.ErrUseLastResponse
			}
			return nil
		}
		resp := e.signIn(t, c, person("bob@example.com", true, many...), rd)
		text := body(t, resp)
		if resp.StatusCode < 400 {
			t.Errorf("%s: status %d after hops %v, want an error page", rd, resp.StatusCode, hops)
		}
		if n := strings.Count(strings.Join(hops, " "), LoginPath); n > 0 {
			t.Errorf("%s: sent back to sign-in %d times: %v", rd, n, hops)
		}
		if strings.Contains(text, "declared-group") {
			t.Errorf("%s: error page shows the groups", rd)
		}
		if cks := sessionCookies(t, e, c); len(cks) != 0 {
			t.Errorf("%s: %d session cookies written", rd, len(cks))
		}
	}
}

func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var mu sync.Mutex
	// Refresh on: refresh tokens are issued, redeemed, rotated and revoked.
	e := newRefreshEnv(t, nil, WithLogger(slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	c := e.browser(t)
	e.signIn(t, c, person("bob@example.com", true, "eng"), "/").Body.Close()
	e.get(t, c, "/eng/").Body.Close()
	e.advance(11 * time.Minute)
	e.get(t, c, "/eng/").Body.Close()
	e.get(t, c, "/nothing/").Body.Close()
	e.signIn(t, e.browser(t), person("bob@example.com", true, "eng", "contractors"), "/").Body.Close()
	u, _ := url.Parse(e.srv.URL)
	var values []string
	for _, ck := range c.Jar.Cookies(u) {
		values = append(values, ck.Value)
	}
	noFollow(c).Get(e.srv.URL + LogoutPath)
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	if !strings.Contains(out, "signed in") {
		t.Fatalf("no sign-in logged: %s", out)
	}
	e.iss.mu.Lock()
	defer e.iss.mu.Unlock()
	for _, tok := range e.iss.issued {
		if strings.Contains(out, tok) || strings.Contains(out, strings.Split(tok, ".")[2]) {
			t.Error("logs hold an ID token")
		}
	}
	if !strings.Contains(out, "session refreshed") || len(e.iss.rt.issued) < 2 || len(e.iss.rt.revoked) != 1 {
		t.Fatalf("no refresh and revocation to check: %d refresh tokens issued, %d revoked", len(e.iss.rt.issued), len(e.iss.rt.revoked))
	}
	for _, v := range slices.Concat(values, e.iss.rt.issued, []string{"client-secret"}) {
		if strings.Contains(out, v) {
			t.Errorf("logs hold %q", v)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSessionCacheKeepsExpiry: a session opened once is cached, and the
// cache never outlives the session's expiry.
func TestSessionCacheKeepsExpiry(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	good := session{ID: "id", Email: "bob@example.com", Verified: true,
		Issued: testNow.Unix(), Expires: testNow.Add(time.Hour).Unix()}
	b, _ := json.Marshal(good)
	r := sealedRequest(s, b, testNow.Add(time.Hour))
	first := s.readSession(r, testNow)
	if first == nil || s.readSession(r, testNow) != first {
		t.Fatal("second read did not come from the cache")
	}
	if got := s.readSession(r, testNow.Add(time.Hour)); got != nil {
		t.Fatalf("cached session outlived its expiry: %+v", got)
	}
	tampered := httptest.NewRequest("GET", "/", nil)
	v := r.Header.Get("Cookie")
	tampered.Header.Set("Cookie", v[:len(v)-2]+"AA")
	if s.readSession(tampered, testNow) != nil {
		t.Fatal("tampered cookie opened")
	}
}
