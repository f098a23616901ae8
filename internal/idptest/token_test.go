package idptest_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/facet-docs/facet/internal/idptest"
	"golang.org/x/oauth2"
)

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// tokenError returns the OAuth error code of a failed exchange.
func tokenError(t *testing.T, err error) string {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("exchange error = %v, want an *oauth2.RetrieveError", err)
	}
	return re.ErrorCode
}

func TestPKCEVerifierChecked(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	s, err := rp.login(t, "bob", bobPassword)
	if err != nil {
		t.Fatal(err)
	}
	code := s.callback.Query().Get("code")
	_, err = rp.cfg.Exchange(rp.ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	if got := tokenError(t, err); got != "invalid_grant" {
		t.Errorf("wrong verifier: error %q, want invalid_grant", got)
	}
	_, err = rp.cfg.Exchange(rp.ctx, code)
	if got := tokenError(t, err); got != "invalid_request" {
		t.Errorf("no verifier: error %q, want invalid_request", got)
	}
	// The right verifier still works once, and the code is then spent.
	rp.exchange(t, s, nil)
	_, err = rp.cfg.Exchange(rp.ctx, code, oauth2.VerifierOption(s.verifier))
	if got := tokenError(t, err); got != "invalid_grant" {
		t.Errorf("reused code: error %q, want invalid_grant", got)
	}
}

func TestClientSecretChecked(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	s, err := rp.login(t, "bob", bobPassword)
	if err != nil {
		t.Fatal(err)
	}
	bad := rp.cfg
	bad.ClientSecret = "guess"
	_, err = bad.Exchange(rp.ctx, s.callback.Query().Get("code"), oauth2.VerifierOption(s.verifier))
	if got := tokenError(t, err); got != "invalid_client" {
		t.Errorf("wrong secret: error %q, want invalid_client", got)
	}
	// The secret is also accepted in the form body.
	post := rp.cfg
	post.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	rp.cfg = post
	rp.exchange(t, s, nil)
}

func TestAuthorizeRefused(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	v := oauth2.GenerateVerifier()
	tests := []struct {
		name, url, wantErr string
	}{
		{"no PKCE", rp.cfg.AuthCodeURL("st", oidc.Nonce("n")), "invalid_request"},
		{"plain PKCE", rp.cfg.AuthCodeURL("st", oidc.Nonce("n"),
			oauth2.SetAuthURLParam("code_challenge", v), oauth2.SetAuthURLParam("code_challenge_method", "plain")), "invalid_request"},
		{"no nonce", rp.cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(v)), "invalid_request"},
		{"prompt none", rp.cfg.AuthCodeURL("st", oidc.Nonce("n"), oauth2.S256ChallengeOption(v),
			oauth2.SetAuthURLParam("prompt", "none")), "login_required"},
	}
	for _, tc := range tests {
		cb, err := rp.idp.Login(nil, tc.url, "bob", bobPassword)
		if err == nil || cb == nil || cb.Query().Get("error") != tc.wantErr {
			t.Errorf("%s: callback %v, err %v; want error=%s", tc.name, cb, err, tc.wantErr)
		}
	}
	// An unregistered redirect_uri is never redirected to.
	other := rp.cfg
	other.RedirectURL = "http://127.0.0.1:9/elsewhere"
	u := other.AuthCodeURL("st", oidc.Nonce("n"), oauth2.S256ChallengeOption(v))
	if cb, err := rp.idp.Login(nil, u, "bob", bobPassword); err == nil || cb != nil {
		t.Errorf("unregistered redirect_uri: callback %v, err %v; want an error and no callback", cb, err)
	}
}

func TestUserinfo(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	tok, _, _ := rp.signInFully(t, "bob", bobPassword)
	info, err := rp.provider.UserInfo(rp.ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatal(err)
	}
	var claims struct{ Groups []string }
	if err := info.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if info.Subject != "bob" || info.Email != "bob@example.com" || !info.EmailVerified || !slices.Equal(claims.Groups, []string{"eng", "staff"}) {
		t.Errorf("userinfo = %+v, groups %q", info, claims.Groups)
	}
}

func TestEndSession(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	tok, _, _ := rp.signInFully(t, "bob", bobPassword)
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := rp.provider.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	endSession := func(redirect string) *http.Response {
		q := url.Values{"id_token_hint": {tok.Extra("id_token").(string)}, "post_logout_redirect_uri": {redirect}, "state": {"bye"}}
		return send(t, noFollow, http.MethodGet, meta.EndSession+"?"+q.Encode(), nil)
	}

	if resp := endSession("http://127.0.0.1:9/not-registered"); resp.StatusCode < 400 {
		t.Errorf("unregistered post_logout_redirect_uri: status %d, want an error", resp.StatusCode)
	}
	if n := rp.idp.EndSessionCalls(); n != 0 {
		t.Errorf("EndSessionCalls = %d after a refused call, want 0", n)
	}
	resp := endSession(afterLogout)
	loc, err := resp.Location()
	if err != nil || loc.String() != afterLogout+"?state=bye" {
		t.Errorf("end_session redirect = %v (%v), want %s?state=bye", loc, err, afterLogout)
	}
	if n := rp.idp.EndSessionCalls(); n != 1 {
		t.Errorf("EndSessionCalls = %d, want 1", n)
	}
	if _, err := rp.provider.UserInfo(rp.ctx, oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("access token still accepted at userinfo after end_session")
	}
}

func TestNowMovesIDTokenTimes(t *testing.T) {
	t.Parallel()
	then := time.Date(2020, 6, 1, 12, 0, 0, 0, time.UTC)
	rp := newRelyingParty(t, idptest.Options{Now: func() time.Time { return then }})
	s, err := rp.login(t, "bob", bobPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, idt, claims := rp.exchange(t, s, &oidc.Config{ClientID: clientID, Now: func() time.Time { return then.Add(time.Minute) }})
	if d := idt.IssuedAt.Sub(then).Abs(); d > 5*time.Second {
		t.Errorf("iat = %v, want about %v", idt.IssuedAt, then)
	}
	if d := idt.Expiry.Sub(then.Add(time.Hour)).Abs(); d > 5*time.Second {
		t.Errorf("exp = %v, want about %v", idt.Expiry, then.Add(time.Hour))
	}
	authTime, _ := claims["auth_time"].(float64)
	if d := time.Unix(int64(authTime), 0).Sub(then).Abs(); d > 5*time.Second {
		t.Errorf("auth_time = %v, want about %v", time.Unix(int64(authTime), 0), then)
	}

	// On the wall clock the same kind of token has long expired.
	s, err = rp.login(t, "bob", bobPassword)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := rp.cfg.Exchange(rp.ctx, s.callback.Query().Get("code"), oauth2.VerifierOption(s.verifier))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rp.provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(rp.ctx, tok.Extra("id_token").(string))
	var expired *oidc.TokenExpiredError
	if !errors.As(err, &expired) {
		t.Errorf("verify on the wall clock: err = %v, want TokenExpiredError", err)
	}
}

func TestSetUser(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	rp.idp.SetUser(idptest.User{Username: "bob", Password: "new-pass", Email: "bob@example.com", EmailVerified: true, Groups: []string{"ops"}})
	if _, err := rp.login(t, "bob", bobPassword); !errors.Is(err, idptest.ErrInvalidCredentials) {
		t.Errorf("old password: err = %v, want ErrInvalidCredentials", err)
	}
	_, _, claims := rp.signInFully(t, "bob", "new-pass")
	if got, _ := json.Marshal(claims["groups"]); string(got) != `["ops"]` {
		t.Errorf("groups = %s, want [\"ops\"]", got)
	}
}

func TestLoginBadInput(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	for _, u := range []string{"", "::", rp.idp.Issuer() + "/authorize", rp.idp.Issuer() + "/authorize?redirect_uri=/relative"} {
		if cb, err := rp.idp.Login(nil, u, "bob", bobPassword); err == nil || !strings.HasPrefix(err.Error(), "idptest: ") {
			t.Errorf("Login(%q) = %v, %v; want an idptest error", u, cb, err)
		}
	}
}
