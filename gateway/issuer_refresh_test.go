package gateway

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
)

// refreshState is the test issuer's refresh tokens (guarded by its mu).
type refreshState struct {
	offline bool // discovery lists offline_access and revocation_endpoint
	noID    bool // refresh answers carry no id_token (UserInfo has the claims)
	down    bool // refresh grants answer 503
	length  int  // length of refresh tokens issued (0: 32 characters)

	live    map[string]string         // refresh token -> subject
	claims  map[string]map[string]any // subject -> claims now
	issued  []string                  // every refresh token issued
	grants  int                       // refresh grants received
	codes   int                       // authorization code grants received
	revoked []string                  // tokens posted to the revocation endpoint
}

func (iss *testIssuer) offerRefresh(d map[string]any) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	if iss.rt.offline {
		d["scopes_supported"] = []string{"openid", "email", "profile", "offline_access"}
		d["revocation_endpoint"] = iss.srv.URL + "/revoke"
	}
}

// newRefreshToken issues a refresh token for sub (mu held).
func (iss *testIssuer) newRefreshToken(sub string) string {
	rt := randomToken(24)
	if n := iss.rt.length; n > len(rt) {
		rt += strings.Repeat("r", n-len(rt))
	}
	if iss.rt.live == nil {
		iss.rt.live = map[string]string{}
	}
	iss.rt.live[rt] = sub
	iss.rt.issued = append(iss.rt.issued, rt)
	return rt
}

// withRefreshToken adds a refresh token to a code grant's answer when
// offline_access was asked for and is offered (mu held).
func (iss *testIssuer) withRefreshToken(g grant, resp map[string]any) map[string]any {
	if !iss.rt.offline || !slices.Contains(strings.Fields(g.scope), "offline_access") {
		return resp
	}
	sub, _ := g.claims["sub"].(string)
	if iss.rt.claims == nil {
		iss.rt.claims = map[string]map[string]any{}
	}
	if _, ok := iss.rt.claims[sub]; !ok {
		iss.rt.claims[sub] = maps.Clone(g.claims)
	}
	resp["refresh_token"] = iss.newRefreshToken(sub)
	return resp
}

// setClaims changes what the provider says about sub from now on.
func (iss *testIssuer) setClaims(sub string, claims map[string]any) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.rt.claims[sub] = claims
}

// refreshGrant redeems a refresh token once (it rotates) with the
// subject's claims as they are now (mu held).
func (iss *testIssuer) refreshGrant(w http.ResponseWriter, r *http.Request) {
	iss.rt.grants++
	if iss.rt.down {
		tokenError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
		return
	}
	old := r.PostFormValue("refresh_token")
	sub, ok := iss.rt.live[old]
	delete(iss.rt.live, old)
	if !ok {
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := iss.now()
	claims := map[string]any{"iss": iss.srv.URL, "aud": iss.clientID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	maps.Copy(claims, iss.rt.claims[sub])
	access := randomToken(24)
	iss.tokens[access] = maps.Clone(iss.rt.claims[sub])
	resp := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 300,
		"refresh_token": iss.newRefreshToken(sub)}
	if !iss.rt.noID {
		raw, _ := json.Marshal(claims)
		idToken := oidctest.SignIDToken(iss.key, "k1", oidc.RS256, string(raw))
		iss.issued = append(iss.issued, idToken)
		resp["id_token"] = idToken
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// revoke is the RFC 7009 endpoint: the client authenticates, the token is
// forgotten.
func (iss *testIssuer) revoke(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != iss.clientID || secret != iss.secret || r.Method != http.MethodPost {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	tok := r.PostFormValue("token")
	iss.rt.revoked = append(iss.rt.revoked, tok)
	delete(iss.rt.live, tok)
}

// refreshCounts returns the refresh grants received and the tokens revoked.
func (iss *testIssuer) refreshCounts() (int, []string) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return iss.rt.grants, slices.Clone(iss.rt.revoked)
}
