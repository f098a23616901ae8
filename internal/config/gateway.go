package config

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/facet-docs/facet/internal/diag"
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
	// GroupsClaim names the claim that carries a member's groups. Default
	// "groups". When the ID token (or UserInfo) has a top-level claim with
	// exactly this name it is used, so names with ':', '/' or '.' such as
	// "cognito:groups" or "https://example.com/groups" work as written.
	// Otherwise the name is a dotted path into nested objects
	// ("realm_access.roles"); a path segment that itself contains a dot is
	// written in double quotes (resource_access."docs.example.com".roles).
	// See ParseClaimPath. A missing claim means no groups.
	GroupsClaim string
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
	// TrustedProxies are the CIDRs (a bare address means that one host) of
	// reverse proxies whose X-Forwarded-For header is believed for the
	// client address in logs. Default none: the header is ignored. The
	// gateway never takes a scheme or host from request headers.
	TrustedProxies []string
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
func (g *Gateway) Secure() bool { return strings.HasPrefix(g.PublicURL, "https://") }

// gwFile is the TOML shape of config/gateway.toml.
type gwFile struct {
	Listen         *string  `toml:"listen"`
	PublicURL      string   `toml:"public_url"`
	Issuer         string   `toml:"issuer"`
	ClientID       string   `toml:"client_id"`
	GroupsClaim    *string  `toml:"groups_claim"`
	Scopes         []string `toml:"scopes"`
	Session        string   `toml:"session"`
	Refresh        string   `toml:"refresh"`
	TrustedProxies []string `toml:"trusted_proxies"`
	AssumeVerified bool     `toml:"assume_email_verified"`
	MaxConnections *int     `toml:"max_connections"`
	Ledger         string   `toml:"ledger"`
}

// LoadGateway reads config/gateway.toml from fsys (a missing file counts as
// empty), applies defaults, takes the secrets from getenv, applies the
// overrides in order (command-line flags) and validates the result. Unknown
// keys are errors. Every problem is reported, each as "file:line: message"
// in a diag.List.
func LoadGateway(fsys fs.FS, getenv func(string) string, overrides ...func(*Gateway)) (*Gateway, error) {
	var errs diag.List
	data, err := fs.ReadFile(fsys, GatewayFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, diag.Errorf(GatewayFile, 0, "%w", err)
	}
	var raw gwFile
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		line := 0
		msg := gwTOMLMessage(err, &line)
		return nil, diag.Errorf(GatewayFile, line, "%s", msg)
	}
	for _, k := range md.Undecoded() {
		name := k.String()
		msg := "unknown key %q"
		if strings.Contains(name, "secret") {
			msg = "unknown key %q: secrets come from the environment (" + EnvClientSecret + ", " + EnvCookieSecret + ")"
		}
		errs.Addf(GatewayFile, gwKeyLine(data, k[0]), msg, name)
	}
	g := &Gateway{
		Listen:         DefaultGatewayListen,
		PublicURL:      strings.TrimSuffix(raw.PublicURL, "/"),
		Issuer:         raw.Issuer,
		ClientID:       raw.ClientID,
		GroupsClaim:    DefaultGroupsClaim,
		Scopes:         slices.Clone(DefaultGatewayScopes),
		Session:        DefaultGatewaySession,
		TrustedProxies: raw.TrustedProxies,

		AssumeEmailVerified: raw.AssumeVerified,
		MaxConnections:      DefaultMaxConnections,
		Ledger:              raw.Ledger,
	}
	if raw.MaxConnections != nil {
		g.MaxConnections = *raw.MaxConnections
	}
	if raw.Listen != nil {
		g.Listen = *raw.Listen
	}
	if raw.GroupsClaim != nil {
		g.GroupsClaim = *raw.GroupsClaim
	}
	if md.IsDefined("scopes") {
		g.Scopes = raw.Scopes
	}
	if md.IsDefined("session") {
		d, err := time.ParseDuration(raw.Session)
		if err != nil {
			errs.Addf(GatewayFile, gwKeyLine(data, "session"), "session: %q is not a duration such as \"12h\"", raw.Session)
		}
		g.Session = d
	}
	if md.IsDefined("refresh") {
		d, err := time.ParseDuration(raw.Refresh)
		if err != nil {
			errs.Addf(GatewayFile, gwKeyLine(data, "refresh"), "refresh: %q is not a duration such as \"15m\" (\"0\" turns it off)", raw.Refresh)
		}
		g.Refresh = d
	}
	g.ClientSecret = getenv(EnvClientSecret)
	g.CookieSecrets = gwCookieSecrets(getenv, &errs)
	for _, o := range overrides {
		o(g)
	}
	g.PublicURL = strings.TrimSuffix(g.PublicURL, "/")
	g.validate(data, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return g, nil
}

// validate checks every field, adding a problem at the line of its key.
func (g *Gateway) validate(data []byte, errs *diag.List) {
	at := func(key, format string, args ...any) {
		errs.Addf(GatewayFile, gwKeyLine(data, key), key+": "+format, args...)
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
	if _, err := ParseClaimPath(g.GroupsClaim); err != nil {
		at("groups_claim", "%v", err)
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
	for i, p := range g.TrustedProxies {
		pfx, err := gwParseProxy(p)
		if err != nil {
			at("trusted_proxies", "%q is neither a CIDR nor an IP address", p)
			continue
		}
		g.TrustedProxies[i] = pfx.String()
	}
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

// ParseClaimPath splits a groups_claim value into the path of keys it
// names: segments separated by '.', a segment in double quotes taken
// literally (with \" and \\ as escapes), so `resource_access."a.b".roles`
// is ["resource_access", "a.b", "roles"]. Empty segments and unbalanced
// quotes are errors. The caller tries the whole value as one top-level
// claim name before following the path.
func ParseClaimPath(s string) ([]string, error) {
	if s == "" {
		return nil, errors.New("must not be empty")
	}
	var (
		out []string
		seg strings.Builder
		i   int
	)
	for i <= len(s) {
		if i < len(s) && s[i] == '"' {
			if seg.Len() > 0 {
				return nil, fmt.Errorf("%q: a double quote may only open a segment", s)
			}
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				seg.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("%q: unbalanced double quote", s)
			}
			i = j + 1
			if i < len(s) && s[i] != '.' {
				return nil, fmt.Errorf("%q: a quoted segment must be followed by '.' or the end", s)
			}
			continue
		}
		if i == len(s) || s[i] == '.' {
			if seg.Len() == 0 {
				return nil, fmt.Errorf("%q: empty path segment", s)
			}
			out = append(out, seg.String())
			seg.Reset()
			i++
			continue
		}
		seg.WriteByte(s[i])
		i++
	}
	return out, nil
}

// gwKeyLine finds the 1-based line where a top-level key is assigned, 0 when
// it is not in the file.
func gwKeyLine(data []byte, key string) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		l := bytes.TrimSpace(line)
		for _, k := range []string{key, `"` + key + `"`} {
			if rest, ok := bytes.CutPrefix(l, []byte(k)); ok {
				if r := bytes.TrimSpace(rest); len(r) > 0 && r[0] == '=' {
					return i + 1
				}
			}
		}
	}
	return 0
}

// gwTOMLMessage returns the library's message without its "toml: line N"
// prefix, setting *line to that line, which the position then carries.
func gwTOMLMessage(err error, line *int) string {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		*line = perr.Position.Line
		return perr.Message
	}
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	var n int
	if _, scanErr := fmt.Sscanf(msg, "line %d", &n); scanErr == nil {
		*line = n
		if _, rest, ok := strings.Cut(msg, ": "); ok {
			msg = rest
		}
	}
	return msg
}
