package gateway

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/config"
)

// A session whose address counted as verified only because the provider
// sent no email_verified and assume_email_verified was on stops counting
// as verified once the setting is off: turned off (the operator learns
// that the provider lets people enter addresses they do not own), it
// applies to the sessions already signed in, not only to the next
// sign-ins. A session whose provider said true keeps its verification.
func TestAssumedVerificationFollowsTheSetting(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.gw.cfg.AssumeEmailVerified = true
	assumed, said := e.browser(t), e.browser(t)
	noClaim := map[string]any{"sub": "sub-bob", "email": "bob@example.com", "groups": []string{"eng"}}
	e.signIn(t, assumed, noClaim, "/").Body.Close()
	e.signIn(t, said, person("sue@example.com", true, "eng"), "/").Body.Close()
	for _, c := range []struct {
		name string
		kind string
	}{{"bob", "member"}, {"sue", "member"}} {
		b := assumed
		if c.name == "sue" {
			b = said
		}
		if w := e.whoami(t, b); w.Kind != c.kind {
			t.Fatalf("%s with assume_email_verified on: %s", c.name, w.Kind)
		}
	}

	// The gateway restarts with the setting off.
	cfg := *e.gw.cfg
	cfg.AssumeEmailVerified = false
	gw, err := New(&cfg, e.out, WithNow(e.clk.now), WithLogger(quietLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close() })
	if w := whoami(t, gw, sessionCookies(t, e, assumed)); w.Kind != "outsider" || len(w.Groups) != 0 {
		t.Errorf("bob, verified only by assumption, after assume_email_verified was turned off: %+v, want an outsider", w)
	}
	if r := get(gw, "/eng/", sessionCookies(t, e, assumed)); r.StatusCode != 404 {
		t.Errorf("bob's /eng/ after assume_email_verified was turned off: %d", r.StatusCode)
	}
	if w := whoami(t, gw, sessionCookies(t, e, said)); w.Kind != "member" {
		t.Errorf("sue, whose provider said email_verified true: %+v, want a member", w)
	}
}

// A sign-in lasts what session says: shortened, the new lifetime bounds
// the sessions already signed in too, from their sign-in (a session
// sealed to last 12 hours ends 1 hour after its sign-in once session is
// 1h); lengthened, a session keeps the end it was sealed with.
func TestShortenedSessionBoundsSessionsSignedIn(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	b := e.browser(t)
	e.signIn(t, b, person("bob@example.com", true, "eng"), "/").Body.Close()
	restart := func(session time.Duration) *Server {
		cfg := *e.gw.cfg
		cfg.Session = session
		gw, err := New(&cfg, e.out, WithNow(e.clk.now), WithLogger(quietLogger(t)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { gw.Close() })
		return gw
	}
	short, long := restart(time.Hour), restart(48*time.Hour)
	e.clk.set(testNow.Add(59 * time.Minute))
	if w := whoami(t, short, sessionCookies(t, e, b)); w.Kind != "member" {
		t.Errorf("59 minutes after sign-in with session 1h: %s", w.Kind)
	}
	e.clk.set(testNow.Add(time.Hour))
	if w := whoami(t, short, sessionCookies(t, e, b)); w.Kind != "anonymous" {
		t.Errorf("an hour after sign-in with session 1h: %s, want anonymous", w.Kind)
	}
	if r := get(short, "/eng/", sessionCookies(t, e, b)); r.StatusCode != http.StatusFound {
		t.Errorf("/eng/ an hour after sign-in with session 1h: %d, want a redirect to sign in", r.StatusCode)
	}
	if w := whoami(t, long, sessionCookies(t, e, b)); w.Kind != "member" {
		t.Errorf("an hour after sign-in with session 48h: %s", w.Kind)
	}
	e.clk.set(testNow.Add(12 * time.Hour))
	if w := whoami(t, long, sessionCookies(t, e, b)); w.Kind != "anonymous" {
		t.Errorf("12 hours after a sign-in sealed for 12h, with session 48h: %s, want anonymous", w.Kind)
	}
}

// A session's groups are those of the claim groups_claim named at its
// sign-in: once groups_claim names another claim, the groups read from
// the former one no longer count for the sessions already signed in (the
// next sign-in or refresh reads the new claim).
func TestChangedGroupsClaimDropsSessionGroups(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	b := e.browser(t)
	claims := person("bob@example.com", true, "eng")
	claims["roles"] = []string{"staff"}
	e.signIn(t, b, claims, "/").Body.Close()
	restart := func(claim config.Claim) *Server {
		cfg := *e.gw.cfg
		cfg.GroupsClaim = claim
		gw, err := New(&cfg, e.out, WithNow(e.clk.now), WithLogger(quietLogger(t)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { gw.Close() })
		return gw
	}
	same := restart(e.gw.cfg.GroupsClaim)
	if w := whoami(t, same, sessionCookies(t, e, b)); w.Kind != "member" || !slices.Equal(w.Groups, []string{"eng"}) {
		t.Errorf("with the same groups_claim: %+v, want a member of eng", w)
	}
	roles := restart(config.Claim{Name: "roles", Path: []string{"roles"}})
	if w := whoami(t, roles, sessionCookies(t, e, b)); w.Kind != "member" || len(w.Groups) != 0 {
		t.Errorf("with groups_claim now roles: %+v, want a member of no group", w)
	}
	if r := get(roles, "/eng/", sessionCookies(t, e, b)); r.StatusCode != http.StatusNotFound {
		t.Errorf("/eng/ with groups_claim now roles: %d", r.StatusCode)
	}
}

// An ID token without email_verified is not the provider's last word when
// its UserInfo speaks of the same address: a false there is never
// overridden by assume_email_verified, and a true there verifies it.
// UserInfo about another address says nothing of this one.
func TestUserInfoDecidesAnAbsentEmailVerified(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		assume   bool
		id, info map[string]any
		kind     string
	}{
		{"groups from UserInfo, which says false", true,
			map[string]any{"sub": "sub-bob", "email": "bob@example.com"},
			map[string]any{"email": "bob@example.com", "email_verified": false, "groups": []string{"eng"}}, "outsider"},
		{"all in the ID token but verification; UserInfo says false", true,
			map[string]any{"sub": "sub-bob", "email": "bob@example.com", "groups": []string{"eng"}},
			map[string]any{"email": "bob@example.com", "email_verified": false}, "outsider"},
		{"UserInfo says the string false", true,
			map[string]any{"sub": "sub-bob", "email": "bob@example.com", "groups": []string{"eng"}},
			map[string]any{"email": "bob@example.com", "email_verified": "false"}, "outsider"},
		{"UserInfo says true", false,
			map[string]any{"sub": "sub-bob", "email": "bob@example.com", "groups": []string{"eng"}},
			map[string]any{"email": "bob@example.com", "email_verified": true}, "member"},
		{"UserInfo says true of another address", false,
			map[string]any{"sub": "sub-bob", "email": "bob@example.com", "groups": []string{"eng"}},
			map[string]any{"email": "other@example.com", "email_verified": true}, "outsider"},
		{"UserInfo says nothing; assumed", true,
			map[string]any{"sub": "sub-bob", "email": "bob@example.com", "groups": []string{"eng"}},
			map[string]any{"email": "bob@example.com"}, "member"},
		{"the ID token says false, UserInfo true", false,
			map[string]any{"sub": "sub-bob", "email": "bob@example.com", "email_verified": false, "groups": []string{"eng"}},
			map[string]any{"email": "bob@example.com", "email_verified": true}, "outsider"},
	} {
		e := newTestEnv(t, func(i *testIssuer) { i.userinfo = tc.info })
		e.gw.cfg.AssumeEmailVerified = tc.assume
		c := e.browser(t)
		e.signIn(t, c, tc.id, "/").Body.Close()
		if w := e.whoami(t, c); w.Kind != tc.kind {
			t.Errorf("%s: %s, want %s", tc.name, w.Kind, tc.kind)
		}
	}
}
