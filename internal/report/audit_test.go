package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/facet-docs/facet/internal/ledger"
)

// matrix renders an audit's rows as "id build: cell cell ... all".
func matrix(a *Audit) []string {
	var out []string
	for _, r := range a.Audiences {
		cells := []string{}
		for _, c := range r.Spaces {
			cells = append(cells, fmt.Sprintf("%d/%d", c.Visible, c.Total))
		}
		out = append(out, fmt.Sprintf("%s %s: %s %d/%d", r.ID, r.Build, strings.Join(cells, " "), r.Visible, a.Pages))
	}
	return out
}

func TestAuditMatrix(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	a := NewAudit(s, july)
	// Spaces: /, /eng/, /notes/, /open/, /secret/. The draft (open to
	// anyone once published) counts nowhere; neither do generated pages.
	want := []string{
		"anonymous anonymous: 1/2 0/5 0/1 1/3 0/1 2/12",
		"members members: 2/2 0/5 1/1 1/3 0/1 4/12",
		"user:bob@example.com members: 2/2 0/5 1/1 1/3 0/1 4/12",
		"group:contractors group-contractors: 2/2 0/5 1/1 1/3 0/1 4/12",
		"group:eng group-eng: 2/2 4/5 1/1 3/3 0/1 10/12",
		"group:leads group-leads: 2/2 0/5 1/1 1/3 0/1 4/12",
		"group:partners group-partners: 2/2 0/5 1/1 1/3 0/1 4/12",
		"group:staff group-staff: 2/2 0/5 1/1 1/3 0/1 4/12",
		"user:carol@partner.example guest-1: 1/2 2/5 0/1 1/3 0/1 4/12",
		"user:old@partner.example guest-2: 1/2 0/5 0/1 1/3 0/1 2/12",
	}
	if d := cmp.Diff(want, matrix(a)); d != "" {
		t.Errorf("matrix (-want +got):\n%s", d)
	}
	if a.Pages != 12 || a.Drafts != 1 || a.Builds != 9 || a.Site != "Example <Site>" || a.At != "2026-07-01T00:00:00Z" {
		t.Errorf("summary: pages %d, drafts %d, builds %d, site %q, at %s", a.Pages, a.Drafts, a.Builds, a.Site, a.At)
	}
	if d := cmp.Diff([]PageRef{{URL: "/secret/vault/", Title: "Vault", File: "content/secret/vault.md"}}, a.Unseen); d != "" {
		t.Errorf("unseen (-want +got):\n%s", d)
	}
}

func TestAuditGuestsAndExpiry(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	type guest struct {
		Email, Kind, Expires, Build string
		Expired                     bool
		Pages                       []string
	}
	project := func(a *Audit) []guest {
		var out []guest
		for _, g := range a.Guests {
			var urls []string
			for _, p := range g.Pages {
				urls = append(urls, p.URL)
			}
			out = append(out, guest{g.Email, g.Kind, g.Expires, g.Build, g.Expired, urls})
		}
		return out
	}
	carol := guest{"carol@partner.example", "guest", "2026-12-31", "guest-1", false,
		[]string{"/eng/carol-only/", "/eng/shared/", "/open/", "/public/"}}
	old := func(kind string, expired bool) guest {
		return guest{"old@partner.example", kind, "2026-06-30", "guest-2", expired, []string{"/open/", "/public/"}}
	}
	// A date-only expiry is valid through that whole day (UTC).
	if d := cmp.Diff([]guest{carol, old("guest", false)}, project(NewAudit(s, june))); d != "" {
		t.Errorf("june (-want +got):\n%s", d)
	}
	a := NewAudit(s, july)
	if d := cmp.Diff([]guest{carol, old("outsider", true)}, project(a)); d != "" {
		t.Errorf("july (-want +got):\n%s", d)
	}
	expired := map[string]bool{}
	for _, r := range a.Audiences {
		expired[r.ID] = r.Expired
	}
	if !expired["user:old@partner.example"] || expired["user:carol@partner.example"] || expired["anonymous"] {
		t.Errorf("audience expiry flags: %v", expired)
	}
}

// TestAuditNeverShowsDrafts holds the audit's promise: a draft is in no
// count and no guest's list, whatever its rules say.
func TestAuditNeverShowsDrafts(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	a := NewAudit(s, june)
	var buf bytes.Buffer
	for _, w := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return a.WriteText(b) },
		func(b *bytes.Buffer) error { return a.WriteJSON(b) },
		func(b *bytes.Buffer) error { return a.WriteHTML(b) },
	} {
		buf.Reset()
		if err := w(&buf); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "/eng/wip/") || strings.Contains(buf.String(), "Work in progress") {
			t.Errorf("the draft appears in:\n%s", buf.String())
		}
	}
}

func TestAuditJSONFields(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	var buf bytes.Buffer
	if err := NewAudit(s, july).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(v any) []string {
		m, _ := v.(map[string]any)
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	first := func(v any) any { return v.([]any)[0] }
	tests := []struct {
		name string
		v    any
		want []string
	}{
		{"audit", doc, []string{"at", "audiences", "builds", "drafts", "expiring", "format", "groups", "guests", "pages", "site", "spaces", "unseen"}},
		{"space", first(doc["spaces"]), []string{"dir", "pages", "title", "url"}},
		{"audience", first(doc["audiences"]), []string{"build", "expired", "groups", "id", "kind", "name", "spaces", "visible"}},
		{"cell", first(first(doc["audiences"]).(map[string]any)["spaces"]), []string{"space", "total", "visible"}},
		{"guest", first(doc["guests"]), []string{"beyond", "build", "email", "expired", "expires", "groups", "kind", "name", "pages"}},
		{"admitted", first(first(doc["guests"]).(map[string]any)["beyond"]), []string{"file", "personal", "rule", "title", "url"}},
		{"group", first(doc["groups"]), []string{"beyond", "group", "title"}},
		{"page", first(first(doc["guests"]).(map[string]any)["pages"]), []string{"file", "title", "url"}},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, keys(tt.v)); d != "" {
			t.Errorf("%s fields (-want +got):\n%s", tt.name, d)
		}
	}
	if g := first(doc["audiences"]).(map[string]any)["groups"]; g == nil {
		t.Error("anonymous groups must be [], not null")
	}
}

func TestAuditText(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	var buf bytes.Buffer
	if err := NewAudit(s, july).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, re := range []string{
		`(?m)^facet audit of "Example <Site>" at 2026-07-01T00:00:00Z$`,
		`(?m)^12 pages in 5 spaces \(and 1 draft, in no build\); 10 audiences sharing 9 builds$`,
		`(?m)^  audience +build +/ +/eng/ +/notes/ +/open/ +/secret/ +all$`,
		`(?m)^  group:eng +group-eng/ +2/2 +4/5 +1/1 +3/3 +0/1 +10/12$`,
		`(?m)^  user:old@partner.example \(expired\) +guest-2/ +1/2`,
		`(?m)^  carol@partner.example "Carol \(Partner Inc\)": guest, groups partners, expires 2026-12-31$`,
		`(?m)^  old@partner.example: outsider, groups partners, expires 2026-06-30\n    EXPIRED: `,
		`(?m)^      /eng/carol-only/ +For Carol$`,
		`(?m)^Nobody sees 1 page .*\n  /secret/vault/ +Vault$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("text lacks %s:\n%s", re, out)
		}
	}
	if regexp.MustCompile(`(?m) $`).MatchString(out) {
		t.Errorf("trailing spaces:\n%q", out)
	}
}

func TestAuditHTML(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	var buf bytes.Buffer
	if err := NewAudit(s, july).WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"<title>Access audit: Example &lt;Site&gt;</title>",
		`<td class="n some">10/12</td>`,
		`<td class="n all">3/3</td>`,
		`<code>user:old@partner.example</code> <span class="expired">expired</span>`,
		"EXPIRED: signs in as an outsider",
		"<li><code>/eng/shared/</code> Shared design</li>",
		"<code>/secret/vault/</code> Vault",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	// Standalone: no script, no external request of any kind.
	for _, bad := range []string{"<script", "http:", "https:", "src=", "<link", "@import", "url("} {
		if strings.Contains(out, bad) {
			t.Errorf("html holds %q", bad)
		}
	}
}

func TestShade(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v, n int
		want string
	}{{0, 3, "none"}, {1, 3, "some"}, {3, 3, "all"}, {0, 0, "none"}} {
		if got := shade(tt.v, tt.n); got != tt.want {
			t.Errorf("shade(%d, %d) = %s, want %s", tt.v, tt.n, got, tt.want)
		}
	}
}

func TestAuditMinimalSite(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, `
-- config/site.toml --
[access]
allow = ["anyone"]
-- content/_index.md --
+++
title = "Home"
+++
Home.
`)
	a := NewAudit(s, june)
	if d := cmp.Diff([]string{"anonymous anonymous: 1/1 1/1", "members members: 1/1 1/1"}, matrix(a)); d != "" {
		t.Errorf("matrix (-want +got):\n%s", d)
	}
	var text, page bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := a.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "html": page.String()} {
		if !strings.Contains(out, "No guests are declared.") || strings.Contains(out, "obody sees") {
			t.Errorf("%s:\n%s", name, out)
		}
	}
}

// The audit says why: each guest's and each group's pages beyond what
// anonymous sees with the admitting rule, pages shared with one person
// picked out, and guests expiring within 30 days; the three forms agree.
func TestAuditWhy(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	dec := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	a := NewAudit(s, dec)
	wantCarol := []Admitted{
		{URL: "/eng/carol-only/", Title: "For Carol", File: "content/eng/carol-only.md", Rule: "content/eng/carol-only.md:4: allow user:carol@partner.example", Personal: true},
		{URL: "/eng/shared/", Title: "Shared design", File: "content/eng/shared.md", Rule: "content/eng/shared.md:4: grant user:carol@partner.example", Personal: true},
	}
	if d := cmp.Diff(wantCarol, a.Guests[0].Beyond); d != "" {
		t.Errorf("carol beyond anonymous (-want +got):\n%s", d)
	}
	if len(a.Guests[1].Beyond) != 0 {
		t.Errorf("old@ (public pages only) has beyond %v", a.Guests[1].Beyond)
	}
	var eng GroupRow
	for _, g := range a.Groups {
		if g.Group == "eng" {
			eng = g
		}
	}
	rules := map[string]string{}
	for _, p := range eng.Beyond {
		rules[p.URL] = p.Rule
		if p.Personal {
			t.Errorf("eng: %s marked personal", p.URL)
		}
	}
	for url, rule := range map[string]string{
		"/":                 "config/site.toml:3: allow members",
		"/eng/shared/":      "content/eng/_index.md:4: allow group:eng",
		"/eng/no-bob/":      "content/eng/no-bob.md:4: allow group:eng",
		"/open/inner/page/": "content/open/inner/_index.md:4: allow group:eng",
	} {
		if rules[url] != rule {
			t.Errorf("eng: %s admitted by %q, want %q", url, rules[url], rule)
		}
	}
	for _, url := range []string{"/public/", "/open/", "/eng/carol-only/", "/secret/vault/", "/eng/wip/"} {
		if _, ok := rules[url]; ok {
			t.Errorf("eng: %s listed beyond anonymous", url)
		}
	}
	if len(eng.Beyond) != 8 {
		t.Errorf("eng: %d pages beyond anonymous, want 8", len(eng.Beyond))
	}
	wantExp := []ExpiringGuest{{Email: "carol@partner.example", Name: "Carol (Partner Inc)", Expires: "2026-12-31", Days: 17}}
	if d := cmp.Diff(wantExp, a.Expiring); d != "" {
		t.Errorf("expiring (-want +got):\n%s", d)
	}
	if e := NewAudit(s, july).Expiring; len(e) != 0 {
		t.Errorf("expiring in July: %v", e)
	}
	var text, html bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := a.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	for _, p := range append(wantCarol, eng.Beyond...) {
		if !strings.Contains(text.String(), p.Rule) || !strings.Contains(html.String(), "<code>"+p.Rule+"</code>") {
			t.Errorf("text or HTML lacks the rule %q", p.Rule)
		}
	}
	for _, want := range []string{"(2 shared with them alone)", "carol@partner.example \"Carol (Partner Inc)\": 2026-12-31 (17 days left)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(html.String(), "Guests expiring within 30 days") || strings.Count(html.String(), "them alone</td>") != 2 {
		t.Errorf("HTML lacks the expiring guests or the two pages shared with carol alone")
	}
}

// The ledger's sign-ins of declared guests: count, last time and kind,
// and the guests who never signed in; text and HTML show the same.
func TestAuditLedger(t *testing.T) {
	t.Parallel()
	s, _ := loadSite(t, exampleSite)
	a := NewAudit(s, july)
	a.AddLedger([]ledger.Entry{
		{Time: "2026-06-01T10:00:00Z", Event: ledger.SignIn, Kind: "guest", Email: "carol@partner.example"},
		{Time: "2026-06-20T10:00:00Z", Event: ledger.SignIn, Kind: "guest", Email: "Carol@partner.example"},
		{Time: "2026-06-20T11:00:00Z", Event: ledger.SignOut, Kind: "guest", Email: "carol@partner.example"},
		{Time: "2026-06-02T10:00:00Z", Event: ledger.SignIn, Kind: "member", Email: "bob@example.com"},
		{Time: "2026-06-25T10:00:00Z", Event: ledger.SignIn, Kind: "outsider", Email: "carol@partner.example"},
		{Time: "2026-06-26T10:00:00Z", Event: ledger.SignIn, Kind: "outsider", Email: "old@partner.example"},
	})
	want := &LedgerSummary{Entries: 6, Never: []string{"old@partner.example"},
		Guests: []GuestSignIns{
			{Email: "carol@partner.example", SignIns: 2, Last: "2026-06-20T10:00:00Z", LastKind: "guest", Outsider: 1},
			{Email: "old@partner.example", Outsider: 1},
		}}
	if d := cmp.Diff(want, a.Ledger); d != "" {
		t.Errorf("ledger (-want +got):\n%s", d)
	}
	var text, html bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := a.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{text.String(), html.String()} {
		for _, s := range []string{"carol@partner.example", "2 sign-ins, last 2026-06-20T10:00:00Z; 1 more with this address not as the guest", "Never signed in: ", "old@partner.example"} {
			if !strings.Contains(strings.ReplaceAll(strings.ReplaceAll(out, "<code>", ""), "</code>", ""), s) &&
				!strings.Contains(strings.Join(strings.Fields(out), " "), s) {
				t.Errorf("a form lacks %q:\n%s", s, out)
			}
		}
	}
	if NewAudit(s, july).Ledger != nil {
		t.Error("an audit without a ledger has one")
	}
}
