package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/gateway"
)

// A sign-in's flow cookie, copied before its callback, opens nothing
// after it: the replayed callback is refused by the gateway (400) before
// the provider's token endpoint is asked, not by the provider (502). A
// copied cookie of a session ended by logout, sent to logout again, asks
// the provider to revoke nothing more.
func TestE2EReplayedCallbackAndLogout(t *testing.T) {
	t.Parallel()
	e, _ := newE2ERefresh(t, 10*time.Minute)
	b := e.browser(t)
	resp, _ := b.get(t, "/eng/")
	login := wantSignInRedirect(t, resp, "/eng/")
	resp, _ = b.get(t, login.String())
	authorize := location(t, resp)
	pub, _ := url.Parse(e.public)
	var flow []*http.Cookie
	for _, ck := range b.c.Jar.Cookies(pub) {
		if strings.HasPrefix(ck.Name, "facet_flow_") {
			flow = append(flow, ck)
		}
	}
	callback, err := e.idp.Login(b.c, authorize.String(), "bob", e2ePassword)
	if err != nil {
		t.Fatal(err)
	}
	e.remember(callback.Query().Get("code"))
	resp, _ = b.get(t, callback.String())
	if !hasCookie(resp, "facet") {
		t.Fatalf("genuine callback: status %d, no session", resp.StatusCode)
	}

	req, _ := http.NewRequest(http.MethodGet, callback.String(), nil)
	for _, ck := range flow {
		req.AddCookie(ck)
	}
	replayed, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	replayed.Body.Close()
	if replayed.StatusCode != http.StatusBadRequest || hasCookie(replayed, "facet") {
		t.Errorf("replayed callback: status %d, want 400 without asking the provider", replayed.StatusCode)
	}

	copied := b.sessionCookie(t)
	b.logout(t)
	for range 5 {
		e.replay(t, copied, gateway.LogoutPath).Body.Close()
	}
	if got := e.idp.Revocations(); got != 1 {
		t.Errorf("one logout and 5 copies of its cookie: %d revocations at the provider, want 1", got)
	}
	e.checkLogs(t)
}
