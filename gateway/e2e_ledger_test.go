package gateway_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/ledger"
	"github.com/facet-docs/facet/internal/report"
)

// The sign-in ledger, end to end: sign-ins and sign-outs through the
// provider are appended, a second gateway process appends to the same file,
// the audit reads it (each guest's count and last sign-in, guests who never
// signed in), and no line holds a token, a code or a cookie value.
func TestE2ESignInLedger(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	withLedger := func(c *config.Gateway) { c.Ledger = path }
	var cookies []string
	signIn := func(e *e2eEnv, user string) *browser {
		b := e.browser(t)
		b.signIn(t, "/lounge/", user)
		u, _ := url.Parse(e.public)
		for _, c := range b.c.Jar.Cookies(u) {
			cookies = append(cookies, c.Value)
		}
		return b
	}
	first := newE2EWith(t, "groups", "groups", withLedger)
	carol := signIn(first, "carol")
	signIn(first, "bob")
	if resp, _ := carol.get(t, gateway.LogoutPath); resp.StatusCode/100 != 3 {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	// Another gateway process (a restart) appends to the same ledger.
	second := newE2EWith(t, "groups", "groups", withLedger)
	signIn(second, "carol")
	signIn(second, "carol-unverified")

	entries, err := ledger.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Event+" "+e.Kind+" "+e.Email+" ["+strings.Join(e.Groups, ",")+"] "+e.Build)
		if _, err := time.Parse(time.RFC3339, e.Time); err != nil {
			t.Errorf("entry time %q: %v", e.Time, err)
		}
	}
	want := []string{
		"sign-in guest carol@partner.example [partners] " + first.dirs["user:carol@partner.example"],
		"sign-in member bob@example.com [eng,ops] " + first.dirs["groups:eng+ops"],
		"sign-out guest carol@partner.example [partners] " + first.dirs["user:carol@partner.example"],
		"sign-in guest carol@partner.example [partners] " + second.dirs["user:carol@partner.example"],
		"sign-in outsider carol@partner.example [] anonymous",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ledger:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	secrets := append(append([]string{}, cookies...), first.secrets...)
	secrets = append(secrets, second.secrets...)
	for _, s := range secrets {
		if s != "" && strings.Contains(string(data), s) {
			t.Errorf("the ledger holds a secret or cookie value (%d bytes)", len(s))
		}
	}
	if strings.Contains(string(data), "eyJ") {
		t.Error("the ledger holds what looks like a token")
	}

	s, err := build.Load(context.Background(), first.site)
	if err != nil {
		t.Fatal(err)
	}
	a := report.NewAudit(s, time.Now())
	a.AddLedger(entries)
	// The unverified sign-in with carol's address is not hers: counted apart.
	if len(a.Ledger.Guests) != 1 || a.Ledger.Guests[0].Email != "carol@partner.example" || a.Ledger.Guests[0].SignIns != 2 ||
		a.Ledger.Guests[0].Outsider != 1 {
		t.Errorf("audit ledger guests: %+v", a.Ledger.Guests)
	}
	if strings.Join(a.Ledger.Never, ",") != "dan@partner.example,kate@partner.example,lena@partner.example,mia@partner.example" {
		t.Errorf("never signed in: %v", a.Ledger.Never)
	}
}
