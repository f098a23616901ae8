package gateway

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
)

// testIssuer is a tiny OpenID provider for tests: discovery, JWKS (through
// go-oidc's oidctest), an authorization endpoint that signs in whoever the
// test names next (no form: the browser flow with a real form is the
// end-to-end tests' business), a token endpoint that checks the client,
// the code, the redirect URI and the PKCE verifier, UserInfo and an
// end-session endpoint. ID tokens are signed with a real RSA key.
type testIssuer struct {
	srv      *httptest.Server
	key      *rsa.PrivateKey
	keys     *oidctest.Server
	clientID string
	secret   string
	now      func() time.Time

	// endSession and userInfo decide what discovery offers.
	endSession bool
	userInfo   bool

	mu       sync.Mutex
	next     map[string]any // claims of whoever signs in next
	userinfo map[string]any // extra UserInfo claims
	tamper   func(map[string]any)
	signWith *rsa.PrivateKey // when set, tokens are signed with this key
	grants   map[string]grant
	tokens   map[string]map[string]any
	ended    []url.Values
	issued   []string // raw ID tokens issued
	authReqs []url.Values
	rt       refreshState // refresh tokens and revocation (refresh_test.go)
}

type grant struct {
	claims    map[string]any
	nonce     string
	challenge string
	redirect  string
	scope     string
}

var (
	rsaOnce sync.Once
	rsaKeys [2]*rsa.PrivateKey
)

// testRSAKeys are generated once per test binary (2048-bit keys are slow).
func testRSAKeys(t testing.TB) [2]*rsa.PrivateKey {
	rsaOnce.Do(func() {
		for i := range rsaKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			rsaKeys[i] = k
		}
	})
	return rsaKeys
}

func newTestIssuer(t testing.TB, now func() time.Time) *testIssuer {
	t.Helper()
	keys := testRSAKeys(t)
	iss := &testIssuer{
		key: keys[0], clientID: "facet-test", secret: "client-secret", now: now,
		endSession: true, userInfo: true,
		grants: map[string]grant{}, tokens: map[string]map[string]any{},
	}
	iss.keys = &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: keys[0].Public(), KeyID: "k1", Algorithm: oidc.RS256}}}
	iss.srv = httptest.NewServer(iss)
	iss.keys.SetIssuer(iss.srv.URL)
	t.Cleanup(iss.srv.Close)
	return iss
}

// signInAs names who the next authorization signs in.
func (iss *testIssuer) signInAs(claims map[string]any) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.next = claims
}

func (iss *testIssuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		iss.discovery(w)
	case "/keys":
		iss.keys.ServeHTTP(w, r)
	case "/authorize":
		iss.authorize(w, r)
	case "/token":
		iss.token(w, r)
	case "/userinfo":
		iss.serveUserInfo(w, r)
	case "/revoke":
		iss.revoke(w, r)
	case "/end_session":
		iss.mu.Lock()
		iss.ended = append(iss.ended, r.URL.Query())
		iss.mu.Unlock()
		w.Write([]byte("signed out at the provider"))
	default:
		http.NotFound(w, r)
	}
}

func (iss *testIssuer) discovery(w http.ResponseWriter) {
	u := iss.srv.URL
	d := map[string]any{
		"issuer":                                u,
		"authorization_endpoint":                u + "/authorize",
		"token_endpoint":                        u + "/token",
		"jwks_uri":                              u + "/keys",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	}
	if iss.userInfo {
		d["userinfo_endpoint"] = u + "/userinfo"
	}
	if iss.endSession {
		d["end_session_endpoint"] = u + "/end_session"
	}
	iss.offerRefresh(d)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(d)
}

func (iss *testIssuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.authReqs = append(iss.authReqs, q)
	redirect := q.Get("redirect_uri")
	if q.Get("client_id") != iss.clientID || q.Get("response_type") != "code" || redirect == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	back, _ := url.Parse(redirect)
	v := url.Values{"state": {q.Get("state")}}
	if iss.next == nil || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		v.Set("error", "access_denied")
		v.Set("error_description", "no user or no PKCE")
	} else {
		code := randomToken(16)
		iss.grants[code] = grant{claims: iss.next, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: redirect, scope: q.Get("scope")}
		v.Set("code", code)
	}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (iss *testIssuer) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if r.Method != http.MethodPost || id != iss.clientID || secret != iss.secret {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	if r.PostFormValue("grant_type") == "refresh_token" {
		iss.refreshGrant(w, r)
		return
	}
	iss.rt.codes++
	code := r.PostFormValue("code")
	g, ok := iss.grants[code]
	delete(iss.grants, code) // codes are single use
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	switch {
	case r.PostFormValue("grant_type") != "authorization_code" || !ok:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case r.PostFormValue("redirect_uri") != g.redirect:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := iss.now()
	claims := map[string]any{
		"iss": iss.srv.URL, "aud": iss.clientID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"nonce": g.nonce,
	}
	for k, v := range g.claims {
		claims[k] = v
	}
	if iss.tamper != nil {
		iss.tamper(claims)
	}
	raw, _ := json.Marshal(claims)
	key := iss.key
	if iss.signWith != nil {
		key = iss.signWith
	}
	idToken := oidctest.SignIDToken(key, "k1", oidc.RS256, string(raw))
	access := randomToken(24)
	ui := map[string]any{"sub": g.claims["sub"]}
	for k, v := range iss.userinfo {
		ui[k] = v
	}
	iss.tokens[access] = ui
	iss.issued = append(iss.issued, idToken)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(iss.withRefreshToken(g, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": idToken,
	}))
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (iss *testIssuer) serveUserInfo(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	iss.mu.Lock()
	ui, ok := iss.tokens[tok]
	iss.mu.Unlock()
	if !ok {
		http.Error(w, "bad token", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(ui)
}

// testEnv is a gateway in front of the fixture, with a test issuer, both
// on loopback.
type testEnv struct {
	iss *testIssuer
	gw  *Server
	srv *httptest.Server
	clk *clock
	out string
}

// newTestEnv starts an issuer and a gateway; adjust may change the
// gateway's settings before it starts.
func newTestEnv(t *testing.T, adjust func(*testIssuer), opts ...Option) *testEnv {
	t.Helper()
	return newTestEnvFixture(t, fixtureOptions{gen: "gen-1"}, adjust, opts...)
}

// newTestEnvFixture is newTestEnv with a varied fixture site.
func newTestEnvFixture(t *testing.T, fo fixtureOptions, adjust func(*testIssuer), opts ...Option) *testEnv {
	t.Helper()
	clk := &clock{t: testNow}
	iss := newTestIssuer(t, clk.now)
	if adjust != nil {
		adjust(iss)
	}
	var h http.Handler = http.NotFoundHandler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	out := t.TempDir() + "/public"
	mustMkdir(t, out)
	writeFixture(t, out, fo)
	cfg := testConfig(srv.URL, iss.srv.URL)
	opts = append([]Option{WithNow(clk.now), WithLogger(quietLogger(t))}, opts...)
	gw, err := New(cfg, out, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close() })
	h = gw
	return &testEnv{iss: iss, gw: gw, srv: srv, clk: clk, out: out}
}

// browser is a client with a cookie jar that follows redirects.
func (e *testEnv) browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

// signIn walks the code flow in browser c as the given person and returns
// the response of the page it lands on.
func (e *testEnv) signIn(t *testing.T, c *http.Client, claims map[string]any, rd string) *http.Response {
	t.Helper()
	e.iss.signInAs(claims)
	resp, err := c.Get(e.srv.URL + LoginPath + "?rd=" + url.QueryEscape(rd))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func person(email string, verified bool, groups ...string) map[string]any {
	m := map[string]any{"sub": "sub-" + email, "email": email, "email_verified": verified}
	if groups != nil {
		m["groups"] = groups
	}
	return m
}

func mustMkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// noFollow is a client that stops at the first redirect.
func noFollow(c *http.Client) *http.Client {
	cp := *c
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}
