package build

import (
	"context"
	"testing"
	"time"
)

// Rebuild reports when time alone next changes the builds (a guest's
// expiry), and a Rebuild with no changed paths after that instant hides
// the expired guest's pages as a clean build does.
func TestRebuildNextChange(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, `
-- config/site.toml --
title = "Expiry"
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["example.com"]
[[guests]]
email = "carol@partner.example"
expires = 2030-01-01T10:00:00Z
[[guests]]
email = "dan@partner.example"
expires = 2030-03-01
[[guests]]
email = "old@partner.example"
expires = 2020-01-01
-- content/_index.md --
+++
title = "Home"
+++
Hi.
-- content/shared.md --
+++
title = "Shared Quokka"
[access]
grant = ["user:carol@partner.example", "user:dan@partner.example"]
+++
For guests.
`)
	now := time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC)
	b := New(Options{Site: s.dir, Out: s.out, Now: func() time.Time { return now }})
	res, err := b.Rebuild(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC); !res.NextChange.Equal(want) {
		t.Fatalf("NextChange = %v, want carol's expiry %v", res.NextChange, want)
	}
	readManifest(t, s)
	s.assertFile("user:carol@partner.example", "shared/index.html", "Shared Quokka")

	now = time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	res, err = b.Rebuild(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// dan's date-only expiry ends after that day.
	if want := time.Date(2030, 3, 2, 0, 0, 0, 0, time.UTC); !res.NextChange.Equal(want) {
		t.Fatalf("NextChange = %v, want dan's expiry %v", res.NextChange, want)
	}
	readManifest(t, s)
	for _, a := range s.man.Audiences {
		if a.ID == "user:carol@partner.example" {
			t.Errorf("the expired guest still has an audience after the rebuild")
		}
	}
	s.assertFile("user:dan@partner.example", "shared/index.html", "Shared Quokka")

	now = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	if res, err = b.Rebuild(context.Background(), nil); err != nil || !res.NextChange.IsZero() {
		t.Fatalf("after every expiry: NextChange = %v, %v; want zero", res.NextChange, err)
	}
}
