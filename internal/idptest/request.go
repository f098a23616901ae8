package idptest

import (
	"net/url"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// authRequest is one authorization request, from /authorize until its code
// is exchanged. Fields after the first block are set by a successful login.
type authRequest struct {
	id           string
	clientID     string
	redirectURI  string
	state        string
	nonce        string
	scopes       []string
	responseType oidc.ResponseType
	responseMode oidc.ResponseMode
	challenge    *oidc.CodeChallenge
	expires      time.Time

	subject  string
	authTime time.Time
	done     bool
}

// snapshot copies r, so that op reads it without holding the storage's lock
// while a login may change the original.
func (r *authRequest) snapshot() *authRequest {
	c := *r
	return &c
}

func (r *authRequest) GetID() string                         { return r.id }
func (r *authRequest) GetACR() string                        { return "" }
func (r *authRequest) GetAMR() []string                      { return []string{"pwd"} }
func (r *authRequest) GetAudience() []string                 { return []string{r.clientID} }
func (r *authRequest) GetAuthTime() time.Time                { return r.authTime }
func (r *authRequest) GetClientID() string                   { return r.clientID }
func (r *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return r.challenge }
func (r *authRequest) GetNonce() string                      { return r.nonce }
func (r *authRequest) GetRedirectURI() string                { return r.redirectURI }
func (r *authRequest) GetResponseType() oidc.ResponseType    { return r.responseType }
func (r *authRequest) GetResponseMode() oidc.ResponseMode    { return r.responseMode }
func (r *authRequest) GetScopes() []string                   { return r.scopes }
func (r *authRequest) GetState() string                      { return r.state }
func (r *authRequest) GetSubject() string                    { return r.subject }
func (r *authRequest) Done() bool                            { return r.done }

// opClient presents a Client to op: a confidential web client using the code
// flow and the refresh grant, authenticating with its secret (HTTP Basic or
// form post).
type opClient struct{ c Client }

func (c opClient) GetID() string                       { return c.c.ID }
func (c opClient) RedirectURIs() []string              { return slices.Clone(c.c.RedirectURIs) }
func (c opClient) PostLogoutRedirectURIs() []string    { return slices.Clone(c.c.PostLogoutRedirectURIs) }
func (c opClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c opClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c opClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c opClient) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}
func (c opClient) LoginURL(id string) string {
	return loginPath + "?" + url.Values{"id": {id}}.Encode()
}
func (c opClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c opClient) IDTokenLifetime() time.Duration      { return idTokenLifetime }
func (c opClient) DevMode() bool                       { return false }
func (c opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// IsScopeAllowed admits the groups scope besides the standard ones op knows.
func (c opClient) IsScopeAllowed(scope string) bool { return scope == "groups" }

// IDTokenUserinfoClaimsAssertion puts email claims into the ID token itself,
// as facet reads them from there.
func (c opClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c opClient) ClockSkew() time.Duration             { return 0 }

var (
	_ op.AuthRequest = (*authRequest)(nil)
	_ op.Client      = opClient{}
)
