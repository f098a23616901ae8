package config

import (
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/access"
)

func accessFS(text string) fstest.MapFS {
	return fstest.MapFS{"config/access.toml": {Data: []byte(text)}}
}

func TestLoadAccess(t *testing.T) {
	t.Parallel()
	a, err := LoadAccess(accessFS(`[members]
domains = ["Example.COM", "corp.example", "example.com"]

[groups.eng]
title = "Engineering"
[groups.staff]
[groups.partners]
title = "Partners"

[[guests]]
email   = "Carol@Partner.example"
name    = "Carol (Partner Inc)"
groups  = ["partners", "partners"]
expires = 2026-12-31

[[guests]]
email = "dave@example.com"
expires = 2026-06-01T12:00:00

[[guests]]
email = "erin@vendor.example"
expires = 2026-06-01T12:00:00+02:00

[[guests]]
email = "frank@vendor.example"

[[audiences]]
groups = ["staff", "eng"]
`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Access{
		Directory: access.Directory{
			MemberDomains: []string{"corp.example", "example.com"},
			Groups:        []string{"eng", "partners", "staff"},
			Guests: []access.GuestEntry{
				{Email: "carol@partner.example", Name: "Carol (Partner Inc)", Groups: []string{"partners"},
					Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
				{Email: "dave@example.com", Expires: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)},
				{Email: "erin@vendor.example", Expires: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)},
				{Email: "frank@vendor.example"},
			},
			Combinations: [][]string{{"eng", "staff"}},
		},
		GroupTitles: map[string]string{"eng": "Engineering", "staff": "staff", "partners": "Partners"},
		GuestExpires: map[string]string{
			"carol@partner.example": "2026-12-31",
			"dave@example.com":      "2026-06-01T12:00:00Z",
			"erin@vendor.example":   "2026-06-01T12:00:00+02:00",
		},
		GuestExpiresLine: map[string]int{"carol@partner.example": 14, "dave@example.com": 18, "erin@vendor.example": 22},
		File:             "config/access.toml",
	}
	eq := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, a, eq); diff != "" {
		t.Fatalf("LoadAccess (-want +got):\n%s", diff)
	}
	carol, _ := a.Directory.Guest("carol@partner.example")
	if carol.Expired(time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)) || !carol.Expired(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatal("a date expiry must hold through that whole day (UTC)")
	}
	// A listed guest in a member domain stays a guest.
	if id := a.Directory.Identify("dave@example.com", true, []string{"eng"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); id.Kind != access.Guest {
		t.Fatalf("dave is %v, want a guest", id.Kind)
	}
}

func TestLoadAccessMissing(t *testing.T) {
	t.Parallel()
	a, err := LoadAccess(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Access{GroupTitles: map[string]string{}, GuestExpires: map[string]string{}, GuestExpiresLine: map[string]int{}}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Fatalf("missing access.toml (-want +got):\n%s", diff)
	}
}

func TestLoadAccessErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		{"syntax", "[members\n", "config/access.toml:1: invalid TOML: expected '.' or ']' to end table name, but got '\\n' instead"},
		{"every problem", `[members]
domains = ["ex ample.com", "-bad.example", "ok.example"]
domain = "typo"

[groups.eng]
titel = "Engineering"
[groups."a b"]

[[guests]]
email = "carol@partner.example"
groups = ["partners"]
expires = "soon"

[[guests]]
email = "CAROL@partner.example"

[[guests]]
name = "No Email"

[[guests]]
email = "not-an-email"
nmae = "x"

[[audiences]]
groups = ["eng", "staff"]

[[audiences]]
groups = []

[extra]
`, `config/access.toml:2: invalid member domain "ex ample.com"
config/access.toml:2: invalid member domain "-bad.example"
config/access.toml:3: unknown key "members.domain"; did you mean "members.domains"?
config/access.toml:6: unknown key "groups.eng.titel"; did you mean "groups.eng.title"?
config/access.toml:7: invalid group name "a b"
config/access.toml:11: undeclared group "partners" (declare it as [groups.partners])
config/access.toml:12: guests.expires must be a date (2026-12-31) or datetime (2026-12-31T18:00:00Z), not a string
config/access.toml:15: guest "carol@partner.example" is declared twice
config/access.toml:17: a [[guests]] entry needs an email
config/access.toml:21: invalid guest email "not-an-email"
config/access.toml:22: unknown key "guests.nmae"; did you mean "guests.name"?
config/access.toml:25: undeclared group "staff" (declare it as [groups.staff])
config/access.toml:28: an [[audiences]] entry needs groups
config/access.toml:30: unknown key "extra"`},
		{"guest email as written", "[[guests]]\nemail = \" carol@partner.example\"\n[[guests]]\nemail = \"kate@partner.example\\t\"\n" +
			"[[guests]]\nemail = \"kate@partner.example\"\n[[guests]]\nemail = \"KATE@partner.example\"\n",
			`config/access.toml:2: invalid guest email " carol@partner.example"
config/access.toml:4: invalid guest email "kate@partner.example\t"
config/access.toml:8: guest "kate@partner.example" is declared twice`},
		{"member domain as written", "[members]\ndomains = [\" example.com\", \"example.com\\u0085\"]\n",
			`config/access.toml:2: invalid member domain " example.com"
config/access.toml:2: invalid member domain "example.com\u0085"`},
		{"time of day", "[[guests]]\nemail = \"a@b.example\"\nexpires = 12:00:00\n",
			"config/access.toml:3: guests.expires must be a date (2026-12-31) or datetime (2026-12-31T18:00:00Z), not a time of day"},
		// Group names may hold "+": two different combinations must
		// never share an audience id, or only one is built.
		{"combination id clash", `[groups.a]
[groups."a+b"]
[groups."b+c"]
[groups.c]

[[audiences]]
groups = ["a+b", "c"]

[[audiences]]
groups = ["c", "a+b"]

[[audiences]]
groups = ["b+c", "a"]
`, `config/access.toml:2: group "a+b" gives two combinations one audience id: groups ["a", "b+c"] and ["a+b", "c"] would both be "groups:a+b+c"; rename a group
config/access.toml:13: [[audiences]] groups ["a", "b+c"] and the [[audiences]] at line 7 (groups ["a+b", "c"]) have one audience id "groups:a+b+c"; rename a group`},
		{"combination id clash with no [[audiences]]", "[groups.a]\n[groups.b]\n[groups.\"a+b\"]\n[groups.eng]\n",
			`config/access.toml:3: group "a+b" gives two combinations one audience id: groups ["a", "b", "eng"] and ["a+b", "eng"] would both be "groups:a+b+eng"; rename a group`},
		{"guests not an array", "guests = \"carol@partner.example\"\n",
			"config/access.toml:1: guests must be an array of tables, not a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := LoadAccess(accessFS(tt.text))
			if err == nil {
				t.Fatalf("LoadAccess = %+v, want error", a)
			}
			if got := err.Error(); got != tt.want {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestLoadAccessPlusInGroupNames checks that group names holding "+" load
// when no two combinations of the declared groups share an audience id.
func TestLoadAccessPlusInGroupNames(t *testing.T) {
	t.Parallel()
	a, err := LoadAccess(accessFS(`[groups."c++"]
[groups.c]
[groups.eng]
[groups."a+b"]
[groups.a]

[[audiences]]
groups = ["c++", "eng"]

[[audiences]]
groups = ["a+b", "c"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"c++", "eng"}, {"a+b", "c"}}; !slices.EqualFunc(a.Directory.Combinations, want, slices.Equal) {
		t.Fatalf("combinations %q, want %q", a.Directory.Combinations, want)
	}
}

func TestCheckLevel(t *testing.T) {
	t.Parallel()
	a, err := LoadAccess(accessFS(`[members]
domains = ["example.com"]
[groups.eng]
[[guests]]
email = "carol@partner.example"
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSite(siteFS(`[access]
allow = ["group:eng", "group:engg"]
grant = ["user:carol@partner.example", "user:bob@example.com", "user:mallory@evil.example"]
deny = ["members", "guests", "anyone"]
`))
	if err != nil {
		t.Fatal(err)
	}
	want := `config/site.toml:2: allow: undeclared group "engg" (declare it as [groups.engg] in config/access.toml)
config/site.toml:3: grant: unknown user "mallory@evil.example": neither a declared guest nor in a member domain`
	errs := CheckLevel(s.Access, &a.Directory)
	if errs.Err() == nil || errs.Error() != want {
		t.Fatalf("CheckLevel:\n%v\nwant:\n%s", errs, want)
	}
	if CheckLevel(nil, &a.Directory) != nil {
		t.Fatal("nil level has problems")
	}
}

func TestLoadAccessGuestEmailNotFolded(t *testing.T) {
	t.Parallel()
	a, err := LoadAccess(accessFS("[[guests]]\nemail = \"kate@partner.example\"\n[[guests]]\nemail = \"\u212Aim@Partner.example\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range a.Directory.Guests {
		got = append(got, g.Email)
	}
	if want := []string{"kate@partner.example", "\u212Aim@partner.example"}; !slices.Equal(got, want) {
		t.Fatalf("guests %q, want %q", got, want)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, email := range []string{"\u212Aate@partner.example", "kim@partner.example", " kate@partner.example"} {
		if id := a.Directory.Identify(email, true, nil, now); id.Kind != access.Outsider {
			t.Errorf("%q is %v, want an outsider", email, id.Kind)
		}
	}
}
