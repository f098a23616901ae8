package gateway

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// kindFixture is a site open to anyone but for /eng/ and /partners/, with
// the fixture's people and guest gina in eng and partners, a combination
// no member build has: a member of eng and partners sees exactly gina's
// pages, and a member of partners exactly carol's.
func kindFixture(t *testing.T) *Server {
	t.Helper()
	site := level("config/site.toml", true, "allow anyone")
	rules := siteRules(page{"/", access.Chain{site}},
		page{"/eng/", access.Chain{level("content/eng/_index.md", true, "allow group:eng"), site}},
		page{"/partners/", access.Chain{level("content/partners/_index.md", true, "allow group:partners"), site}})
	dir := fixtureDirectory
	dir.Guests = append(append([]access.GuestEntry{}, dir.Guests...),
		access.GuestEntry{Email: "gina@partner.example", Groups: []string{"eng", "partners"}})
	s, _, _ := newServerWith(t, "https://docs.example.com", fixtureOptions{gen: "g", rules: rules, directory: &dir})
	return s
}

// buildKinds are the kinds of the audiences a build folder serves.
func buildKinds(t *testing.T, s *Server, dir string) []string {
	t.Helper()
	var kinds []string
	m, _, err := manifest.LoadFS(s.current.Load().snap.meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range m.Audiences {
		if a.Dir == dir {
			kinds = append(kinds, a.Kind)
		}
	}
	return kinds
}

// A member whose pages equal a guest's is served a member build (the
// largest member subset, not exact), and a guest whose pages equal a
// member group's is served their own guest build, through whoami.
func TestBuildIsChosenByKind(t *testing.T) {
	t.Parallel()
	s := kindFixture(t)
	st := s.current.Load()
	bob := access.Identity{Kind: access.Member, Email: "bob@example.com", Groups: []string{"eng", "partners"}}
	gina := access.Identity{Kind: access.Guest, Email: "gina@partner.example", Groups: []string{"eng", "partners"}}
	if !st.rules.Visible(bob).Equal(st.rules.Visible(gina)) {
		t.Fatal("fixture: bob and gina must see the same pages")
	}
	for _, tc := range []struct {
		email  string
		groups []string
		kind   string
		exact  bool
	}{
		{"bob@example.com", []string{"eng", "partners"}, "member", false},
		{"gina@partner.example", nil, "guest", true},
		{"carol@partner.example", nil, "guest", true},
		{"pat@example.com", []string{"partners"}, "member", true},
		{"stranger@else.example", nil, "anonymous", true},
	} {
		w := whoami(t, s, cookies(s.testCookie(t, tc.email, true, tc.groups...)))
		if w.Exact != tc.exact {
			t.Errorf("%s: exact = %v, want %v", tc.email, w.Exact, tc.exact)
		}
		for _, k := range buildKinds(t, s, w.Build) {
			if k != tc.kind {
				t.Errorf("%s: served build %s, which serves a %s audience; want only %s", tc.email, w.Build, k, tc.kind)
			}
		}
		if strings.HasPrefix(w.Audience, "user:") && w.Audience != "user:"+tc.email {
			t.Errorf("%s: served as %s", tc.email, w.Audience)
		}
		resp := get(s, "/eng/", cookies(s.testCookie(t, tc.email, true, tc.groups...)))
		if b := body(t, resp); resp.StatusCode == http.StatusOK && !strings.Contains(b, "build="+w.Build+" ") {
			t.Errorf("%s: /eng/ came from another build than whoami's %s: %s", tc.email, w.Build, b)
		}
	}
}

// A build's kind comes from its audiences in manifest.json; an unknown
// kind, or audiences and rules.json disagreeing on it, is refused at load.
func TestLoadRejectsBadBuildKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ file, from, to string }{
		{manifest.ManifestFile, `"kind": "guest"`, `"kind": "wizard"`},
		{manifest.ManifestFile, `"kind": "guest"`, `"kind": "member"`},
		{manifest.RulesFile, `"kind": "guest"`, `"kind": "member"`},
	} {
		out := filepath.Join(t.TempDir(), "public")
		mustMkdir(t, out)
		writeFixture(t, out, fixtureOptions{gen: "a"})
		path := filepath.Join(out, tc.file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(tc.from)) {
			t.Fatalf("%s lacks %s", tc.file, tc.from)
		}
		b = bytes.Replace(b, []byte(tc.from), []byte(tc.to), 1)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if st, err := loadGeneration(context.Background(), diskSource{out: out}, 0); err == nil {
			st.close()
			t.Errorf("%s with %s loaded", tc.file, tc.to)
		}
	}
}
