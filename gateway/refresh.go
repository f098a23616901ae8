package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// refreshTimeout bounds one refresh at the provider: discovery, the token
// request, keys and UserInfo together. A refresh that takes longer ends
// the session (the provider counts as unreachable).
const refreshTimeout = 5 * time.Second

// refreshGrace is how long the result of a refresh is handed to requests
// that still carry the session's previous cookie (sent before the browser
// stored the new one). Without it they would redeem the spent, rotated
// refresh token again and end the session.
const refreshGrace = time.Minute

// recentRefreshBytes bounds the accounted memory of remembered results.
const recentRefreshBytes = 4 << 20

// refresher lets one refresh per session run at a time (keyed by session
// ID) and remembers each success for refreshGrace.
type refresher struct {
	mu          sync.Mutex
	calls       map[string]*refreshCall // under way, by session ID
	recent      map[string]*refreshCall // finished successes, by session ID
	recentBytes int64
}

// refreshCall is one refresh: done closes when sess (nil when the session
// ended) and value (its cookie) are set.
type refreshCall struct {
	done  chan struct{}
	sess  *session
	value string
	at    time.Time
}

// checkSession returns the request's session after the checks that may
// end it: revoked in this process (logout, a refresh that failed, or
// issued before the not-before instant), or due for a refresh that does
// not succeed. An ended session's cookie is cleared and the request is
// anonymous; a refreshed session's new cookie is written.
func (s *Server) checkSession(w http.ResponseWriter, r *http.Request, now time.Time) *session {
	sess := s.readSession(r, now)
	if sess == nil {
		return nil
	}
	if s.revoked.refused(sess) {
		s.sessionCookie().clear(w, r)
		return nil
	}
	if s.cfg.Refresh <= 0 || now.Unix()-sess.checked() < int64(s.cfg.Refresh/time.Second) {
		return sess
	}
	next, value := s.refreshOnce(r.Context(), sess, now)
	if next == nil {
		s.sessionCookie().clear(w, r)
		return nil
	}
	s.sessionCookie().write(w, r, value, int(next.Expires-now.Unix()))
	return next
}

// refreshOnce refreshes sess, sharing the refresh under way for the same
// session, or the result of one that finished within refreshGrace and is
// newer than sess. It returns nil when the session ended.
func (s *Server) refreshOnce(ctx context.Context, sess *session, now time.Time) (*session, string) {
	f := &s.refreshes
	f.mu.Lock()
	if c := f.recent[sess.ID]; c != nil && now.Sub(c.at) < refreshGrace && c.sess.checked() > sess.checked() {
		f.mu.Unlock()
		return c.sess, c.value
	}
	if c := f.calls[sess.ID]; c != nil {
		f.mu.Unlock()
		select {
		case <-c.done:
			return c.sess, c.value
		case <-ctx.Done():
			return nil, ""
		}
	}
	c := &refreshCall{done: make(chan struct{}), at: now}
	if f.calls == nil {
		f.calls = make(map[string]*refreshCall)
	}
	f.calls[sess.ID] = c
	f.mu.Unlock()

	c.sess, c.value = s.runRefresh(sess, now)
	if c.sess != nil && s.revoked.refused(sess) {
		// Logged out while the provider answered: the new token must not
		// outlive the session at the provider.
		s.revokeInBackground(c.sess.Refresh)
		c.sess, c.value = nil, ""
	}

	f.mu.Lock()
	delete(f.calls, sess.ID)
	if c.sess != nil {
		f.remember(sess.ID, c, now)
	}
	f.mu.Unlock()
	close(c.done)
	return c.sess, c.value
}

// latestToken is the refresh token of the session's latest refresh still
// remembered, "" when none.
func (f *refresher) latestToken(sid string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.recent[sid]; c != nil && c.sess != nil {
		return c.sess.Refresh
	}
	return ""
}

// remember keeps a successful refresh for refreshGrace, bounded by bytes:
// when full, finished results past their grace are dropped, then all.
func (f *refresher) remember(sid string, c *refreshCall, now time.Time) {
	cost := int64(256 + len(sid) + len(c.value))
	if f.recentBytes+cost > recentRefreshBytes {
		for id, old := range f.recent {
			if now.Sub(old.at) >= refreshGrace {
				delete(f.recent, id)
				f.recentBytes -= int64(256 + len(id) + len(old.value))
			}
		}
		if f.recentBytes+cost > recentRefreshBytes {
			f.recent, f.recentBytes = nil, 0
		}
	}
	if f.recent == nil {
		f.recent = make(map[string]*refreshCall)
	}
	if old := f.recent[sid]; old != nil {
		f.recentBytes -= int64(256 + len(sid) + len(old.value))
	}
	f.recent[sid] = c
	f.recentBytes += cost
}

// refreshError is a refresh that ended the session, with its outcome for
// metrics and logs.
type refreshError struct {
	outcome string
	err     error
}

func (e *refreshError) Error() string { return e.outcome + ": " + e.err.Error() }

// runRefresh checks sess with the provider and returns the updated session
// and its cookie, or nil after ending the session (revoked in this
// process) when the provider refuses, cannot be reached, or answers
// something that does not verify. Every outcome is counted and logged
// without tokens.
func (s *Server) runRefresh(sess *session, now time.Time) (*session, string) {
	ctx, cancel := context.WithTimeout(s.clientContext(context.Background()), refreshTimeout)
	defer cancel()
	next, value, err := s.redeemRefresh(ctx, sess, now)
	if err == nil {
		s.metrics.refreshed("ok")
		s.log.Debug("session refreshed", slog.String("email", next.Email), slog.Int("groups", len(next.Groups)))
		return next, value
	}
	var re *refreshError
	if !errors.As(err, &re) {
		re = &refreshError{outcome: "error", err: err}
	}
	s.metrics.refreshed(re.outcome)
	s.endSession(sess, now, "refresh "+re.outcome)
	s.log.Info("session ended at refresh", slog.String("outcome", re.outcome), slog.String("email", sess.Email),
		slog.String("reason", re.err.Error()))
	return nil, ""
}

// redeemRefresh redeems the session's refresh token and verifies what comes
// back as at sign-in: a new ID token must pass verifyTokens and name the
// same subject; without one, UserInfo is read with the new access token
// and must name the same subject. The email, its verification and the
// declared groups are taken from the answer; the rotated refresh token
// (or the old one, when the provider rotates none) is kept.
func (s *Server) redeemRefresh(ctx context.Context, sess *session, now time.Time) (*session, string, error) {
	if sess.Refresh == "" {
		return nil, "", &refreshError{"reauthenticate", errors.New("no refresh token: the person signs in again")}
	}
	p, err := s.provider(ctx)
	if err != nil {
		return nil, "", &refreshError{"unreachable", err}
	}
	tok, err := p.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: sess.Refresh}).Token()
	if err != nil {
		return nil, "", tokenEndpointError(err)
	}
	c, err := s.refreshedClaims(ctx, p, tok)
	if err != nil {
		return nil, "", err
	}
	if c.Subject != sess.Subject {
		return nil, "", &refreshError{"invalid_token", errors.New("the provider named another subject")}
	}
	next := &session{
		ID: sess.ID, Subject: sess.Subject, Email: c.Email,
		Verified: c.verified(s.cfg.AssumeEmailVerified), Assumed: c.assumed(s.cfg.AssumeEmailVerified),
		Issued: sess.Issued, Expires: sess.Expires, Checked: now.Unix(), Refresh: tok.RefreshToken, GroupsFrom: s.claimTag,
	}
	if st := s.current.Load(); st != nil {
		next.Groups = declaredGroups(c.Groups, st.groups)
	}
	if len(next.Groups) > maxGroups || !next.valid() {
		return nil, "", &refreshError{"invalid_claims", errors.New("claims too large or malformed")}
	}
	value, err := s.sealSession(next)
	if err != nil {
		return nil, "", &refreshError{"session_too_large", err}
	}
	return next, value, nil
}

// refreshedClaims verifies the ID token of a refresh answer, or reads
// UserInfo when there is none.
func (s *Server) refreshedClaims(ctx context.Context, p *provider, tok *oauth2.Token) (claims, error) {
	if rawID, _ := tok.Extra("id_token").(string); rawID != "" {
		c, err := s.verifyTokens(ctx, p, tok, rawID, "")
		if err != nil {
			var se *signinError
			if errors.As(err, &se) {
				err = se.err
			}
			return claims{}, &refreshError{"invalid_token", err}
		}
		return c, nil
	}
	if !p.userInfo || tok.AccessToken == "" {
		return claims{}, &refreshError{"invalid_token", errors.New("refresh answer has no id_token and there is no UserInfo")}
	}
	c, err := s.userInfo(ctx, p, tok)
	if err != nil {
		return claims{}, &refreshError{"unreachable", errors.New("userinfo failed")}
	}
	return c, nil
}

// tokenEndpointError classifies a failed refresh grant: the provider
// answered with an OAuth error (invalid_grant: the token was revoked,
// spent or the person disabled) or could not be reached. Only the error
// code and status are kept: a response body is never logged.
func tokenEndpointError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		code := re.ErrorCode
		if code == "" {
			code = "no error code"
		}
		if re.Response.StatusCode >= 500 {
			return &refreshError{"unreachable", errors.New("token endpoint answered " + re.Response.Status)}
		}
		return &refreshError{"refused", errors.New("token endpoint answered " + re.Response.Status + ": " + code)}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &refreshError{"unreachable", errors.New("token endpoint did not answer in time")}
	}
	return &refreshError{"unreachable", err} // a transport error: it names the endpoint, never the form
}
