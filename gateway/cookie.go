package gateway

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sealed cookie format, before base64url (no padding):
//
//	version (1 byte) | GCM nonce (12) | ciphertext of [expiry unix seconds (8) | payload] | tag (16)
//
// The additional data binds a value to its cookie name and to the deployment
// (issuer and client), so a value cannot be moved to another cookie or
// carried to another deployment that shares the secret.
const (
	sealVersion = 1
	// sealOverhead is the version byte, nonce and tag.
	sealOverhead = 1 + 12 + 16
	// maxCookieValue is the longest value put in one cookie; longer values
	// are split into chunks NAME_0, NAME_1, ... (browsers keep about 4096
	// bytes per cookie, name and attributes included).
	maxCookieValue = 3800
	// maxChunks bounds how many chunks are read back.
	maxChunks = 16
)

// keyInfo labels the keys derived from the cookie secrets.
const keyInfo = "facet gateway cookie v1"

// sealer seals and opens cookie values with AES-256-GCM. Each configured
// secret is stretched with HKDF-SHA256 into a key once, at start; the first
// key seals, every key opens, so secrets rotate without signing anyone out.
type sealer struct {
	aeads []cipher.AEAD
	bind  string
}

func newSealer(secrets [][]byte, bind string) (*sealer, error) {
	if len(secrets) == 0 {
		return nil, errors.New("gateway: no cookie secret")
	}
	s := &sealer{bind: bind}
	for i, secret := range secrets {
		if len(secret) < 32 {
			return nil, fmt.Errorf("gateway: cookie secret %d is shorter than 32 bytes", i+1)
		}
		key, err := hkdf.Key(sha256.New, secret, nil, keyInfo, 32)
		if err != nil {
			return nil, fmt.Errorf("gateway: derive cookie key: %w", err)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("gateway: cookie key: %w", err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("gateway: cookie key: %w", err)
		}
		s.aeads = append(s.aeads, aead)
	}
	return s, nil
}

func (s *sealer) ad(name string) []byte {
	return []byte(name + "\x00" + s.bind)
}

// seal encrypts payload for the cookie name, valid until expires.
func (s *sealer) seal(name string, payload []byte, expires time.Time) string {
	plain := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint64(plain, uint64(expires.Unix()))
	plain = append(plain, payload...)
	out := []byte{sealVersion}
	out = s.aeads[0].Seal(out, nil, plain, s.ad(name))
	return base64.RawURLEncoding.EncodeToString(out)
}

// open decrypts a value sealed for the cookie name by any configured key
// and checks that it has not expired at now. It reports false for anything
// else: a modified, truncated or foreign value, or an expired one.
func (s *sealer) open(name, value string, now time.Time) ([]byte, bool) {
	if len(value) > maxChunks*maxCookieValue {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(value)
	if err != nil || len(raw) < sealOverhead+8 || raw[0] != sealVersion {
		return nil, false
	}
	ad := s.ad(name)
	for _, aead := range s.aeads {
		plain, err := aead.Open(nil, nil, raw[1:], ad)
		if err != nil {
			continue
		}
		exp := int64(binary.BigEndian.Uint64(plain))
		if now.Unix() >= exp {
			return nil, false
		}
		return plain[8:], true
	}
	return nil, false
}

// cookieSpec says how one logical cookie is written.
type cookieSpec struct {
	name   string
	path   string
	secure bool
}

func (c cookieSpec) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     c.path,
		MaxAge:   maxAge,
		Secure:   c.secure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
}

func chunkName(name string, i int) string { return name + "_" + strconv.Itoa(i) }

// write sets the cookie to value for maxAge seconds, split into chunks when
// long, and expires whatever chunks or whole cookie of the same name the
// request still carries, so no stale piece is left to be joined.
func (c cookieSpec) write(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	if len(value) <= maxCookieValue {
		http.SetCookie(w, c.cookie(c.name, value, maxAge))
		c.expireChunks(w, r, 0)
		return
	}
	n := 0
	for ; len(value) > 0; n++ {
		part := value[:min(maxCookieValue, len(value))]
		value = value[len(part):]
		http.SetCookie(w, c.cookie(chunkName(c.name, n), part, maxAge))
	}
	if hasCookie(r, c.name) {
		http.SetCookie(w, c.cookie(c.name, "", -1))
	}
	c.expireChunks(w, r, n)
}

// clear expires the cookie and all its chunks that the request carries.
func (c cookieSpec) clear(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, c.cookie(c.name, "", -1))
	c.expireChunks(w, r, 0)
}

func (c cookieSpec) expireChunks(w http.ResponseWriter, r *http.Request, from int) {
	prefix := c.name + "_"
	for _, ck := range r.Cookies() {
		rest, ok := strings.CutPrefix(ck.Name, prefix)
		if !ok {
			continue
		}
		if i, err := strconv.Atoi(rest); err == nil && i >= from && i < maxChunks {
			http.SetCookie(w, c.cookie(ck.Name, "", -1))
		}
	}
}

// values yields the candidate values of the cookie: each whole cookie of
// that name (a sibling host may have planted one beside ours), or, when
// there is none, the chunks joined.
func (c cookieSpec) values(r *http.Request) iter.Seq[string] {
	return func(yield func(string) bool) {
		whole := false
		for v := range namedCookies(r.Header, c.name) {
			whole = true
			if !yield(v) {
				return
			}
		}
		if whole {
			return
		}
		var b strings.Builder
		for i := 0; i < maxChunks; i++ {
			v, ok := cookieNamed(r.Header, chunkName(c.name, i))
			if !ok {
				break
			}
			b.WriteString(v)
		}
		if b.Len() > 0 {
			yield(b.String())
		}
	}
}

// read returns the first candidate value that opens.
func (c cookieSpec) read(r *http.Request, s *sealer, now time.Time) ([]byte, bool) {
	for v := range c.values(r) {
		if p, ok := s.open(c.name, v, now); ok {
			return p, true
		}
	}
	return nil, false
}

func hasCookie(r *http.Request, name string) bool {
	_, ok := cookieNamed(r.Header, name)
	return ok
}
