package gateway

import (
	"testing"

	"github.com/facet-docs/facet/internal/access"
)

func TestChooseIsCachedAndReportsOnce(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	st := s.current.Load()
	reports := 0
	report := func(access.Identity, choice) { reports++ }
	inexact := access.Identity{Kind: access.Member, Email: "bob@example.com", Groups: []string{"contractors", "eng"}}
	c1 := st.choose(inexact, report)
	c2 := st.choose(inexact, report)
	if c1 != c2 || c1.exact || c1.build < 0 {
		t.Errorf("choices %+v, %+v", c1, c2)
	}
	if reports != 1 {
		t.Errorf("reported %d times, want once", reports)
	}
	// The served build never holds a page the identity may not see.
	want := st.rules.Visible(inexact)
	if !st.cands[c1.build].Visible.SubsetOf(want) {
		t.Error("served a build with a page the identity may not see")
	}
	exact := st.choose(access.Identity{Kind: access.Member, Email: "x@example.com", Groups: []string{"eng", "staff"}}, report)
	if !exact.exact || exact.audience != "groups:eng+staff" || reports != 1 {
		t.Errorf("declared combination: %+v, reports %d", exact, reports)
	}
}

func TestAudienceNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   access.Identity
		want string
	}{
		{access.Identity{Kind: access.Anonymous}, "anonymous"},
		{access.Identity{Kind: access.Outsider, Email: "e@x.example"}, "anonymous"},
		{access.Identity{Kind: access.Member, Email: "b@example.com"}, "members"},
		{access.Identity{Kind: access.Member, Groups: []string{"eng"}}, "group:eng"},
		{access.Identity{Kind: access.Member, Groups: []string{"eng", "staff"}}, "groups:eng+staff"},
		{access.Identity{Kind: access.Guest, Email: "carol@partner.example"}, "user:carol@partner.example"},
	}
	for _, tt := range tests {
		if got := ownAudience(tt.id); got != tt.want {
			t.Errorf("ownAudience(%+v) = %q, want %q", tt.id, got, tt.want)
		}
	}
	if got := audienceFor(access.Identity{Kind: access.Member, Groups: []string{"ghost"}}, []string{"members", "group:x"}); got != "members" {
		t.Errorf("audienceFor falls back to %q, want the build's first", got)
	}
}
