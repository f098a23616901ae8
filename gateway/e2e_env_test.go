package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/idptest"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/sitetest"
)

// e2eSite is the site of the end-to-end tests: an intranet (members by
// default) with a public home and guide (the home's allow covers everything
// beneath it, so the members' lounge says allow members itself), group-only spaces eng, ops and qa,
// a page of eng granted to the guest carol, a partners shelf for the
// partners group (carol's group in the config), an attachment of eng, an
// expired guest dan and the declared combination eng+ops. Every title is
// unique in the site and no title holds another, so a title found in a
// response names exactly one page.
const e2eSite = `
-- config/site.toml --
title = "Gateway Test Docs"
base_url = "https://docs.example.com/"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
[groups.qa]
title = "Quality"
[groups.partners]
title = "Partners"
[[guests]]
email = "carol@partner.example"
name = "Carol (Partner Inc)"
groups = ["partners"]
expires = 2099-12-31
[[guests]]
email = "kate@partner.example"
name = "Kate (Partner Inc)"
groups = ["partners"]
[[guests]]
email = "mia@partner.example"
name = "Mia (Partner Inc)"
groups = ["partners"]
[[guests]]
email = "lena@partner.example"
name = "Lena (Partner Inc)"
groups = ["partners"]
[[guests]]
email = "dan@partner.example"
name = "Dan (Partner Inc)"
groups = ["partners"]
expires = 2020-01-01
[[audiences]]
groups = ["eng", "ops"]
-- content/_index.md --
+++
title = "Open Harbor"
[access]
allow = ["anyone"]
+++
Start with the [guide](guide.md).
-- content/guide.md --
+++
title = "Public Compass"
[access]
allow = ["anyone"]
+++
How to find your way.
-- content/lounge.md --
+++
title = "Members Lantern"
[access]
allow = ["members"]
grant = ["user:lena@partner.example"]
+++
For every member.
-- content/eng/_index.md --
+++
title = "Engineering Kestrel"
[access]
allow = ["group:eng"]
+++
The engineering space. Read the [spec](kestrel-spec.txt).
-- content/eng/design.md --
+++
title = "Kestrel Design Notes"
+++
Revision one of the design.
-- content/eng/partner-api.md --
+++
title = "Partner Osprey API"
[access]
grant = ["user:carol@partner.example"]
+++
The API partners call.
-- content/eng/kestrel-spec.txt --
KESTREL-SPEC-BYTES
-- content/ops/_index.md --
+++
title = "Ops Heron"
[access]
allow = ["group:ops"]
+++
The operations space.
-- content/ops/runbook.md --
+++
title = "Heron Runbook"
+++
Restart things.
-- content/qa/_index.md --
+++
title = "QA Plover"
[access]
allow = ["group:qa"]
+++
The quality space.
-- content/partners/_index.md --
+++
title = "Partner Shelf"
[access]
allow = ["group:partners"]
+++
For partners.
`

// e2ePage is a URL of the e2e site and a text only it holds (its title, or
// an attachment's bytes).
type e2ePage struct {
	url, mark string
}

// e2ePages are every page and attachment URL of e2eSite.
var e2ePages = []e2ePage{
	{"/", "Open Harbor"},
	{"/guide/", "Public Compass"},
	{"/lounge/", "Members Lantern"},
	{"/eng/", "Engineering Kestrel"},
	{"/eng/design/", "Kestrel Design Notes"},
	{"/eng/partner-api/", "Partner Osprey API"},
	{"/eng/kestrel-spec.txt", "KESTREL-SPEC-BYTES"},
	{"/ops/", "Ops Heron"},
	{"/ops/runbook/", "Heron Runbook"},
	{"/qa/", "QA Plover"},
	{"/partners/", "Partner Shelf"},
}

// Page URLs by who may see them.
var (
	publicURLs = []string{"/", "/guide/"}
	memberURLs = append(slices.Clone(publicURLs), "/lounge/")
	engURLs    = []string{"/eng/", "/eng/design/", "/eng/partner-api/", "/eng/kestrel-spec.txt"}
	opsURLs    = []string{"/ops/", "/ops/runbook/"}
)

// The provider's client and the gateway's secrets.
const (
	e2ePassword  = "correct horse"
	e2eClientID  = "facet-e2e"
	e2eSecret    = "e2e-client-secret"
	e2eCookieKey = "0123456789abcdef0123456789abcdef-e2e"
)

// e2eUsers are the provider's accounts. Every signed-in person but the
// members claims eng at the provider, a claim that must count for members
// alone.
var e2eUsers = []idptest.User{
	{Username: "bob", Email: "bob@example.com", EmailVerified: true, Groups: []string{"eng", "ops"}},
	{Username: "engineer", Email: "engineer@example.com", EmailVerified: true, Groups: []string{"eng"}},
	{Username: "member", Email: "member@example.com", EmailVerified: true},
	{Username: "eng-qa", Email: "eng-qa@example.com", EmailVerified: true, Groups: []string{"eng", "qa"}},
	{Username: "carol", Email: "carol@partner.example", EmailVerified: true, Groups: []string{"eng"}},
	{Username: "dan", Email: "dan@partner.example", EmailVerified: true, Groups: []string{"eng"}},
	{Username: "unverified", Email: "unverified@example.com", EmailVerified: false, Groups: []string{"eng"}},
	{Username: "outsider", Email: "someone@elsewhere.example", EmailVerified: true, Groups: []string{"eng"}},
	// Hostile claims that must not borrow the guests carol and kate.
	{Username: "carol-unverified", Email: "carol@partner.example", EmailVerified: false, Groups: []string{"partners"}},
	{Username: "carol-no-claim", Email: "carol@partner.example", OmitEmailVerified: true},
	{Username: "carol-padded", Email: " carol@partner.example ", EmailVerified: true},
	{Username: "kate", Email: "KATE@partner.example", EmailVerified: true},
	{Username: "kate-kelvin", Email: "\u212Aate@partner.example", EmailVerified: true},
	{Username: "kate-dotted", Email: "kate@partner.examp\u0130e", EmailVerified: true},
	// Kinds: pat (a member of partners) sees exactly what the guest lena
	// sees; mia is a guest of the same groups as kate.
	{Username: "pat", Email: "pat@example.com", EmailVerified: true, Groups: []string{"partners"}},
	{Username: "lena", Email: "lena@partner.example", EmailVerified: true},
	{Username: "mia", Email: "mia@partner.example", EmailVerified: true},
	// A member in 300 long groups the site does not declare, and eng.
	{Username: "crowded", Email: "crowded@example.com", EmailVerified: true, Groups: crowdedGroups()},
}

// crowdedGroups is eng among 300 undeclared groups of about 100 bytes.
func crowdedGroups() []string {
	groups := []string{"eng"}
	for i := range 300 {
		groups = append(groups, fmt.Sprintf("cn=%03d,ou=directory-distribution-list-with-a-long-name,ou=groups,dc=corp,dc=example,dc=com", i))
	}
	return groups
}

// e2eEnv is a built site, a provider and a gateway serving the site on a
// loopback listener, walked over real HTTP.
type e2eEnv struct {
	site, out string
	public    string // the gateway's public URL, http://127.0.0.1:PORT
	idp       *idptest.Provider
	srv       *gateway.Server
	dirs      map[string]string // audience id -> build folder
	logs      *syncBuffer

	mu      sync.Mutex
	secrets []string // codes and passwords seen, which logs must not hold
}

// newE2E builds e2eSite, starts a provider whose groups claim is named
// groupsClaim (read by the gateway through gatewayClaim) and serves the
// build with a gateway until the test ends.
func newE2E(t *testing.T, groupsClaim, gatewayClaim string) *e2eEnv {
	t.Helper()
	return newE2EWith(t, groupsClaim, gatewayClaim, nil)
}

// newE2EWith is newE2E with the gateway's settings changed by edit (nil
// for none) before the gateway starts, and opts given to the gateway.
func newE2EWith(t *testing.T, groupsClaim, gatewayClaim string, edit func(*config.Gateway), opts ...gateway.Option) *e2eEnv {
	t.Helper()
	return startE2E(t, true, groupsClaim, gatewayClaim, edit, opts...)
}

// newE2EUnpublished is newE2E with nothing published yet: the site is
// written but not built until the test calls build (and the gateway's
// Reload).
func newE2EUnpublished(t *testing.T) *e2eEnv {
	t.Helper()
	return startE2E(t, false, "groups", "groups", nil)
}

// startE2E writes e2eSite, builds it when publish is set, and starts the
// provider and the gateway (see newE2EWith).
func startE2E(t *testing.T, publish bool, groupsClaim, gatewayClaim string, edit func(*config.Gateway), opts ...gateway.Option) *e2eEnv {
	t.Helper()
	dir := t.TempDir()
	e := &e2eEnv{site: filepath.Join(dir, "site"), out: filepath.Join(dir, "public"), logs: &syncBuffer{}}
	sitetest.Write(t, e.site, e2eSite)
	if publish {
		e.build(t)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.public = "http://" + ln.Addr().String()
	users := slices.Clone(e2eUsers)
	for i := range users {
		users[i].Password = e2ePassword
	}
	e.idp = idptest.New(t, idptest.Client{
		ID: e2eClientID, Secret: e2eSecret,
		RedirectURIs:           []string{e.public + gateway.CallbackPath},
		PostLogoutRedirectURIs: []string{e.public + "/"},
	}, users, idptest.Options{GroupsClaim: groupsClaim})
	e.secrets = append(e.secrets, e2ePassword, e2eSecret)

	cfg := e2eConfig(t, e.public, e.idp.Issuer(), gatewayClaim)
	if edit != nil {
		edit(cfg)
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.srv, err = gateway.New(cfg, e.out, append([]gateway.Option{gateway.WithLogger(log)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		e.srv.Close()
		if !t.Skipped() {
			// A test skipped before signing in has no sign-in to find.
			e.checkLogs(t)
		}
	})
	return e
}

// e2eConfig reads the gateway's settings the way `facet gateway` does:
// config/gateway.toml plus the secrets from the environment.
func e2eConfig(t *testing.T, public, issuer, claim string) *config.Gateway {
	t.Helper()
	toml := fmt.Sprintf("listen = %q\npublic_url = %q\nissuer = %q\nclient_id = %q\ngroups_claim = %q\nsession = \"1h\"\n",
		strings.TrimPrefix(public, "http://"), public, issuer, e2eClientID, claim)
	fsys := fstest.MapFS{config.GatewayFile: {Data: []byte(toml)}}
	env := map[string]string{config.EnvClientSecret: e2eSecret, config.EnvCookieSecret: e2eCookieKey}
	cfg, err := config.LoadGateway(fsys, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("gateway settings: %v", err)
	}
	return cfg
}

// build builds the site into the output folder (publishing a new
// generation when one is there) and reads the audiences' folders.
func (e *e2eEnv) build(t *testing.T) {
	t.Helper()
	if _, err := build.New(build.Options{Site: e.site, Out: e.out}).Build(context.Background()); err != nil {
		t.Fatalf("build: %v", err)
	}
	m, _, err := manifest.Read(e.out)
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{}
	for _, a := range m.Audiences {
		dirs[a.ID] = a.Dir
	}
	e.dirs = dirs
}

// remember adds a value that must never appear in the gateway's logs.
func (e *e2eEnv) remember(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.secrets = append(e.secrets, s)
}

// checkLogs fails when the logs hold a code, a password, the client
// secret or anything shaped like a JWT.
func (e *e2eEnv) checkLogs(t *testing.T) {
	logs := e.logs.String()
	if testing.Verbose() {
		t.Logf("gateway logs:\n%s", logs)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range append(e.secrets, "eyJ") {
		if strings.Contains(logs, s) {
			t.Errorf("gateway logs hold %q", s)
		}
	}
	if !strings.Contains(logs, "signed in") {
		t.Errorf("gateway logs record no sign-in")
	}
}

// browser is one person's HTTP client: a cookie jar, redirects not
// followed, so every step of the flow is seen.
type browser struct {
	e *e2eEnv
	c *http.Client
}

func (e *e2eEnv) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{e: e, c: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// get requests target (a path of the gateway or an absolute URL) and
// returns the response with its whole body.
func (b *browser) get(t *testing.T, target string) (*http.Response, string) {
	t.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.e.public + target
	}
	resp, err := b.c.Get(target)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return resp, string(body)
}

// location returns the response's redirect target, failing unless the
// response is a redirect.
func location(t *testing.T, resp *http.Response) *url.URL {
	t.Helper()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %s: status %d, want a redirect", resp.Request.Method, resp.Request.URL, resp.StatusCode)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("%s: %v", resp.Request.URL, err)
	}
	return loc
}

// wantSignInRedirect checks that resp sends an anonymous visitor of page
// to sign in and come back to page.
func wantSignInRedirect(t *testing.T, resp *http.Response, page string) *url.URL {
	t.Helper()
	loc := location(t, resp)
	if loc.Path != gateway.LoginPath || loc.Query().Get("rd") != page {
		t.Fatalf("GET %s: redirect to %s, want %s?rd=%s", page, loc, gateway.LoginPath, page)
	}
	return loc
}

// signIn walks the whole code flow from an anonymous request for page:
// the gateway sends the browser to sign in, then to the provider's
// authorize endpoint, the provider's form is filled in and posted, the
// callback starts the session and redirects back to page.
func (b *browser) signIn(t *testing.T, page, username string) {
	t.Helper()
	resp, _ := b.get(t, page)
	login := wantSignInRedirect(t, resp, page)

	resp, _ = b.get(t, login.String())
	authorize := location(t, resp)
	if got := authorize.Scheme + "://" + authorize.Host; got != b.e.idp.Issuer() {
		t.Fatalf("sign-in sent the browser to %s, want the provider %s", authorize, b.e.idp.Issuer())
	}
	q := authorize.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("nonce") == "" ||
		q.Get("redirect_uri") != b.e.public+gateway.CallbackPath {
		t.Fatalf("authorize request lacks PKCE, state, nonce or the callback: %s", authorize)
	}

	callback, err := b.e.idp.Login(b.c, authorize.String(), username, e2ePassword)
	if err != nil {
		t.Fatalf("provider sign-in as %s: %v", username, err)
	}
	b.e.remember(callback.Query().Get("code"))
	if !strings.HasPrefix(callback.String(), b.e.public+gateway.CallbackPath+"?") {
		t.Fatalf("provider returned to %s", callback)
	}

	resp, _ = b.get(t, callback.String())
	if back := location(t, resp); back.String() != b.e.public+page {
		t.Fatalf("callback redirected to %q, want %q", back, b.e.public+page)
	}
	if !hasCookie(resp, "facet") {
		t.Fatalf("callback set no session cookie: %v", resp.Header.Values("Set-Cookie"))
	}
}

func hasCookie(resp *http.Response, name string) bool {
	for _, c := range resp.Cookies() {
		if c.Name == name && c.Value != "" && c.MaxAge >= 0 {
			return true
		}
	}
	return false
}

// whoami reads /_facet/whoami.
func (b *browser) whoami(t *testing.T) gateway.Whoami {
	t.Helper()
	resp, body := b.get(t, gateway.WhoamiPath)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("whoami: status %d: %s", resp.StatusCode, body)
	}
	if strings.Contains(body, "eyJ") {
		t.Errorf("whoami shows a token: %s", body)
	}
	var w gateway.Whoami
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		t.Fatalf("whoami: %v: %s", err, body)
	}
	return w
}

// walk fetches every page of the site and checks that exactly the pages
// in visible answer 200 with their content. The others answer like a page
// that does not exist: a redirect to sign in for anonymous visitors, the
// build's own 404 page otherwise (notFound: the bytes of that page). No
// response holds the mark of a page not in visible.
func (b *browser) walk(t *testing.T, visible []string, notFound string) {
	t.Helper()
	b.walkStandins(t, visible, nil, notFound)
}

// walkStandins is walk where the section pages at the standins URLs are
// hidden but the build holds the generated page standing in for each:
// 200, without the hidden page's words.
func (b *browser) walkStandins(t *testing.T, visible, standins []string, notFound string) {
	t.Helper()
	var hidden []string
	for _, p := range e2ePages {
		if !slices.Contains(visible, p.url) {
			hidden = append(hidden, p.mark)
		}
	}
	for _, p := range e2ePages {
		resp, body := b.get(t, p.url)
		switch {
		case slices.Contains(visible, p.url):
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, p.mark) {
				t.Errorf("GET %s: status %d, want 200 with %q", p.url, resp.StatusCode, p.mark)
			}
		case slices.Contains(standins, p.url):
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "fc-title") {
				t.Errorf("GET %s: status %d, want 200 with the generated page standing in for the hidden section page", p.url, resp.StatusCode)
			}
		case notFound == "":
			wantSignInRedirect(t, resp, p.url)
		default:
			if resp.StatusCode != http.StatusNotFound || body != notFound {
				t.Errorf("GET %s: status %d, want 404 with the build's 404 page; body:\n%.300s", p.url, resp.StatusCode, body)
			}
		}
		for _, h := range hidden {
			if strings.Contains(body, h) {
				t.Errorf("GET %s (status %d) holds %q, a page hidden from this person", p.url, resp.StatusCode, h)
			}
		}
	}
}

// notFoundPage is the 404 page of the build folder dir, as published.
func (e *e2eEnv) notFoundPage(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.out, dir, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// poll calls f until it returns nil or d has passed, and returns f's last
// error.
func poll(d time.Duration, f func() error) error {
	deadline := time.Now().Add(d)
	wait := 5 * time.Millisecond
	for {
		err := f()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
		wait = min(2*wait, 200*time.Millisecond)
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer safe for the gateway's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
