package access

import (
	"slices"
	"testing"
	"time"
)

func TestIdentify(t *testing.T) {
	t.Parallel()
	dir := exampleDirectory()
	dir.Guests = append(dir.Guests, GuestEntry{Email: "old@partner.example", Groups: []string{"partners"},
		Expires: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		GuestEntry{Email: "kit@partner.example", Groups: []string{"partners"}})
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		email    string
		verified bool
		claims   []string
		want     Identity
	}{
		{"member", "Bob@Example.com", true, []string{"eng", "staff", "eng"}, Identity{Member, "bob@example.com", []string{"eng", "staff"}}},
		{"unverified member domain", "bob@example.com", false, []string{"eng"}, Identity{Outsider, "bob@example.com", nil}},
		{"double at", "a@example.com@evil.example", true, nil, Identity{Outsider, "", nil}},
		{"domain suffix is not the domain", "a@evil-example.com", true, nil, Identity{Outsider, "a@evil-example.com", nil}},
		{"subdomain is not the domain", "a@x.example.com", true, nil, Identity{Outsider, "a@x.example.com", nil}},
		{"guest ignores claims", "CAROL@partner.example", true, []string{"eng"}, Identity{Guest, "carol@partner.example", []string{"partners"}}},
		{"guest unverified is an outsider", "carol@partner.example", false, nil, Identity{Outsider, "carol@partner.example", nil}},
		{"guest padded", " carol@partner.example ", true, nil, Identity{Outsider, "", nil}},
		{"guest with tab", "carol@partner.example\t", true, nil, Identity{Outsider, "", nil}},
		{"guest with NBSP", "carol@partner.example\u00a0", true, nil, Identity{Outsider, "", nil}},
		{"guest with C1 control", "carol\u0085@partner.example", true, nil, Identity{Outsider, "", nil}},
		{"guest Kelvin sign", "\u212Aarol@partner.example", true, nil, Identity{Outsider, "\u212Aarol@partner.example", nil}},
		{"guest dotted capital I", "k\u0130t@partner.example", true, nil, Identity{Outsider, "k\u0130t@partner.example", nil}},
		{"guest ASCII case", "KIT@Partner.Example", true, nil, Identity{Guest, "kit@partner.example", []string{"partners"}}},
		{"member dotted capital I", "b\u0130ll@example.com", true, nil, Identity{Member, "b\u0130ll@example.com", nil}},
		{"member domain Kelvin sign", "bob@example.com\u212A", true, nil, Identity{Outsider, "bob@example.com\u212A", nil}},
		{"member non-ASCII capital kept", "\u00C9lise@Example.COM", true, nil, Identity{Member, "\u00C9lise@example.com", nil}},
		{"expired guest", "old@partner.example", true, nil, Identity{Outsider, "old@partner.example", nil}},
		{"outsider", "x@elsewhere.example", true, []string{"eng"}, Identity{Outsider, "x@elsewhere.example", nil}},
		{"empty", "", true, nil, Identity{Outsider, "", nil}},
	}
	for _, tt := range tests {
		got := dir.Identify(tt.email, tt.verified, tt.claims, now)
		if got.Kind != tt.want.Kind || got.Email != tt.want.Email || !slices.Equal(got.Groups, tt.want.Groups) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestGuestExpiryBoundary(t *testing.T) {
	t.Parallel()
	g := GuestEntry{Email: "g@p.example", Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	if g.Expired(time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)) {
		t.Error("expired one second early")
	}
	if !g.Expired(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("not expired at the boundary")
	}
	if (GuestEntry{}).Expired(time.Now()) {
		t.Error("no expiry must never expire")
	}
}

func TestCheckPrincipal(t *testing.T) {
	t.Parallel()
	dir := exampleDirectory()
	for _, s := range []string{"anyone", "members", "guests", "group:eng", "user:carol@partner.example", "user:bob@example.com"} {
		p, _ := ParsePrincipal(s)
		if err := dir.CheckPrincipal(p); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"group:engg", "user:dave@other.example"} {
		p, _ := ParsePrincipal(s)
		if err := dir.CheckPrincipal(p); err == nil {
			t.Errorf("%s accepted", s)
		}
	}
}

func TestAudiences(t *testing.T) {
	t.Parallel()
	dir := exampleDirectory()
	dir.Combinations = [][]string{{"staff", "eng"}, {"eng", "staff"}, {"eng"}}
	got := dir.Audiences([]string{"bob@example.com", "carol@partner.example", "bob@example.com", "x@elsewhere.example"})
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	want := []string{"anonymous", "members", "group:contractors", "group:eng", "group:leads", "group:partners",
		"group:staff", "groups:eng+staff", "user:carol@partner.example", "user:bob@example.com"}
	if !slices.Equal(ids, want) {
		t.Fatalf("audiences\n got %v\nwant %v", ids, want)
	}
	if a := got[8]; a.Identity.Kind != Guest || !slices.Equal(a.Identity.Groups, []string{"partners"}) || a.Expires.IsZero() {
		t.Errorf("guest audience %+v", a)
	}
	if a := got[9]; a.Identity.Kind != Member || len(a.Identity.Groups) != 0 {
		t.Errorf("member user audience %+v", a)
	}
}

func TestSet(t *testing.T) {
	t.Parallel()
	a, b := NewSet(130), NewSet(130)
	for _, i := range []int{0, 63, 64, 129} {
		a.Add(i)
	}
	b.Add(64)
	if a.Len() != 4 || !a.Has(129) || a.Has(1) || a.Has(-1) || a.Has(1000) {
		t.Fatal("membership")
	}
	if !b.SubsetOf(a) || a.SubsetOf(b) || a.Equal(b) {
		t.Fatal("subset/equal")
	}
	c, err := ParseSet(a.String())
	if err != nil || !c.Equal(a) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := ParseSet("abc"); err == nil {
		t.Fatal("odd hex accepted")
	}
	m := func(sets ...Set) []Candidate {
		out := make([]Candidate, len(sets))
		for i, s := range sets {
			out[i] = Candidate{Kind: Member, Visible: s}
		}
		return out
	}
	i, exact := Select(m(NewSet(130), b, a), Member, a)
	if i != 2 || !exact {
		t.Fatalf("exact select = %d %v", i, exact)
	}
	want := NewSet(130)
	want.Add(64)
	want.Add(65)
	i, exact = Select(m(NewSet(130), a, b), Member, want)
	if i != 2 || exact {
		t.Fatalf("subset select = %d %v", i, exact)
	}
	if i, _ := Select(m(a), Member, b); i != -1 {
		t.Fatalf("no subset must give -1, got %d", i)
	}
}

func TestNormEmail(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"Bob@Example.COM", "bob@example.com"},
		{"\u212Aate@partner.example", "\u212Aate@partner.example"},
		{"\u0130nge@partner.example", "\u0130nge@partner.example"},
		{"\u00C9lise@example.com", "\u00C9lise@example.com"},
		{" a@b.example ", " a@b.example "},
		{"\xff@B.example", "\xff@b.example"},
	} {
		if got := NormEmail(tt.in); got != tt.want {
			t.Errorf("NormEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUserPrincipalComparesExactly(t *testing.T) {
	t.Parallel()
	kate := Identity{Kind: Guest, Email: "kate@partner.example"}
	for _, s := range []string{"user:\u212Aate@partner.example", "user:KATE@partner.\u212Aexample"} {
		p, err := ParsePrincipal(s)
		if err != nil {
			t.Fatalf("ParsePrincipal(%q): %v", s, err)
		}
		if p.Matches(kate) {
			t.Errorf("%s matches %s", s, kate.Email)
		}
	}
	p, err := ParsePrincipal("user:KATE@Partner.example")
	if err != nil || !p.Matches(kate) {
		t.Errorf("ASCII case: %v, %v", p, err)
	}
	for _, s := range []string{"user: kate@partner.example", "user:kate@partner.example ", "user:kate@partner.example\u0085"} {
		if _, err := ParsePrincipal(s); err == nil {
			t.Errorf("ParsePrincipal(%q) accepted", s)
		}
	}
	k := Identity{Kind: Guest, Email: "\u212Aate@partner.example"}
	if p, _ := ParsePrincipal("user:kate@partner.example"); p.Matches(k) {
		t.Error("user:kate matches a Kelvin-sign identity")
	}
}
