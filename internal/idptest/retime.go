package idptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// retime wraps the token endpoint: when the provider has its own clock, the
// ID token in a successful answer is re-signed with its times moved to that
// clock. Without a clock it passes requests straight through.
func (p *Provider) retime(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.now == nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK {
			var err error
			if body, err = p.retimeResponse(body); err != nil {
				slog.Error("idptest: retime token response", "err", err)
				http.Error(w, `{"error":"server_error"}`, http.StatusInternalServerError)
				return
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// retimeResponse replaces the id_token of a token response, if any.
func (p *Provider) retimeResponse(body []byte) ([]byte, error) {
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("decode token response: %w", err)
	}
	raw, ok := resp["id_token"]
	if !ok {
		return body, nil
	}
	var token string
	if err := json.Unmarshal(raw, &token); err != nil {
		return nil, fmt.Errorf("decode id_token: %w", err)
	}
	token, err := p.retimeToken(token, p.now().Sub(time.Now()))
	if err != nil {
		return nil, err
	}
	if resp["id_token"], err = json.Marshal(token); err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

// retimeToken checks the signature of an ID token the provider issued, moves
// its iat, exp and auth_time by shift, and signs it again with the same key.
func (p *Provider) retimeToken(token string, shift time.Duration) (string, error) {
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", fmt.Errorf("parse id_token: %w", err)
	}
	payload, err := jws.Verify(&p.storage.key.PublicKey)
	if err != nil {
		return "", fmt.Errorf("verify id_token: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var claims map[string]any
	if err := dec.Decode(&claims); err != nil {
		return "", fmt.Errorf("decode id_token claims: %w", err)
	}
	secs := int64(shift.Round(time.Second) / time.Second)
	for _, name := range []string{"iat", "exp", "auth_time", "nbf"} {
		n, ok := claims[name].(json.Number)
		if !ok {
			continue
		}
		v, err := n.Int64()
		if err != nil {
			return "", fmt.Errorf("id_token claim %s: %w", name, err)
		}
		claims[name] = v + secs
	}
	payload, err = json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.RS256,
		Key:       jose.JSONWebKey{Key: p.storage.key, KeyID: p.storage.keyID},
	}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("id_token signer: %w", err)
	}
	signed, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign id_token: %w", err)
	}
	return signed.CompactSerialize()
}
