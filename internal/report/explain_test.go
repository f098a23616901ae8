package report

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/access"
)

// TestExplainExamples runs ACCESS.md's examples that the example site
// holds, through the whole path: page lookup, identity, chain, decision.
func TestExplainExamples(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	tests := []struct {
		n      int
		page   string
		as     string
		groups []string
		reason string
	}{
		{1, "content/_index.md", "anonymous", nil, "hidden: config/site.toml:2: closed level (allow) with no matching entry"},
		{2, "/", "member@example.com", nil, "visible: config/site.toml:3: allow members"},
		{3, "_index.md", "carol@partner.example", nil, "hidden: config/site.toml:2: closed level (allow) with no matching entry"},
		{4, "/public/", "anonymous", nil, "visible: content/public.md:4: allow anyone"},
		{8, "content/eng/shared.md", "carol@partner.example", nil, "visible: content/eng/shared.md:4: grant user:carol@partner.example"},
		{9, "eng/shared.md", "member@example.com", []string{"eng"}, "visible: content/eng/_index.md:4: allow group:eng"},
		{10, "/eng/carol-only", "member@example.com", []string{"eng"}, "hidden: content/eng/carol-only.md:3: closed level (allow) with no matching entry"},
		{13, "/eng/no-bob/", "Bob@Example.com", []string{"eng"}, "hidden: content/eng/no-bob.md:5: deny user:bob@example.com"},
		{19, "content/eng", "carol@partner.example", []string{"eng"}, "hidden: content/eng/_index.md:3: closed level (allow) with no matching entry"},
		{20, "/", "someone@elsewhere.example", []string{"eng"}, "hidden: config/site.toml:2: closed level (allow) with no matching entry"},
		{22, "content/open/inner/page.md", "anonymous", nil, "hidden: content/open/inner/_index.md:3: closed level (allow) with no matching entry"},
	}
	for _, tt := range tests {
		e, err := Explain(s, Query{Page: tt.page, As: tt.as, Groups: tt.groups, Now: june})
		if err != nil {
			t.Errorf("example %d: %v", tt.n, err)
			continue
		}
		if got := e.Decision.Reason(); got != tt.reason {
			t.Errorf("example %d: %s\nwant %s", tt.n, got, tt.reason)
		}
		if e.Visible() != strings.HasPrefix(tt.reason, "visible") {
			t.Errorf("example %d: Visible() = %v", tt.n, e.Visible())
		}
		// The build served never holds a page the identity may not see,
		// and holds every visible page when it matches exactly.
		if e.Build != nil && e.Present && !e.Visible() || e.Exact && e.Visible() && !e.Present {
			t.Errorf("example %d: build %s, exact %v, present %v, visible %v", tt.n, e.Build.Dir, e.Exact, e.Present, e.Visible())
		}
	}
}

func TestExplainIdentity(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	tests := []struct {
		name   string
		q      Query
		kind   access.Kind
		groups string
		note   string
	}{
		{"guest claims ignored", Query{As: "carol@partner.example", Groups: []string{"eng"}, Now: june},
			access.Guest, "partners", "the --groups claim (eng) is ignored: a guest's groups come from config/access.toml alone"},
		{"guest still valid on its last day", Query{As: "old@partner.example", Now: june}, access.Guest, "partners", ""},
		{"expired guest", Query{As: "old@partner.example", Now: july}, access.Outsider, "",
			"a declared guest whose access expired (expires = 2026-06-30): an outsider now, who sees only what anonymous sees"},
		{"outsider", Query{As: "x@elsewhere.example", Now: june}, access.Outsider, "", "neither in a member domain nor a declared guest"},
		{"member claims count", Query{As: "member@example.com", Groups: []string{"staff", "eng"}, Now: june}, access.Member, "eng,staff", ""},
		// the gateway keeps declared groups alone
		{"undeclared claim", Query{As: "member@example.com", Groups: []string{"sales"}, Now: june}, access.Member, "",
			`group "sales" is not declared in config/access.toml: no rule can name it, and the gateway drops it`},
		{"undeclared beside declared", Query{As: "member@example.com", Groups: []string{"sales", "eng", "zz"}, Now: june}, access.Member, "eng",
			`group "zz" is not declared in config/access.toml: no rule can name it, and the gateway drops it`},
		{"anonymous", Query{As: "Anonymous", Now: june}, access.Anonymous, "", ""},
		{"guest in ASCII upper case", Query{As: "CAROL@Partner.example", Now: june}, access.Guest, "partners", ""},
	}
	for _, tt := range tests {
		tt.q.Page = "/public/"
		e, err := Explain(s, tt.q)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if e.Identity.Kind != tt.kind || strings.Join(e.Identity.Groups, ",") != tt.groups {
			t.Errorf("%s: identity %+v", tt.name, e.Identity)
		}
		notes := strings.Join(e.Notes, "\n")
		if tt.note == "" && notes != "" || !strings.Contains(notes, tt.note) {
			t.Errorf("%s: notes %q, want %q", tt.name, notes, tt.note)
		}
	}
}

func TestExplainErrors(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	_, err := Explain(s, Query{Page: "/nowhere/", As: "anonymous"})
	if !errors.Is(err, ErrUnknownPage) {
		t.Errorf("unknown page: %v", err)
	}
	for _, q := range []Query{
		{Page: "/", As: "nobody"},
		{Page: "/", As: "a@b@c.example"},
		{Page: "/", As: " carol@partner.example"},
		{Page: "/", As: "carol@partner.example\u0085"},
		{Page: "/", As: ""},
		{Page: "/", As: "anonymous", Groups: []string{"eng"}},
	} {
		if _, err := Explain(s, q); err == nil || errors.Is(err, ErrUnknownPage) {
			t.Errorf("%+v: err %v", q, err)
		}
	}
}

func TestFindPage(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	tests := []struct{ arg, page, att string }{
		{"content/eng/shared.md", "content/eng/shared.md", ""},
		{"./content/eng/shared.md", "content/eng/shared.md", ""},
		{"eng/shared.md", "content/eng/shared.md", ""},
		{"/eng/shared/", "content/eng/shared.md", ""},
		{"/eng/shared", "content/eng/shared.md", ""},
		{"/", "content/_index.md", ""},
		{"content", "content/_index.md", ""},
		{"content/eng/", "content/eng/_index.md", ""},
		{"eng/_index.md", "content/eng/_index.md", ""},
		{"content/eng/arch/index.md", "content/eng/arch/index.md", ""},
		{"/notes/", "content/notes/", ""},
		{"notes", "content/notes/", ""},
		{"/eng/arch/diagram.png", "content/eng/arch/index.md", "content/eng/arch/diagram.png"},
		{"eng/arch/diagram.png", "content/eng/arch/index.md", "content/eng/arch/diagram.png"},
		{"content/nope.md", "", ""},
		{"/nope/", "", ""},
		{"../config/site.toml", "", ""},
	}
	for _, tt := range tests {
		p, a := FindPage(s.Tree, tt.arg)
		var page, att string
		if p != nil {
			page = p.File
		}
		if a != nil {
			att = a.File
		}
		if page != tt.page || att != tt.att {
			t.Errorf("FindPage(%q) = %q, %q; want %q, %q", tt.arg, page, att, tt.page, tt.att)
		}
	}
}

func TestExplainDraft(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	e, err := Explain(s, Query{Page: "content/eng/wip.md", As: "anonymous"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Visible() || !e.Draft || !e.Decision.Visible || e.Present {
		t.Fatalf("draft: visible %v, draft %v, decision %v, present %v", e.Visible(), e.Draft, e.Decision.Visible, e.Present)
	}
	var buf bytes.Buffer
	if err := e.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := "hidden: content/eng/wip.md: a draft, in no build (once published it would be visible: content/eng/wip.md:5: allow anyone)\n"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("draft text lacks %q:\n%s", want, buf.String())
	}
}

func TestExplainText(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	e, err := Explain(s, Query{Page: "/eng/no-bob/", As: "bob@example.com", Groups: []string{"eng"}, Now: june})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, re := range []string{
		`^content/eng/no-bob.md \(/eng/no-bob/ "Not for Bob"\) as member bob@example.com\n`,
		`(?m)^hidden: content/eng/no-bob.md:5: deny user:bob@example.com$`,
		`(?m)^identity: +member bob@example.com, groups eng \(the provider's claim\)`,
		`(?m)^assumes: +a verified address \(email_verified true\); unverified, the gateway takes bob@example.com as an outsider$`,
		`(?m)^build: +members/ \(no build matches exactly; .*\), which does not hold the page$`,
		`(?m)^  content/eng/no-bob.md:3 +page, closed +decides$`,
		`(?m)^    content/eng/no-bob.md:4 +allow group:eng +matches, outranked by a more specific entry$`,
		`(?m)^    content/eng/no-bob.md:5 +deny user:bob@example.com +matches: decides$`,
		`(?m)^  content/eng/_index.md:3 +section /eng/, closed +not reached$`,
		`(?m)^  config/site.toml:2 +site default, closed +not reached$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("text lacks %s:\n%s", re, out)
		}
	}
}

func TestExplainInexactBuild(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite+`-- content/team/hiring.md --
+++
title = "Hiring"
[access]
allow = ["group:staff"]
+++
Hiring.
`)
	e, err := Explain(s, Query{Page: "/team/hiring/", As: "member@example.com", Groups: []string{"eng", "staff"}, Now: june})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Visible() || e.Exact || e.Present || e.Build == nil || e.Build.Dir != "group-eng" {
		t.Fatalf("visible %v, exact %v, present %v, build %+v", e.Visible(), e.Exact, e.Present, e.Build)
	}
	want := `declare [[audiences]] groups = ["eng", "staff"] in config/access.toml to build this combination`
	if !strings.Contains(strings.Join(e.Notes, "\n"), want) {
		t.Errorf("notes %q lack %q", e.Notes, want)
	}
}

// Without a page, explain lists every page the person sees with the rule
// that admits each, and the build the gateway would serve.
func TestExplainAll(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	l, err := ExplainAll(s, Query{As: "Carol@partner.example", Now: july})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range l.Pages {
		got = append(got, p.URL+" "+p.Rule)
	}
	want := []string{
		"/eng/carol-only/ content/eng/carol-only.md:4: allow user:carol@partner.example",
		"/eng/shared/ content/eng/shared.md:4: grant user:carol@partner.example",
		"/open/ content/open/_index.md:4: allow anyone",
		"/public/ content/public.md:4: allow anyone",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("pages (-want +got):\n%s", d)
	}
	if l.Identity.Kind != "guest" || l.Build == nil || l.Build.Dir != "guest-1" || !l.Exact {
		t.Errorf("identity %v, build %v, exact %v", l.Identity, l.Build, l.Exact)
	}
	var b strings.Builder
	if err := l.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"/open/ Open space content/open/_index.md:4: allow anyone", "every page visible as guest carol@partner.example: 4 pages",
		"Shared design content/eng/shared.md:4: grant user:carol@partner.example (them alone)", "guest-1/"} {
		if !strings.Contains(strings.Join(strings.Fields(b.String()), " "), strings.Join(strings.Fields(s), " ")) {
			t.Errorf("text lacks %q:\n%s", s, b.String())
		}
	}
	if _, err := ExplainAll(s, Query{As: "anonymous", Groups: []string{"eng"}, Now: july}); err == nil {
		t.Error("anonymous with groups: no error")
	}
}
