package gateway

import (
	"encoding/json"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/config"
)

func claimSet(t *testing.T, js string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func newGroupsClaim(t *testing.T, name string) groupsClaim {
	t.Helper()
	c, err := config.ParseClaim(name)
	if err != nil {
		t.Fatal(err)
	}
	return groupsClaim(c)
}

func TestGroupsClaimLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		claim  string
		json   string
		groups []string
		found  bool
	}{
		{"plain", "groups", `{"groups":["eng","staff"]}`, []string{"eng", "staff"}, true},
		{"missing means no groups", "groups", `{"email":"a@b.c"}`, nil, false},
		{"single string", "groups", `{"groups":"eng"}`, []string{"eng"}, true},
		{"non-strings and empty skipped", "groups", `{"groups":["eng",3,null,{"x":1},"", "staff"]}`, []string{"eng", "staff"}, true},
		{"names kept as written", "groups", `{"groups":[" eng","eng ","Eng","  "]}`, []string{" eng", "eng ", "Eng", "  "}, true},
		{"single string kept as written", "groups", `{"groups":" eng"}`, []string{" eng"}, true},
		{"wrong type", "groups", `{"groups":{"eng":true}}`, nil, true},
		{"colon in the name", "cognito:groups", `{"cognito:groups":["eng"]}`, []string{"eng"}, true},
		{"URL name with dots and colon", "https://example.com/claims:groups",
			`{"https://example.com/claims:groups":["eng"]}`, []string{"eng"}, true},
		{"dotted path", "realm_access.roles", `{"realm_access":{"roles":["eng","offline_access"]}}`, []string{"eng", "offline_access"}, true},
		{"top-level name wins over the path", "realm_access.roles",
			`{"realm_access.roles":["top"],"realm_access":{"roles":["nested"]}}`, []string{"top"}, true},
		{"quoted segment with a dot", `resource_access."docs.example.com".roles`,
			`{"resource_access":{"docs.example.com":{"roles":["eng"]}}}`, []string{"eng"}, true},
		{"path through a non-object", "realm_access.roles", `{"realm_access":["x"]}`, nil, false},
		{"path missing a level", "a.b.c", `{"a":{"b":{}}}`, nil, false},
	}
	for _, tt := range tests {
		g := newGroupsClaim(t, tt.claim)
		c := g.parseClaims(claimSet(t, tt.json))
		if diff := cmp.Diff(tt.groups, c.Groups); diff != "" || c.hasGroups != tt.found {
			t.Errorf("%s: groups %v (found %v), want %v (found %v)", tt.name, c.Groups, c.hasGroups, tt.groups, tt.found)
		}
	}
}

func TestParseClaimsEmail(t *testing.T) {
	t.Parallel()
	g := newGroupsClaim(t, "groups")
	tests := []struct {
		json     string
		email    string
		verified bool
	}{
		{`{"email":"bob@example.com","email_verified":true}`, "bob@example.com", true},
		{`{"email":"bob@example.com","email_verified":"true"}`, "bob@example.com", true},
		// Only JSON true or the string "true" counts (ACCESS.md): no other
		// spelling, case or padding of it.
		{`{"email":"bob@example.com","email_verified":"TRUE"}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":"True"}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":" true"}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":"true "}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":"\"true\""}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":"yes"}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":"1"}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":1}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":[true]}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":{"value":true}}`, "bob@example.com", false},
		{`{"email":"bob@example.com","xms_edov":"true"}`, "bob@example.com", true},
		{`{"email":"bob@example.com","xms_edov":"TRUE"}`, "bob@example.com", false},
		{`{"email":"bob@example.com"}`, "bob@example.com", false},
		{`{"email":42,"email_verified":true}`, "", true},
		{`{"email":"bob@example.com","xms_edov":true}`, "bob@example.com", true},
		{`{"email":"bob@example.com","xms_edov":"1"}`, "bob@example.com", false},
		{`{"email":"bob@example.com","email_verified":false,"xms_edov":true}`, "bob@example.com", false},
	}
	for _, tt := range tests {
		c := g.parseClaims(claimSet(t, tt.json))
		if c.Email != tt.email || c.verified(false) != tt.verified {
			t.Errorf("%s: email %q verified %v", tt.json, c.Email, c.verified(false))
		}
	}
}

// assume_email_verified stands in for an absent claim only, never for one
// sent as anything but true.
func TestParseClaimsAssumeVerified(t *testing.T) {
	t.Parallel()
	g := newGroupsClaim(t, "groups")
	tests := []struct {
		json   string
		assume bool
		want   bool
	}{
		{`{"email":"carol@partner.example"}`, false, false},
		{`{"email":"carol@partner.example"}`, true, true},
		{`{"email":"carol@partner.example","email_verified":false}`, true, false},
		{`{"email":"carol@partner.example","email_verified":"false"}`, true, false},
		{`{"email":"carol@partner.example","email_verified":null}`, true, false},
		{`{"email":"carol@partner.example","xms_edov":false}`, true, false},
		{`{"email":"carol@partner.example","email_verified":true}`, false, true},
	}
	for _, tt := range tests {
		if got := g.parseClaims(claimSet(t, tt.json)).verified(tt.assume); got != tt.want {
			t.Errorf("%s, assume %v: verified %v, want %v", tt.json, tt.assume, got, tt.want)
		}
	}
	// UserInfo's email comes with UserInfo's own verification claim.
	id := g.parseClaims(claimSet(t, `{"sub":"s"}`))
	ui := g.parseClaims(claimSet(t, `{"sub":"s","email":"carol@partner.example","email_verified":false}`))
	if id.merge(ui).verified(true) {
		t.Error("merged UserInfo email_verified false counted as verified")
	}
}

func TestMergeUserInfo(t *testing.T) {
	t.Parallel()
	id := claims{Subject: "s1", Email: "bob@example.com", Verified: false, hasEmail: true}
	ui := claims{Subject: "s1", Email: "other@example.com", Verified: true, hasEmail: true, Groups: []string{"eng"}, hasGroups: true}
	got := id.merge(ui)
	want := claims{Subject: "s1", Email: "bob@example.com", Verified: false, hasEmail: true, Groups: []string{"eng"}, hasGroups: true}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(claims{})); diff != "" {
		t.Errorf("merge keeps the ID token's email with its own verification (-want +got):\n%s", diff)
	}
	if got := (claims{Subject: "s1"}).merge(claims{Subject: "s2", Email: "x@example.com", hasEmail: true}); got.Email != "" {
		t.Error("UserInfo of another subject was merged")
	}
}

// The identity table of ACCESS.md, resolved from sessions.
func TestIdentify(t *testing.T) {
	t.Parallel()
	st := generationWith(fixtureDirectory)
	now := testNow
	tests := []struct {
		name string
		sess *session
		want access.Identity
	}{
		{"no session", nil, access.Identity{Kind: access.Anonymous}},
		{"member", &session{Email: "Bob@Example.com", Verified: true, Groups: []string{"staff", "eng", "eng"}},
			access.Identity{Kind: access.Member, Email: "bob@example.com", Groups: []string{"eng", "staff"}}},
		{"member, undeclared groups dropped", &session{Email: "bob@example.com", Verified: true, Groups: []string{"ghost"}},
			access.Identity{Kind: access.Member, Email: "bob@example.com"}},
		{"unverified", &session{Email: "bob@example.com", Groups: []string{"eng"}},
			access.Identity{Kind: access.Outsider, Email: "bob@example.com"}},
		{"guest: config groups only", &session{Email: "carol@partner.example", Verified: true, Groups: []string{"eng"}},
			access.Identity{Kind: access.Guest, Email: "carol@partner.example", Groups: []string{"partners"}}},
		{"unverified guest", &session{Email: "carol@partner.example"},
			access.Identity{Kind: access.Outsider, Email: "carol@partner.example"}},
		{"padded guest", &session{Email: " carol@partner.example ", Verified: true},
			access.Identity{Kind: access.Outsider}},
		{"member group padded", &session{Email: "bob@example.com", Verified: true, Groups: []string{" eng", "Eng"}},
			access.Identity{Kind: access.Member, Email: "bob@example.com"}},
		{"expired guest", &session{Email: "dave@partner.example", Verified: true},
			access.Identity{Kind: access.Outsider, Email: "dave@partner.example"}},
		{"outsider", &session{Email: "eve@elsewhere.example", Verified: true, Groups: []string{"eng"}},
			access.Identity{Kind: access.Outsider, Email: "eve@elsewhere.example"}},
		{"two at signs", &session{Email: "a@ok.example@example.com", Verified: true},
			access.Identity{Kind: access.Outsider}},
		{"no email", &session{Verified: true, Groups: []string{"eng"}}, access.Identity{Kind: access.Outsider}},
	}
	for _, tt := range tests {
		got := st.identify(tt.sess, now)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// A guest turns outsider the instant the entry expires.
	erin := &session{Email: "erin@partner.example", Verified: true}
	if k := st.identify(erin, time.Date(2026, 6, 1, 17, 59, 59, 0, time.UTC)).Kind; k != access.Guest {
		t.Errorf("erin before expiry: %s", k)
	}
	if k := st.identify(erin, time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC)).Kind; k != access.Outsider {
		t.Errorf("erin at expiry: %s", k)
	}
}

// Addresses compare exactly after lower-casing ASCII: no Unicode folding.
func TestIdentifyNoUnicodeFolding(t *testing.T) {
	t.Parallel()
	st := generationWith(access.Directory{
		MemberDomains: []string{"kiosk.example"},
		Guests:        []access.GuestEntry{{Email: "kate@partner.example", Groups: []string{"partners"}}, {Email: "bill@partner.example"}},
		Groups:        []string{"partners"},
	})
	for _, email := range []string{"\u212Aate@partner.example", "kate@partner.e\u0445ample", "b\u0130ll@partner.example", "bob@\u212Aiosk.example", "bob@k\u0130osk.example"} {
		got := st.identify(&session{Email: email, Verified: true}, testNow)
		if got.Kind != access.Outsider || got.Email != email {
			t.Errorf("%q: got %+v, want an outsider as written", email, got)
		}
	}
	if got := st.identify(&session{Email: "KATE@Partner.Example", Verified: true}, testNow); got.Kind != access.Guest {
		t.Errorf("ASCII upper case: got %+v, want the guest", got)
	}
}

// A session read from a cookie keeps the identity it resolved to, but
// never past a guest's expiry and never into another generation, whose
// directory may say otherwise.
func TestIdentifyMemo(t *testing.T) {
	t.Parallel()
	st := generationWith(fixtureDirectory)
	cached := func(email string, groups ...string) *session {
		return &session{Email: email, Verified: true, Groups: groups, memo: new(atomic.Pointer[identityMemo])}
	}
	erin := cached("erin@partner.example")
	before, at := time.Date(2026, 6, 1, 17, 59, 59, 0, time.UTC), time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC)
	for i, want := range []access.Kind{access.Guest, access.Guest} {
		if k := st.identify(erin, before).Kind; k != want {
			t.Errorf("erin before expiry, call %d: %s", i, k)
		}
	}
	if k := st.identify(erin, at).Kind; k != access.Outsider {
		t.Errorf("erin at expiry, after a remembered guest identity: %s", k)
	}

	bob := cached("bob@example.com", "eng")
	if id := st.identify(bob, testNow); id.Kind != access.Member || !slices.Equal(id.Groups, []string{"eng"}) {
		t.Fatalf("bob: %+v", id)
	}
	// The next generation makes bob's address a guest's and drops eng.
	d := fixtureDirectory
	d.Guests = append(slices.Clone(d.Guests), access.GuestEntry{Email: "bob@example.com", Groups: []string{"partners"}})
	next := generationWith(d)
	if id := next.identify(bob, testNow); id.Kind != access.Guest || !slices.Equal(id.Groups, []string{"partners"}) {
		t.Errorf("bob in the next generation: %+v, want the guest the new directory says", id)
	}
	if id := st.identify(bob, testNow); id.Kind != access.Member {
		t.Errorf("bob back in the first generation: %+v", id)
	}
}

// A cached session's remembered identity held its generation: after a
// swap, every session not seen since kept the old generation, its file
// cache and its choices in memory for as long as the session stayed
// cached. The memo now names its generation without keeping it.
func TestIdentifyMemoReleasesGeneration(t *testing.T) {
	st := generationWith(fixtureDirectory)
	st.files = newFileCache(1 << 20)
	sess := &session{Email: "bob@example.com", Verified: true, memo: new(atomic.Pointer[identityMemo])}
	if k := st.identify(sess, testNow).Kind; k != access.Member {
		t.Fatalf("bob: %s", k)
	}
	gone := weak.Make(st)
	st = nil
	runtime.GC()
	if gone.Value() != nil {
		t.Error("a generation no longer served is still held by a session's remembered identity")
	}
	next := generationWith(fixtureDirectory)
	if k := next.identify(sess, testNow).Kind; k != access.Member {
		t.Errorf("bob in the next generation: %s", k)
	}
}
