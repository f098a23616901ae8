package gateway_test

import (
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/idptest"
)

// e2eClock is the gateway's clock in the refresh tests: the wall clock
// moved forward by what the test advanced, so an interval passes at once.
type e2eClock struct {
	mu    sync.Mutex
	shift time.Duration
}

func (c *e2eClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.shift)
}

func (c *e2eClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shift += d
}

// newE2ERefresh is the e2e env with refresh set to every (0: off) and a
// clock the test advances.
func newE2ERefresh(t *testing.T, every time.Duration) (*e2eEnv, *e2eClock) {
	t.Helper()
	clk := &e2eClock{}
	e := newE2EWith(t, "groups", "groups", func(g *config.Gateway) { g.Refresh = every }, gateway.WithNow(clk.now))
	return e, clk
}

// sessionCookie returns the session cookie value the browser holds.
func (b *browser) sessionCookie(t *testing.T) string {
	t.Helper()
	u, _ := url.Parse(b.e.public)
	for _, ck := range b.c.Jar.Cookies(u) {
		if ck.Name == "facet" {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// replay requests path with nothing but the given session cookie, as
// someone who copied it would.
func (e *e2eEnv) replay(t *testing.T, cookie, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.public+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "facet", Value: cookie})
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// logout signs the browser out without following the redirect to the
// provider.
func (b *browser) logout(t *testing.T) {
	t.Helper()
	resp, _ := b.get(t, gateway.LogoutPath)
	location(t, resp)
}

func TestE2ECopiedCookieRefusedAfterLogout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		every time.Duration
	}{{"refresh off", 0}, {"refresh on", 10 * time.Minute}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newE2ERefresh(t, tc.every)
			b := e.browser(t)
			b.signIn(t, "/eng/", "bob")
			copied := b.sessionCookie(t)
			if resp := e.replay(t, copied, "/eng/"); resp.StatusCode != http.StatusOK {
				t.Fatalf("copied cookie before logout: status %d, want 200", resp.StatusCode)
			}
			b.logout(t)
			wantSignInRedirect(t, e.replay(t, copied, "/eng/"), "/eng/")
			wantRevocations := 0
			if tc.every > 0 {
				wantRevocations = 1 // the refresh token, at the provider
			}
			if got := e.idp.Revocations(); got != wantRevocations {
				t.Errorf("revocations at the provider: %d, want %d", got, wantRevocations)
			}
		})
	}
}

func TestE2ERefreshDropsRemovedGroup(t *testing.T) {
	t.Parallel()
	e, clk := newE2ERefresh(t, 10*time.Minute)
	b := e.browser(t)
	b.signIn(t, "/eng/", "engineer")
	if got := b.whoami(t); !slices.Equal(got.Groups, []string{"eng"}) {
		t.Fatalf("signed in with groups %q", got.Groups)
	}
	e.idp.SetUser(idptest.User{Username: "engineer", Password: e2ePassword, Email: "engineer@example.com", EmailVerified: true})
	clk.advance(9 * time.Minute)
	if got := b.whoami(t); !slices.Equal(got.Groups, []string{"eng"}) {
		t.Fatalf("before the interval: groups %q, want [eng] still", got.Groups)
	}
	clk.advance(2 * time.Minute)
	got := b.whoami(t)
	if got.Kind != "member" || len(got.Groups) != 0 || got.Audience != "members" {
		t.Fatalf("after the interval: %s %q %s, want a member without groups", got.Kind, got.Groups, got.Audience)
	}
	b.walk(t, memberURLs, e.notFoundPage(t, got.Build))
}

func TestE2EDisabledUserLosesSession(t *testing.T) {
	t.Parallel()
	e, clk := newE2ERefresh(t, 10*time.Minute)
	b := e.browser(t)
	b.signIn(t, "/eng/", "bob")
	if !e.idp.DisableUser("bob") {
		t.Fatal("no user bob")
	}
	if got := b.whoami(t); got.Kind != "member" {
		t.Fatalf("before the interval: kind %q, want member still", got.Kind)
	}
	clk.advance(11 * time.Minute)
	if got := b.whoami(t); got.Kind != "anonymous" {
		t.Errorf("after the interval: kind %q, want anonymous", got.Kind)
	}
	resp, _ := b.get(t, "/eng/")
	wantSignInRedirect(t, resp, "/eng/")
}
