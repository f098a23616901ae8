package idptest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/facet-docs/facet/internal/idptest"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

const (
	callbackURL   = "http://127.0.0.1:9/auth/callback"
	afterLogout   = "http://127.0.0.1:9/"
	clientID      = "facet"
	clientSecret  = "s3cret"
	bobPassword   = "bob-pass"
	carolPassword = "carol-pass"
)

var testUsers = []idptest.User{
	{Username: "bob", Password: bobPassword, Email: "bob@example.com", EmailVerified: true, Groups: []string{"eng", "staff"}},
	{Username: "carol", Password: carolPassword, Email: "carol@partner.example"},
}

// relyingParty is a plain x/oauth2 + go-oidc client of the provider.
type relyingParty struct {
	idp      *idptest.Provider
	provider *oidc.Provider
	cfg      oauth2.Config
	ctx      context.Context
}

func newRelyingParty(t *testing.T, o idptest.Options) *relyingParty {
	t.Helper()
	idp := idptest.New(t, idptest.Client{
		ID: clientID, Secret: clientSecret,
		RedirectURIs:           []string{callbackURL},
		PostLogoutRedirectURIs: []string{afterLogout},
	}, testUsers, o)
	ctx := t.Context()
	provider, err := oidc.NewProvider(ctx, idp.Issuer())
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	return &relyingParty{idp: idp, provider: provider, ctx: ctx, cfg: oauth2.Config{
		ClientID: clientID, ClientSecret: clientSecret, RedirectURL: callbackURL,
		Endpoint: provider.Endpoint(),
		Scopes:   []string{oidc.ScopeOpenID, "email", "profile", "groups"},
	}}
}

// signIn is one sign-in up to the callback: it returns the callback URL, the
// PKCE verifier and the nonce it used.
type signIn struct {
	callback        *url.URL
	verifier, nonce string
}

func (rp *relyingParty) login(t *testing.T, user, password string) (signIn, error) {
	t.Helper()
	s := signIn{verifier: oauth2.GenerateVerifier(), nonce: oauth2.GenerateVerifier()}
	state := oauth2.GenerateVerifier()
	authURL := rp.cfg.AuthCodeURL(state, oidc.Nonce(s.nonce), oauth2.S256ChallengeOption(s.verifier))
	cb, err := rp.idp.Login(nil, authURL, user, password)
	if err != nil {
		return s, err
	}
	if got := cb.Query().Get("state"); got != state {
		t.Errorf("callback state = %q, want %q", got, state)
	}
	s.callback = cb
	return s, nil
}

// exchange trades the code for tokens and verifies the ID token with go-oidc.
func (rp *relyingParty) exchange(t *testing.T, s signIn, vc *oidc.Config) (*oauth2.Token, *oidc.IDToken, map[string]any) {
	t.Helper()
	tok, err := rp.cfg.Exchange(rp.ctx, s.callback.Query().Get("code"), oauth2.VerifierOption(s.verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if vc == nil {
		vc = &oidc.Config{ClientID: clientID}
	}
	idt, err := rp.provider.Verifier(vc).Verify(rp.ctx, raw)
	if err != nil {
		t.Fatalf("verify id_token: %v", err)
	}
	if idt.Nonce != s.nonce {
		t.Errorf("nonce = %q, want %q", idt.Nonce, s.nonce)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	return tok, idt, claims
}

func (rp *relyingParty) signInFully(t *testing.T, user, password string) (*oauth2.Token, *oidc.IDToken, map[string]any) {
	t.Helper()
	s, err := rp.login(t, user, password)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return rp.exchange(t, s, nil)
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	var meta struct {
		Issuer      string   `json:"issuer"`
		EndSession  string   `json:"end_session_endpoint"`
		JWKS        string   `json:"jwks_uri"`
		Userinfo    string   `json:"userinfo_endpoint"`
		PKCE        []string `json:"code_challenge_methods_supported"`
		Algs        []string `json:"id_token_signing_alg_values_supported"`
		Scopes      []string `json:"scopes_supported"`
		ClaimsNames []string `json:"claims_supported"`
	}
	if err := rp.provider.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	issuer := rp.idp.Issuer()
	if meta.Issuer != issuer || !strings.HasPrefix(issuer, "http://127.0.0.1:") {
		t.Errorf("issuer = %q, served at %q", meta.Issuer, issuer)
	}
	for name, u := range map[string]string{"end_session": meta.EndSession, "jwks": meta.JWKS, "userinfo": meta.Userinfo,
		"authorize": rp.cfg.Endpoint.AuthURL, "token": rp.cfg.Endpoint.TokenURL} {
		if !strings.HasPrefix(u, issuer+"/") {
			t.Errorf("%s endpoint = %q, want one under the issuer", name, u)
		}
	}
	for _, want := range []struct {
		list []string
		item string
	}{{meta.PKCE, "S256"}, {meta.Algs, "RS256"}, {meta.Scopes, "groups"}, {meta.ClaimsNames, "groups"}} {
		if !slices.Contains(want.list, want.item) {
			t.Errorf("discovery lists %q, want it to contain %q", want.list, want.item)
		}
	}

	var jwks struct {
		Keys []struct{ Kty, Alg, Use, Kid, D string }
	}
	getJSON(t, meta.JWKS, &jwks)
	if len(jwks.Keys) != 1 {
		t.Fatalf("JWKS has %d keys, want 1", len(jwks.Keys))
	}
	k := jwks.Keys[0]
	if k.Kty != "RSA" || k.Alg != "RS256" || k.Use != "sig" || k.Kid == "" || k.D != "" {
		t.Errorf("JWKS key = %+v, want a public RS256 signing key with a kid", k)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func TestCodeFlowClaims(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, claim, user, password string
		want                        map[string]any
	}{
		{"default claim", "", "bob", bobPassword, map[string]any{
			"sub": "bob", "email": "bob@example.com", "email_verified": true,
			"groups":       []any{"eng", "staff"},
			"realm_access": map[string]any{"roles": []any{"eng", "staff"}},
		}},
		{"claim with colons", "https://facet.example/groups", "bob", bobPassword, map[string]any{
			"sub": "bob", "email": "bob@example.com", "email_verified": true,
			"https://facet.example/groups": []any{"eng", "staff"},
			"realm_access":                 map[string]any{"roles": []any{"eng", "staff"}},
		}},
		{"dotted claim name is literal", "facet.groups", "bob", bobPassword, map[string]any{
			"sub": "bob", "email": "bob@example.com", "email_verified": true,
			"facet.groups": []any{"eng", "staff"},
			"realm_access": map[string]any{"roles": []any{"eng", "staff"}},
		}},
		{"unverified email and no groups", "", "carol", carolPassword, map[string]any{
			"sub": "carol", "email": "carol@partner.example", "email_verified": false,
			"groups":       []any{},
			"realm_access": map[string]any{"roles": []any{}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rp := newRelyingParty(t, idptest.Options{GroupsClaim: tc.claim})
			_, idt, claims := rp.signInFully(t, tc.user, tc.password)
			if idt.Issuer != rp.idp.Issuer() || !slices.Equal(idt.Audience, []string{clientID}) {
				t.Errorf("iss, aud = %q, %q", idt.Issuer, idt.Audience)
			}
			if life := idt.Expiry.Sub(idt.IssuedAt); life != time.Hour {
				t.Errorf("exp - iat = %v, want 1h", life)
			}
			got := map[string]any{}
			for k := range tc.want {
				if v, ok := claims[k]; ok {
					got[k] = v
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("claims (-want +got):\n%s", d)
			}
			if _, ok := claims["groups"]; ok && tc.claim != "" {
				t.Errorf("groups also sent under the default claim name with GroupsClaim %q", tc.claim)
			}
		})
	}
}

func TestTokenSignedRS256(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	tok, _, _ := rp.signInFully(t, "bob", bobPassword)
	raw, _ := tok.Extra("id_token").(string)
	header, _, _ := strings.Cut(raw, ".")
	var h struct{ Alg, Kid string }
	if err := decodeSegment(header, &h); err != nil {
		t.Fatal(err)
	}
	if h.Alg != "RS256" || h.Kid == "" {
		t.Errorf("id_token header = %+v, want RS256 with a kid", h)
	}
	// A token with a byte changed in its signature must not verify.
	tampered := raw[:len(raw)-2] + flip(raw[len(raw)-2]) + raw[len(raw)-1:]
	if _, err := rp.provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(rp.ctx, tampered); err == nil {
		t.Error("tampered id_token verified")
	}
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	for _, c := range [][2]string{{"bob", "wrong"}, {"bob", ""}, {"nobody", bobPassword}, {"carol", bobPassword}} {
		if _, err := rp.login(t, c[0], c[1]); !errors.Is(err, idptest.ErrInvalidCredentials) {
			t.Errorf("login %s/%q: err = %v, want ErrInvalidCredentials", c[0], c[1], err)
		}
	}
}

// TestLoginForm walks the HTML form by hand, as a browser would.
func TestLoginForm(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	authURL := rp.cfg.AuthCodeURL("st", oidc.Nonce("n"), oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	resp := send(t, noFollow, http.MethodGet, authURL, nil)
	loginURL, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("authorize: status %d, location %v", resp.StatusCode, err)
	}
	resp = send(t, noFollow, http.MethodGet, loginURL.String(), nil)
	page := readBody(t, resp)
	for _, want := range []string{`<form method="post" action="/login">`, `name="username"`, `type="password"`} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %q:\n%s", want, page)
		}
	}
	id := loginURL.Query().Get("id")
	post := func(password string) *http.Response {
		form := url.Values{"id": {id}, "username": {"bob"}, "password": {password}}
		return send(t, noFollow, http.MethodPost, rp.idp.Issuer()+"/login", form)
	}
	resp = post("wrong")
	page = readBody(t, resp)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "Invalid username or password") ||
		!strings.Contains(page, `name="password"`) {
		t.Errorf("wrong password: status %d, page:\n%s", resp.StatusCode, page)
	}
	resp = post(bobPassword)
	next, err := resp.Location()
	if err != nil || !strings.HasPrefix(next.String(), rp.idp.Issuer()+"/") {
		t.Fatalf("right password: status %d, location %v (%v)", resp.StatusCode, next, err)
	}
	resp = send(t, noFollow, http.MethodGet, next.String(), nil)
	cb, err := resp.Location()
	if err != nil || !strings.HasPrefix(cb.String(), callbackURL+"?") || cb.Query().Get("code") == "" || cb.Query().Get("state") != "st" {
		t.Errorf("callback redirect = %v (%v), want %s with code and state", cb, err, callbackURL)
	}
	if resp := send(t, noFollow, http.MethodGet, rp.idp.Issuer()+"/login?id=unknown", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown request id: status %d, want 400", resp.StatusCode)
	}
}

func send(t *testing.T, c *http.Client, method, u string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
