package gateway_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/gateway"
)

// A sign-in before anything is published keeps no group in the session:
// with no generation loaded nothing says which groups the site declares,
// so none of the provider's groups is sealed into the cookie. The groups
// are read again at the next sign-in (or refresh).
func TestE2ESignInBeforePublishKeepsNoGroups(t *testing.T) {
	t.Parallel()
	e := newE2EUnpublished(t)
	b := e.browser(t)
	if resp, _ := b.get(t, "/eng/"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/eng/ before publishing: status %d, want 503", resp.StatusCode)
	}
	resp, _ := b.get(t, gateway.LoginPath+"?rd=/eng/")
	callback, err := e.idp.Login(b.c, location(t, resp).String(), "crowded", e2ePassword)
	if err != nil {
		t.Fatalf("provider sign-in: %v", err)
	}
	e.remember(callback.Query().Get("code"))
	resp, _ = b.get(t, callback.String())
	if back := location(t, resp); back.String() != e.public+"/eng/" || !hasCookie(resp, "facet") {
		t.Fatalf("callback: redirect to %s, cookies %q", back, resp.Header.Values("Set-Cookie"))
	}
	// 301 groups sealed as tags would take some 2 KB; a session without
	// groups is a fraction of that.
	u, _ := url.Parse(e.public)
	size := 0
	for _, c := range b.c.Jar.Cookies(u) {
		size += len(c.Name) + 1 + len(c.Value)
	}
	if size > 1000 {
		t.Errorf("session cookie of %d bytes signed in before publishing: groups were kept", size)
	}

	e.build(t)
	if err := e.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	got := b.whoami(t)
	if got.Kind != "member" || len(got.Groups) != 0 || got.Audience != "members" || got.Build != e.dirs["members"] {
		t.Errorf("signed in before publishing, after: %+v; want a member without groups in %s", got, e.dirs["members"])
	}
	if resp, body := b.get(t, "/eng/design/"); resp.StatusCode == http.StatusOK || strings.Contains(body, "Kestrel Design Notes") {
		t.Errorf("/eng/design/ served from a group kept before publishing: %d", resp.StatusCode)
	}

	// The next sign-in reads the groups again, now the site declares them.
	b2 := e.browser(t)
	b2.signIn(t, "/eng/", "crowded")
	if got := b2.whoami(t); got.Kind != "member" || !slices.Equal(got.Groups, []string{"eng"}) {
		t.Errorf("signed in after publishing: %+v, want a member of eng", got)
	}
}
