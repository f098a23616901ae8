package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/facet-docs/facet/gateway"
)

// Builds are chosen by kind: a member whose pages equal a guest's is served
// a member build, and two guests of the same groups are each served a guest
// build that names neither of them (the name comes from whoami).
func TestE2EBuildsAreChosenByKind(t *testing.T) {
	t.Parallel()
	e := newE2E(t, "groups", "groups")
	shelf := []string{"/", "/guide/", "/lounge/", "/partners/"}
	people := []person{
		{"pat", gateway.Whoami{Kind: "member", Email: "pat@example.com", Groups: []string{"partners"},
			Audience: "group:partners", Exact: true}, shelf},
		{"lena", gateway.Whoami{Kind: "guest", Email: "lena@partner.example", Groups: []string{"partners"},
			Name: "Lena (Partner Inc)", Audience: "user:lena@partner.example", Exact: true}, shelf},
		{"kate", gateway.Whoami{Kind: "guest", Email: "kate@partner.example", Groups: []string{"partners"},
			Name: "Kate (Partner Inc)", Audience: "user:kate@partner.example", Exact: true}, []string{"/", "/guide/", "/partners/"}},
		{"mia", gateway.Whoami{Kind: "guest", Email: "mia@partner.example", Groups: []string{"partners"},
			Name: "Mia (Partner Inc)", Audience: "user:mia@partner.example", Exact: true}, []string{"/", "/guide/", "/partners/"}},
	}
	builds := map[string]string{}
	for _, p := range people {
		b := e.browser(t)
		b.signIn(t, "/partners/", p.username)
		got := b.whoami(t)
		if diff := cmp.Diff(p.who, got, cmpopts.IgnoreFields(gateway.Whoami{}, "Build", "Generation")); diff != "" {
			t.Errorf("%s: whoami (-want +got):\n%s", p.username, diff)
		}
		if got.Build == "" {
			t.Fatalf("%s: no build", p.username)
		}
		builds[p.username] = got.Build
		b.walk(t, p.visible, e.notFoundPage(t, got.Build))
		// No page of the build names a guest: the badge is filled in from whoami.
		for _, u := range p.visible {
			_, body := b.get(t, u)
			for _, name := range []string{"Lena", "Kate", "Mia", "Carol", "partner.example"} {
				if strings.Contains(body, name) {
					t.Errorf("%s: %s names %q", p.username, u, name)
				}
			}
		}
	}
	if builds["pat"] == builds["lena"] {
		t.Errorf("the member pat is served the guest lena's build %s", builds["pat"])
	}
	if builds["pat"] != e.dirs["group:partners"] {
		t.Errorf("pat is served %s, want the member build %s", builds["pat"], e.dirs["group:partners"])
	}
	for _, g := range []string{"lena", "kate", "mia"} {
		if builds[g] == builds["pat"] || builds[g] == e.dirs["group:partners"] {
			t.Errorf("guest %s is served the member build %s", g, builds[g])
		}
	}
}

// A member in 300 long groups the site does not declare signs in with one
// small cookie holding only the declared group, and reads that group's pages.
func TestE2EMemberInManyUndeclaredGroups(t *testing.T) {
	t.Parallel()
	e := newE2E(t, "groups", "groups")
	b := e.browser(t)
	b.signIn(t, "/eng/", "crowded")
	got := b.whoami(t)
	want := gateway.Whoami{Kind: "member", Email: "crowded@example.com", Groups: []string{"eng"},
		Audience: "group:eng", Build: e.dirs["group:eng"], Exact: true}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(gateway.Whoami{}, "Generation")); diff != "" {
		t.Errorf("whoami (-want +got):\n%s", diff)
	}
	u, err := url.Parse(e.public)
	if err != nil {
		t.Fatal(err)
	}
	var size int
	for _, c := range b.c.Jar.Cookies(u) {
		size += len(c.Name) + 1 + len(c.Value) + 2
	}
	if size > 4000 {
		t.Errorf("cookies sent back are %d bytes, want under 4 KB", size)
	}
	resp, _ := b.get(t, "/eng/design/")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/eng/design/: status %d", resp.StatusCode)
	}
	b.walk(t, append(append([]string{}, memberURLs...), engURLs...), e.notFoundPage(t, got.Build))
}
