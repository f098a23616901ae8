package idptest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Lifetimes of what the provider issues, on the wall clock.
const (
	authRequestLifetime = 10 * time.Minute
	accessTokenLifetime = 5 * time.Minute
	idTokenLifetime     = time.Hour
)

// errNotFound marks a lookup of something the storage does not hold.
var errNotFound = errors.New("not found")

// storage is the provider's in-memory op.Storage: one client, a set of users,
// pending authorization requests, issued codes and access tokens. It keeps no
// sign-in session between requests: every authorization shows the login form.
type storage struct {
	key         *rsa.PrivateKey
	keyID       string
	groupsClaim string

	mu          sync.Mutex
	client      Client
	users       map[string]User         // by username
	requests    map[string]*authRequest // by id
	codes       map[string]string       // code -> request id
	tokens      map[string]accessToken  // by token id
	refresh     map[string]refreshToken // by token
	endSessions int
	revocations int
}

// accessToken is what an opaque bearer token stands for.
type accessToken struct {
	subject  string
	clientID string
	scopes   []string
	expires  time.Time
}

func newStorage(c Client, users []User, key *rsa.PrivateKey, groupsClaim string) (*storage, error) {
	s := &storage{
		key:         key,
		keyID:       randomID(),
		groupsClaim: groupsClaim,
		client:      c,
		users:       make(map[string]User, len(users)),
		requests:    make(map[string]*authRequest),
		codes:       make(map[string]string),
		tokens:      make(map[string]accessToken),
		refresh:     make(map[string]refreshToken),
	}
	for _, u := range users {
		if u.Username == "" {
			return nil, errors.New("user with an empty username")
		}
		if _, dup := s.users[u.Username]; dup {
			return nil, fmt.Errorf("user %q listed twice", u.Username)
		}
		s.users[u.Username] = cloneUser(u)
	}
	return s, nil
}

func cloneUser(u User) User {
	u.Groups = slices.Clone(u.Groups)
	return u
}

// randomID returns 128 random bits in hex.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// setUser adds u or replaces the user of the same username.
func (s *storage) setUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.Username] = cloneUser(u)
}

// checkPassword returns the user when username and password match one
// that is not disabled.
func (s *storage) checkPassword(username, password string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[username]
	if !ok || u.Disabled || subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) != 1 {
		return User{}, false
	}
	return u, true
}

// pendingRequest reports whether id names an authorization request that
// still waits for a sign-in.
func (s *storage) pendingRequest(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	return ok && !r.done && time.Now().Before(r.expires)
}

// completeRequest records that username signed in for request id.
func (s *storage) completeRequest(id, username string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || r.done || !time.Now().Before(r.expires) {
		return fmt.Errorf("authorization request %q: %w", id, errNotFound)
	}
	r.subject = username
	r.authTime = time.Now()
	r.done = true
	return nil
}

func (s *storage) endSessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endSessions
}

// CreateAuthRequest stores a validated authorization request. The provider
// is strict where facet promises to be: it refuses a request without an S256
// PKCE challenge or without a nonce, and prompt=none (there are no sessions).
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method S256 is required")
	}
	if req.Nonce == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("nonce is required")
	}
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired()
	}
	r := &authRequest{
		id:           randomID(),
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		nonce:        req.Nonce,
		scopes:       slices.Clone([]string(req.Scopes)),
		responseType: req.ResponseType,
		responseMode: req.ResponseMode,
		challenge:    &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod},
		expires:      time.Now().Add(authRequestLifetime),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[r.id] = r
	return r.snapshot(), nil
}

// AuthRequestByID returns a stored authorization request.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return nil, fmt.Errorf("authorization request %q: %w", id, errNotFound)
	}
	return r.snapshot(), nil
}

// AuthRequestByCode returns the authorization request a code was issued for.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[s.codes[code]]
	if !ok {
		return nil, fmt.Errorf("code: %w", errNotFound)
	}
	return r.snapshot(), nil
}

// SaveAuthCode links a code to its authorization request.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest forgets a request and its codes, so a code works once.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// CreateAccessToken stores an opaque access token.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	clientID := s.client.ID
	if r, ok := req.(*authRequest); ok {
		clientID = r.clientID
	}
	id := randomID()
	exp := time.Now().Add(accessTokenLifetime)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[id] = accessToken{subject: req.GetSubject(), clientID: clientID, scopes: slices.Clone(req.GetScopes()), expires: exp}
	return id, exp, nil
}

// TerminateSession counts an accepted end_session request and revokes the
// user's access tokens. Refresh tokens survive it, as offline tokens do at
// some providers: only the revocation endpoint or disabling the user ends
// them.
func (s *storage) TerminateSession(_ context.Context, userID, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endSessions++
	if userID == "" {
		return nil
	}
	for id, tok := range s.tokens {
		if tok.subject == userID {
			delete(s.tokens, id)
		}
	}
	return nil
}

// SigningKey returns the provider's RS256 key.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return signingKey{s.key, s.keyID}, nil
}

// SignatureAlgorithms lists RS256 alone.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

// KeySet returns the public half of the signing key for the JWKS endpoint.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{&s.key.PublicKey, s.keyID}}, nil
}

// GetClientByClientID returns the one registered client.
func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" || id != s.client.ID {
		return nil, fmt.Errorf("client %q: %w", id, errNotFound)
	}
	return opClient{s.client}, nil
}

// AuthorizeClientIDSecret checks the client's credentials.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.client.ID || subtle.ConstantTimeCompare([]byte(secret), []byte(s.client.Secret)) != 1 {
		return errors.New("invalid client credentials")
	}
	return nil
}

// SetUserinfoFromScopes is left empty as op asks; SetUserinfoFromRequest
// fills ID tokens.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the claims of an ID token.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	return s.fillUserinfo(info, req.GetSubject(), scopes)
}

// SetUserinfoFromToken fills the userinfo endpoint's answer for a live token.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	s.mu.Lock()
	tok, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || !time.Now().Before(tok.expires) || !s.active(tok.subject) {
		return oidc.ErrAccessDenied().WithDescription("access token is invalid or expired")
	}
	return s.fillUserinfo(info, tok.subject, tok.scopes)
}

// fillUserinfo sets sub always, email and email_verified with the email
// scope, and the groups (under the configured claim name and under
// realm_access.roles) whatever the scopes.
func (s *storage) fillUserinfo(info *oidc.UserInfo, subject string, scopes []string) error {
	s.mu.Lock()
	u, ok := s.users[subject]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("user %q: %w", subject, errNotFound)
	}
	info.Subject = u.Username
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.PreferredUsername = u.Username
	}
	if slices.Contains(scopes, oidc.ScopeEmail) {
		info.Email = u.Email
		// As a custom claim, so that false is sent rather than omitted.
		if !u.OmitEmailVerified {
			info.AppendClaims("email_verified", u.EmailVerified)
		}
	}
	groups := slices.Clone(u.Groups)
	if groups == nil {
		groups = []string{}
	}
	info.AppendClaims(s.groupsClaim, groups)
	if s.groupsClaim != "realm_access" {
		info.AppendClaims("realm_access", map[string]any{"roles": groups})
	}
	return nil
}

// SetIntrospectionFromToken refuses: introspection is not offered.
func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("token introspection is not supported")
}

// GetPrivateClaimsFromScopes adds nothing: access tokens are opaque.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID refuses: JWT client authentication is not offered.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("jwt profile is not supported")
}

// ValidateJWTProfileScopes refuses: the JWT profile grant is not offered.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("jwt profile is not supported")
}

// Health reports the storage as healthy.
func (s *storage) Health(context.Context) error { return nil }

// signingKey is the private RS256 key as op wants it.
type signingKey struct {
	key *rsa.PrivateKey
	id  string
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

// publicKey is the public RS256 key as op publishes it.
type publicKey struct {
	key *rsa.PublicKey
	id  string
}

func (k publicKey) ID() string                         { return k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return k.key }

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
	_ op.SigningKey                = signingKey{}
	_ op.Key                       = publicKey{}
)
