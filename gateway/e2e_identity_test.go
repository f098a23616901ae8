package gateway_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/idptest"
)

// wallClock is a settable clock that starts at the wall clock's time.
type wallClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *wallClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *wallClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// What a session's person is changes while they are signed in, and the
// gateway follows at their next request, across the rebuild that changes
// it: a guest whose address is also in a member domain is a guest (the
// provider's groups never count for them) until their expiry passes, then
// an outsider served the anonymous build, never a member; a group removed
// from config/access.toml stops counting for the sessions that hold it;
// groups the provider spells in another case or with other characters
// than config/access.toml match nothing.
func TestE2EIdentityChangesWhileSignedIn(t *testing.T) {
	t.Parallel()
	clk := &wallClock{}
	e := startE2E(t, false, "groups", "groups", nil, gateway.WithNow(clk.now))
	expires := time.Now().Add(30 * time.Minute).UTC().Truncate(time.Second)
	access := filepath.Join(e.site, "config/access.toml")
	cfg, err := os.ReadFile(access)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, access, string(cfg)+`
[[guests]]
email = "gus@example.com"
name = "Gus (Vendor)"
groups = ["partners"]
expires = `+expires.Format(time.RFC3339)+"\n")
	e.build(t)
	if err := e.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	for _, u := range []idptest.User{
		{Username: "gus", Email: "gus@example.com", EmailVerified: true, Groups: []string{"eng", "ops"}},
		{Username: "spelled", Email: "spelled@example.com", EmailVerified: true,
			Groups: []string{"ENG", "Eng", "eng ", "eng\u200b", "\uff45ng", "e\u006eg\u0301", "Ops", "QA", "partners\u00a0"}},
	} {
		u.Password = e2ePassword
		e.idp.SetUser(u)
	}
	partnersShelf := []string{"/", "/guide/", "/partners/"}

	gus := e.browser(t)
	gus.signIn(t, "/partners/", "gus")
	bob := e.browser(t)
	bob.signIn(t, "/ops/", "bob")
	spelled := e.browser(t)
	spelled.signIn(t, "/lounge/", "spelled")

	check := func(when string, b *browser, want gateway.Whoami, visible []string) {
		t.Helper()
		got := b.whoami(t)
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(gateway.Whoami{}, "Generation", "Audience", "Build", "Exact")); diff != "" {
			t.Errorf("%s: whoami (-want +got):\n%s", when, diff)
		}
		if got.Build == "" {
			t.Fatalf("%s: %s is served no build", when, want.Email)
		}
		b.walk(t, visible, e.notFoundPage(t, got.Build))
	}
	gusGuest := gateway.Whoami{Kind: "guest", Email: "gus@example.com", Groups: []string{"partners"},
		Name: "Gus (Vendor)", Expires: expires.Format(time.RFC3339)}
	check("gus", gus, gusGuest, partnersShelf)
	check("bob", bob, gateway.Whoami{Kind: "member", Email: "bob@example.com", Groups: []string{"eng", "ops"}},
		slices.Concat(memberURLs, engURLs, opsURLs))
	check("spelled", spelled, gateway.Whoami{Kind: "member", Email: "spelled@example.com", Groups: []string{}}, memberURLs)

	// The next build drops the group ops: its space is qa's now.
	cfg, err = os.ReadFile(access)
	if err != nil {
		t.Fatal(err)
	}
	dropped := strings.Replace(string(cfg), "[groups.ops]\ntitle = \"Operations\"\n", "", 1)
	dropped = strings.Replace(dropped, "[[audiences]]\ngroups = [\"eng\", \"ops\"]\n", "", 1)
	if dropped == string(cfg) || strings.Contains(dropped, "ops") {
		t.Fatalf("config/access.toml still declares ops:\n%s", dropped)
	}
	writeFile(t, access, dropped)
	writeFile(t, filepath.Join(e.site, "content/ops/_index.md"),
		"+++\ntitle = \"Ops Heron\"\n[access]\nallow = [\"group:qa\"]\n+++\nThe operations space.\n")
	before := e.srv.Generation()
	e.build(t)
	if err := e.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	if e.srv.Generation() == before {
		t.Fatal("the rebuild was not swapped in")
	}
	check("bob after ops was dropped", bob, gateway.Whoami{Kind: "member", Email: "bob@example.com", Groups: []string{"eng"}},
		slices.Concat(memberURLs, engURLs))
	check("gus after the rebuild", gus, gusGuest, partnersShelf)
	check("spelled after the rebuild", spelled, gateway.Whoami{Kind: "member", Email: "spelled@example.com", Groups: []string{}}, memberURLs)

	// gus's expiry passes while he is signed in: an outsider, though his
	// address is in a member domain and his provider claims eng.
	clk.advance(time.Until(expires) + time.Second)
	got := gus.whoami(t)
	if got.Kind != "outsider" || got.Email != "gus@example.com" || len(got.Groups) != 0 || got.Name != "" || got.Expires != "" ||
		got.Build != e.dirs["anonymous"] {
		t.Errorf("gus after his expiry: whoami %+v, want an outsider served %s", got, e.dirs["anonymous"])
	}
	gus.walk(t, publicURLs, e.notFoundPage(t, e.dirs["anonymous"]))
}

// A rule naming a person beats a group rule at the same level, in the
// builds the gateway chooses as in the rules: engineer, denied by name a
// page of eng's, is never served a build that holds it (only a smaller
// one: eng's build holds it); other members of eng read it, and nobody
// but bob is served a build with the page that names bob and denies his
// group ops (bob himself is served the larger build of eng+ops, which
// lacks it: no build holds it with the rest of what he sees).
func TestE2EUserRuleBeatsGroupRule(t *testing.T) {
	t.Parallel()
	e := newE2E(t, "groups", "groups")
	writeFile(t, filepath.Join(e.site, "content/eng/retro.md"),
		"+++\ntitle = \"Falcon Retro\"\n[access]\nallow = [\"group:eng\"]\ndeny = [\"user:engineer@example.com\"]\n+++\nWhat went wrong.\n")
	writeFile(t, filepath.Join(e.site, "content/ops/oncall.md"),
		"+++\ntitle = \"Gannet Oncall\"\n[access]\nallow = [\"user:bob@example.com\"]\ndeny = [\"group:ops\"]\n+++\nWho is paged.\n")
	e.build(t)
	if err := e.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		user        string
		page        string
		sees, hides []string
	}{
		{"engineer", "/eng/", nil, []string{"/eng/retro/", "/ops/oncall/"}},
		{"bob", "/eng/", []string{"/eng/retro/"}, nil},
		{"crowded", "/eng/", []string{"/eng/retro/"}, []string{"/ops/oncall/"}},
	} {
		b := e.browser(t)
		b.signIn(t, tc.page, tc.user)
		w := b.whoami(t)
		notFound := e.notFoundPage(t, w.Build)
		for _, p := range tc.sees {
			if resp, body := b.get(t, p); resp.StatusCode != 200 {
				t.Errorf("%s: %s: status %d: %.200s", tc.user, p, resp.StatusCode, body)
			}
		}
		for _, p := range tc.hides {
			if resp, body := b.get(t, p); resp.StatusCode != 404 || body != notFound {
				t.Errorf("%s: %s: status %d, want the 404 page of %s", tc.user, p, resp.StatusCode, w.Build)
			}
		}
		for _, p := range slices.Concat(memberURLs, engURLs, opsURLs) {
			_, body := b.get(t, p)
			for _, title := range []string{"Falcon Retro", "Gannet Oncall"} {
				hidden := (title == "Falcon Retro" && slices.Contains(tc.hides, "/eng/retro/")) ||
					(title == "Gannet Oncall" && slices.Contains(tc.hides, "/ops/oncall/"))
				if hidden && strings.Contains(body, title) {
					t.Errorf("%s: %s (build %s) names %q, hidden from them", tc.user, p, w.Build, title)
				}
			}
		}
	}
}
