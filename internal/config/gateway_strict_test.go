package config

import (
	"strings"
	"testing"
)

// TestLoadGatewayStrict holds gateway.toml to what site.toml and
// access.toml get: every problem of the file at the line it is written on,
// unknown tables included, with a "did you mean" where a known key is close.
func TestLoadGatewayStrict(t *testing.T) {
	t.Parallel()
	env := gwEnv(map[string]string{EnvCookieSecret: gwKeyB64})
	tests := []struct {
		name, toml, want string
	}{
		{"unknown table", gwMinimal + "\n[oidc]\nissuer = \"https://id.example.com\"\n",
			`config/gateway.toml:5: unknown key "oidc"`},
		{"misspelt key", gwMinimal + "groups_clam = \"roles\"\n",
			`config/gateway.toml:4: unknown key "groups_clam"; did you mean "groups_claim"?`},
		{"every wrong type", gwMinimal + "session = 12\nmax_connections = \"many\"\n",
			"config/gateway.toml:4: session must be a string, not an integer\n" +
				"config/gateway.toml:5: max_connections must be an integer, not a string"},
		{"proxy at its element", gwMinimal + "trusted_proxies = [\n  \"10.0.0.0/8\",\n  \"proxy.example\",\n]\n",
			`config/gateway.toml:6: trusted_proxies: "proxy.example" is neither a CIDR nor an IP address`},
		{"quoted key", "\"public_url\" = \"https://docs.example.com\"\nissuer = \"id.example.com\"\nclient_id = \"c\"\n",
			`config/gateway.toml:2: issuer: "id.example.com" is not an http(s) URL`},
		{"nested secret", gwMinimal + "[cookie]\nsecret = \"x\"\n",
			`config/gateway.toml:4: unknown key "cookie"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadGateway(gwFS(tt.toml), env)
			if err == nil {
				t.Fatal("LoadGateway accepted the file")
			}
			if got := err.Error(); got != tt.want && !strings.HasPrefix(got, tt.want+"\n") {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
