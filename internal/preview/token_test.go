package preview

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/sitetest"
)

// TestTokenGuardsEveryPath: with Options.Token, every path of the preview
// (the builds, view-as, the toolbar, whoami, the event stream, the page
// bar's JSON) answers 401 without the token, so that another user of the
// machine, or anyone who reaches a preview listening beyond it, reads
// nothing; the printed address (?token=T) sets a cookie and redirects to
// the same address without it, after which the author browses as usual.
func TestTokenGuardsEveryPath(t *testing.T) {
	t.Parallel()
	dir := sitetest.Shared(t, "members-open-eng")
	const token = "Zm9vYmFyYmF6cXV4LXByZXZpZXctdG9rZW4"
	s := New(Options{Site: dir, Out: filepath.Join(t.TempDir(), "public"), Token: token})
	t.Cleanup(func() { s.Close() })
	rebuild(t, s)
	do := func(path string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313"+path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	paths := []string{"/", "/eng/", "/_facet/", "/_facet/as?id=group:eng", "/_facet/whoami",
		"/_facet/events", "/_facet/page?url=/eng/", "/_facet/nav.js", "/_facet/reload.js", "/missing/"}
	for _, p := range paths {
		if rec := do(p); rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "Engineering") {
			t.Errorf("%s without the token: %d %q, want 401 and nothing of the site", p, rec.Code, rec.Body.String())
		}
	}
	wrong := &http.Cookie{Name: TokenCookie(token), Value: token[:len(token)-1] + "x"}
	if rec := do("/eng/", wrong); rec.Code != http.StatusUnauthorized {
		t.Errorf("/eng/ with a wrong token: %d, want 401", rec.Code)
	}
	if rec := do("/eng/?token=" + token[:10]); rec.Code != http.StatusUnauthorized {
		t.Errorf("/eng/?token=(a prefix): %d, want 401", rec.Code)
	}
	// the printed address: a cookie, and the same address without the token
	rec := do("/eng/?a=1&token=" + token + "&b=2")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/eng/?a=1&b=2" {
		t.Fatalf("?token=: %d to %q, want 303 to /eng/?a=1&b=2", rec.Code, rec.Header().Get("Location"))
	}
	var got *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == TokenCookie(token) {
			got = c
		}
	}
	if got == nil || got.Value != token || !got.HttpOnly || got.SameSite != http.SameSiteStrictMode || got.Path != "/" {
		t.Fatalf("?token= set %+v, want an HttpOnly, SameSite=Strict cookie holding the token", got)
	}
	for _, p := range paths {
		if p == "/_facet/events" {
			continue // a stream: answered, it stays open
		}
		if rec := do(p, got); rec.Code == http.StatusUnauthorized {
			t.Errorf("%s with the token's cookie: 401", p)
		}
	}
	if rec := do("/", got); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("/ with the cookie: %d", rec.Code)
	}
	// a token from another run names another cookie
	if TokenCookie(token) == TokenCookie(token+"2") || strings.Contains(TokenCookie(token), token[:8]) {
		t.Errorf("TokenCookie(%q) = %q: want a name of the run's own that does not spell the token", token, TokenCookie(token))
	}
	// without Token, the preview answers without one, as before
	open, _ := site(t)
	rebuild(t, open)
	if res := get(t, open, "/", ""); res.StatusCode != http.StatusOK {
		t.Errorf("no Token: / answers %d", res.StatusCode)
	}
}

// TestTokenEvents: the live-reload stream opens with the token's cookie.
func TestTokenEvents(t *testing.T) {
	t.Parallel()
	dir := sitetest.Shared(t, "members-open-eng")
	const token = "another-preview-token-of-this-test-run"
	s := New(Options{Site: dir, Out: filepath.Join(t.TempDir(), "public"), Token: token})
	t.Cleanup(func() { s.Close() })
	rebuild(t, s)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	for _, cookie := range []bool{false, true} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/_facet/events", nil)
		if cookie {
			req.AddCookie(&http.Cookie{Name: TokenCookie(token), Value: token})
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if !cookie {
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("events without the token: %d, want 401", res.StatusCode)
			}
			continue
		}
		defer res.Body.Close()
		line, err := bufio.NewReader(res.Body).ReadString('\n')
		if err != nil || res.StatusCode != http.StatusOK || line != "event: hello\n" {
			t.Fatalf("events with the token: %d, first line %q (%v), want 200 and a hello event", res.StatusCode, line, err)
		}
	}
}
