// Package idptest runs a real OpenID Connect provider in-process for
// end-to-end tests of the facet gateway.
//
// It owns an httptest.Server with zitadel's op package behind it: discovery,
// JWKS, authorize, token, userinfo, revocation and end_session, plus a plain HTML login
// form (username and password) at the authorize step. One confidential client
// is registered; users carry an email, email_verified and groups. ID tokens
// are RS256-signed and carry iss, aud, exp, iat, auth_time, nonce, email,
// email_verified (with the email scope) and the groups (whatever the scopes)
// under a configurable claim name, and again as realm_access.roles, the shape
// some providers nest them in.
//
// The provider is strict where facet promises to be: an authorization request
// without an S256 PKCE challenge or without a nonce is refused with
// invalid_request. It keeps no sign-in session: every authorization shows the
// form, prompt=none answers login_required, and end_session only checks its
// parameters, revokes the user's access tokens and redirects.
//
// A sign-in that asks for offline_access gets a refresh token. Refresh
// tokens rotate: each works once and its grant returns a new one, with an ID
// token carrying the user's claims as they are now (SetUser changes them
// while the provider runs). The revocation endpoint (RFC 7009) forgets a
// refresh or access token; end_session leaves refresh tokens alive, as
// offline tokens are at some providers. DisableUser refuses a user's
// sign-ins, refresh grants and UserInfo from then on. It offers no
// introspection.
//
// It does not know facet: nothing here imports the gateway, and the gateway
// must not import this package outside tests.
package idptest

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Paths the provider serves besides op's own (/authorize, /oauth/token,
// /userinfo, /end_session, /keys, /.well-known/openid-configuration).
const (
	loginPath     = "/login"
	loggedOutPath = "/logged-out"
	tokenPath     = "/oauth/token"
)

// User is an account at the provider. Its username is also its subject (sub).
type User struct {
	// Username is typed into the login form; it must be unique and not empty.
	Username string
	// Password is typed into the login form.
	Password string
	// Email is the email claim.
	Email string
	// EmailVerified is the email_verified claim; false is sent, not omitted.
	EmailVerified bool
	// OmitEmailVerified leaves the email_verified claim out altogether, as
	// some providers do.
	OmitEmailVerified bool
	// Groups appear under Options.GroupsClaim and under realm_access.roles;
	// nil is sent as an empty list.
	Groups []string
	// Disabled refuses the user's sign-ins, refresh grants and UserInfo.
	Disabled bool
}

// Client is the one registered relying party: a confidential client using the
// authorization code flow, authenticating at the token endpoint with its
// secret by HTTP Basic or form post.
type Client struct {
	// ID is the client_id; it must not be empty.
	ID string
	// Secret is the client_secret.
	Secret string
	// RedirectURIs are the exact redirect_uri values accepted.
	RedirectURIs []string
	// PostLogoutRedirectURIs are the exact post_logout_redirect_uri values
	// accepted at end_session.
	PostLogoutRedirectURIs []string
}

// Options tunes the provider. The zero value is ready to use.
type Options struct {
	// GroupsClaim names the top-level claim that carries the groups, taken
	// literally (it may contain ':' or '.'). Default "groups".
	GroupsClaim string
	// Now is the provider's clock for the times written into ID tokens (iat,
	// exp, auth_time). op reads the wall clock, so when Now is set the
	// provider re-signs each ID token it issues with those times moved by
	// Now()-time.Now(). Codes, access tokens and the validity of
	// id_token_hint at end_session keep wall-clock times. Default: the wall
	// clock, tokens as op signs them.
	Now func() time.Time
}

// Provider is a running OpenID provider. Its methods are safe for concurrent
// use.
type Provider struct {
	srv     *httptest.Server
	op      *op.Provider
	storage *storage
	now     func() time.Time
}

// New starts a provider for client c and users; t.Cleanup closes it. Setup
// errors fail t at once.
func New(t testing.TB, c Client, users []User, o Options) *Provider {
	t.Helper()
	if c.ID == "" {
		t.Fatal("idptest: client ID is empty")
	}
	if o.GroupsClaim == "" {
		o.GroupsClaim = "groups"
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("idptest: generate key: %v", err)
	}
	st, err := newStorage(c, users, key, o.GroupsClaim)
	if err != nil {
		t.Fatalf("idptest: %v", err)
	}
	p := &Provider{storage: st, now: o.Now}
	mux := http.NewServeMux()
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)

	p.op, err = op.NewProvider(opConfig(o.GroupsClaim), st, op.StaticIssuer(p.srv.URL), op.WithAllowInsecure())
	if err != nil {
		t.Fatalf("idptest: start provider: %v", err)
	}
	login := op.NewIssuerInterceptor(p.op.IssuerFromRequest).HandlerFunc(p.serveLogin)
	mux.Handle(loginPath, login)
	mux.HandleFunc(loggedOutPath, serveLoggedOut)
	mux.Handle(tokenPath, p.retime(p.op))
	mux.Handle("/", p.op)
	return p
}

// opConfig is op's configuration: S256 PKCE, secrets by Basic or form post,
// refresh tokens, and the offline_access and groups scopes and the groups
// claim advertised in discovery.
func opConfig(groupsClaim string) *op.Config {
	cfg := &op.Config{
		DefaultLogoutRedirectURI: loggedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.English},
		SupportedScopes:          []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail, oidc.ScopeOfflineAccess, "groups"},
		GrantTypeRefreshToken:    true,
		SupportedClaims:          append(op.DefaultSupportedClaims[:len(op.DefaultSupportedClaims):len(op.DefaultSupportedClaims)], groupsClaim, "realm_access"),
	}
	_, _ = rand.Read(cfg.CryptoKey[:]) // crypto/rand.Read never fails
	return cfg
}

// Issuer returns the issuer URL, e.g. "http://127.0.0.1:41234", for
// discovery at Issuer()+"/.well-known/openid-configuration".
func (p *Provider) Issuer() string { return p.srv.URL }

// EndSessionCalls returns how many end_session requests the provider accepted
// (valid id_token_hint, client and post_logout_redirect_uri, if given).
func (p *Provider) EndSessionCalls() int { return p.storage.endSessionCount() }

// SetUser adds u, or replaces the user with the same username. Tokens issued
// from then on carry the new claims, refreshed ones included: this is how a
// test changes someone's groups while the provider runs. A user without a
// username is ignored.
func (p *Provider) SetUser(u User) {
	if u.Username == "" {
		return
	}
	p.storage.setUser(u)
}

// DisableUser disables the user username: from then on the provider
// refuses their sign-ins, refresh grants and UserInfo requests. It reports
// whether there is such a user.
func (p *Provider) DisableUser(username string) bool { return p.storage.disable(username) }

// Revocations returns how many requests the revocation endpoint (RFC 7009)
// accepted from the client.
func (p *Provider) Revocations() int { return p.storage.revocationCount() }

func serveLoggedOut(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("signed out\n"))
}
