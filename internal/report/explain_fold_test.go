package report

import (
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// explain --as compares addresses as the gateway does: ASCII letters in
// any case, never Unicode case folding.
func TestExplainNoUnicodeFolding(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
-- config/site.toml --
[access]
allow = ["members"]
-- config/access.toml --
[members]
domains = ["kiosk.example"]
[[guests]]
email = "kate@partner.example"
-- content/_index.md --
+++
title = "Home"
[access]
allow = ["anyone"]
+++
Home.
`)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		as   string
		kind access.Kind
	}{
		{"KATE@Partner.example", access.Guest},
		{"\u212Aate@partner.example", access.Outsider},
		{"kate@partner.e\u0445ample", access.Outsider},
		{"Bob@Kiosk.example", access.Member},
		{"bob@\u212Aiosk.example", access.Outsider},
		{"bob@k\u0130osk.example", access.Outsider},
	} {
		e, err := Explain(s, Query{Page: "/", As: tc.as, Now: now})
		if err != nil {
			t.Fatalf("%q: %v", tc.as, err)
		}
		if e.Identity.Kind != tc.kind {
			t.Errorf("%q: %s, want %s", tc.as, e.Identity.Kind, tc.kind)
		}
	}
}
