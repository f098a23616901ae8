package preview

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/sitetest"
)

// site writes the test site into a temporary folder and returns a server
// building it into a folder of its own.
func site(t *testing.T) (*Server, string) {
	t.Helper()
	dir := sitetest.Shared(t, "members-open-eng")
	s := New(Options{Site: dir, Out: filepath.Join(t.TempDir(), "public")})
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func rebuild(t *testing.T, s *Server) {
	t.Helper()
	if _, err := s.Rebuild(context.Background(), nil); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
}

// get requests path from s with the given cookie value ("" for none).
func get(t *testing.T, s *Server, path, as string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313"+path, nil)
	if as != "" {
		req.AddCookie(&http.Cookie{Name: CookieName, Value: as})
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestViewAsSwitchesBuild(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)

	res := get(t, s, "/eng/", "")
	if b := body(t, res); res.StatusCode != http.StatusNotFound || strings.Contains(b, "Engineering Notes") {
		t.Fatalf("anonymous /eng/: status %d, want 404 without the page; body:\n%s", res.StatusCode, b)
	}

	res = get(t, s, "/_facet/as?id=group:eng", "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("view as: status %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == CookieName {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("view as set no cookie")
	}
	res = get(t, s, "/eng/", cookie.Value)
	if b := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, "Engineering Notes") {
		t.Fatalf("as group:eng /eng/: status %d, want 200 with the page; body:\n%s", res.StatusCode, b)
	}

	// An unknown audience is refused and an unknown cookie is anonymous.
	if res := get(t, s, "/_facet/as?id=group:nope", ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("view as unknown: status %d, want 404", res.StatusCode)
	}
	if res := get(t, s, "/eng/", "group%3Anope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown cookie /eng/: status %d, want 404", res.StatusCode)
	}
}

func TestToolbarListsAudiences(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)
	res := get(t, s, "/_facet/", "group%3Aeng")
	b := body(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`href="/_facet/as?id=anonymous"`, `href="/_facet/as?id=members"`,
		`href="/_facet/as?id=group%3aeng"`, `group:eng</a> (current)`, scriptTag,
	} {
		if !strings.Contains(strings.ToLower(b), strings.ToLower(want)) {
			t.Errorf("toolbar lacks %q:\n%s", want, b)
		}
	}
}

func TestHTMLGetsScriptOthersDoNot(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)
	for path, want := range map[string]bool{"/": true, "/open/": true, "/nope/": true, "/assets/facet.css": false} {
		res := get(t, s, path, "")
		b := body(t, res)
		if got := strings.Contains(b, scriptTag); got != want {
			t.Errorf("%s: script tag %v, want %v (status %d)", path, got, want, res.StatusCode)
		}
		if want && strings.Count(b, scriptTag) != 1 {
			t.Errorf("%s: script tag %d times, want once", path, strings.Count(b, scriptTag))
		}
		if want && !strings.Contains(b, scriptTag+"</body>") {
			t.Errorf("%s: script tag not right before </body>", path)
		}
	}
	res := get(t, s, "/_facet/reload.js", "")
	if b := body(t, res); !strings.Contains(b, `new EventSource("/_facet/events")`) ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("reload.js: %s %q", res.Header.Get("Content-Type"), b)
	}
}

func TestFileServing(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)
	for _, tc := range []struct {
		path, location string
		code           int
	}{
		{"/open", "open/", http.StatusMovedPermanently},
		{"/open/index.html", "./", http.StatusMovedPermanently},
		{"/open/", "", http.StatusOK},
		{"/assets/", "", http.StatusNotFound}, // a folder without index.html: no listing
		{"/assets/facet.css/", "", http.StatusNotFound},
		{"/../manifest.json", "", http.StatusNotFound},
		{"/_facet/nope", "", http.StatusNotFound},
	} {
		res := get(t, s, tc.path, "")
		if res.StatusCode != tc.code || res.Header.Get("Location") != tc.location {
			t.Errorf("%s: %d to %q, want %d to %q", tc.path, res.StatusCode, res.Header.Get("Location"), tc.code, tc.location)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "http://evil.example/", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: status %d, want 421", rec.Code)
	}
}

// events opens the event stream and returns a reader of its events.
func events(t *testing.T, s *Server) func() (string, string) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/_facet/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events content type %q", ct)
	}
	rd := bufio.NewReader(res.Body)
	return func() (name, data string) {
		t.Helper()
		var lines []string
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("event stream: %v", err)
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "" && name != "":
				return name, strings.Join(lines, "\n")
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				lines = append(lines, strings.TrimPrefix(line, "data: "))
			}
		}
	}
}

func TestReloadAfterRebuild(t *testing.T) {
	t.Parallel()
	s, dir := site(t)
	rebuild(t, s)
	next := events(t, s)
	name, hello := next()
	if name != "hello" || !strings.Contains(hello, `"generation":"`) {
		t.Fatalf("first event %s %q, want hello with a generation", name, hello)
	}
	sitetest.WriteFile(t, dir, "content/open.md", "+++\ntitle = \"Open\"\n[access]\nallow = [\"anyone\"]\n+++\nSecond version.\n")
	rebuild(t, s)
	name, data := next()
	if name != "reload" || data == hello {
		t.Fatalf("after rebuild: %s %q, want reload with a new generation (was %q)", name, data, hello)
	}
	if b := body(t, get(t, s, "/open/", "")); !strings.Contains(b, "Second version.") {
		t.Errorf("rebuilt page not served:\n%s", b)
	}
}

func TestBadEditKeepsPreviousBuild(t *testing.T) {
	t.Parallel()
	s, dir := site(t)
	rebuild(t, s)
	next := events(t, s)
	if name, _ := next(); name != "hello" {
		t.Fatalf("first event %s, want hello", name)
	}
	sitetest.WriteFile(t, dir, "content/open.md", "+++\ntitle = \"Broken\"\n[access]\nallow = [\"group:nobody\"]\n+++\nBroken version.\n")
	if _, err := s.Rebuild(context.Background(), []string{"content/open.md"}); err == nil {
		t.Fatal("rebuild of a bad site succeeded")
	}
	name, data := next()
	if name != "error" || !strings.Contains(data, "content/open.md:") {
		t.Fatalf("after bad rebuild: %s %q, want an error naming content/open.md:LINE", name, data)
	}
	res := get(t, s, "/open/", "")
	if b := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, "first version") {
		t.Errorf("previous build not served: %d\n%s", res.StatusCode, b)
	}
	if b := body(t, get(t, s, "/_facet/", "")); !strings.Contains(b, "content/open.md:") {
		t.Errorf("toolbar does not show the error:\n%s", b)
	}
}

func TestFirstBuildFailsThenFixed(t *testing.T) {
	t.Parallel()
	s, dir := site(t)
	sitetest.WriteFile(t, dir, "config/site.toml", "title = \"Preview Site\"\nbogus_key = 1\n")
	if _, err := s.Rebuild(context.Background(), nil); err == nil {
		t.Fatal("rebuild of a bad site succeeded")
	}
	res := get(t, s, "/open/", "")
	b := body(t, res)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(b, "config/site.toml:2") || !strings.Contains(b, scriptTag) {
		t.Fatalf("before a good build: %d, want 503 with the error and the script:\n%s", res.StatusCode, b)
	}
	sitetest.WriteFile(t, dir, "config/site.toml", "title = \"Preview Site\"\n[access]\nallow = [\"members\"]\n")
	rebuild(t, s)
	if res := get(t, s, "/open/", ""); res.StatusCode != http.StatusOK {
		t.Errorf("after the fix: %d, want 200", res.StatusCode)
	}
}

func TestInjectScript(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"<html><body>x</body></html>":                    "<html><body>x" + scriptTag + "</body></html>",
		"<BODY>x</BODY>":                                 "<BODY>x" + scriptTag + "</BODY>",
		"<p>no body":                                     "<p>no body" + scriptTag,
		"<body><pre>&lt;/body&gt;</pre>x</body>\n":       "<body><pre>&lt;/body&gt;</pre>x" + scriptTag + "</body>\n",
		"<body><code></body></code>more</body>\n</html>": "<body><code></body></code>more" + scriptTag + "</body>\n</html>",
	} {
		if got := string(InjectScript([]byte(in))); got != want {
			t.Errorf("InjectScript(%q) = %q, want %q", in, got, want)
		}
	}
}
