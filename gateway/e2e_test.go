package gateway_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/idptest"
	"github.com/facet-docs/facet/internal/manifest"
)

// person is someone at the provider and what the gateway must make of
// them.
type person struct {
	username string
	who      gateway.Whoami // Kind, Email, Groups, Audience, Exact
	visible  []string
}

func TestE2ESignInServesEachPersonTheirBuild(t *testing.T) {
	t.Parallel()
	// A claim name with ':' and '/', taken literally.
	e := newE2E(t, "https://facet.example/claims:groups", "https://facet.example/claims:groups")
	all := slices.Concat(memberURLs, engURLs)
	people := []person{
		{"bob", gateway.Whoami{Kind: "member", Email: "bob@example.com", Groups: []string{"eng", "ops"},
			Audience: "groups:eng+ops", Exact: true}, slices.Concat(all, opsURLs)},
		{"engineer", gateway.Whoami{Kind: "member", Email: "engineer@example.com", Groups: []string{"eng"},
			Audience: "group:eng", Exact: true}, all},
		{"member", gateway.Whoami{Kind: "member", Email: "member@example.com", Groups: []string{},
			Audience: "members", Exact: true}, memberURLs},
		// The provider says carol is in eng: ignored, a guest's groups come from the config.
		// Her own name and expiry come from whoami, never from a build file.
		{"carol", gateway.Whoami{Kind: "guest", Email: "carol@partner.example", Groups: []string{"partners"},
			Name: "Carol (Partner Inc)", Expires: "2100-01-01T00:00:00Z", Audience: "user:carol@partner.example", Exact: true},
			[]string{"/", "/guide/", "/eng/partner-api/", "/partners/"}},
		{"dan", gateway.Whoami{Kind: "outsider", Email: "dan@partner.example", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
		{"unverified", gateway.Whoami{Kind: "outsider", Email: "unverified@example.com", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
		{"outsider", gateway.Whoami{Kind: "outsider", Email: "someone@elsewhere.example", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
		// A guest needs a verified address, compared exactly after ASCII lower-casing.
		{"carol-unverified", gateway.Whoami{Kind: "outsider", Email: "carol@partner.example", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
		{"carol-no-claim", gateway.Whoami{Kind: "outsider", Email: "carol@partner.example", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
		{"carol-padded", gateway.Whoami{Kind: "outsider", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
		{"kate", gateway.Whoami{Kind: "guest", Email: "kate@partner.example", Groups: []string{"partners"},
			Name: "Kate (Partner Inc)", Audience: "user:kate@partner.example", Exact: true}, []string{"/", "/guide/", "/partners/"}},
		{"kate-kelvin", gateway.Whoami{Kind: "outsider", Email: "\u212Aate@partner.example", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
		{"kate-dotted", gateway.Whoami{Kind: "outsider", Email: "kate@partner.examp\u0130e", Groups: []string{},
			Audience: "anonymous", Exact: true}, publicURLs},
	}
	// The section URLs whose page is hidden from a person who reads a page
	// beneath: the build serves the generated page standing in for it.
	standins := map[string][]string{"carol": {"/eng/"}}
	for _, p := range people {
		t.Run(p.username, func(t *testing.T) {
			t.Parallel()
			b := e.browser(t)
			b.signIn(t, "/lounge/", p.username)
			got := b.whoami(t)
			if diff := cmp.Diff(p.who, got, cmpopts.IgnoreFields(gateway.Whoami{}, "Build", "Generation")); diff != "" {
				t.Errorf("whoami (-want +got):\n%s", diff)
			}
			if want := e.dirs[p.who.Audience]; got.Build != want || want == "" {
				t.Fatalf("served build %q, want %q (audience %s)", got.Build, want, p.who.Audience)
			}
			b.walkStandins(t, p.visible, standins[p.username], e.notFoundPage(t, got.Build))
		})
	}
	t.Run("anonymous", func(t *testing.T) {
		t.Parallel()
		b := e.browser(t)
		got := b.whoami(t)
		want := gateway.Whoami{Kind: "anonymous", Groups: []string{}, Audience: "anonymous", Build: "anonymous", Exact: true}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(gateway.Whoami{}, "Generation")); diff != "" {
			t.Errorf("whoami (-want +got):\n%s", diff)
		}
		b.walk(t, publicURLs, "")
		// The callback refuses a code it did not ask for.
		resp, body := b.get(t, gateway.CallbackPath+"?code=forged&state="+strings.Repeat("A", 43))
		if resp.StatusCode < 400 || hasCookie(resp, "facet") || strings.Contains(body, "forged") {
			t.Errorf("forged callback: status %d, cookies %v", resp.StatusCode, resp.Header.Values("Set-Cookie"))
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		t.Parallel()
		b := e.browser(t)
		resp, _ := b.get(t, gateway.LoginPath+"?rd=/lounge/")
		_, err := e.idp.Login(b.c, location(t, resp).String(), "bob", "not the password")
		if !errors.Is(err, idptest.ErrInvalidCredentials) {
			t.Fatalf("Login with a wrong password: %v", err)
		}
		if got := b.whoami(t); got.Kind != "anonymous" {
			t.Errorf("after a failed sign-in: kind %q", got.Kind)
		}
	})
}

func TestE2ELogoutEndsTheProviderSession(t *testing.T) {
	t.Parallel()
	e := newE2E(t, "groups", "groups")
	b := e.browser(t)
	b.signIn(t, "/eng/", "bob")
	if got := b.whoami(t); got.Kind != "member" {
		t.Fatalf("signed in as %q", got.Kind)
	}
	before := e.idp.EndSessionCalls()

	resp, _ := b.get(t, gateway.LogoutPath)
	if resp.Header.Get("Clear-Site-Data") == "" {
		t.Error("logout sends no Clear-Site-Data")
	}
	end := location(t, resp)
	if got := end.Scheme + "://" + end.Host; got != e.idp.Issuer() {
		t.Fatalf("logout redirected to %s, want the provider's end_session_endpoint", end)
	}
	if end.Query().Get("id_token_hint") == "" || end.Query().Get("post_logout_redirect_uri") != e.public+"/" {
		t.Errorf("end_session request lacks id_token_hint or post_logout_redirect_uri: %s", end)
	}
	resp, _ = b.get(t, end.String())
	if back := location(t, resp); back.String() != e.public+"/" {
		t.Errorf("provider sent the browser to %s after logout, want %s/", back, e.public)
	}
	if got := e.idp.EndSessionCalls() - before; got != 1 {
		t.Errorf("provider accepted %d end_session requests, want 1", got)
	}

	if got := b.whoami(t); got.Kind != "anonymous" || got.Email != "" {
		t.Errorf("after logout: whoami %+v, want anonymous", got)
	}
	resp, _ = b.get(t, "/eng/")
	wantSignInRedirect(t, resp, "/eng/")
}

func TestE2EUndeclaredCombinationGetsLargestSubset(t *testing.T) {
	t.Parallel()
	// The groups nested in realm_access.roles, read through a dotted path.
	e := newE2E(t, "groups", "realm_access.roles")
	b := e.browser(t)
	b.signIn(t, "/eng/", "eng-qa")
	got := b.whoami(t)
	want := gateway.Whoami{Kind: "member", Email: "eng-qa@example.com", Groups: []string{"eng", "qa"},
		Audience: "group:eng", Build: e.dirs["group:eng"], Exact: false}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(gateway.Whoami{}, "Generation")); diff != "" {
		t.Errorf("whoami (-want +got):\n%s", diff)
	}
	want.Generation = got.Generation
	// eng's build, the larger of the subsets (eng, qa, members): /qa/ is not in it.
	b.walk(t, slices.Concat(memberURLs, engURLs), e.notFoundPage(t, got.Build))

	want2 := manifest.Wanted{Combinations: []manifest.WantedCombination{{Groups: []string{"eng", "qa"}}}}
	var w manifest.Wanted
	err := poll(5*time.Second, func() error {
		data, err := os.ReadFile(filepath.Join(e.out, manifest.WantedFile))
		if err != nil {
			return err
		}
		w = manifest.Wanted{}
		if err := json.Unmarshal(data, &w); err != nil {
			return err
		}
		if !cmp.Equal(want2, w, cmpopts.IgnoreFields(manifest.WantedCombination{}, "LastWanted")) {
			return fmt.Errorf("wanted.json is %+v", w)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("wanted.json never recorded eng+qa: %v", err)
	}

	// Make the record old (but still wanted): once the combination has its
	// own build, serving it must keep it wanted, or a build 30 days after
	// the first record would drop it while it is in use.
	old := time.Now().Add(-29 * 24 * time.Hour).UTC().Format(time.RFC3339)
	w.Combinations[0].LastWanted = old
	data, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(e.out, manifest.WantedFile), string(data))

	// The next build adds the combination, and the same session gets it.
	e.build(t)
	if e.dirs["groups:eng+qa"] == "" {
		t.Fatalf("the rebuild made no build for eng+qa: %v", e.dirs)
	}
	want.Audience, want.Build, want.Exact = "groups:eng+qa", e.dirs["groups:eng+qa"], true
	err = poll(10*time.Second, func() error {
		if got = b.whoami(t); got.Generation == want.Generation {
			return fmt.Errorf("still generation %s", got.Generation)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the rebuild was not picked up: %v", err)
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(gateway.Whoami{}, "Generation")); diff != "" {
		t.Errorf("whoami after the rebuild (-want +got):\n%s", diff)
	}
	b.walk(t, slices.Concat(memberURLs, engURLs, []string{"/qa/"}), e.notFoundPage(t, got.Build))

	// Being served the combination's own build keeps it wanted.
	err = poll(5*time.Second, func() error {
		var now manifest.Wanted
		data, err := os.ReadFile(filepath.Join(e.out, manifest.WantedFile))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, &now); err != nil {
			return err
		}
		if len(now.Combinations) != 1 || now.Combinations[0].LastWanted == old {
			return fmt.Errorf("wanted.json is %+v", now)
		}
		at, err := time.Parse(time.RFC3339, now.Combinations[0].LastWanted)
		if err != nil || time.Since(at) > time.Hour {
			return fmt.Errorf("last_wanted %q is not now (%v)", now.Combinations[0].LastWanted, err)
		}
		return nil
	})
	if err != nil {
		t.Errorf("serving the combination's build did not keep it wanted: %v", err)
	}
}

func TestE2ERebuildIsServedWithoutSigningInAgain(t *testing.T) {
	t.Parallel()
	e := newE2E(t, "groups", "groups")
	b := e.browser(t)
	b.signIn(t, "/eng/design/", "engineer")
	before := b.whoami(t)
	if _, body := b.get(t, "/eng/design/"); !strings.Contains(body, "Revision one") {
		t.Fatalf("before the rebuild: %.300s", body)
	}
	resp, _ := b.get(t, "/eng/addendum/")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("before the rebuild /eng/addendum/: status %d", resp.StatusCode)
	}

	writeFile(t, filepath.Join(e.site, "content/eng/design.md"),
		"+++\ntitle = \"Kestrel Design Notes\"\n+++\nRevision two of the design.\n")
	writeFile(t, filepath.Join(e.site, "content/eng/addendum.md"),
		"+++\ntitle = \"Kestrel Addendum\"\n+++\nAdded later.\n")
	e.build(t)

	var after gateway.Whoami
	err := poll(10*time.Second, func() error {
		after = b.whoami(t)
		if after.Generation == before.Generation {
			return errors.New("still the old generation")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the new build was not picked up: %v", err)
	}
	if after.Kind != "member" || after.Email != "engineer@example.com" || after.Build != e.dirs["group:eng"] {
		t.Errorf("after the rebuild: whoami %+v", after)
	}
	if resp, body := b.get(t, "/eng/design/"); resp.StatusCode != 200 || !strings.Contains(body, "Revision two") {
		t.Errorf("after the rebuild /eng/design/: status %d: %.300s", resp.StatusCode, body)
	}
	if resp, body := b.get(t, "/eng/addendum/"); resp.StatusCode != 200 || !strings.Contains(body, "Kestrel Addendum") {
		t.Errorf("after the rebuild /eng/addendum/: status %d: %.300s", resp.StatusCode, body)
	}
	// Still hidden from anyone else.
	resp, body := e.browser(t).get(t, "/eng/addendum/")
	wantSignInRedirect(t, resp, "/eng/addendum/")
	if strings.Contains(body, "Kestrel Addendum") {
		t.Error("an anonymous response holds the new page's title")
	}
}

// assume_email_verified makes an absent email_verified count as true, never
// a false one, and the gateway says so at start-up.
func TestE2EAssumeEmailVerified(t *testing.T) {
	t.Parallel()
	e := newE2EWith(t, "groups", "groups", func(c *config.Gateway) { c.AssumeEmailVerified = true })
	if !strings.Contains(e.logs.String(), "level=WARN") || !strings.Contains(e.logs.String(), "assume_email_verified") {
		t.Errorf("no start-up warning about assume_email_verified in logs:\n%s", e.logs.String())
	}
	for _, tt := range []struct{ user, kind string }{
		{"carol-no-claim", "guest"}, {"carol-unverified", "outsider"}, {"unverified", "outsider"}, {"carol", "guest"},
	} {
		t.Run(tt.user, func(t *testing.T) {
			b := e.browser(t)
			b.signIn(t, "/lounge/", tt.user)
			if got := b.whoami(t); got.Kind != tt.kind {
				t.Errorf("%s: kind %q, want %s", tt.user, got.Kind, tt.kind)
			}
		})
	}
}
