package gateway

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/access"
)

// whoami gives a guest their own name and expiry, which no build file
// carries; nobody else gets a name or expiry, and no answer holds another
// person's email or name, though carol, dave and erin share one build. An
// expired guest is an outsider served the anonymous build.
func TestWhoamiOwnNameAndExpiry(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	others := []string{"carol@partner.example", "Carol (Partner Inc)", "dave@partner.example", "erin@partner.example"}
	for _, tc := range []struct {
		email, kind, name, expires, build string
		groups                            []string
	}{
		{"carol@partner.example", "guest", "Carol (Partner Inc)", "", "", nil},
		{"erin@partner.example", "guest", "", "2026-06-01T18:00:00Z", "", nil},
		{"dave@partner.example", "outsider", "", "", anonymousDir, nil},
		{"bob@example.com", "member", "", "", "", []string{"partners"}},
	} {
		resp := get(s, WhoamiPath, cookies(s.testCookie(t, tc.email, true, tc.groups...)))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.email, resp.StatusCode)
		}
		raw := body(t, resp)
		w := whoami(t, s, cookies(s.testCookie(t, tc.email, true, tc.groups...)))
		if w.Kind != tc.kind || w.Name != tc.name || w.Expires != tc.expires {
			t.Errorf("%s: whoami = %+v, want kind %s name %q expires %q", tc.email, w, tc.kind, tc.name, tc.expires)
		}
		if tc.build != "" && w.Build != tc.build {
			t.Errorf("%s: served %q, want %q", tc.email, w.Build, tc.build)
		}
		for _, o := range others {
			if o != tc.email && o != tc.name && strings.Contains(raw, o) {
				t.Errorf("%s: whoami holds %q: %s", tc.email, o, raw)
			}
		}
	}
}

// whoami names the audience a person is served as only when it is their
// own or names nobody: a person served a build whose audiences are other
// people's gets no audience id (it would carry their email).
func TestWhoamiNamesNoOtherAudience(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	st := s.current.Load()
	for _, tc := range []struct {
		id       access.Identity
		audience string
		want     string
	}{
		{access.Identity{Kind: access.Member, Email: "alice@example.com", Groups: []string{"leads"}}, "user:carol@partner.example", ""},
		{access.Identity{Kind: access.Guest, Email: "erin@partner.example", Groups: []string{"partners"}}, "user:carol@partner.example", ""},
		{access.Identity{Kind: access.Guest, Email: "erin@partner.example", Groups: []string{"partners"}}, "user:erin@partner.example", "user:erin@partner.example"},
		{access.Identity{Kind: access.Member, Email: "bob@example.com", Groups: []string{"eng", "leads"}}, "group:eng", "group:eng"},
	} {
		st.choices.Store(tc.id.Key(), choice{build: 0, exact: false, audience: tc.audience})
		rec := httptest.NewRecorder()
		s.whoami(rec, st, tc.id, httptest.NewRequest("GET", WhoamiPath, nil))
		if strings.Contains(rec.Body.String(), "carol") {
			t.Errorf("%s served as %s: whoami names carol: %s", tc.id.Email, tc.audience, rec.Body)
		}
		if !strings.Contains(rec.Body.String(), `"audience":"`+tc.want+`"`) && tc.want != "" {
			t.Errorf("%s served as %s: whoami lacks audience %q: %s", tc.id.Email, tc.audience, tc.want, rec.Body)
		}
	}
}
