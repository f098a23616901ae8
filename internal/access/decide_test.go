package access

import (
	"strings"
	"testing"
	"time"
)

// lvl builds a level from "allow=a,b;grant=c;deny=d"; "allow=" is a closed
// empty level; "" is nil (no [access] table).
func lvl(t testing.TB, file, spec string) *Level {
	t.Helper()
	if spec == "" {
		return nil
	}
	l := &Level{File: file, Line: 1}
	for _, part := range strings.Split(spec, ";") {
		key, list, ok := strings.Cut(part, "=")
		if !ok {
			t.Fatalf("bad spec %q", spec)
		}
		if key == "allow" {
			l.Closed = true
		}
		for _, s := range strings.Split(list, ",") {
			if s == "" {
				continue
			}
			p, err := ParsePrincipal(s)
			if err != nil {
				t.Fatal(err)
			}
			l.Entries = append(l.Entries, Entry{Principal: p, Key: key, Line: 2})
		}
	}
	return l
}

func exampleDirectory() *Directory {
	return &Directory{
		MemberDomains: []string{"example.com"},
		Groups:        []string{"eng", "staff", "contractors", "leads", "partners"},
		Guests: []GuestEntry{{
			Email: "carol@partner.example", Name: "Carol (Partner Inc)",
			Groups: []string{"partners"}, Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		}},
	}
}

// TestExamples is ACCESS.md's table of examples, one row each.
func TestExamples(t *testing.T) {
	t.Parallel()
	dir := exampleDirectory()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	member := func(email string, groups ...string) Identity { return dir.Identify(email, true, groups, now) }
	anon := Identity{Kind: Anonymous}
	carol := dir.Identify("carol@partner.example", true, nil, now)
	carolClaimsEng := dir.Identify("carol@partner.example", true, []string{"eng"}, now)
	outsider := dir.Identify("someone@elsewhere.example", true, nil, now)
	if outsider.Kind != Outsider || carol.Kind != Guest || carolClaimsEng.Kind != Guest {
		t.Fatalf("identities: outsider %v, carol %v", outsider.Kind, carol.Kind)
	}
	tests := []struct {
		n       int
		page    string
		section []string // most specific first
		id      Identity
		visible bool
	}{
		{1, "", nil, anon, false},
		{2, "", nil, member("m@example.com"), true},
		{3, "", nil, carol, false},
		{4, "allow=anyone", nil, anon, true},
		{5, "", []string{"allow=group:eng"}, member("m@example.com", "staff"), false},
		{6, "", []string{"allow=group:eng"}, member("m@example.com", "eng", "staff"), true},
		{7, "", []string{"grant=group:eng"}, member("m@example.com", "staff"), true},
		{8, "grant=user:carol@partner.example", []string{"allow=group:eng"}, carol, true},
		{9, "grant=user:carol@partner.example", []string{"allow=group:eng"}, member("m@example.com", "eng"), true},
		{10, "allow=user:carol@partner.example", []string{"allow=group:eng"}, member("m@example.com", "eng"), false},
		{11, "allow=members;deny=group:contractors", nil, member("m@example.com", "eng", "contractors"), false},
		{12, "allow=group:leads;deny=members", nil, member("m@example.com", "leads"), true},
		{13, "allow=group:eng;deny=user:bob@example.com", nil, member("bob@example.com", "eng"), false},
		{14, "allow=user:bob@example.com;deny=group:contractors", nil, member("bob@example.com", "contractors"), true},
		{15, "allow=group:eng;deny=group:contractors", nil, member("m@example.com", "eng", "contractors"), false},
		{16, "", []string{"allow=guests"}, carol, true},
		{17, "", []string{"allow=group:partners"}, carol, true},
		{18, "", []string{"allow=group:partners"}, member("m@example.com", "partners"), true},
		{19, "", []string{"allow=group:eng"}, carolClaimsEng, false},
		{20, "", nil, outsider, false},
		{21, "deny=anyone", []string{"allow=anyone"}, member("m@example.com", "eng"), false},
		{22, "", []string{"allow=group:eng", "allow=anyone"}, anon, false},
		{23, "", []string{"deny=group:contractors"}, member("m@example.com", "contractors", "eng"), false},
		{24, "", []string{"allow="}, member("m@example.com", "eng"), false},
		{25, "grant=group:eng", []string{"allow="}, member("m@example.com", "eng"), true},
	}
	site := lvl(t, "config/site.toml", "allow=members")
	for _, tt := range tests {
		var chain Chain
		if l := lvl(t, "content/s/page.md", tt.page); l != nil {
			chain = append(chain, l)
		}
		for i, s := range tt.section {
			chain = append(chain, lvl(t, "content/s"+strings.Repeat("/t", i)+"/_index.md", s))
		}
		chain = append(chain, site)
		d := Decide(chain, tt.id)
		if d.Visible != tt.visible {
			t.Errorf("example %d: visible = %v, want %v (%s)", tt.n, d.Visible, tt.visible, d.Reason())
		}
		if d.Reason() == "" {
			t.Errorf("example %d: empty reason", tt.n)
		}
	}
}

func TestReasonNamesDecidingLine(t *testing.T) {
	t.Parallel()
	page := &Level{File: "content/a.md", Line: 3, Closed: true, Entries: []Entry{
		{Principal: Principal{Class: ClassGroup, Name: "eng"}, Key: "allow", Line: 4},
		{Principal: Principal{Class: ClassUser, Name: "bob@example.com"}, Key: "deny", Line: 5},
	}}
	d := Decide(Chain{page}, Identity{Kind: Member, Email: "bob@example.com", Groups: []string{"eng"}})
	if d.Visible || d.Reason() != "hidden: content/a.md:5: deny user:bob@example.com" {
		t.Fatalf("got %v %q", d.Visible, d.Reason())
	}
	d = Decide(Chain{page}, Identity{Kind: Anonymous})
	if d.Visible || d.Reason() != "hidden: content/a.md:3: closed level (allow) with no matching entry" {
		t.Fatalf("got %v %q", d.Visible, d.Reason())
	}
	d = Decide(nil, Identity{Kind: Anonymous})
	if d.Visible || d.Level != nil {
		t.Fatalf("empty chain must hide: %+v", d)
	}
}

func TestParsePrincipal(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"anyone": "anyone", "members": "members", "guests": "guests",
		"group:eng": "group:eng", "user:Bob@Example.COM": "user:bob@example.com",
	}
	for in, want := range good {
		p, err := ParsePrincipal(in)
		if err != nil || p.String() != want {
			t.Errorf("ParsePrincipal(%q) = %v, %v; want %s", in, p, err, want)
		}
	}
	for _, in := range []string{"", "everyone", "group:", "user:", "user:a@b@c", "user:nobody", "group:a b", "Anyone", "member"} {
		if _, err := ParsePrincipal(in); err == nil {
			t.Errorf("ParsePrincipal(%q) accepted", in)
		}
	}
}
