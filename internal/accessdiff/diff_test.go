package accessdiff

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// level is a closed level at file:line allowing, granting or denying
// principals ("allow anyone", "grant user:a@b").
func level(t *testing.T, file string, entries ...string) *access.Level {
	t.Helper()
	l := &access.Level{File: file, Line: 1}
	for i, e := range entries {
		key, name, _ := strings.Cut(e, " ")
		p, err := access.ParsePrincipal(name)
		if err != nil {
			t.Fatal(err)
		}
		if key == "allow" {
			l.Closed = true
		}
		l.Entries = append(l.Entries, access.Entry{Principal: p, Key: key, Line: i + 2})
	}
	return l
}

func dir() access.Directory {
	return access.Directory{
		MemberDomains: []string{"example.com"}, Groups: []string{"eng", "ops"},
		Guests: []access.GuestEntry{
			{Email: "carol@partner.example", Name: "Carol"},
			{Email: "old@partner.example", Name: "Old", Expires: now.Add(-time.Hour)},
		},
	}
}

func changesOf(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Audience)
	}
	return out
}

func TestCompare(t *testing.T) {
	t.Parallel()
	site := level(t, "config/site.toml", "allow members")
	engOnly := level(t, "content/eng/_index.md", "allow group:eng")
	public := level(t, "content/guide.md", "allow anyone")
	carol := level(t, "content/api.md", "grant user:carol@partner.example")
	old := level(t, "content/old.md", "grant user:old@partner.example")
	base := Side{Label: "base", Dir: dir(), Pages: []Page{
		{Key: "content/guide.md", URL: "/guide/", Chain: access.Chain{site}},
		{Key: "content/api.md", URL: "/api/", Chain: access.Chain{site}},
		{Key: "content/eng/a.md", URL: "/eng/a/", Chain: access.Chain{engOnly, site}, Hash: "h-a"},
		{Key: "content/gone.md", URL: "/gone/", Chain: access.Chain{site}},
		{Key: "content/draft.md", URL: "/draft/", Chain: access.Chain{site}},
		{Key: "content/old.md", URL: "/old/", Chain: access.Chain{site}},
	}}
	head := Side{Label: "head", Dir: dir(), Pages: []Page{
		{Key: "content/guide.md", URL: "/guide/", Chain: access.Chain{public, site}},
		{Key: "content/api.md", URL: "/api/", Chain: access.Chain{carol, site}},
		{Key: "content/b.md", URL: "/b/", Chain: access.Chain{site}, Hash: "h-a"},
		{Key: "content/new.md", URL: "/new/", Chain: access.Chain{public, site}},
		{Key: "content/draft.md", URL: "/draft/", Chain: access.Chain{site}, Hidden: true},
		{Key: "content/old.md", URL: "/old/", Chain: access.Chain{old, site}},
	}}
	head.Users = []string{"old@partner.example"}
	r := Compare(base, head, now)
	got := map[string]PageDiff{}
	for _, p := range r.Pages {
		got[p.Path] = p
	}
	want := map[string]struct {
		status       Status
		gained, lost []string
	}{
		"content/guide.md": {Changed, []string{"anonymous", "user:carol@partner.example"}, nil},
		"content/api.md":   {Changed, []string{"user:carol@partner.example"}, nil},
		"content/b.md":     {Moved, []string{"members", "group:ops"}, nil},
		"content/gone.md":  {Removed, nil, []string{"members", "group:eng", "group:ops"}},
		"content/new.md":   {Added, []string{"anonymous", "members", "group:eng", "group:ops", "user:carol@partner.example"}, nil},
		"content/draft.md": {Changed, nil, []string{"members", "group:eng", "group:ops"}},
	}
	for path, w := range want {
		p, ok := got[path]
		if !ok {
			t.Errorf("%s: not reported", path)
			continue
		}
		if p.Status != w.status || !slices.Equal(changesOf(p.Gained), w.gained) || !slices.Equal(changesOf(p.Lost), w.lost) {
			t.Errorf("%s: %s +%v -%v, want %s +%v -%v", path, p.Status, changesOf(p.Gained), changesOf(p.Lost), w.status, w.gained, w.lost)
		}
	}
	// An expired guest's grant gives nobody anything.
	if p, ok := got["content/old.md"]; ok {
		t.Errorf("content/old.md reported: +%v -%v", changesOf(p.Gained), changesOf(p.Lost))
	}
	if len(got) != len(want) {
		t.Errorf("%d pages reported, want %d", len(got), len(want))
	}
	if b := got["content/b.md"]; b.OldPath != "content/eng/a.md" || b.OldURL != "/eng/a/" {
		t.Errorf("moved page: from %q (%q)", b.OldPath, b.OldURL)
	}
	if !slices.Equal(r.Public, []string{"/guide/", "/new/"}) {
		t.Errorf("public = %v", r.Public)
	}
	if g := r.Guests["user:carol@partner.example"]; !slices.Equal(g, []string{"/api/", "/guide/", "/new/"}) {
		t.Errorf("carol gains %v", g)
	}
	if rule := got["content/api.md"].Gained[0].Rule; !strings.Contains(rule, "content/api.md:2") {
		t.Errorf("rule %q does not name content/api.md:2", rule)
	}
	for what, fails := range map[string]bool{FailAnonymous: true, FailGuest: true, FailAny: true, "": false} {
		if r.Fails(what) != fails {
			t.Errorf("Fails(%q) = %v", what, !fails)
		}
	}
}

// A group that only one side declares is a member without it on the
// other: a renamed group's members lose what the new name gains.
func TestCompareRenamedGroup(t *testing.T) {
	t.Parallel()
	site := level(t, "config/site.toml", "allow members")
	baseDir, headDir := dir(), dir()
	headDir.Groups = []string{"eng", "operations"}
	base := Side{Dir: baseDir, Pages: []Page{{Key: "p", URL: "/p/", Chain: access.Chain{level(t, "p", "allow group:ops"), site}}}}
	head := Side{Dir: headDir, Pages: []Page{{Key: "p", URL: "/p/", Chain: access.Chain{level(t, "p", "allow group:operations"), site}}}}
	r := Compare(base, head, now)
	if len(r.Pages) != 1 || !slices.Equal(changesOf(r.Pages[0].Gained), []string{"group:operations"}) ||
		!slices.Equal(changesOf(r.Pages[0].Lost), []string{"group:ops"}) {
		t.Fatalf("renamed group: %+v", r.Pages)
	}
	if r.Fails(FailGuest) || !r.Fails(FailAny) {
		t.Error("a renamed group fails --fail-on guest, or passes --fail-on any")
	}
	var md strings.Builder
	if err := r.WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), "| gains | group:operations (member) |") {
		t.Errorf("markdown: %v\n%s", err, md.String())
	}
}

// Text that could break a markdown table is escaped.
func TestMarkdownEscapes(t *testing.T) {
	t.Parallel()
	r := &Report{Base: "a|b", Head: "h", Pages: []PageDiff{{Path: "p", URL: "/x|y/", Title: "T | <b>*x*</b>", Status: Added,
		Gained: []Change{{Audience: "anonymous", Kind: "anonymous", Rule: "visible: p:1: allow anyone"}}}}}
	var b strings.Builder
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "| `") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 5 {
			t.Errorf("row has extra cells: %s", line)
		}
	}
	if strings.Contains(b.String(), "<b>") {
		t.Errorf("raw HTML in markdown: %s", b.String())
	}
}

// A combination only one side declares is judged on the other side by its
// groups, never by splitting its id at "+": group names may hold "+"
// ("groups:c+++eng" is c++ and eng, not c and eng).
func TestCompareCombinationIDWithPlus(t *testing.T) {
	t.Parallel()
	site := level(t, "config/site.toml", "allow members")
	baseDir, headDir := dir(), dir()
	baseDir.Groups = []string{"c", "c++", "eng"}
	headDir.Groups = []string{"c", "c++", "eng"}
	headDir.Combinations = [][]string{{"c++", "eng"}}
	page := func() []Page {
		return []Page{{Key: "p", URL: "/p/", Chain: access.Chain{level(t, "p", "allow group:c++"), site}}}
	}
	r := Compare(Side{Dir: baseDir, Pages: page()}, Side{Dir: headDir, Pages: page()}, now)
	if len(r.Pages) != 0 {
		t.Fatalf("nothing changed, but: %+v", r.Pages)
	}
}
