package main

import (
	"maps"
	"path"
	"slices"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/facet-docs/facet/internal/access"
)

// accessConfig is config/access.toml as the corpus writes it.
type accessConfig struct {
	Members struct{ Domains []string }
	Groups  map[string]struct{ Title string }
	Guests  []struct {
		Email, Name string
		Groups      []string
		Expires     time.Time
	}
	Audiences []struct{ Groups []string }
}

func directory(t *testing.T, c *corpus) *access.Directory {
	t.Helper()
	var conf accessConfig
	md, err := toml.Decode(string(c.files["config/access.toml"]), &conf)
	if err != nil {
		t.Fatalf("config/access.toml: %v", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Fatalf("config/access.toml: unknown keys %v", und)
	}
	d := &access.Directory{MemberDomains: conf.Members.Domains}
	for g := range conf.Groups {
		d.Groups = append(d.Groups, g)
	}
	slices.Sort(d.Groups)
	for _, g := range conf.Guests {
		e := access.GuestEntry{Email: g.Email, Name: g.Name, Groups: g.Groups}
		if !g.Expires.IsZero() {
			e.Expires = g.Expires.AddDate(0, 0, 1)
		}
		d.Guests = append(d.Guests, e)
	}
	for _, a := range conf.Audiences {
		d.Combinations = append(d.Combinations, a.Groups)
	}
	return d
}

// level compiles a file's [access] table, checking every principal the way
// facet build must: known form, declared group, guest or member user.
func level(t *testing.T, d *access.Directory, file string, m *mdFile) *access.Level {
	t.Helper()
	if m == nil || m.front.Access == nil {
		return nil
	}
	l := &access.Level{File: file, Closed: m.closed}
	a := m.front.Access
	for _, list := range []struct {
		key   string
		names []string
	}{{"allow", a.Allow}, {"grant", a.Grant}, {"deny", a.Deny}} {
		for _, s := range list.names {
			p, err := access.ParsePrincipal(s)
			if err == nil {
				err = d.CheckPrincipal(p)
			}
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			l.Entries = append(l.Entries, access.Entry{Principal: p, Key: list.key})
		}
	}
	return l
}

// chain is ACCESS.md's chain for a markdown file: the file, its section's
// _index.md, each ancestor's, content/_index.md, then the site default.
func chain(t *testing.T, c *corpus, d *access.Directory, file string, site *access.Level) access.Chain {
	t.Helper()
	var ch access.Chain
	add := func(f string) {
		if l := level(t, d, f, c.md[f]); l != nil {
			ch = append(ch, l)
		}
	}
	dir := path.Dir(file)
	switch path.Base(file) {
	case "_index.md":
		dir = path.Dir(dir)
		add(file)
	case "index.md":
		dir = path.Dir(dir) // a bundle belongs to the section around its folder
		add(file)
	default:
		add(file)
	}
	for ; dir != "."; dir = path.Dir(dir) {
		add(dir + "/_index.md")
	}
	return append(ch, site)
}

// TestAudiences runs the corpus through the access engine: every principal
// is valid, and the declared audiences fall into 16 to 20 distinct builds,
// with the anonymous build a strict part of the members' one.
func TestAudiences(t *testing.T) {
	t.Parallel()
	auds, builds := audiences(t, load(t, 200, 1))
	if auds != 20 {
		t.Errorf("%d audiences, want 20 (anonymous, members, 8 groups, 2 combinations, 6 guests, 2 named members)", auds)
	}
	if builds < 16 || builds > 20 {
		t.Errorf("%d distinct builds, want 16 to 20", builds)
	}
}

// audiences checks every principal of c and its visible sets (the
// anonymous build a strict part of the members' one), and returns the
// number of audiences and of distinct builds.
func audiences(t *testing.T, c *corpus) (int, int) {
	t.Helper()
	d := directory(t, c)
	var siteConf struct{ Access struct{ Allow []string } }
	if _, err := toml.Decode(string(c.files["config/site.toml"]), &siteConf); err != nil {
		t.Fatalf("config/site.toml: %v", err)
	}
	site := &access.Level{File: "config/site.toml", Closed: true}
	for _, s := range siteConf.Access.Allow {
		p, err := access.ParsePrincipal(s)
		if err != nil {
			t.Fatal(err)
		}
		site.Entries = append(site.Entries, access.Entry{Principal: p, Key: "allow"})
	}

	files := slices.Sorted(maps.Keys(c.md))
	rules := &access.Rules{}
	var users []string
	for _, f := range files {
		ch := chain(t, c, d, f, site)
		rules.Chains = append(rules.Chains, ch)
		for _, l := range ch {
			for _, e := range l.Entries {
				if e.Principal.Class == access.ClassUser {
					users = append(users, e.Principal.Name)
				}
			}
		}
	}

	auds := d.Audiences(users)
	builds := map[string][]string{}
	sets := map[string]access.Set{}
	for _, a := range auds {
		v := rules.Visible(a.Identity)
		sets[a.ID] = v
		key := string(a.Identity.Kind) + " " + v.String()
		builds[key] = append(builds[key], a.ID)
	}
	t.Logf("%d audiences in %d builds over %d files", len(auds), len(builds), len(files))
	anon, members := sets["anonymous"], sets["members"]
	if anon.Len() == 0 || !anon.SubsetOf(members) || anon.Len() >= members.Len() || members.Len() >= len(files) {
		t.Errorf("anonymous sees %d pages, members %d of %d: want 0 < anonymous < members < all",
			anon.Len(), members.Len(), len(files))
	}
	return len(auds), len(builds)
}
