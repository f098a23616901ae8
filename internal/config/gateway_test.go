package config

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/diag"
)

var (
	gwKey    = bytes.Repeat([]byte{7}, 32)
	gwKeyB64 = base64.StdEncoding.EncodeToString(gwKey)
)

func gwFS(toml string) fstest.MapFS {
	return fstest.MapFS{GatewayFile: {Data: []byte(toml)}}
}

func gwEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const gwMinimal = `public_url = "https://docs.example.com/"
issuer = "https://id.example.com"
client_id = "facet"
`

func TestLoadGatewayDefaults(t *testing.T) {
	t.Parallel()
	g, err := LoadGateway(gwFS(gwMinimal), gwEnv(map[string]string{EnvCookieSecret: gwKeyB64, EnvClientSecret: "s3"}))
	if err != nil {
		t.Fatal(err)
	}
	want := &Gateway{
		Listen:        "127.0.0.1:8080",
		PublicURL:     "https://docs.example.com",
		Issuer:        "https://id.example.com",
		ClientID:      "facet",
		GroupsClaim:   Claim{Name: "groups", Path: []string{"groups"}},
		Scopes:        []string{"openid", "email", "profile"},
		Session:       12 * time.Hour,
		ClientSecret:  "s3",
		CookieSecrets: [][]byte{gwKey},

		MaxConnections: DefaultMaxConnections,
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("LoadGateway (-want +got):\n%s", diff)
	}
	if got := g.CallbackURL(); got != "https://docs.example.com/auth/callback" {
		t.Errorf("CallbackURL = %q", got)
	}
	if !g.Secure() {
		t.Error("Secure() = false for an https public URL")
	}
}

func TestLoadGatewayFull(t *testing.T) {
	t.Parallel()
	old1 := bytes.Repeat([]byte("a"), 40)
	old2 := bytes.Repeat([]byte{0xfe}, 48)
	fsys := gwFS(`listen = "0.0.0.0:9000"
public_url = "http://localhost:9000"
issuer = "http://127.0.0.1:5556/dex"
client_id = "docs"
groups_claim = "https://example.com/claims:groups"
scopes = ["openid", "email", "groups"]
session = "90m"
refresh = "15m"
trusted_proxies = ["10.1.2.3/8", "192.0.2.7", "2001:db8::/32"]
assume_email_verified = true
max_connections = 300
`)
	g, err := LoadGateway(fsys, gwEnv(map[string]string{
		EnvCookieSecret:    string(bytes.Repeat([]byte("k"), 33)),
		EnvCookieSecretOld: string(old1) + " , " + base64.RawURLEncoding.EncodeToString(old2),
	}), func(g *Gateway) { g.Listen = "127.0.0.1:7000" })
	if err != nil {
		t.Fatal(err)
	}
	want := &Gateway{
		Listen:         "127.0.0.1:7000",
		PublicURL:      "http://localhost:9000",
		Issuer:         "http://127.0.0.1:5556/dex",
		ClientID:       "docs",
		GroupsClaim:    Claim{Name: "https://example.com/claims:groups", Path: []string{"https://example", "com/claims:groups"}},
		Scopes:         []string{"openid", "email", "groups"},
		Session:        90 * time.Minute,
		Refresh:        15 * time.Minute,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::/32")},
		CookieSecrets:  [][]byte{bytes.Repeat([]byte("k"), 33), old1, old2},

		AssumeEmailVerified: true,
		MaxConnections:      300,
	}
	if diff := cmp.Diff(want, g, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("LoadGateway (-want +got):\n%s", diff)
	}
	if g.Secure() {
		t.Error("Secure() = true for an http public URL")
	}
}

func TestLoadGatewayOverrideFillsRequired(t *testing.T) {
	t.Parallel()
	// No file at all: flags give the public URL; the rest is missing.
	_, err := LoadGateway(fstest.MapFS{}, gwEnv(map[string]string{EnvCookieSecret: gwKeyB64}),
		func(g *Gateway) { g.PublicURL = "https://docs.example.com" })
	if err == nil {
		t.Fatal("want errors for a missing issuer and client_id")
	}
	msg := err.Error()
	for _, want := range []string{"config/gateway.toml: issuer: is required", "config/gateway.toml: client_id: is required"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "public_url") {
		t.Errorf("error %q mentions public_url though a flag set it", msg)
	}
}

func TestLoadGatewayErrors(t *testing.T) {
	t.Parallel()
	good := map[string]string{EnvCookieSecret: gwKeyB64}
	tests := []struct {
		name string
		toml string
		env  map[string]string
		want []string // substrings of the error, each a "file:line: message"
	}{
		{"unknown key", gwMinimal + "colour = \"red\"\n", good,
			[]string{`config/gateway.toml:4: unknown key "colour"`}},
		{"secret in file", gwMinimal + "client_secret = \"x\"\n", good,
			[]string{`config/gateway.toml:4: unknown key "client_secret": secrets come from the environment`}},
		{"syntax", "public_url = \n", good,
			[]string{"config/gateway.toml:1: "}},
		{"wrong type", gwMinimal + "session = 12\n", good,
			[]string{"config/gateway.toml:4: "}},
		{"assume not a bool", gwMinimal + "assume_email_verified = \"yes\"\n", good,
			[]string{"config/gateway.toml:4: "}},
		{"bad duration", gwMinimal + "session = \"forever\"\n", good,
			[]string{`config/gateway.toml:4: session: "forever" is not a duration`}},
		{"short session", gwMinimal + "session = \"10s\"\n", good,
			[]string{"config/gateway.toml:4: session: must be at least 1m"}},
		{"bad refresh", gwMinimal + "refresh = \"often\"\n", good,
			[]string{`config/gateway.toml:4: refresh: "often" is not a duration`}},
		{"negative refresh", gwMinimal + "refresh = \"-5m\"\n", good,
			[]string{"config/gateway.toml:4: refresh: must not be negative"}},
		{"refresh as long as the session", gwMinimal + "session = \"1h\"\nrefresh = \"60m\"\n", good,
			[]string{"config/gateway.toml:5: refresh: 1h0m0s must be shorter than the session (1h0m0s)"}},
		{"refresh too short", gwMinimal + "refresh = \"30s\"\n", good,
			[]string{"config/gateway.toml:4: refresh: must be 0 (off) or at least 1m"}},
		{"refresh not a string", gwMinimal + "refresh = 300\n", good,
			[]string{"config/gateway.toml:4: "}},
		{"missing required", "listen = \"127.0.0.1:1\"\n", good,
			[]string{"public_url: is required", "issuer: is required", "client_id: is required"}},
		{"public url with path", "public_url = \"https://example.com/docs\"\nissuer = \"https://id.example.com\"\nclient_id = \"c\"\n", good,
			[]string{"config/gateway.toml:1: public_url: \"https://example.com/docs\" must be the root of a host"}},
		{"public url with user", "public_url = \"https://u@example.com\"\nissuer = \"https://id.example.com\"\nclient_id = \"c\"\n", good,
			[]string{"config/gateway.toml:1: public_url: "}},
		{"public url scheme", "public_url = \"ftp://example.com\"\nissuer = \"https://id.example.com\"\nclient_id = \"c\"\n", good,
			[]string{"config/gateway.toml:1: public_url: \"ftp://example.com\" is not an http(s) URL"}},
		{"issuer not url", "public_url = \"https://example.com\"\nissuer = \"id.example.com\"\nclient_id = \"c\"\n", good,
			[]string{"config/gateway.toml:2: issuer: "}},
		{"max connections zero", gwMinimal + "max_connections = 0\n", good,
			[]string{"config/gateway.toml:4: max_connections: must be at least 1, got 0"}},
		{"max connections negative", gwMinimal + "max_connections = -5\n", good,
			[]string{"config/gateway.toml:4: max_connections: must be at least 1, got -5"}},
		{"max connections not an integer", gwMinimal + "max_connections = \"many\"\n", good,
			[]string{"config/gateway.toml:4: "}},
		{"max connections fraction", gwMinimal + "max_connections = 2.5\n", good,
			[]string{"config/gateway.toml:4: "}},
		{"listen", gwMinimal + "listen = \"8080\"\n", good,
			[]string{"config/gateway.toml:4: listen: \"8080\" is not host:port"}},
		{"scopes without email", gwMinimal + "scopes = [\"openid\"]\n", good,
			[]string{"config/gateway.toml:4: scopes: must include"}},
		{"claim path", gwMinimal + "groups_claim = 'a.\"b'\n", good,
			[]string{"config/gateway.toml:4: groups_claim: "}},
		{"proxy", gwMinimal + "trusted_proxies = [\"10.0.0.0/33\", \"proxy.example\"]\n", good,
			[]string{`trusted_proxies: "10.0.0.0/33"`, `trusted_proxies: "proxy.example"`}},
		{"ledger in content", gwMinimal + "ledger = \"content/signins.jsonl\"\n", good,
			[]string{`config/gateway.toml:4: ledger: "content/signins.jsonl" lies in content/, which facet build publishes`}},
		{"ledger in a theme", gwMinimal + "ledger = \"./themes/x/../default/assets/l.jsonl\"\n", good,
			[]string{`config/gateway.toml:4: ledger: "./themes/x/../default/assets/l.jsonl" lies in themes/`}},
		{"ledger in the output", gwMinimal + "ledger = \"Public/anonymous/signins.jsonl\"\n", good,
			[]string{`config/gateway.toml:4: ledger: "Public/anonymous/signins.jsonl" lies in public/`}},
		{"no cookie secret", gwMinimal, map[string]string{},
			[]string{"FACET_COOKIE_SECRET is required"}},
		{"short cookie secret", gwMinimal, map[string]string{EnvCookieSecret: "short"},
			[]string{"FACET_COOKIE_SECRET: too short"}},
		{"short old secret", gwMinimal, map[string]string{EnvCookieSecret: gwKeyB64, EnvCookieSecretOld: gwKeyB64 + ",tiny"},
			[]string{"FACET_COOKIE_SECRET_OLD: key 2: too short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := LoadGateway(gwFS(tt.toml), gwEnv(tt.env))
			if err == nil {
				t.Fatalf("LoadGateway = %+v, want an error", g)
			}
			var list diag.List
			var one *diag.Error
			if !errors.As(err, &list) && !errors.As(err, &one) {
				t.Errorf("error %T is not a diag error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseCookieSecret(t *testing.T) {
	t.Parallel()
	raw := strings.Repeat("x", 32)
	tests := []struct {
		in      string
		want    []byte
		wantErr bool
	}{
		{gwKeyB64, gwKey, false},
		{base64.RawURLEncoding.EncodeToString(gwKey), gwKey, false},
		{raw, []byte(raw), false},
		{base64.StdEncoding.EncodeToString(gwKey[:16]), nil, true}, // 24 chars, 16 bytes
		{"", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseCookieSecret(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseCookieSecret(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if !bytes.Equal(got, tt.want) {
			t.Errorf("ParseCookieSecret(%q) = %x, want %x", tt.in, got, tt.want)
		}
	}
}

func TestParseClaim(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"groups", []string{"groups"}, false},
		{"realm_access.roles", []string{"realm_access", "roles"}, false},
		{`resource_access."docs.example.com".roles`, []string{"resource_access", "docs.example.com", "roles"}, false},
		{`"a\"b\\c"`, []string{`a"b\c`}, false},
		{"https://example.com/claims:groups", []string{"https://example", "com/claims:groups"}, false},
		{"", nil, true},
		{"a..b", nil, true},
		{".a", nil, true},
		{"a.", nil, true},
		{`a."b`, nil, true},
		{`a."b"c`, nil, true},
		{`a"b"`, nil, true},
		{`""`, nil, true},
	}
	for _, tt := range tests {
		got, err := ParseClaim(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseClaim(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got.Path); diff != "" {
			t.Errorf("ParseClaim(%q).Path (-want +got):\n%s", tt.in, diff)
		}
		if !tt.wantErr && got.Name != tt.in {
			t.Errorf("ParseClaim(%q).Name = %q", tt.in, got.Name)
		}
	}
}

func FuzzParseClaim(f *testing.F) {
	for _, s := range []string{"groups", `a."b.c".d`, `"x\"`, "a..b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClaim(s)
		if err != nil {
			return
		}
		segs := c.Path
		if len(segs) == 0 {
			t.Fatalf("ParseClaim(%q) = no segments and no error", s)
		}
		for _, seg := range segs {
			if seg == "" {
				t.Fatalf("ParseClaim(%q) has an empty segment", s)
			}
		}
	})
}

func TestLoadGatewayRefreshOff(t *testing.T) {
	t.Parallel()
	for _, v := range []string{`"0"`, `"0s"`} {
		g, err := LoadGateway(gwFS(gwMinimal+"refresh = "+v+"\n"), gwEnv(map[string]string{EnvCookieSecret: gwKeyB64}))
		if err != nil {
			t.Fatalf("refresh = %s: %v", v, err)
		}
		if g.Refresh != 0 {
			t.Errorf("refresh = %s: Refresh = %v, want 0 (off)", v, g.Refresh)
		}
	}
}

// The scheme of public_url is case-insensitive (RFC 3986): "HTTPS://" is
// an https public URL, so its cookies are Secure with the __Host- prefix
// and HSTS is sent, whether it comes from the file or --public-url; the
// URLs the gateway makes from it are spelled with the scheme in lower case.
func TestLoadGatewayPublicURLSchemeCase(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"HTTPS://docs.example.com", "Https://docs.example.com/", "hTTpS://docs.example.com"} {
		fromFile, err := LoadGateway(gwFS(strings.Replace(gwMinimal, "https://docs.example.com/", raw, 1)),
			gwEnv(map[string]string{EnvCookieSecret: gwKeyB64}))
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		fromFlag, err := LoadGateway(gwFS(gwMinimal), gwEnv(map[string]string{EnvCookieSecret: gwKeyB64}),
			func(g *Gateway) { g.PublicURL = raw })
		if err != nil {
			t.Fatalf("--public-url %s: %v", raw, err)
		}
		for _, g := range []*Gateway{fromFile, fromFlag} {
			if !g.Secure() {
				t.Errorf("public_url %q: Secure() = false", raw)
			}
			if got := g.CallbackURL(); got != "https://docs.example.com/auth/callback" {
				t.Errorf("public_url %q: CallbackURL = %q", raw, got)
			}
		}
	}
	g := &Gateway{PublicURL: "HTTPS://docs.example.com"}
	if !g.Secure() {
		t.Error("Secure() = false for a Gateway made without LoadGateway whose public URL is HTTPS://")
	}
	g = &Gateway{PublicURL: "http://docs.example.com"}
	if g.Secure() {
		t.Error("Secure() = true for an http public URL")
	}
}

// TestLedgerOutsidePublishedFolders holds PublishedDir to the folders
// whose files reach a build, and nothing else.
func TestLedgerOutsidePublishedFolders(t *testing.T) {
	t.Parallel()
	for rel, want := range map[string]string{
		"var/ledger.jsonl":          "",
		"contents/ledger.jsonl":     "",
		"publication.jsonl":         "",
		"content":                   "content",
		"content/a/b.jsonl":         "content",
		"x/../content/b.jsonl":      "content",
		"THEMES/t/assets/l.jsonl":   "themes",
		"public/.signins.jsonl":     "public",
		"/var/log/facet/l.jsonl":    "",
		"../elsewhere/ledger.jsonl": "",
	} {
		if got := PublishedDir(rel); got != want {
			t.Errorf("PublishedDir(%q) = %q, want %q", rel, got, want)
		}
	}
	g, err := LoadGateway(gwFS(gwMinimal+"ledger = \"var/ledger.jsonl\"\n"), gwEnv(map[string]string{EnvCookieSecret: gwKeyB64}))
	if err != nil || g.Ledger != "var/ledger.jsonl" {
		t.Fatalf("LoadGateway with a ledger under var/ = %+v, %v", g, err)
	}
}
