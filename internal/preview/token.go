package preview

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
)

// TokenParam is the query parameter that carries the token in the
// address facet serve prints.
const TokenParam = "token"

// NewToken returns a fresh random token for Options.Token: 32 bytes from
// crypto/rand, base64url without padding.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenCookie is the name of the cookie that holds token: named after a
// hash of the token, so that previews of other runs or other ports on the
// same host (cookies ignore ports) keep their own, and a name does not
// spell its token.
func TokenCookie(token string) string {
	sum := sha256.Sum256([]byte("facet preview token\x00" + token))
	return "facet_preview_" + hex.EncodeToString(sum[:6])
}

// admitted reports whether r may be answered: Options.Token is "", or r
// carries it in its cookie. A request with the token in its query gets the
// cookie and a redirect to its address without the token; any other is
// answered 401. Either way admitted then reports false.
func (s *Server) admitted(w http.ResponseWriter, r *http.Request) bool {
	token := s.opts.Token
	if token == "" {
		return true
	}
	name := TokenCookie(token)
	if c, err := r.Cookie(name); err == nil && same(c.Value, token) {
		return true
	}
	q := r.URL.Query()
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && same(q.Get(TokenParam), token) {
		http.SetCookie(w, &http.Cookie{
			Name: name, Value: token, Path: "/",
			HttpOnly: true, SameSite: http.SameSiteStrictMode,
		})
		to := url.URL{Path: r.URL.Path, RawQuery: withoutParam(r.URL.RawQuery, TokenParam)}
		http.Redirect(w, r, localPath(to.RequestURI()), http.StatusSeeOther)
		return false
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte("facet serve: this preview asks for its token; open the address facet serve printed (it ends in ?" + TokenParam + "=...)\n"))
	return false
}

// withoutParam is the query raw less every parameter named name, the
// others as they were, in their order.
func withoutParam(raw, name string) string {
	var kept []string
	for _, part := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(k); part == "" || err == nil && k == name {
			continue
		}
		kept = append(kept, part)
	}
	return strings.Join(kept, "&")
}

// same compares a token in constant time.
func same(got, want string) bool {
	return len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
