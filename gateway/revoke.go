package gateway

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// revocationBytes bounds the accounted memory of the revocation table.
const revocationBytes = 4 << 20

// revocationEntryCost is the accounted memory of one revoked session
// besides its ID: map entry, expiry and overhead.
const revocationEntryCost = 64

// revocations is the table of sessions that ended before their expiry in
// this process: at logout, or when a refresh ended them. A revoked session
// is anonymous however its cookie was copied. Each entry is kept only
// until the session's own expiry (after which the cookie is refused
// anyway). The table is bounded by bytes; it never drops a live entry:
// when it is full even after forgetting expired ones, it raises a
// gateway-wide "not before" instant instead, refusing every session issued
// until then, and starts empty.
type revocations struct {
	limit     int64
	count     atomic.Int64 // entries, so an empty table costs no lock
	notBefore atomic.Int64 // sessions issued at or before it are refused; 0 none

	mu    sync.Mutex
	ids   map[string]int64 // session ID -> its expiry, Unix seconds
	bytes int64
}

// refused reports whether sess was revoked, or issued at or before the
// not-before instant.
func (t *revocations) refused(sess *session) bool {
	if nb := t.notBefore.Load(); nb != 0 && sess.Issued <= nb {
		return true
	}
	if t.count.Load() == 0 {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.ids[sess.ID]
	return ok
}

// spend marks id, issued at issued and valid until expires, used at now,
// and reports whether it was unused: neither in the table nor issued at or
// before the not-before instant. The check and the mark are one step, so
// of two uses at the same instant only one passes. full reports that the
// table was full and the not-before instant raised to now (id is spent
// all the same: every copy of it is issued before that instant).
func (t *revocations) spend(id string, issued, expires int64, now time.Time) (fresh, full bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if nb := t.notBefore.Load(); nb != 0 && issued <= nb {
		return false, false
	}
	if _, ok := t.ids[id]; ok {
		return false, false
	}
	return true, t.add(id, expires, now)
}

// add records id until expires, or raises the not-before instant to now
// and empties the table when id does not fit even after forgetting
// expired entries; it reports the latter. t.mu is held.
func (t *revocations) add(id string, expires int64, now time.Time) bool {
	cost := int64(len(id)) + revocationEntryCost
	limit := t.limit
	if limit == 0 {
		limit = revocationBytes
	}
	if t.bytes+cost > limit {
		t.forgetExpired(now)
	}
	if t.bytes+cost > limit {
		t.notBefore.Store(now.Unix())
		t.ids, t.bytes = nil, 0
		t.count.Store(0)
		return true
	}
	if t.ids == nil {
		t.ids = make(map[string]int64, 64)
	}
	t.ids[id] = expires
	t.bytes += cost
	t.count.Store(int64(len(t.ids)))
	return false
}

// forgetExpired drops the entries of sessions that have expired at now.
func (t *revocations) forgetExpired(now time.Time) {
	for sid, exp := range t.ids {
		if exp <= now.Unix() {
			delete(t.ids, sid)
			t.bytes -= int64(len(sid)) + revocationEntryCost
		}
	}
	t.count.Store(int64(len(t.ids)))
}

// endSession revokes sess in this process, logs when that raised the
// not-before instant, and reports whether the session was live until now
// (not ended before, by this or an earlier call).
func (s *Server) endSession(sess *session, now time.Time, why string) bool {
	live, full := s.revoked.spend(sess.ID, sess.Issued, sess.Expires, now)
	if full {
		s.log.Warn("revocation table full: every session issued until now is refused; people sign in again",
			slog.Time("not_before", now), slog.String("reason", why))
	}
	return live
}

// revokeTimeout bounds the revocation request sent to the provider at
// logout.
const revokeTimeout = 5 * time.Second

// revokeRefreshToken asks the provider to revoke a refresh token (RFC
// 7009), authenticating as at the token endpoint. Other replicas, which do
// not see this process's revocation table, then find the session refused
// at their next refresh.
func (s *Server) revokeRefreshToken(ctx context.Context, p *provider, token string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), revokeTimeout)
	defer cancel()
	form := url.Values{"token": {token}, "token_type_hint": {"refresh_token"}}
	basic := p.oauth.Endpoint.AuthStyle != oauth2.AuthStyleInParams
	if !basic {
		form.Set("client_id", s.cfg.ClientID)
		if s.cfg.ClientSecret != "" {
			form.Set("client_secret", s.cfg.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.revocation, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("revocation request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(url.QueryEscape(s.cfg.ClientID), url.QueryEscape(s.cfg.ClientSecret))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("revocation endpoint unreachable: %w", err) // a transport error names the URL, never the form
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("revocation endpoint answered %d", resp.StatusCode)
	}
	return nil
}

// revokeInBackground revokes a refresh token at the provider without
// holding up the request, logging a failure.
func (s *Server) revokeInBackground(token string) {
	if token == "" {
		return
	}
	go func() {
		ctx := s.clientContext(context.Background())
		p, err := s.provider(ctx)
		if err != nil || p.revocation == "" {
			return
		}
		if err := s.revokeRefreshToken(ctx, p, token); err != nil {
			s.log.Warn("refresh token not revoked at the provider", slog.Any("err", err))
		}
	}()
}
