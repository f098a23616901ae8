package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
		EndSession string `json:"end_session_endpoint"`
		UserInfo   string `json:"userinfo_endpoint"`
	}
	if err := op.Claims(&extra); err != nil {
		return nil, fmt.Errorf("gateway: discovery document: %w", err)
	}
	if extra.EndSession != "" {
		if u, err := url.Parse(extra.EndSession); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errors.New("gateway: discovery document: invalid end_session_endpoint")
		}
	}
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
			Endpoint:     op.Endpoint(),
			RedirectURL:  s.cfg.CallbackURL(),
			Scopes:       s.cfg.Scopes,
		},
		endSession: extra.EndSession,
		userInfo:   extra.UserInfo != "",
	}, nil
}

// defaultClient is used for discovery, keys, token and UserInfo requests
// when no client is given.
func defaultClient() *http.Client {
	return &http.Client{Timeout: 15 * time.Second}
}
