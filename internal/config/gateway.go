package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/tomlx"
)

// GatewayFile is where the gateway's settings live, relative to the site root.
const GatewayFile = "config/gateway.toml"

// Environment variables that carry the gateway's secrets. Secrets never come
// from a file.
const (
	// EnvClientSecret is the OAuth client secret; empty for a public client.
	EnvClientSecret = "FACET_CLIENT_SECRET"
	// EnvCookieSecret is the key that seals session cookies: 32 bytes or
	// more, base64 or raw.
	EnvCookieSecret = "FACET_COOKIE_SECRET"
	// EnvCookieSecretOld lists earlier cookie keys, comma separated, still
	// accepted when opening cookies so that a key can be rotated without
	// signing everyone out.
	EnvCookieSecretOld = "FACET_COOKIE_SECRET_OLD"
)

// MinCookieSecret is the least number of bytes a cookie secret must have.
const MinCookieSecret = 32

// Gateway holds the settings of `facet gateway`: config/gateway.toml plus
// the secrets of the environment.
type Gateway struct {
	// Listen is the address the gateway listens on. Default "127.0.0.1:8080".
	Listen string
	// PublicURL is the address people reach the gateway at, without a
	// trailing slash ("https://docs.example.com"). Required. Every absolute
	// URL the gateway makes (the OIDC callback, the post-logout redirect)
	// is built from it, never from request headers. When it is https,
	// cookies are Secure and carry the __Host- prefix.
	PublicURL string
	// Issuer is the OpenID provider's issuer URL, exactly as the provider
	// writes it in its discovery document. Required.
	Issuer string
	// ClientID is the OAuth client registered at the provider. Required.
	ClientID string
	// GroupsClaim is the claim that carries a member's groups, parsed (see
	// Claim and ParseClaim). Default "groups". When the ID token (or
	// UserInfo) has a top-level claim with exactly its name it is used, so
	// names with ':', '/' or '.' such as "cognito:groups" work as written;
	// otherwise its path is followed through nested objects
	// ("realm_access.roles"). A missing claim means no groups.
	GroupsClaim Claim
	// Scopes are requested at sign-in. Default ["openid", "email",
	// "profile"]; must include "openid" and "email". Add "groups" for
	// providers that release groups only on that scope.
	Scopes []string
	// Session is how long a sign-in lasts. TOML string such as "12h";
	// default 12h. Logout ends a session in the gateway process that served
	// it; elsewhere a session ends before its time only at a refresh (see
	// Refresh) or when the cookie secret rotates.
	Session time.Duration
	// Refresh is how often a signed-in person is checked again with the
	// provider: once a session was last checked longer ago than Refresh,
	// the next request redeems its refresh token (or, without one, ends the
	// session so the person signs in again) and takes the email,
	// verification and groups the provider gives now. TOML string such as
	// "15m"; 0 or absent turns checking off. Must be at least 1m and shorter
	// than Session.
	Refresh time.Duration
	// TrustedProxies are the networks (masked; a bare address in the file
	// means that one host) of reverse proxies whose X-Forwarded-For header
	// is believed for the client address in logs. Default none: the header
	// is ignored. The gateway never takes a scheme or host from request
	// headers.
	TrustedProxies []netip.Prefix
	// AssumeEmailVerified takes an ID token or UserInfo that carries no
	// email_verified claim (nor Entra ID's xms_edov) as verified. Default
	// false. Turn it on only for a provider that issues verified addresses
	// alone and omits the claim: with it, anyone who can put an address they
	// do not own into that provider becomes that member or guest. A claim
	// sent as false stays false. The gateway logs a warning at start-up
	// when it is on.
	AssumeEmailVerified bool
	// Ledger is the file the sign-in ledger is appended to (one JSON line
	// per sign-in and sign-out: time, kind, email, groups that counted,
	// build served; never a token), relative to the site folder unless
	// absolute; rotated past 10 MB, five old files kept. "" (the default)
	// keeps no ledger.
	Ledger string
	// MaxConnections is the most connections the gateway keeps open at a
	// time. Default DefaultMaxConnections; must be at least 1. Further
	// connections wait in the system's accept queue until one closes.
	MaxConnections int
	// ClientSecret comes from FACET_CLIENT_SECRET only; empty for a public
	// client (PKCE is always used).
	ClientSecret string
	// CookieSecrets come from FACET_COOKIE_SECRET (first, used to seal) and
	// FACET_COOKIE_SECRET_OLD (comma separated, accepted when opening).
	// Each is 32 bytes or more, given in base64 or raw.
	CookieSecrets [][]byte
}

// Gateway defaults.
const (
	DefaultGatewayListen  = "127.0.0.1:8080"
	DefaultGroupsClaim    = "groups"
	DefaultGatewaySession = 12 * time.Hour
	DefaultMaxConnections = 1024
)

// DefaultGatewayScopes are requested when gateway.toml names none.
var DefaultGatewayScopes = []string{"openid", "email", "profile"}

// GatewayCallbackPath is the path of the OIDC redirect URI under PublicURL.
const GatewayCallbackPath = "/auth/callback"

// CallbackURL is the redirect URI registered at the provider.
func (g *Gateway) CallbackURL() string { return g.PublicURL + GatewayCallbackPath }

// Secure reports whether the public URL is https: cookies are then Secure
// and carry the __Host- prefix.
func (g *Gateway) Secure() bool {
	const https = "https://"
	return len(g.PublicURL) >= len(https) && strings.EqualFold(g.PublicURL[:len(https)], https)
}

// LoadGateway reads config/gateway.toml from fsys (a missing file counts as
// empty), applies defaults, takes the secrets from getenv, applies the
// overrides in order (command-line flags) and validates the result. Unknown
// keys are errors. Every problem is reported, each as "file:line: message"
// in a diag.List.
func LoadGateway(fsys fs.FS, getenv func(string) string, overrides ...func(*Gateway)) (*Gateway, error) {
	text, err := readConfig(fsys, GatewayFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	doc, err := tomlx.Parse(GatewayFile, text, 0)
	if err != nil {
		var l diag.List
		l.Append(err)
		return nil, l
	}
	root := doc.Root()
	g := &Gateway{
		Listen:         DefaultGatewayListen,
		GroupsClaim:    Claim{Name: DefaultGroupsClaim, Path: []string{DefaultGroupsClaim}},
		Scopes:         slices.Clone(DefaultGatewayScopes),
		Session:        DefaultGatewaySession,
		MaxConnections: DefaultMaxConnections,
	}
	g.read(root)
	errs := doc.Problems()
	g.ClientSecret = getenv(EnvClientSecret)
	g.CookieSecrets = gwCookieSecrets(getenv, &errs)
	for _, o := range overrides {
		o(g)
	}
	g.PublicURL = lowerScheme(strings.TrimSuffix(g.PublicURL, "/"))
	g.validate(root, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return g, nil
}

// read takes the file's values into g, each parsed into its type, and
// reports every problem of the file, unknown keys last.
func (g *Gateway) read(root *tomlx.Table) {
	root.String("listen", &g.Listen)
	if root.String("public_url", &g.PublicURL) {
		g.PublicURL = strings.TrimSuffix(g.PublicURL, "/")
	}
	root.String("issuer", &g.Issuer)
	root.String("client_id", &g.ClientID)
	var claim string
	if root.String("groups_claim", &claim) {
		c, err := ParseClaim(claim)
		if err != nil {
			root.Errorf("groups_claim", "groups_claim: %v", err)
		}
		g.GroupsClaim = c
	}
	if scopes, _, ok := root.Strings("scopes"); ok {
		g.Scopes = scopes
	}
	g.Session = readDuration(root, "session", g.Session, `"12h"`)
	g.Refresh = readDuration(root, "refresh", g.Refresh, `"15m" ("0" turns it off)`)
	proxies, lines, _ := root.Strings("trusted_proxies")
	for i, p := range proxies {
		pfx, err := gwParseProxy(p)
		if err != nil {
			root.ErrorAt(lines[i], "trusted_proxies: %q is neither a CIDR nor an IP address", p)
			continue
		}
		g.TrustedProxies = append(g.TrustedProxies, pfx)
	}
	root.Bool("assume_email_verified", &g.AssumeEmailVerified)
	root.Int("max_connections", &g.MaxConnections)
	root.String("ledger", &g.Ledger)
	for _, k := range root.Unread() {
		if strings.Contains(k, "secret") {
			root.Reject(k, "unknown key %q: secrets come from the environment (%s, %s)", k, EnvClientSecret, EnvCookieSecret)
		}
	}
	root.Finish()
}

// readDuration returns the duration written at key, def when it is absent;
// example ends the message of a value that is not a duration.
func readDuration(t *tomlx.Table, key string, def time.Duration, example string) time.Duration {
	var s string
	if !t.String(key, &s) {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Errorf(key, "%s: %q is not a duration such as %s", key, s, example)
	}
	return d
}

// validate checks every field, adding a problem at the line of its key
// (no line when the file does not write it).
func (g *Gateway) validate(root *tomlx.Table, errs *diag.List) {
	at := func(key, format string, args ...any) {
		errs.Addf(GatewayFile, root.WrittenLine(key), key+": "+format, args...)
	}
	if _, _, err := net.SplitHostPort(g.Listen); err != nil {
		at("listen", "%q is not host:port", g.Listen)
	}
	if g.PublicURL == "" {
		at("public_url", "is required (the address people reach the gateway at)")
	} else if err := gwCheckPublicURL(g.PublicURL); err != nil {
		at("public_url", "%v", err)
	}
	if g.Issuer == "" {
		at("issuer", "is required (the OpenID provider's issuer URL)")
	} else if u, err := url.Parse(g.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		at("issuer", "%q is not an http(s) URL", g.Issuer)
	}
	if g.ClientID == "" {
		at("client_id", "is required (the client registered at the provider)")
	}
	if !slices.Contains(g.Scopes, "openid") || !slices.Contains(g.Scopes, "email") {
		at("scopes", "must include \"openid\" and \"email\"")
	}
	if g.Session < time.Minute {
		at("session", "must be at least 1m")
	}
	switch {
	case g.Refresh < 0:
		at("refresh", "must not be negative (0 turns it off)")
	case g.Refresh > 0 && g.Refresh < time.Minute:
		at("refresh", "must be 0 (off) or at least 1m")
	case g.Refresh > 0 && g.Refresh >= g.Session:
		at("refresh", "%v must be shorter than the session (%v)", g.Refresh, g.Session)
	}
	if g.MaxConnections < 1 {
		at("max_connections", "must be at least 1, got %d", g.MaxConnections)
	}
	if dir := PublishedDir(g.Ledger); dir != "" {
		at("ledger", "%q lies in %s/, which facet build publishes: the ledger holds every signed-in address; keep it outside content/, themes/ and the output folder (e.g. \"var/ledger.jsonl\")", g.Ledger, dir)
	}
}

// publishedDirs are the folders of a site whose files reach a build, or
// are one: content/ (a page's attachments), themes/ (a theme's assets) and
// public/, the default output folder.
var publishedDirs = []string{"content", "themes", "public"}

// PublishedDir returns the folder of publishedDirs a path relative to the
// site folder lies in, "" when none (or when the path is absolute: the
// gateway command checks those against the folders themselves).
func PublishedDir(rel string) string {
	if rel == "" || filepath.IsAbs(rel) {
		return ""
	}
	// Lower case: on a file system that folds case, Content/ is content/.
	clean := strings.ToLower(filepath.ToSlash(filepath.Clean(rel)))
	for _, d := range publishedDirs {
		if clean == d || strings.HasPrefix(clean, d+"/") {
			return d
		}
	}
	return ""
}

// lowerScheme spells the scheme of a URL in lower case (RFC 3986: it is
// case-insensitive), so that "HTTPS://" counts as https everywhere and the
// URLs made from it are spelled as providers register them.
func lowerScheme(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || strings.ContainsAny(scheme, "/?#") {
		return s
	}
	return strings.ToLower(scheme) + "://" + rest
}

func gwCheckPublicURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("%q is not an http(s) URL", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Contains(s, "#") || strings.HasSuffix(s, "?"):
		return fmt.Errorf("%q must not carry a user, query or fragment", s)
	case u.Path != "":
		return fmt.Errorf("%q must be the root of a host: the gateway does not serve under a path prefix", s)
	}
	return nil
}

func gwParseProxy(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// gwCookieSecrets reads the current key and the older ones.
func gwCookieSecrets(getenv func(string) string, errs *diag.List) [][]byte {
	cur := getenv(EnvCookieSecret)
	if cur == "" {
		errs.Addf("", 0, "%s is required: a random secret of %d bytes or more (e.g. openssl rand -base64 32)", EnvCookieSecret, MinCookieSecret)
		return nil
	}
	var out [][]byte
	if k, err := ParseCookieSecret(cur); err != nil {
		errs.Addf("", 0, "%s: %v", EnvCookieSecret, err)
	} else {
		out = append(out, k)
	}
	for i, s := range strings.Split(getenv(EnvCookieSecretOld), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := ParseCookieSecret(s)
		if err != nil {
			errs.Addf("", 0, "%s: key %d: %v", EnvCookieSecretOld, i+1, err)
			continue
		}
		out = append(out, k)
	}
	return out
}

// ParseCookieSecret decodes a cookie secret: standard or URL base64 (with
// or without padding) that decodes to 32 bytes or more is taken decoded;
// otherwise the raw bytes are taken when there are 32 or more.
func ParseCookieSecret(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) >= MinCookieSecret {
			return b, nil
		}
	}
	if len(s) >= MinCookieSecret {
		return []byte(s), nil
	}
	return nil, fmt.Errorf("too short: %d bytes, want %d or more", len(s), MinCookieSecret)
}
