// Package gateway is `facet gateway`, the production server in front of a
// facet build: it signs people in with OpenID Connect (authorization code
// flow with PKCE, state and nonce), keeps a stateless AEAD-sealed session
// cookie, resolves each request to an identity exactly as ACCESS.md says,
// picks the build whose visible set matches that identity, and serves the
// build's files safely (each build through an fs.FS: an os.Root beneath the
// output folder, or the object store's index onto its objects; no
// listings, no dot-files).
//
// It owns sign-in, sessions, identity, build selection, file serving, hot
// swap of published generations, metrics and logs (the sign-in ledger
// among them). It does not build sites or decide visibility itself: it imports
// only internal/access (the rules engine), internal/config (its settings),
// internal/manifest (the published output's metadata), internal/ledger
// (the sign-in ledger's format) and internal/store (the object store it
// serves from with --from), never the generator. Like oauth2-proxy it
// knows nothing of how builds are made.
//
// It is not a library for other modules. It is the engine of the `facet
// gateway` command and, inside this module, an http.Handler (tests and
// the command wrap it). New takes config.Gateway, which other modules
// cannot import, on purpose: the settings are validated, defaulted and
// given their secrets by internal/config exactly as `facet gateway` reads
// them, and the gateway must be the same version as the `facet build`
// that published the output it reads (the access rules and rules.json are
// internal and change together). To put it behind another server, run
// `facet gateway` and proxy to it (trusted_proxies).
//
// Design notes: sessions live in the cookie (nothing to share between
// replicas); each process keeps only a bounded table of sessions ended
// early (logout, a failed refresh). A session records what the provider
// said (email, verification, groups) and, with refresh on, the refresh
// token to ask again, never an ID or access token; the identity is
// recomputed from it on every request, so a guest's expiry applies at once.
// Each published generation is loaded whole from one snapshot of its
// source (source.go: an os.Root over the output folder, or the store's
// pointer read once) and held in an atomic pointer that each request loads
// once, so a swap never mixes generations within a request.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/ledger"
)

// The gateway's own paths. Everything else is a file of a build.
const (
	LoginPath    = "/auth/login"
	CallbackPath = config.GatewayCallbackPath
	LogoutPath   = "/auth/logout"
	WhoamiPath   = "/_facet/whoami"
	HealthPath   = "/healthz"
	MetricsPath  = "/metrics"
)

// CookieName is the name of the session cookie for cfg: "__Host-facet"
// when the public URL is https (Secure, host-only, path /), "facet"
// otherwise. A session too large for one cookie is split into NAME_0,
// NAME_1, ...
func CookieName(cfg *config.Gateway) string {
	if cfg.Secure() {
		return "__Host-facet"
	}
	return "facet"
}

// Server is the gateway. Create it with New; it is an http.Handler.
type Server struct {
	cfg        *config.Gateway
	src        source
	cookieName string
	secure     bool
	sealer     *sealer
	sessions   sessionCache // opened session cookies
	claim      groupsClaim
	claimTag   string // claimTag(cfg.GroupsClaim), sealed in each session
	proxies    []netip.Prefix
	mux        *http.ServeMux // the gateway's own paths (routes)

	now        func() time.Time
	log        *slog.Logger
	client     *http.Client
	metrics    *metrics
	poll       time.Duration
	retire     time.Duration
	cacheBytes int64
	writeBase  time.Duration
	writeRate  int64

	ledger  *ledger.Writer // nil without a ledger setting
	current atomic.Pointer[generation]
	stale   staleness // a store that stopped answering
	// staleGen is the generation of the last stale pointer read, logged
	// once (staleRead); staleMu guards it.
	staleMu   sync.Mutex
	staleGen  string
	reloadMu  sync.Mutex
	discovery discovery
	wanted    wanted
	revoked   revocations // sessions ended before their expiry
	refreshes refresher   // refreshes under way and just done
	// spentFlows are the sign-in flows whose callback came (by state).
	spentFlows revocations
	// callbackFailures counts failed callbacks per client address.
	callbackFailures failureLimiter
}

// Option adjusts a Server: test hooks and extension points.
type Option func(*options)

type options struct {
	now        func() time.Time
	log        *slog.Logger
	client     *http.Client
	registry   *prometheus.Registry
	poll       time.Duration
	cacheBytes int64
	writeBase  time.Duration
	writeRate  int64
}

// WithNow sets the clock (default time.Now).
func WithNow(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithHTTPClient sets the client for discovery, keys, token exchange and
// UserInfo (default: a client with a 15 s timeout).
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.client = c } }

// WithRegistry registers the gateway's metrics in reg and serves reg at
// /metrics (default: a registry of its own with Go and process metrics).
func WithRegistry(reg *prometheus.Registry) Option { return func(o *options) { o.registry = reg } }

// WithPollInterval sets how often the published manifest's generation is
// polled besides file events (default 2 s).
func WithPollInterval(d time.Duration) Option { return func(o *options) { o.poll = d } }

// WithCacheBytes sets the in-memory file budget per generation (default
// DefaultCacheBytes; 0 streams every file).
func WithCacheBytes(n int64) Option { return func(o *options) { o.cacheBytes = n } }

// New returns a gateway for the settings cfg serving the output root out
// (where manifest.json, rules.json and the build folders are published).
// It loads the published generation now; an output not built yet is not an
// error (healthz answers 503 until one is published), a damaged one is.
// The provider is discovered on the first sign-in.
func New(cfg *config.Gateway, out string, opts ...Option) (*Server, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return nil, fmt.Errorf("gateway: output: %w", err)
	}
	return newServer(cfg, diskSource{out: abs}, opts)
}

// newServer returns a gateway serving the generations of src.
func newServer(cfg *config.Gateway, src source, opts []Option) (*Server, error) {
	if cfg == nil {
		return nil, errors.New("gateway: no settings")
	}
	o := options{now: time.Now, log: slog.Default(), poll: 2 * time.Second, cacheBytes: DefaultCacheBytes,
		writeBase: DefaultWriteBase, writeRate: DefaultMinWriteRate}
	for _, opt := range opts {
		opt(&o)
	}
	if o.client == nil {
		o.client = defaultClient()
	}
	if len(cfg.GroupsClaim.Path) == 0 {
		return nil, errors.New("gateway: no groups_claim (config.ParseClaim makes one)")
	}
	s := &Server{
		cfg: cfg, src: src, cookieName: CookieName(cfg), secure: cfg.Secure(),
		claim: groupsClaim(cfg.GroupsClaim), claimTag: claimTag(cfg.GroupsClaim), proxies: cfg.TrustedProxies,
		now: o.now, log: o.log, client: o.client, poll: o.poll, retire: time.Minute,
		cacheBytes: o.cacheBytes, writeBase: o.writeBase, writeRate: o.writeRate,
	}
	if cfg.AssumeEmailVerified {
		s.log.Warn("assume_email_verified is on: a sign-in without an email_verified claim counts as verified; "+
			"use it only with a provider that issues verified addresses alone", slog.String("issuer", cfg.Issuer))
	}
	var err error
	if s.sealer, err = newSealer(cfg.CookieSecrets, cfg.Issuer+"\x00"+cfg.ClientID); err != nil {
		return nil, err
	}
	if err := s.openLedger(); err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	if s.metrics, err = newMetrics(o.registry); err != nil {
		return nil, fmt.Errorf("gateway: metrics: %w", err)
	}
	s.mux = s.routes()
	if err := s.Reload(); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		s.log.Warn("no build published yet; serving 503 until one is", slog.String("from", src.String()))
	}
	return s, nil
}

// ServeHTTP answers one request from the current generation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w, base: s.writeBase + handlerTime}
	kind := s.route(rec, r)
	rec.begin() // net/http writes what the handler did not
	status := rec.status()
	s.metrics.answered(kind, status)
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		s.log.Debug("request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("kind", kind), slog.Int("status", status), slog.String("client", s.clientIP(r)))
	}
}

// route dispatches and returns the kind label for metrics. The mux picks
// the route of a canonical path; the site's files and whoami are answered
// with the request's identity, from the one generation loaded here.
func (s *Server) route(w http.ResponseWriter, r *http.Request) string {
	s.securityHeaders(w.Header())
	if h, pattern := s.pick(r); pattern != siteRoute && pattern != whoamiRoute {
		if pattern == "" { // 405: the path does not take this method
			noStore(w.Header())
		}
		h.ServeHTTP(w, r)
		return "system"
	} else if pattern == whoamiRoute {
		return s.serveIdentified(w, r, true)
	}
	return s.serveIdentified(w, r, false)
}

// serveIdentified answers with the request's identity, from the one
// generation loaded here: whoami, or a file of the identity's build.
func (s *Server) serveIdentified(w http.ResponseWriter, r *http.Request, whoami bool) string {
	st := s.current.Load()
	if st == nil {
		s.page(w, http.StatusServiceUnavailable, "Not published yet", "This site has not been published yet.")
		return "system"
	}
	now := s.now()
	id, m := st.identifyMemo(s.checkSession(w, r, now), now)
	if whoami {
		s.whoami(w, st, id, r)
		return string(id.Kind)
	}
	s.serveSite(w, r, st, id, m)
	return string(id.Kind)
}

// Run listens on the configured address and serves until ctx ends, then
// shuts down gracefully (the command cancels ctx on SIGTERM).
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, watching the output for new builds,
// then stops accepting, lets running requests finish (up to 15 s) and
// returns nil after a clean shutdown. At most cfg.MaxConnections
// connections are open at a time (config.DefaultMaxConnections when it is
// 0); further ones wait to be accepted until one closes. A request's
// headers must arrive within 10 s, an idle keep-alive connection is closed
// after 2 min, and every response has a write deadline (see
// WithWriteDeadline).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	maxConns := s.cfg.MaxConnections
	if maxConns <= 0 {
		maxConns = config.DefaultMaxConnections
	}
	ln = limitConns(ln, maxConns)
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    256 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go s.watch(wctx)
	s.log.Info("gateway listening", slog.String("addr", ln.Addr().String()), slog.String("public_url", s.cfg.PublicURL))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("gateway: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	s.log.Info("gateway stopped")
	if err != nil {
		return fmt.Errorf("gateway: shutdown: %w", err)
	}
	return nil
}

// Close releases the folder handles of the generation being served.
func (s *Server) Close() error {
	if st := s.current.Swap(nil); st != nil {
		st.close()
	}
	if s.ledger != nil {
		return s.ledger.Close()
	}
	return nil
}

// Generation is the build generation being served, "" before one is.
func (s *Server) Generation() string {
	if st := s.current.Load(); st != nil {
		return st.gen
	}
	return ""
}

var _ http.Handler = (*Server)(nil)
