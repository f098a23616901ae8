package gateway

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A path another build holds answers exactly as a path no build holds,
// in every spelling (folder with or without its slash, index.html, a
// precompressed copy, HEAD, conditional and range requests): anonymous
// visitors are sent to sign in and come back to the path they asked for,
// anyone signed in gets their build's 404 page, and no answer carries a
// Location, ETag or byte of the build that holds it.
func TestPathOfAnotherBuildAnswersAsMissing(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	staff := cookies(s.testCookie(t, "sue@example.com", true, "eng", "staff"))
	etag := get(s, "/staff/", staff).Header.Get("Etag")
	if etag == "" {
		t.Fatal("staff's /staff/ has no ETag")
	}
	people := map[string][]*http.Cookie{
		"anonymous": nil,
		"member":    cookies(s.testCookie(t, "bob@example.com", true, "eng")),
		"guest":     cookies(s.testCookie(t, "carol@partner.example", true)),
		"outsider":  cookies(s.testCookie(t, "someone@elsewhere.example", true)),
	}
	headers := [][]string{nil, {"Accept-Encoding: gzip, br"}, {"If-None-Match: " + etag}, {"If-None-Match: *"},
		{"Range: bytes=0-3"}, {"If-Range: " + etag, "Range: bytes=0-3"}}
	for who, c := range people {
		for _, h := range headers {
			for _, pair := range [][2]string{{"/staff", "/nothing"}, {"/staff/", "/nothing/"},
				{"/staff/index.html", "/nothing/index.html"}, {"/staff/index.html.gz", "/nothing/index.html.gz"}} {
				for _, method := range []string{"GET", "HEAD"} {
					got, want := answer(t, s, method, pair[0], c, h), answer(t, s, method, pair[1], c, h)
					want = strings.ReplaceAll(want, url.QueryEscape(pair[1]), url.QueryEscape(pair[0]))
					if got != want {
						t.Errorf("%s %s %s %v:\n%s\nwant, as %s:\n%s", who, method, pair[0], h, got, pair[1], want)
					}
					if strings.Contains(got, "PAGE /staff/") || strings.Contains(got, etag) {
						t.Errorf("%s %s %s %v: the answer shows staff's page: %s", who, method, pair[0], h, got)
					}
				}
			}
		}
	}
}

// answer is a response's status, headers that matter and body as text.
func answer(t *testing.T, s http.Handler, method, target string, c []*http.Cookie, headers []string) string {
	t.Helper()
	req, _ := http.NewRequest(method, "https://docs.example.com"+target, nil)
	for _, ck := range c {
		req.AddCookie(ck)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	r := rec.Result()
	var b strings.Builder
	b.WriteString(r.Status + "\n")
	for _, k := range []string{"Location", "Etag", "Content-Type", "Content-Length", "Content-Encoding", "Content-Range", "Cache-Control", "Vary"} {
		b.WriteString(k + ": " + r.Header.Get(k) + "\n")
	}
	b.WriteString(body(t, r))
	return b.String()
}
