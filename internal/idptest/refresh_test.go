package idptest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/facet-docs/facet/internal/idptest"
	"golang.org/x/oauth2"
)

// offline is rp asking for offline_access as well.
func offline(rp *relyingParty) *relyingParty {
	rp.cfg.Scopes = append(slices.Clone(rp.cfg.Scopes), oidc.ScopeOfflineAccess)
	return rp
}

// refresh redeems a refresh token.
func (rp *relyingParty) refresh(rt string) (*oauth2.Token, error) {
	return rp.cfg.TokenSource(rp.ctx, &oauth2.Token{RefreshToken: rt}).Token()
}

// refreshedGroups verifies the ID token of a refreshed token and returns
// its groups.
func (rp *relyingParty) refreshedGroups(t *testing.T, tok *oauth2.Token) []string {
	t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	idt, err := rp.provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(rp.ctx, raw)
	if err != nil {
		t.Fatalf("refreshed id_token: %v", err)
	}
	var c struct {
		Sub    string   `json:"sub"`
		Groups []string `json:"groups"`
	}
	if err := idt.Claims(&c); err != nil || c.Sub != "bob" {
		t.Fatalf("refreshed id_token: sub %q, err %v", c.Sub, err)
	}
	return c.Groups
}

func TestRefreshTokenOnlyWithOfflineAccess(t *testing.T) {
	t.Parallel()
	rp := newRelyingParty(t, idptest.Options{})
	if tok, _, _ := rp.signInFully(t, "bob", bobPassword); tok.RefreshToken != "" {
		t.Error("a refresh token without offline_access")
	}
	var meta struct {
		Scopes     []string `json:"scopes_supported"`
		Grants     []string `json:"grant_types_supported"`
		Revocation string   `json:"revocation_endpoint"`
	}
	if err := rp.provider.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(meta.Scopes, "offline_access") || !slices.Contains(meta.Grants, "refresh_token") ||
		!strings.HasPrefix(meta.Revocation, rp.idp.Issuer()+"/") {
		t.Errorf("discovery: scopes %q, grants %q, revocation %q", meta.Scopes, meta.Grants, meta.Revocation)
	}
}

func TestRefreshTokenRotatesAndCarriesNewClaims(t *testing.T) {
	t.Parallel()
	rp := offline(newRelyingParty(t, idptest.Options{}))
	tok, _, _ := rp.signInFully(t, "bob", bobPassword)
	if tok.RefreshToken == "" {
		t.Fatal("no refresh token with offline_access")
	}
	rp.idp.SetUser(idptest.User{Username: "bob", Password: bobPassword, Email: "bob@example.com", EmailVerified: true, Groups: []string{"staff"}})
	next, err := rp.refresh(tok.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken {
		t.Errorf("refresh token not rotated")
	}
	if got := rp.refreshedGroups(t, next); !slices.Equal(got, []string{"staff"}) {
		t.Errorf("refreshed groups = %q, want [staff]", got)
	}
	if _, err := rp.refresh(tok.RefreshToken); tokenError(t, err) != "invalid_grant" {
		t.Errorf("used refresh token redeemed again: %v", err)
	}
	if _, err := rp.refresh(next.RefreshToken); err != nil {
		t.Errorf("rotated refresh token: %v", err)
	}
}

func TestRefreshTokenRevoked(t *testing.T) {
	t.Parallel()
	rp := offline(newRelyingParty(t, idptest.Options{}))
	tok, _, _ := rp.signInFully(t, "bob", bobPassword)
	var meta struct {
		Revocation string `json:"revocation_endpoint"`
	}
	if err := rp.provider.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"token": {tok.RefreshToken}, "token_type_hint": {"refresh_token"}}
	req, _ := http.NewRequest(http.MethodPost, meta.Revocation, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, clientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revocation: status %d", resp.StatusCode)
	}
	if got := rp.idp.Revocations(); got != 1 {
		t.Errorf("Revocations() = %d, want 1", got)
	}
	if _, err := rp.refresh(tok.RefreshToken); tokenError(t, err) != "invalid_grant" {
		t.Errorf("revoked refresh token redeemed: %v", err)
	}
}

func TestDisabledUserRefused(t *testing.T) {
	t.Parallel()
	rp := offline(newRelyingParty(t, idptest.Options{}))
	tok, _, _ := rp.signInFully(t, "bob", bobPassword)
	if !rp.idp.DisableUser("bob") || rp.idp.DisableUser("nobody") {
		t.Fatal("DisableUser: wrong report")
	}
	if _, err := rp.refresh(tok.RefreshToken); tokenError(t, err) != "invalid_grant" {
		t.Errorf("disabled user's refresh token redeemed: %v", err)
	}
	if _, err := rp.login(t, "bob", bobPassword); err == nil {
		t.Error("a disabled user signed in")
	}
}
