package gateway

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// An identity's view: which pages it gets and which answer as missing.
func TestIdentitiesGetTheirBuild(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	all := []string{"/", "/public/", "/handbook/", "/eng/", "/partners/", "/staff/", "/handbook/pay/"}
	tests := []struct {
		name    string
		cookie  *http.Cookie
		visible []string
		kind    string
		exact   bool
	}{
		{"anonymous", nil, []string{"/", "/public/"}, "anonymous", true},
		{"member no groups", s.testCookie(t, "bob@example.com", true), []string{"/", "/public/", "/handbook/", "/handbook/pay/"}, "member", true},
		{"member upper-case email", s.testCookie(t, "Bob@Example.COM", true), []string{"/", "/public/", "/handbook/", "/handbook/pay/"}, "member", true},
		{"member eng and staff (declared combination)", s.testCookie(t, "bob@example.com", true, "staff", "eng"),
			[]string{"/", "/public/", "/handbook/", "/handbook/pay/", "/eng/", "/staff/"}, "member", true},
		{"member with undeclared groups too", s.testCookie(t, "bob@example.com", true, "eng", "ghost", "staff", "admins"),
			[]string{"/", "/public/", "/handbook/", "/handbook/pay/", "/eng/", "/staff/"}, "member", true},
		// eng + contractors is not built: eng's build holds /handbook/pay/,
		// which contractors may not see, so the largest subset is served.
		{"member eng and contractors (not built)", s.testCookie(t, "bob@example.com", true, "eng", "contractors"),
			[]string{"/", "/public/", "/handbook/"}, "member", false},
		{"member in partners (provider claim counts)", s.testCookie(t, "bob@example.com", true, "partners"),
			[]string{"/", "/public/", "/handbook/", "/handbook/pay/", "/partners/"}, "member", true},
		{"guest", s.testCookie(t, "carol@partner.example", true), []string{"/", "/public/", "/partners/"}, "guest", true},
		{"guest whose provider claims eng", s.testCookie(t, "carol@partner.example", true, "eng", "staff"),
			[]string{"/", "/public/", "/partners/"}, "guest", true},
		{"unverified guest email", s.testCookie(t, "carol@partner.example", false, "partners"), []string{"/", "/public/"}, "outsider", true},
		{"padded guest email", s.testCookie(t, " carol@partner.example", true), []string{"/", "/public/"}, "outsider", true},
		{"expired guest", s.testCookie(t, "dave@partner.example", true), []string{"/", "/public/"}, "outsider", true},
		{"unverified member email", s.testCookie(t, "bob@example.com", false, "eng"), []string{"/", "/public/"}, "outsider", true},
		{"outsider", s.testCookie(t, "eve@elsewhere.example", true, "eng"), []string{"/", "/public/"}, "outsider", true},
		{"two at signs", s.testCookie(t, "a@example.com@evil.example", true, "eng"), []string{"/", "/public/"}, "outsider", true},
		{"domain suffix trick", s.testCookie(t, "a@evil-example.com", true, "eng"), []string{"/", "/public/"}, "outsider", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs []*http.Cookie
			if tt.cookie != nil {
				cs = cookies(tt.cookie)
			}
			for _, p := range all {
				resp := get(s, p, cs)
				b := body(t, resp)
				want := contains(tt.visible, p)
				if robots := resp.Header.Get("X-Robots-Tag"); (robots != "") != (tt.cookie != nil) {
					t.Errorf("%s: X-Robots-Tag %q for a signed-in=%v request", p, robots, tt.cookie != nil)
				}
				switch {
				case want && (resp.StatusCode != 200 || !strings.Contains(b, "PAGE "+p+"<")):
					t.Errorf("%s: status %d body %q, want the page", p, resp.StatusCode, b)
				case !want && strings.Contains(b, "PAGE "+p+"<"):
					t.Errorf("%s: served a page the identity may not see", p)
				case !want && tt.cookie == nil && (resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), LoginPath+"?rd=")):
					t.Errorf("%s: anonymous got %d %q, want a redirect to sign in", p, resp.StatusCode, resp.Header.Get("Location"))
				case !want && tt.cookie != nil && (resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(b, "NOTFOUND build=")):
					t.Errorf("%s: signed in got %d %q, want the build's 404 page", p, resp.StatusCode, b)
				}
			}
			who := whoami(t, s, cs)
			if who.Kind != tt.kind || who.Exact != tt.exact {
				t.Errorf("whoami = %+v, want kind %s exact %v", who, tt.kind, tt.exact)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func whoami(t *testing.T, s http.Handler, cs []*http.Cookie) Whoami {
	t.Helper()
	resp := get(s, WhoamiPath, cs)
	if resp.StatusCode != 200 {
		t.Fatalf("whoami status %d", resp.StatusCode)
	}
	var w Whoami
	if err := json.Unmarshal([]byte(body(t, resp)), &w); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestInexactChoiceIsRecorded(t *testing.T) {
	t.Parallel()
	s, out, _ := newFixtureServer(t, "https://docs.example.com")
	c := s.testCookie(t, "bob@example.com", true, "eng", "contractors")
	get(s, "/", cookies(c))
	var w manifest.Wanted
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(out, manifest.WantedFile))
		if err == nil {
			if err := json.Unmarshal(b, &w); err != nil {
				t.Fatal(err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("wanted.json was not written")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(w.Combinations) != 1 || strings.Join(w.Combinations[0].Groups, ",") != "contractors,eng" || w.Combinations[0].LastWanted == "" {
		t.Errorf("wanted = %v, want [[contractors eng]]", w.Combinations)
	}
}

// A combination still in use is recorded again each day, not once per
// generation, so a generation served for a month does not let it lapse.
func TestWantedIsRenewedDaily(t *testing.T) {
	t.Parallel()
	s, out, clk := newFixtureServer(t, "https://docs.example.com")
	c := s.testCookie(t, "bob@example.com", true, "eng", "contractors")
	lastWanted := func(notBefore time.Time) string {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			var w manifest.Wanted
			if b, err := os.ReadFile(filepath.Join(out, manifest.WantedFile)); err == nil && json.Unmarshal(b, &w) == nil &&
				len(w.Combinations) == 1 {
				at, err := time.Parse(time.RFC3339, w.Combinations[0].LastWanted)
				if err == nil && !at.Before(notBefore.Truncate(time.Second)) {
					return w.Combinations[0].LastWanted
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("wanted.json never recorded the combination at %v or later", notBefore)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	start := clk.now()
	get(s, "/", cookies(c))
	first := lastWanted(start)
	clk.set(start.Add(25 * time.Hour))
	get(s, "/", cookies(s.testCookie(t, "bob@example.com", true, "eng", "contractors")))
	if second := lastWanted(start.Add(25 * time.Hour)); second == first {
		t.Errorf("last_wanted stayed %s a day later", first)
	}
}

// The same session, asking again past midnight (UTC), renews the
// combination too: what a session keeps of its choice lasts a day.
func TestWantedIsRenewedDailyInOneSession(t *testing.T) {
	t.Parallel()
	s, out, clk := newFixtureServer(t, "https://docs.example.com")
	start := time.Date(2026, 6, 1, 23, 0, 0, 0, time.UTC)
	clk.set(start)
	c := s.testCookie(t, "bob@example.com", true, "eng", "contractors")
	recorded := func(notBefore time.Time) bool {
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			var w manifest.Wanted
			if b, err := os.ReadFile(filepath.Join(out, manifest.WantedFile)); err == nil && json.Unmarshal(b, &w) == nil &&
				len(w.Combinations) == 1 {
				at, err := time.Parse(time.RFC3339, w.Combinations[0].LastWanted)
				if err == nil && !at.Before(notBefore) {
					return true
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		return false
	}
	get(s, "/", cookies(c))
	if !recorded(start) {
		t.Fatal("the combination was not recorded")
	}
	get(s, "/eng/", cookies(c)) // the day's choice, kept
	next := start.Add(90 * time.Minute)
	clk.set(next)
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(c)
	if s.readSession(req, next) == nil {
		t.Fatal("the session ended before midnight")
	}
	get(s, "/", cookies(c))
	if !recorded(next) {
		t.Errorf("the same session past midnight did not renew the combination")
	}
}

func TestNoBuildMayBeShown(t *testing.T) {
	t.Parallel()
	// The home page is anyone's but bob's: anonymous's build holds it, so
	// no build is a subset of what bob may see.
	rules := siteRules(page{"/", access.Chain{
		level("content/_index.md", false, "deny user:bob@example.com"),
		level("config/site.toml", true, "allow anyone"),
	}})
	s, _, _ := newServerWith(t, "https://docs.example.com", fixtureOptions{gen: "g", rules: rules})
	resp := get(s, "/", cookies(s.testCookie(t, "bob@example.com", true)))
	if b := body(t, resp); resp.StatusCode != http.StatusForbidden || strings.Contains(b, "PAGE") {
		t.Errorf("bob got %d %q, want a plain 403", resp.StatusCode, b)
	}
	if resp := get(s, "/", nil); resp.StatusCode != 200 {
		t.Errorf("anonymous got %d", resp.StatusCode)
	}
}

func TestPathSafety(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	member := cookies(s.testCookie(t, "bob@example.com", true))
	tests := []struct {
		path   string
		status int
		want   string // prefix of body, or of Location for redirects
	}{
		{"/.hidden", 404, "NOTFOUND"},
		{"/.git/config", 404, "NOTFOUND"},
		{"/public/../.hidden", 404, "NOTFOUND"},
		{"/../secret.txt", 404, "NOTFOUND"},
		{"/escape.txt", 404, "NOTFOUND"},
		{"/escape-abs.txt", 404, "NOTFOUND"},
		{"/inside.txt", 200, "a note in"},
		{"/files/", 404, "NOTFOUND"},
		{"/files", 404, "NOTFOUND"},
		{"//files/note.txt", 404, "NOTFOUND"},
		{"/files/note.txt/", 404, "NOTFOUND"},
		{"/files\\note.txt", 404, "NOTFOUND"},
		{"/manifest.json", 404, "NOTFOUND"},
		{"/rules.json", 404, "NOTFOUND"},
		{"/public", 301, "/public/"},
		{"/public?x=1", 301, "/public/?x=1"},
		{"/public/index.html", 200, "<!doctype html><title>PAGE /public/"},
		{"/files/note.txt", 200, "a note in"},
	}
	for _, tt := range tests {
		resp := get(s, tt.path, member)
		b := body(t, resp)
		got := b
		if resp.StatusCode/100 == 3 {
			got = resp.Header.Get("Location")
		}
		if resp.StatusCode != tt.status || !strings.HasPrefix(got, tt.want) {
			t.Errorf("GET %q = %d %q, want %d %q", tt.path, resp.StatusCode, got, tt.status, tt.want)
		}
		if strings.Contains(b, "TOPSECRET") || strings.Contains(b, "DOTFILE") || strings.Contains(b, "DOTDIR") {
			t.Errorf("GET %q leaked %q", tt.path, b)
		}
	}
}

func TestMapPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"/", "index.html", true},
		{"/a/b/", "a/b/index.html", true},
		{"/a/x.pdf", "a/x.pdf", true},
		{"", "", false},
		{"a", "", false},
		{"/.env", "", false},
		{"/a/.git/HEAD", "", false},
		{"/a/../b", "", false},
		{"/a/./b", "", false},
		{"/a//b", "", false},
		{"/a\\b", "", false},
		{"/a\x00b", "", false},
		{"/" + strings.Repeat("a", maxPath), "", false},
	}
	for _, tt := range tests {
		got, ok := mapPath(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("mapPath(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzPath holds the path mapping's invariant: a name it yields is a valid
// relative path with no dot segment, no backslash and no NUL, so it can
// neither leave the build nor name a dot-file; and a request for any path
// never answers with what lies outside the build or in a dot-file.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"/", "/a/b/", "/../x", "/.git/config", "/a/..", "//x", "/a\\..\\b", "/%2e%2e/x", "/escape.txt", "/inside.txt"} {
		f.Add(s)
	}
	s, _, _ := newFixtureServer(f, "https://docs.example.com")
	member := cookies(s.testCookie(f, "bob@example.com", true, "eng", "staff"))
	f.Fuzz(func(t *testing.T, p string) {
		name, ok := mapPath(p)
		if ok {
			if !fs.ValidPath(name) || strings.ContainsAny(name, "\\\x00") {
				t.Fatalf("mapPath(%q) = %q: not a clean relative path", p, name)
			}
			for _, seg := range strings.Split(name, "/") {
				if strings.HasPrefix(seg, ".") {
					t.Fatalf("mapPath(%q) = %q: has a dot segment", p, name)
				}
			}
		}
		req := "/" + strings.TrimLeft(p, "/")
		if strings.ContainsAny(req, " \t\r\n#?") || !validTarget(req) {
			return
		}
		resp := get(s, req, member)
		b := body(t, resp)
		if strings.Contains(b, "TOPSECRET") || strings.Contains(b, "DOTFILE") || strings.Contains(b, "DOTDIR") {
			t.Fatalf("GET %q leaked %q", req, b)
		}
	})
}

// validTarget reports whether httptest.NewRequest accepts the target.
func validTarget(p string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = get(http.NotFoundHandler(), p, nil)
	return true
}

func TestPrecompressed(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	tests := []struct {
		accept   string
		encoding string
		prefix   string
	}{
		{"gzip, deflate, br", "br", "BROTLI-BYTES anonymous"},
		{"gzip", "gzip", "\x1f\x8b"},
		{"br;q=0, gzip;q=0.5", "gzip", "\x1f\x8b"},
		{"", "", "<!doctype html>"},
		{"identity", "", "<!doctype html>"},
	}
	for _, tt := range tests {
		resp := get(s, "/public/", nil, "Accept-Encoding: "+tt.accept)
		b := body(t, resp)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tt.encoding || !strings.HasPrefix(b, tt.prefix) {
			t.Errorf("Accept-Encoding %q: %d %q %q", tt.accept, resp.StatusCode, resp.Header.Get("Content-Encoding"), b)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Accept-Encoding %q: Content-Type %q", tt.accept, ct)
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: Vary %q", tt.accept, resp.Header.Get("Vary"))
		}
	}
}

func TestETagNeverConfirmsAnotherBuild(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	member := cookies(s.testCookie(t, "bob@example.com", true))
	m := get(s, "/", member)
	a := get(s, "/", nil)
	em, ea := m.Header.Get("Etag"), a.Header.Get("Etag")
	if em == "" || ea == "" || em == ea {
		t.Fatalf("ETags %q (member) and %q (anonymous) must differ and be set", em, ea)
	}
	if resp := get(s, "/", nil, "If-None-Match: "+em); resp.StatusCode != 200 {
		t.Errorf("anonymous with the member's ETag got %d, want 200", resp.StatusCode)
	}
	if resp := get(s, "/", member, "If-None-Match: "+em); resp.StatusCode != http.StatusNotModified {
		t.Errorf("member with its own ETag got %d, want 304", resp.StatusCode)
	}
	// From memory too: ranges and weak or listed tags.
	if r := get(s, "/style.css", member, "Range: bytes=0-3"); r.StatusCode != http.StatusPartialContent || body(t, r) != "body" {
		t.Errorf("range on a cached file: %d", r.StatusCode)
	}
	if r := get(s, "/", member, "If-None-Match: \"x\", W/"+em); r.StatusCode != http.StatusNotModified {
		t.Errorf("weak tag in a list: %d, want 304", r.StatusCode)
	}
	// Different bytes of one path in two builds get different tags.
	sm, sa := get(s, "/inside.txt", member), get(s, "/inside.txt", nil)
	if sm.Header.Get("Etag") == sa.Header.Get("Etag") {
		t.Error("different bytes of one path in two builds have one ETag")
	}
	if m.Header.Get("Last-Modified") != "" {
		t.Error("Last-Modified is set: If-Modified-Since could confirm another build's copy")
	}
}

// TestETagIsTheContentAlone: the same bytes get the same tag in every build
// (a tag names no build, so If-None-Match reveals nothing of a person's
// groups), whether the file is kept in memory or streamed.
func TestETagIsTheContentAlone(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	member := cookies(s.testCookie(t, "bob@example.com", true))
	for _, p := range []string{"/files/same.txt", "/files/same.bin"} {
		em, ea := get(s, p, member).Header.Get("Etag"), get(s, p, nil).Header.Get("Etag")
		if em == "" || em != ea {
			t.Errorf("%s: ETags %q (member) and %q (anonymous), want one set tag", p, em, ea)
		}
		if r := get(s, p, nil, "If-None-Match: "+em); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s: anonymous with the member's tag for the same bytes got %d, want 304", p, r.StatusCode)
		}
	}
	// Different content, different tags, in one build and across builds.
	tags := map[string]string{}
	for _, c := range []struct {
		path    string
		cookies []*http.Cookie
	}{{"/files/same.txt", nil}, {"/files/same.bin", nil}, {"/files/note.txt", nil}, {"/files/note.txt", member}, {"/style.css", nil}, {"/style.css", member}} {
		tag := get(s, c.path, c.cookies).Header.Get("Etag")
		if prev, dup := tags[tag]; dup || tag == "" {
			t.Errorf("%s (signed in %v): tag %q also names %s", c.path, c.cookies != nil, tag, prev)
		}
		tags[tag] = c.path
	}
	// A precompressed copy is another representation: another tag.
	plain := get(s, "/public/", nil, "Accept-Encoding: identity").Header.Get("Etag")
	if gz := get(s, "/public/", nil, "Accept-Encoding: gzip").Header.Get("Etag"); gz == plain {
		t.Errorf("gzip and identity share the tag %q", gz)
	}
}

func TestLargeFileStreamed(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com", WithCacheBytes(1024))
	member := cookies(s.testCookie(t, "bob@example.com", true))
	resp := get(s, "/files/big.bin", member)
	b := body(t, resp)
	if resp.StatusCode != 200 || len(b) <= maxCachedFile || !strings.HasPrefix(b, "0123456789abcdef") {
		t.Fatalf("big file: %d, %d bytes", resp.StatusCode, len(b))
	}
	etag := resp.Header.Get("Etag")
	if etag == "" {
		t.Fatal("no ETag on a streamed file")
	}
	r := get(s, "/files/big.bin", member, "Range: bytes=0-15")
	if rb := body(t, r); r.StatusCode != http.StatusPartialContent || rb != "0123456789abcdef" {
		t.Errorf("range: %d %q", r.StatusCode, rb)
	}
	if r := get(s, "/files/big.bin", member, "If-None-Match: "+etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("conditional: %d", r.StatusCode)
	}
	// A small file beyond the budget is streamed too.
	if r := get(s, "/style.css", member); r.StatusCode != 200 || !strings.HasPrefix(body(t, r), "body{") {
		t.Errorf("style.css: %d", r.StatusCode)
	}
}

func TestHeadAndMethods(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	req := func(method, target string) *http.Response {
		r, _ := http.NewRequest(method, "https://docs.example.com"+target, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec.Result()
	}
	h := req("HEAD", "/public/")
	if h.StatusCode != 200 || body(t, h) != "" || h.Header.Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, length %q", h.StatusCode, h.Header.Get("Content-Length"))
	}
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		if r := req(m, "/public/"); r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d %q", m, r.StatusCode, r.Header.Get("Allow"))
		}
	}
}

func TestAcceptsEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"gzip", "gzip", true},
		{"GZIP", "gzip", true},
		{"deflate, gzip;q=0.8", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip; q=0.0", "gzip", false},
		{"br", "gzip", false},
		{"x-gzip", "gzip", false},
		{"", "br", false},
	}
	for _, tt := range tests {
		if got := accepts(tt.header, tt.coding); got != tt.want {
			t.Errorf("accepts(%q, %q) = %v", tt.header, tt.coding, got)
		}
	}
}
