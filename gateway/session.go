package gateway

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// session is what a signed-in person's cookie holds: who the provider said
// they are and, only when refresh is on, the refresh token to ask again
// (sealed like the rest: the cookie is encrypted, never readable by the
// browser). The identity (member, guest, outsider) is not stored: it is
// computed from these facts on every request, so a guest's expiry or a
// change of the directory applies at once.
type session struct {
	// ID is random and new on every sign-in, so no session is ever fixed
	// or reused across sign-ins.
	ID string `json:"sid"`
	// Subject is the provider's subject for the person.
	Subject string `json:"sub"`
	// Email is the address the provider gave, as given.
	Email string `json:"email"`
	// Verified is the provider's email_verified, or true by
	// assume_email_verified when the provider sent none (then Assumed).
	Verified bool `json:"ev,omitempty"`
	// Assumed is set when Verified is true only because the provider sent
	// no email_verified and assume_email_verified was on: a gateway on
	// which it is off reads such a session as unverified (readSession).
	Assumed bool `json:"ea,omitempty"`
	// Groups is the part of the provider's groups claim that the site
	// declares, each once, sorted (trusted only for members). It is sealed
	// as tags (grouptags.go), not names; a session read from a cookie has
	// Groups nil and its tags in tags.
	Groups []string `json:"-"`
	// tags are the raw group tags of a session read from a cookie.
	tags []byte
	// GroupsFrom names the groups claim (groups_claim) the groups were
	// read from: claimTag of the setting. A gateway whose setting names
	// another claim keeps none of them (readSession).
	GroupsFrom string `json:"gc,omitempty"`
	// Issued and Expires are Unix seconds. A refresh changes neither: a
	// session lasts `session` from its sign-in.
	Issued  int64 `json:"iat"`
	Expires int64 `json:"exp"`
	// Checked is when the provider last vouched for these facts (the
	// sign-in or the last refresh), Unix seconds; 0 means Issued.
	Checked int64 `json:"chk,omitempty"`
	// Refresh is the provider's refresh token, kept only when refresh is
	// on and the provider gave one.
	Refresh string `json:"rt,omitempty"`
	// memo keeps the identity last resolved from a session read from a
	// cookie (identity.go); such a session is cached and shared by
	// concurrent requests. Nil for a session made in this process.
	memo *atomic.Pointer[identityMemo]
}

// checked returns when the session was last checked with the provider.
func (s *session) checked() int64 {
	if s.Checked == 0 {
		return s.Issued
	}
	return s.Checked
}

// Limits on what a session may hold, so a provider cannot make a cookie
// too large for browsers or for the gateway to parse cheaply.
const (
	maxGroups     = 500
	maxFieldBytes = 512
)

// valid reports whether a decoded session is well formed.
func (s *session) valid() bool {
	if s.ID == "" || len(s.Email) > maxFieldBytes || len(s.Subject) > maxFieldBytes || len(s.Groups) > maxGroups ||
		!validTags(s.tags) {
		return false
	}
	if !utf8.ValidString(s.Email) {
		return false
	}
	for _, g := range s.Groups {
		if len(g) > maxFieldBytes {
			return false
		}
	}
	return s.Expires > s.Issued
}

// newSessionID returns 16 random bytes, base64url.
func newSessionID() string { return randomToken(16) }

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionCookie is the cookie of the session itself.
func (s *Server) sessionCookie() cookieSpec {
	return cookieSpec{name: s.cookieName, path: "/", secure: s.secure}
}

// readSession returns the request's session, or nil when it has none that
// opens, is well formed and has not expired: neither at the end it was
// sealed with nor at its sign-in plus the session setting, which may have
// been shortened since.
func (s *Server) readSession(r *http.Request, now time.Time) *session {
	spec := s.sessionCookie()
	for v := range spec.values(r) {
		if sess := s.sessions.get(v); sess != nil {
			if now.Unix() >= sess.Expires {
				return nil
			}
			return sess
		}
		payload, ok := s.sealer.open(spec.name, v, now)
		if !ok {
			continue
		}
		sess, ok := decodeSession(payload)
		if !ok {
			return nil
		}
		if end := sess.Issued + int64(s.cfg.Session/time.Second); s.cfg.Session > 0 && end < sess.Expires {
			// session was shortened since the sign-in: it bounds this one too.
			sess.Expires = end
		}
		if now.Unix() >= sess.Expires {
			return nil
		}
		if sess.GroupsFrom != "" && sess.GroupsFrom != s.claimTag {
			// Read from a claim groups_claim no longer names.
			sess.tags = nil
		}
		if sess.Assumed && !s.cfg.AssumeEmailVerified {
			// Verified by a setting since turned off: the provider never said so.
			sess.Verified = false
		}
		sess.memo = new(atomic.Pointer[identityMemo])
		s.sessions.put(v, sess)
		return sess
	}
	return nil
}

// decodeSession reads an opened session payload: the session's JSON, then
// a NUL byte and its group tags.
func decodeSession(payload []byte) (*session, bool) {
	js, tags, _ := bytes.Cut(payload, []byte{0})
	var sess session
	if err := json.Unmarshal(js, &sess); err != nil {
		return nil, false
	}
	sess.tags = tags
	if !sess.valid() {
		return nil, false
	}
	return &sess, true
}

// encodeSession is the payload decodeSession reads.
func encodeSession(sess *session) ([]byte, error) {
	payload, err := json.Marshal(sess)
	if err != nil {
		return nil, err
	}
	payload = append(payload, 0)
	if sess.Groups == nil {
		return append(payload, sess.tags...), nil
	}
	return appendTags(payload, sess.Groups), nil
}

// sessionCache remembers opened session cookies. A sealed value cannot be
// forged or altered, so the same value always opens to the same session;
// opening it again (base64, AES-GCM, JSON) is work a busy gateway skips.
// Expiry is still checked on every request, and who the session's person
// is (member, guest, outsider) is decided from it by each generation that
// serves it, once, until a guest's expiry (identity.go). The sessions'
// facts are never modified once cached. The cache is bounded by bytes
// (cookie values and sessions), and emptied when full. A request reads it
// without a lock: the values are a sync.Map, replaced whole when emptied.
type sessionCache struct {
	m     atomic.Pointer[sync.Map] // cookie value → *session
	mu    sync.Mutex               // orders puts; guards bytes
	bytes int64
}

// sessionCacheBytes bounds the accounted memory of cached sessions.
const sessionCacheBytes = 8 << 20

// sessionCost is the accounted memory of caching sess under value: the
// value, the session's strings and a fixed share for the entry.
func sessionCost(value string, sess *session) int64 {
	n := 256 + len(value) + len(sess.ID) + len(sess.Subject) + len(sess.Email) + len(sess.Refresh) + len(sess.tags)
	for _, g := range sess.Groups {
		n += 16 + len(g)
	}
	return int64(n)
}

func (c *sessionCache) get(value string) *session {
	m := c.m.Load()
	if m == nil {
		return nil
	}
	if v, ok := m.Load(value); ok {
		return v.(*session)
	}
	return nil
}

func (c *sessionCache) put(value string, sess *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cost := sessionCost(value, sess)
	if cost > sessionCacheBytes/64 {
		return // one session may not take a large share
	}
	m := c.m.Load()
	if m == nil || c.bytes+cost > sessionCacheBytes {
		m = new(sync.Map)
		c.m.Store(m)
		c.bytes = 0
	}
	if _, dup := m.Swap(value, sess); !dup {
		c.bytes += cost
	}
}

// maxSessionValue is the longest sealed session the gateway writes: one
// cookie, never chunks, so a browser or proxy that keeps about 4 KB of a
// cookie always sends it back whole.
const maxSessionValue = maxCookieValue

// errSessionTooLarge is a session whose sealed value does not fit in one
// cookie (too many declared groups, or too long a refresh token); it is
// never written.
var errSessionTooLarge = &signinError{outcome: "session_too_large", status: http.StatusInternalServerError,
	err: errors.New("session does not fit in one cookie")}

// declaredGroups returns the groups that the site declares, each once,
// sorted: the only groups a session keeps, since an undeclared group
// matches no rule.
func declaredGroups(groups []string, declared map[string]bool) []string {
	var out []string
	for _, g := range groups {
		if declared[g] {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sealSession returns the session's cookie value, or errSessionTooLarge
// when it would not fit in one cookie.
func (s *Server) sealSession(sess *session) (string, error) {
	payload, err := encodeSession(sess)
	if err != nil {
		return "", fmt.Errorf("gateway: encode session: %w", err)
	}
	value := s.sealer.seal(s.cookieName, payload, time.Unix(sess.Expires, 0))
	if len(value) > maxSessionValue {
		return "", errSessionTooLarge
	}
	return value, nil
}

// writeSession sets the session cookie, or returns errSessionTooLarge and
// writes nothing when the sealed session would not fit in one cookie.
func (s *Server) writeSession(w http.ResponseWriter, r *http.Request, sess *session) error {
	value, err := s.sealSession(sess)
	if err != nil {
		return err
	}
	s.sessionCookie().write(w, r, value, int(sess.Expires-sess.Issued))
	return nil
}
