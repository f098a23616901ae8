package idptest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// refreshTokenLifetime is how long a refresh token may be redeemed, on the
// wall clock.
const refreshTokenLifetime = 24 * time.Hour

// refreshToken is what an opaque refresh token stands for: the sign-in it
// continues.
type refreshToken struct {
	subject  string
	clientID string
	scopes   []string
	amr      []string
	authTime time.Time
	expires  time.Time
}

// refreshRequest is a refresh grant as op sees it: the original sign-in's
// subject, client, scopes and time.
type refreshRequest struct {
	token  string
	rt     refreshToken
	scopes []string
}

func (r *refreshRequest) GetAMR() []string                 { return r.rt.amr }
func (r *refreshRequest) GetAudience() []string            { return []string{r.rt.clientID} }
func (r *refreshRequest) GetAuthTime() time.Time           { return r.rt.authTime }
func (r *refreshRequest) GetClientID() string              { return r.rt.clientID }
func (r *refreshRequest) GetScopes() []string              { return r.scopes }
func (r *refreshRequest) GetSubject() string               { return r.rt.subject }
func (r *refreshRequest) SetCurrentScopes(scopes []string) { r.scopes = slices.Clone(scopes) }

// active reports whether subject names a user who is not disabled.
func (s *storage) active(subject string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[subject]
	return ok && !u.Disabled
}

// disable marks a user disabled and reports whether there is one.
func (s *storage) disable(username string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[username]
	if ok {
		u.Disabled = true
		s.users[username] = u
	}
	return ok
}

func (s *storage) revocationCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.revocations
}

// CreateAccessAndRefreshTokens issues an access token and a new refresh
// token. It is called for a code exchange that asked for offline_access
// (current is empty) and for every refresh grant, where current is the
// token being redeemed: it is spent, so refresh tokens rotate and each
// works once.
func (s *storage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	rt := refreshToken{subject: req.GetSubject(), clientID: s.client.ID, scopes: slices.Clone(req.GetScopes())}
	switch r := req.(type) {
	case *authRequest:
		rt.clientID, rt.amr, rt.authTime = r.clientID, r.GetAMR(), r.authTime
	case *refreshRequest:
		rt.clientID, rt.amr, rt.authTime = r.rt.clientID, r.rt.amr, r.rt.authTime
	}
	if current != "" {
		s.mu.Lock()
		_, live := s.refresh[current]
		delete(s.refresh, current)
		s.mu.Unlock()
		if !live {
			return "", "", time.Time{}, oidc.ErrInvalidGrant().WithDescription("refresh token already used")
		}
	}
	access, exp, err := s.CreateAccessToken(ctx, req)
	if err != nil {
		return "", "", time.Time{}, err
	}
	token := randomID() + randomID()
	rt.expires = time.Now().Add(refreshTokenLifetime)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh[token] = rt
	return access, token, exp, nil
}

// TokenRequestByRefreshToken returns the sign-in a live refresh token
// continues; a spent, revoked or expired token, or one of a disabled user,
// is refused (op answers invalid_grant).
func (s *storage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	rt, ok := s.refresh[token]
	s.mu.Unlock()
	if !ok || !time.Now().Before(rt.expires) {
		return nil, op.ErrInvalidRefreshToken
	}
	if !s.active(rt.subject) {
		return nil, fmt.Errorf("user %q is disabled or gone: %w", rt.subject, op.ErrInvalidRefreshToken)
	}
	return &refreshRequest{token: token, rt: rt, scopes: slices.Clone(rt.scopes)}, nil
}

// GetRefreshTokenInfo names the user and token id of a live refresh token
// for the revocation endpoint (the token is its own id).
func (s *storage) GetRefreshTokenInfo(_ context.Context, clientID, token string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[token]
	if !ok || rt.clientID != clientID {
		return "", "", op.ErrInvalidRefreshToken
	}
	return rt.subject, token, nil
}

// RevokeToken forgets an access or refresh token and counts the request
// (RFC 7009: revoking an unknown token succeeds too).
func (s *storage) RevokeToken(_ context.Context, tokenID, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revocations++
	delete(s.tokens, tokenID)
	delete(s.refresh, tokenID)
	return nil
}

var _ op.RefreshTokenRequest = (*refreshRequest)(nil)
