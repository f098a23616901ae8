package preview

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/sitetest"
)

// Viewed as a guest, /_facet/whoami gives the guest's name and expiry as
// the gateway would (the build's own files name nobody); viewed as
// anonymous, it gives the anonymous kind and no person.
func TestWhoamiOfViewAs(t *testing.T) {
	t.Parallel()
	s, dir := site(t)
	sitetest.WriteFile(t, dir, "config/access.toml", `[members]
domains = ["example.com"]
[groups.eng]
title = "Engineering"
[[guests]]
email = "gina@guest.example"
name = "Gina Tamarind"
groups = ["eng"]
expires = 2999-12-31
`)
	rebuild(t, s)
	for _, tc := range []struct {
		as   string
		want manifest.Whoami
	}{
		{"", manifest.Whoami{Exact: true, Kind: "anonymous", Groups: []string{}, Audience: "anonymous"}},
		{"user:gina@guest.example", manifest.Whoami{Exact: true, Kind: "guest", Email: "gina@guest.example", Groups: []string{"eng"},
			Name: "Gina Tamarind", Expires: "3000-01-01T00:00:00Z", Audience: "user:gina@guest.example"}},
		{"group:eng", manifest.Whoami{Exact: true, Kind: "member", Groups: []string{"eng"}, Audience: "group:eng"}},
	} {
		res := get(t, s, "/_facet/whoami", tc.as)
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%q: content type %q", tc.as, ct)
		}
		var got manifest.Whoami
		if err := json.Unmarshal([]byte(body(t, res)), &got); err != nil {
			t.Fatal(err)
		}
		if got.Generation == "" {
			t.Errorf("%q: whoami names no generation", tc.as)
		}
		got.Generation = "" // a build's own, compared above
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%q: whoami (-want +got):\n%s", tc.as, d)
		}
	}
}
