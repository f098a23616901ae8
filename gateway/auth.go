package gateway

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/facet-docs/facet/internal/ledger"
)

// base64URLAlphabet is what a state the gateway made consists of.
const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// flowLifetime is how long a started sign-in may take at the provider.
const flowLifetime = 10 * time.Minute

// flow is what the browser carries, sealed, between /auth/login and
// /auth/callback.
type flow struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"pkce"`
	RD       string `json:"rd"`
	// Issued is when the flow started, Unix seconds.
	Issued int64 `json:"iat"`
}

// flowCookie is the cookie of one sign-in, named after its state so that
// sign-ins started in several tabs do not overwrite each other.
func (s *Server) flowCookie(state string) cookieSpec {
	return cookieSpec{name: s.cookieName + "_flow_" + state[:12], path: "/", secure: s.secure}
}

// logoutCookie holds the raw ID token, sent only to /auth/logout, where
// it becomes the id_token_hint of the provider's end_session_endpoint.
func (s *Server) logoutCookie() cookieSpec {
	name := "facet_logout"
	if s.secure {
		name = "__Secure-" + name
	}
	return cookieSpec{name: name, path: LogoutPath, secure: s.secure}
}

// login starts the authorization code flow with PKCE (S256), state and
// nonce, and sends the browser to the provider.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	noStore(w.Header())
	p, err := s.provider(r.Context())
	if err != nil {
		s.log.Error("sign-in unavailable", slog.Any("err", err))
		s.metrics.signin("discovery_failed")
		s.page(w, http.StatusBadGateway, "Sign-in unavailable", "The sign-in service cannot be reached. Please try again later.",
			link{"/", "Back to the site"})
		return
	}
	f := flow{
		State:    randomToken(32),
		Nonce:    randomToken(32),
		Verifier: oauth2.GenerateVerifier(),
		RD:       localRedirect(r.URL.Query().Get("rd")),
		Issued:   s.now().Unix(),
	}
	payload, err := json.Marshal(f)
	if err != nil {
		s.serverError(w, "encode sign-in", err)
		return
	}
	s.boundFlows(w, r)
	c := s.flowCookie(f.State)
	c.write(w, r, s.sealer.seal(c.name, payload, s.now().Add(flowLifetime)), int(flowLifetime/time.Second))
	target := p.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	http.Redirect(w, r, target, http.StatusFound)
}

// maxFlows bounds the sign-ins a browser may have under way at once. Each
// keeps a flow cookie for flowLifetime, and a page elsewhere can start
// sign-ins at will: unbounded, they would push the browser's Cookie header
// past what servers and proxies accept and lock it out of the site.
const maxFlows = 2

// boundFlows expires every flow cookie the request carries once it carries
// maxFlows of them, so that at most maxFlows are ever pending.
func (s *Server) boundFlows(w http.ResponseWriter, r *http.Request) {
	prefix := s.cookieName + "_flow_"
	var names []string
	for _, ck := range r.Cookies() {
		if strings.HasPrefix(ck.Name, prefix) && !slices.Contains(names, ck.Name) {
			names = append(names, ck.Name)
		}
	}
	if len(names) < maxFlows {
		return
	}
	for _, n := range names {
		c := cookieSpec{name: n, path: "/", secure: s.secure}
		http.SetCookie(w, c.cookie(n, "", -1))
	}
}

// signinError is a failed sign-in: an outcome for metrics and logs, and
// the status to answer with.
type signinError struct {
	outcome string
	status  int
	err     error
}

func (e *signinError) Error() string { return e.outcome + ": " + e.err.Error() }
func (e *signinError) Unwrap() error { return e.err }

func failed(outcome string, status int, err error) *signinError {
	return &signinError{outcome: outcome, status: status, err: err}
}

// callback finishes a sign-in: it checks state against the flow cookie,
// spends the flow, exchanges the code with the PKCE verifier, verifies the
// ID token and its nonce, and starts a new session. A client address with
// too many failed callbacks in the window (failures once the token
// endpoint was asked: see finish) is answered 429 without asking the
// provider.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	noStore(w.Header())
	client := s.clientIP(r)
	key := limitKey(client)
	if s.callbackFailures.blocked(key, s.now()) {
		s.metrics.signin("rate_limited")
		w.Header().Set("Retry-After", strconv.Itoa(int(callbackWindow/time.Second)))
		s.page(w, http.StatusTooManyRequests, "Too many sign-in attempts",
			"Too many sign-ins from your network failed. Please wait a minute and try again.", link{"/", "Back to the site"})
		return
	}
	rd, exchanged, err := s.finish(w, r)
	if err != nil {
		if exchanged {
			// Only a failure that reached the token endpoint counts: one
			// refused before it costs the provider nothing, and any page
			// can make a browser send it.
			s.callbackFailures.fail(key, s.now())
		}
		var se *signinError
		if !errors.As(err, &se) {
			se = failed("error", http.StatusInternalServerError, err)
		}
		s.metrics.signin(se.outcome)
		s.log.Warn("sign-in failed", slog.String("outcome", se.outcome), slog.Any("err", se.err),
			slog.String("client", client))
		if se.outcome == "session_too_large" {
			s.page(w, se.status, "Sign-in cannot be kept",
				"Your account belongs to more of this site's groups than a sign-in can hold, or the sign-in service gave too long a token. Please tell the site's administrators.",
				link{"/", "Back to the site"})
			return
		}
		s.page(w, se.status, "Sign-in failed", "We could not sign you in. Please try again.",
			link{loginURLFor(rd), "Sign in again"}, link{"/", "Back to the site"})
		return
	}
	s.metrics.signin("ok")
	http.Redirect(w, r, rd, http.StatusFound)
}

func loginURLFor(rd string) string { return LoginPath + "?rd=" + url.QueryEscape(localRedirect(rd)) }

// finish checks the callback's state against the flow cookie, spends the
// flow, redeems the code and writes the session. It returns where to send
// the browser, whether the provider's token endpoint was asked (only
// then can the failure of a forged callback cost the provider anything),
// and the failure, if any.
func (s *Server) finish(w http.ResponseWriter, r *http.Request) (string, bool, error) {
	q := r.URL.Query()
	state := q.Get("state")
	if len(state) < 32 || len(state) > 128 || strings.Trim(state, base64URLAlphabet) != "" {
		return "/", false, failed("bad_state", http.StatusBadRequest, errors.New("missing or malformed state"))
	}
	fc := s.flowCookie(state)
	payload, ok := fc.read(r, s.sealer, s.now())
	fc.clear(w, r)
	var f flow
	if !ok || json.Unmarshal(payload, &f) != nil ||
		subtle.ConstantTimeCompare([]byte(f.State), []byte(state)) != 1 {
		return "/", false, failed("bad_state", http.StatusBadRequest, errors.New("state does not match a sign-in of this browser"))
	}
	if !s.spendFlow(f) {
		return "/", false, failed("bad_state", http.StatusBadRequest, errors.New("sign-in flow already used"))
	}
	rd := localRedirect(f.RD)
	if e := q.Get("error"); e != "" {
		return rd, false, failed("provider_error", http.StatusForbidden, errors.New("provider answered "+clip(e)+": "+clip(q.Get("error_description"))))
	}
	code := q.Get("code")
	if code == "" {
		return rd, false, failed("bad_request", http.StatusBadRequest, errors.New("no code"))
	}
	p, err := s.provider(r.Context())
	if err != nil {
		return rd, false, failed("discovery_failed", http.StatusBadGateway, err)
	}
	c, rawID, tok, err := s.redeem(r, p, code, f)
	if err != nil {
		return rd, true, err
	}
	st := s.current.Load()
	now := s.now()
	sess := &session{
		ID: newSessionID(), Subject: c.Subject, Email: c.Email,
		Verified: c.verified(s.cfg.AssumeEmailVerified), Assumed: c.assumed(s.cfg.AssumeEmailVerified),
		Issued: now.Unix(), Expires: now.Add(s.cfg.Session).Unix(), Checked: now.Unix(), GroupsFrom: s.claimTag,
	}
	if s.cfg.Refresh > 0 {
		sess.Refresh = tok.RefreshToken
	}
	// Only the declared groups are kept; with no generation loaded none is
	// declared, so none is kept (as at refresh): the groups are read again
	// at the next refresh or sign-in.
	if st != nil {
		sess.Groups = declaredGroups(c.Groups, st.groups)
	}
	if len(sess.Groups) > maxGroups {
		return rd, true, failed("session_too_large", http.StatusInternalServerError, errors.New("more groups than a session holds"))
	}
	if !sess.valid() {
		return rd, true, failed("invalid_claims", http.StatusForbidden, errors.New("claims too large or malformed"))
	}
	if err := s.writeSession(w, r, sess); err != nil {
		return rd, true, err
	}
	s.writeLogoutHint(w, rawID, sess)
	s.record(ledger.SignIn, sess, now)
	kind := "unknown"
	if st != nil {
		kind = string(st.identify(sess, now).Kind)
	}
	s.log.Info("signed in", slog.String("email", sess.Email), slog.String("kind", kind),
		slog.Int("groups", len(sess.Groups)), slog.Bool("refresh_token", sess.Refresh != ""), slog.String("client", s.clientIP(r)))
	return rd, true, nil
}

// spendFlow marks the flow used and reports whether it was unused: a flow
// cookie opens one callback, however many copies of it are sent (the
// response clearing it binds only a browser that obeys). Spent flows are
// kept in a bounded table until they expire.
func (s *Server) spendFlow(f flow) bool {
	now := s.now()
	fresh, full := s.spentFlows.spend(f.State, f.Issued, f.Issued+int64(flowLifetime/time.Second), now)
	if full {
		s.log.Warn("table of used sign-in flows full: sign-ins started until now must start again",
			slog.Time("not_before", now))
	}
	return fresh
}

// writeLogoutHint keeps the ID token for logout's id_token_hint. The
// cookie is sent only to /auth/logout, which is why it is not chunked: a
// token too large for one cookie is not kept, and logout goes without the
// hint (client_id still names the client).
func (s *Server) writeLogoutHint(w http.ResponseWriter, rawID string, sess *session) {
	lc := s.logoutCookie()
	v := s.sealer.seal(lc.name, []byte(rawID), time.Unix(sess.Expires, 0))
	if len(v) > maxCookieValue {
		http.SetCookie(w, lc.cookie(lc.name, "", -1))
		return
	}
	http.SetCookie(w, lc.cookie(lc.name, v, int(sess.Expires-sess.Issued)))
}

// redeem exchanges the code and verifies the tokens (verifyTokens, with
// the flow's nonce). It returns the claims, the raw ID token and the token
// response.
func (s *Server) redeem(r *http.Request, p *provider, code string, f flow) (claims, string, *oauth2.Token, error) {
	ctx := s.clientContext(r.Context())
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return claims{}, "", nil, failed("exchange_failed", http.StatusBadGateway, err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return claims{}, "", nil, failed("invalid_token", http.StatusBadGateway, errors.New("token response has no id_token"))
	}
	c, err := s.verifyTokens(ctx, p, tok, rawID, f.Nonce)
	return c, rawID, tok, err
}

// verifyTokens verifies an ID token: signature, issuer, audience, expiry
// (go-oidc), the nonce when one is wanted (a refreshed ID token is checked
// without: the session does not keep the sign-in's), the subject and the
// authorized party (checkParties), and the access token hash when present.
// Claims missing from the ID token (email, email_verified, groups) are
// taken from UserInfo for the same subject.
func (s *Server) verifyTokens(ctx context.Context, p *provider, tok *oauth2.Token, rawID, nonce string) (claims, error) {
	idt, err := p.verifier.Verify(ctx, rawID)
	if err != nil {
		return claims{}, failed("invalid_token", http.StatusForbidden, err)
	}
	if nonce != "" && subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return claims{}, failed("invalid_token", http.StatusForbidden, errors.New("nonce does not match"))
	}
	var raw map[string]any
	if err := idt.Claims(&raw); err != nil {
		return claims{}, failed("invalid_token", http.StatusForbidden, err)
	}
	if err := s.checkParties(idt, raw); err != nil {
		return claims{}, failed("invalid_token", http.StatusForbidden, err)
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return claims{}, failed("invalid_token", http.StatusForbidden, err)
		}
	}
	c := s.claim.parseClaims(raw)
	c.Subject = idt.Subject
	if (!c.hasEmail || !c.hasVerified || !c.hasGroups) && p.userInfo && tok.AccessToken != "" {
		if u, err := s.userInfo(ctx, p, tok); err != nil {
			s.log.Warn("userinfo", slog.Any("err", err))
		} else {
			c = c.merge(u)
		}
	}
	return c, nil
}

// userInfo reads the provider's UserInfo with an access token.
func (s *Server) userInfo(ctx context.Context, p *provider, tok *oauth2.Token) (claims, error) {
	ui, err := p.oidc.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return claims{}, err
	}
	var m map[string]any
	if err := ui.Claims(&m); err != nil {
		return claims{}, err
	}
	return s.claim.parseClaims(m), nil
}

// checkParties refuses an ID token that names no subject, and one whose
// authorized party (azp) is not this client: azp must equal client_id
// whenever the claim is present, and is required when the token has
// several audiences.
func (s *Server) checkParties(idt *oidc.IDToken, raw map[string]any) error {
	if idt.Subject == "" {
		return errors.New("id token has no subject")
	}
	v, present := raw["azp"]
	if !present && len(idt.Audience) <= 1 {
		return nil
	}
	if azp, _ := v.(string); azp != s.cfg.ClientID {
		return errors.New("azp is not this client")
	}
	return nil
}

// clip shortens a provider's text for a log line.
func clip(s string) string {
	const n = 200
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// logout ends the session in this process (the revocation table: a copy of
// the cookie no longer opens it), revokes its refresh token at the
// provider when it offers revocation_endpoint, clears the session and the
// browser's copies of the site, then ends the session at the provider when
// it offers end_session_endpoint.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	noStore(w.Header())
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		// Another site sent the browser here: it must not sign anyone out (nor
		// end their session at the provider) without their say.
		s.page(w, http.StatusOK, "Sign out", "Do you want to sign out?", link{LogoutPath, "Sign out"}, link{"/", "Back to the site"})
		return
	}
	now := s.now()
	hint, _ := s.logoutCookie().read(r, s.sealer, now)
	p, perr := s.provider(r.Context())
	// A session ended before (a copy of its cookie) revokes nothing again.
	if sess := s.readSession(r, now); sess != nil && s.endSession(sess, now, "logout") {
		s.record(ledger.SignOut, sess, now)
		// The cookie may predate a refresh (another tab): revoke the token
		// that refresh got as well.
		for _, rt := range slices.Compact([]string{sess.Refresh, s.refreshes.latestToken(sess.ID)}) {
			if rt == "" || perr != nil || p.revocation == "" {
				continue
			}
			if err := s.revokeRefreshToken(s.clientContext(r.Context()), p, rt); err != nil {
				s.log.Warn("refresh token not revoked at the provider", slog.Any("err", err))
			}
		}
	}
	s.sessionCookie().clear(w, r)
	s.logoutCookie().clear(w, r)
	// Not "cookies": that would clear every cookie of the registrable
	// domain, signing people out of unrelated sites beside this one.
	w.Header().Set("Clear-Site-Data", `"cache", "storage"`)
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	target := "/"
	if perr == nil && p.endSession != "" {
		u, _ := url.Parse(p.endSession) // checked at discovery
		q := u.Query()
		if len(hint) > 0 {
			q.Set("id_token_hint", string(hint))
		}
		q.Set("client_id", s.cfg.ClientID)
		q.Set("post_logout_redirect_uri", s.cfg.PublicURL+"/")
		u.RawQuery = q.Encode()
		target = u.String()
	}
	s.log.Info("signed out", slog.String("client", s.clientIP(r)))
	http.Redirect(w, r, target, status)
}
