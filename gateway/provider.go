package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// retryDiscovery is how long a failed discovery is remembered before the
// next sign-in tries again.
const retryDiscovery = 5 * time.Second

// provider is the discovered OpenID provider.
type provider struct {
	oidc       *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	endSession string
	revocation string // RFC 7009 revocation_endpoint, "" when not offered
	userInfo   bool
}

// discovery finds the provider lazily, on the first sign-in, so that the
// gateway serves anonymous visitors even while the provider is down.
type discovery struct {
	mu       sync.Mutex
	p        *provider
	err      error
	failedAt time.Time // wall clock: a backoff, not a security decision
}

// clientContext carries the gateway's HTTP client to go-oidc and oauth2.
func (s *Server) clientContext(ctx context.Context) context.Context {
	ctx = oidc.ClientContext(ctx, s.client)
	return context.WithValue(ctx, oauth2.HTTPClient, s.client)
}

// provider returns the discovered provider, discovering it if needed.
func (s *Server) provider(ctx context.Context) (*provider, error) {
	d := &s.discovery
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.p != nil {
		return d.p, nil
	}
	if d.err != nil && time.Since(d.failedAt) < retryDiscovery {
		return nil, d.err
	}
	p, err := s.discover(ctx)
	if err != nil {
		d.err, d.failedAt = err, time.Now()
		return nil, err
	}
	d.p, d.err = p, nil
	return p, nil
}

func (s *Server) discover(ctx context.Context) (*provider, error) {
	ctx, cancel := context.WithTimeout(s.clientContext(ctx), 15*time.Second)
	defer cancel()
	op, err := oidc.NewProvider(ctx, s.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("gateway: discover %s: %w", s.cfg.Issuer, err)
	}
	var extra struct {
		EndSession  string   `json:"end_session_endpoint"`
		Revocation  string   `json:"revocation_endpoint"`
		UserInfo    string   `json:"userinfo_endpoint"`
		Scopes      []string `json:"scopes_supported"`
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := op.Claims(&extra); err != nil {
		return nil, fmt.Errorf("gateway: discovery document: %w", err)
	}
	for name, v := range map[string]string{"end_session_endpoint": extra.EndSession, "revocation_endpoint": extra.Revocation} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errors.New("gateway: discovery document: invalid " + name)
		}
	}
	endpoint := op.Endpoint()
	endpoint.AuthStyle = s.authStyle(extra.AuthMethods)
	// Keys are fetched later with this context: it must outlive the
	// request that triggered discovery, and carry the client.
	keyCtx := s.clientContext(context.Background())
	return &provider{
		oidc: op,
		verifier: op.VerifierContext(keyCtx, &oidc.Config{
			ClientID: s.cfg.ClientID,
			Now:      s.now,
		}),
		oauth: oauth2.Config{
			ClientID:     s.cfg.ClientID,
			ClientSecret: s.cfg.ClientSecret,
			Endpoint:     endpoint,
			RedirectURL:  s.cfg.CallbackURL(),
			Scopes:       s.scopes(extra.Scopes),
		},
		endSession: extra.EndSession,
		revocation: extra.Revocation,
		userInfo:   extra.UserInfo != "",
	}, nil
}

// authStyle fixes how the client authenticates at the token and
// revocation endpoints from the provider's
// token_endpoint_auth_methods_supported, so that no request is ever sent
// twice in two styles: HTTP Basic when the provider lists
// client_secret_basic or lists nothing (the default of OpenID Connect
// Discovery), the form body when it lists only client_secret_post or the
// client has no secret.
func (s *Server) authStyle(methods []string) oauth2.AuthStyle {
	if s.cfg.ClientSecret == "" {
		return oauth2.AuthStyleInParams
	}
	if len(methods) == 0 || slices.Contains(methods, "client_secret_basic") || !slices.Contains(methods, "client_secret_post") {
		return oauth2.AuthStyleInHeader
	}
	return oauth2.AuthStyleInParams
}

// scopes are the configured scopes, plus offline_access when refresh is
// on and the provider lists that scope in scopes_supported (a provider
// that does not list it may refuse it, and gives no refresh token anyway).
func (s *Server) scopes(supported []string) []string {
	out := slices.Clone(s.cfg.Scopes)
	if s.cfg.Refresh > 0 && slices.Contains(supported, "offline_access") && !slices.Contains(out, "offline_access") {
		out = append(out, "offline_access")
	}
	return out
}

// defaultClient is used for discovery, keys, token and UserInfo requests
// when no client is given.
func defaultClient() *http.Client {
	return &http.Client{Timeout: 15 * time.Second}
}
