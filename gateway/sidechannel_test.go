package gateway

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/sitetest"
)

// A page hidden from a person changes nothing the gateway tells them: the
// whoami answer, every page, and the answers for the hidden page's address
// and for an address that exists nowhere are the same, byte for byte
// (headers too, but the date), as from the same site without the page.
// Before, which audiences shared a build (which a hidden page decides)
// showed in whoami's build folder ("group-eng" for an ops member whose
// pages equalled eng's) and in the badge.
func TestSideChannelGatewaySameWithoutHiddenPage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, site, hidden string
		email              string
		groups             []string
		paths              []string
	}{
		{
			name: "a group whose pages equal another's",
			site: `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[groups.ops]
title = "Operations"
-- content/_index.md --
+++
title = "Home"
+++
Home.
-- content/p.md --
+++
title = "Shared Plan"
[access]
allow = ["group:eng", "group:ops"]
+++
P.
`,
			hidden: `-- content/q.md --
+++
title = "Eng Only"
[access]
allow = ["group:eng"]
+++
Q.
`,
			email: "olga@example.com", groups: []string{"ops"},
			paths: []string{"/", "/p/", "/q/", "/q", "/q/index.html", "/nowhere/", "/_facet/nav.js"},
		},
		{
			name: "guests whose pages are equal",
			site: `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[groups.partners]
title = "Partners"
[[guests]]
email = "fay@one.example"
groups = ["partners"]
[[guests]]
email = "gus@two.example"
groups = ["partners"]
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["guests"]
+++
Home.
`,
			hidden: `-- content/a.md --
+++
title = "For Fay"
[access]
allow = ["user:fay@one.example"]
+++
F.
`,
			email: "gus@two.example",
			paths: []string{"/", "/a/", "/nowhere/", "/_facet/nav.js"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			with := builtServer(t, tc.site+tc.hidden)
			without := builtServer(t, tc.site)
			for _, p := range append([]string{WhoamiPath}, tc.paths...) {
				a := sideAnswer(t, with, p, with.testCookie(t, tc.email, true, tc.groups...))
				b := sideAnswer(t, without, p, without.testCookie(t, tc.email, true, tc.groups...))
				sameAnswer(t, tc.email+" "+p, a, b)
				sameAnswer(t, "anonymous "+p, sideAnswer(t, with, p, nil), sideAnswer(t, without, p, nil))
			}
		})
	}
}

// sameAnswer reports the first line that differs between two answers.
func sameAnswer(t *testing.T, what, a, b string) {
	t.Helper()
	if a == b {
		return
	}
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			t.Errorf("%s, line %d:\nwith the hidden page:    %.400s\nwithout the hidden page: %.400s", what, i+1, x, y)
			return
		}
	}
}

// builtServer builds a site archive with the generator and starts a
// gateway on its output.
func builtServer(t *testing.T, archive string) *Server {
	t.Helper()
	site := sitetest.New(t, archive)
	out := filepath.Join(site, "public")
	if _, err := build.New(build.Options{Site: site, Out: out}).Build(context.Background()); err != nil {
		t.Fatalf("build: %v", err)
	}
	s, err := New(testConfig("https://docs.example.com", "http://127.0.0.1:1/unreachable"), out,
		WithNow((&clock{t: testNow}).now), WithLogger(quietLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sideAnswer is a response as text: status, headers but Date (the generation
// of a whoami answer left out) and body.
func sideAnswer(t *testing.T, s *Server, path string, c *http.Cookie) string {
	t.Helper()
	var cs []*http.Cookie
	if c != nil {
		cs = cookies(c)
	}
	resp := get(s, path, cs)
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if path == WhoamiPath {
		var w Whoami
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("whoami: %v: %s", err, b)
		}
		w.Generation = ""
		b, _ = json.Marshal(w)
	}
	var lines []string
	for k, v := range resp.Header {
		if k != "Date" && k != "Content-Length" {
			lines = append(lines, k+": "+strings.Join(v, ", "))
		}
	}
	slices.Sort(lines)
	return resp.Status + "\n" + strings.Join(lines, "\n") + "\n\n" + string(b)
}
