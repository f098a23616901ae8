package gateway

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/manifest"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// The fixture site: ACCESS.md's example directory and a handful of pages.
//
//	/              allow anyone (page)
//	/public/       allow anyone (section)
//	/handbook/     site default: members
//	/eng/          allow group:eng
//	/partners/     allow group:partners
//	/staff/        allow group:staff
//	/handbook/pay/ deny group:contractors (open level), then members
var fixtureRules = func() *manifest.Rules {
	site := level("config/site.toml", true, "allow members")
	home := level("content/_index.md", true, "allow anyone")
	public := level("content/public/_index.md", true, "allow anyone")
	eng := level("content/eng/_index.md", true, "allow group:eng")
	partners := level("content/partners/_index.md", true, "allow group:partners")
	staff := level("content/staff/_index.md", true, "allow group:staff")
	pay := level("content/handbook/pay.md", false, "deny group:contractors")
	return siteRules(
		page{"/", access.Chain{home, site}},
		page{"/public/", access.Chain{public, site}},
		page{"/handbook/", access.Chain{site}},
		page{"/eng/", access.Chain{eng, site}},
		page{"/partners/", access.Chain{partners, site}},
		page{"/staff/", access.Chain{staff, site}},
		page{"/handbook/pay/", access.Chain{pay, site}},
	)
}()

var fixtureDirectory = access.Directory{
	MemberDomains: []string{"example.com"},
	Groups:        []string{"contractors", "eng", "partners", "staff"},
	Guests: []access.GuestEntry{
		{Email: "carol@partner.example", Name: "Carol (Partner Inc)", Groups: []string{"partners"}},
		{Email: "dave@partner.example", Groups: []string{"partners"}, Expires: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Email: "erin@partner.example", Groups: []string{"partners"}, Expires: time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC)},
	},
	Combinations: [][]string{{"eng", "staff"}},
}

// level is a level of a test site: its file, whether it is closed, and
// its entries written "key principal" ("allow group:eng").
func level(file string, closed bool, entries ...string) *access.Level {
	l := &access.Level{File: file, Line: 2, Closed: closed}
	for _, e := range entries {
		key, principal, _ := strings.Cut(e, " ")
		p, err := access.ParsePrincipal(principal)
		if err != nil {
			panic(err)
		}
		l.Entries = append(l.Entries, access.Entry{Key: key, Principal: p, Line: 3})
	}
	return l
}

// page is a page of a test site: its URL and chain.
type page struct {
	url   string
	chain access.Chain
}

// siteRules are the compiled rules of a test site's pages.
func siteRules(pages ...page) *manifest.Rules {
	r := &manifest.Rules{}
	for _, p := range pages {
		r.Pages = append(r.Pages, p.url)
		r.Access.Chains = append(r.Access.Chains, p.chain)
	}
	return r
}

// generationWith is a state holding only the directory d, for identity tests.
func generationWith(d access.Directory) *generation {
	st := &generation{dir: d, groups: map[string]bool{}}
	for _, g := range d.Groups {
		st.groups[g] = true
	}
	return st
}

// fixtureOptions vary a published fixture.
type fixtureOptions struct {
	gen string
	// dirPrefix names the non-anonymous build folders, so that two
	// generations can use different folders.
	dirPrefix string
	// noCombos leaves the declared combinations unbuilt.
	noCombos bool
	// onlyAnonymous publishes the anonymous build alone.
	onlyAnonymous bool
	// rules and directory replace the fixture site's.
	rules     *manifest.Rules
	directory *access.Directory
}

// writeFixture publishes the fixture site into out: one build per
// distinct (kind, visible set), each page's file naming its page, build
// folder and generation, plus a 404 page, a style sheet, a dot-file,
// precompressed siblings and symlinks that try to leave the build.
func writeFixture(t testing.TB, out string, o fixtureOptions) {
	t.Helper()
	if o.dirPrefix == "" {
		o.dirPrefix = "b"
	}
	rules := &manifest.Rules{Pages: fixtureRules.Pages, Access: fixtureRules.Access, Directory: fixtureDirectory}
	if o.rules != nil {
		rules.Pages, rules.Access = o.rules.Pages, o.rules.Access
	}
	if o.directory != nil {
		rules.Directory = *o.directory
	}
	dir := rules.Directory
	if o.noCombos {
		dir.Combinations = nil
	}
	m := &manifest.Manifest{Generation: o.gen, Built: testNow.Format(time.RFC3339)}
	dirs := map[string]string{} // kind + set -> folder
	for _, a := range dir.Audiences(nil) {
		if o.onlyAnonymous && a.ID != "anonymous" {
			continue
		}
		set := rules.Access.Visible(a.Identity)
		kind := string(a.Identity.Kind)
		key := kind + ":" + set.String()
		d, ok := dirs[key]
		if !ok {
			d = anonymousDir
			if a.ID != "anonymous" {
				d = fmt.Sprintf("%s%d", o.dirPrefix, len(dirs))
			}
			dirs[key] = d
			writeBuild(t, filepath.Join(out, d), d, o.gen, set, rules.Pages)
			rules.Builds = append(rules.Builds, manifest.BuildSet{Dir: d, Kind: a.Identity.Kind, Visible: set})
			m.Builds = append(m.Builds, manifest.Build{Dir: d, Pages: set.Len()})
		}
		m.Audiences = append(m.Audiences, manifest.Audience{ID: a.ID, Kind: kind, Email: a.Identity.Email,
			Groups: a.Identity.Groups, Dir: d})
	}
	if err := os.WriteFile(filepath.Join(out, "secret.txt"), []byte("TOPSECRET outside every build"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := manifest.Write(out, m, rules); err != nil {
		t.Fatal(err)
	}
}

// pageBody is the content of a page's file in a build.
func pageBody(url, dir, gen string) string {
	return fmt.Sprintf("<!doctype html><title>PAGE %s</title><p>build=%s gen=%s</p>\n", url, dir, gen)
}

func writeBuild(t testing.TB, root, dir, gen string, set access.Set, pages []string) {
	t.Helper()
	files := map[string]string{
		"404.html":       "NOTFOUND build=" + dir + " gen=" + gen + "\n",
		"style.css":      "body{color:black} /* " + dir + " */\n",
		".hidden":        "DOTFILE " + dir,
		".git/config":    "DOTDIR " + dir,
		"files/big.bin":  strings.Repeat("0123456789abcdef", 1<<16) + dir, // over 1 MiB: streamed
		"files/note.txt": "a note in " + dir,
		"files/same.txt": "the same bytes in every build\n",
		"files/same.bin": strings.Repeat("fedcba9876543210", 1<<16) + "same", // streamed, same everywhere
	}
	for i, url := range pages {
		if set.Has(i) {
			files[strings.TrimPrefix(url, "/")+"index.html"] = pageBody(url, dir, gen)
		}
	}
	if _, ok := files["public/index.html"]; ok {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		io.WriteString(zw, files["public/index.html"])
		zw.Close()
		files["public/index.html.gz"] = gz.String()
		files["public/index.html.br"] = "BROTLI-BYTES " + dir
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	secret, _ := filepath.Abs(filepath.Join(root, "..", "secret.txt"))
	for name, target := range map[string]string{"escape.txt": "../secret.txt", "escape-abs.txt": secret, "inside.txt": "files/note.txt"} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// testKeys are cookie secrets for tests.
var (
	testKey    = bytes.Repeat([]byte{0x42}, 32)
	testOldKey = bytes.Repeat([]byte{0x17}, 32)
)

// testConfig returns settings for a gateway at publicURL using issuer.
func testConfig(publicURL, issuer string) *config.Gateway {
	return &config.Gateway{
		Listen:        "127.0.0.1:0",
		PublicURL:     publicURL,
		Issuer:        issuer,
		ClientID:      "facet-test",
		ClientSecret:  "client-secret",
		GroupsClaim:   config.Claim{Name: "groups", Path: []string{"groups"}},
		Scopes:        []string{"openid", "email", "profile"},
		Session:       12 * time.Hour,
		CookieSecrets: [][]byte{testKey},
	}
}

// quietLogger discards logs unless the test runs verbose.
func quietLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// clock is a settable test clock, safe to read from handler goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// newFixtureServer publishes the fixture into a temp folder and returns a
// gateway for it (no provider: the issuer is unreachable), with its clock.
func newFixtureServer(t testing.TB, publicURL string, opts ...Option) (*Server, string, *clock) {
	t.Helper()
	return newServerWith(t, publicURL, fixtureOptions{gen: "gen-1"}, opts...)
}

// newServerWith is newFixtureServer for a varied fixture.
func newServerWith(t testing.TB, publicURL string, fo fixtureOptions, opts ...Option) (*Server, string, *clock) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFixture(t, out, fo)
	clk := &clock{t: testNow}
	opts = append([]Option{WithNow(clk.now), WithLogger(quietLogger(t))}, opts...)
	s, err := New(testConfig(publicURL, "http://127.0.0.1:1/unreachable"), out, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, out, clk
}

// testCookie returns a request cookie carrying a valid session.
func (s *Server) testCookie(t testing.TB, email string, verified bool, groups ...string) *http.Cookie {
	t.Helper()
	now := s.now()
	sess := &session{ID: newSessionID(), Subject: "sub-" + email, Email: email, Verified: verified, Groups: groups,
		Issued: now.Unix(), Expires: now.Add(s.cfg.Session).Unix()}
	rec := httptest.NewRecorder()
	if err := s.writeSession(rec, httptest.NewRequest("GET", "/", nil), sess); err != nil {
		t.Fatal(err)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == s.cookieName {
			return c
		}
	}
	t.Fatal("writeSession set no session cookie")
	return nil
}

// get runs a GET through the handler with optional cookies and headers
// ("Name: value").
func get(s http.Handler, target string, cookies []*http.Cookie, headers ...string) *http.Response {
	req := httptest.NewRequest("GET", target, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cookies lists request cookies.
func cookies(c ...*http.Cookie) []*http.Cookie { return c }

// swapServer is an httptest server whose handler is set after it starts,
// so that a gateway can be configured with the server's URL.
type swapServer struct {
	*httptest.Server
	mu sync.Mutex
	h  http.Handler
}

func httptestServer(t testing.TB) *swapServer {
	s := &swapServer{h: http.NotFoundHandler()}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.h
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *swapServer) set(h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.h = h
}
