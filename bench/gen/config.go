package main

import (
	"fmt"
	"strings"
)

// siteTOML is config/site.toml: an intranet by default (members), with the
// getting-started space open to anyone.
const siteTOML = `title = "Example Corp documentation"
description = "Handbook, runbooks and references for Example Corp staff and partners."
base_url = "https://docs.example.com/"
language = "en"
theme = "default"

[markdown]
unsafe = false
highlight = true
highlight_style = "github"

[build]
verify = true

[access]
allow = ["members"]
`

// groups are the declared groups, in the order they are written.
var groups = [][2]string{
	{"eng", "Engineering"}, {"ops", "Operations"}, {"sales", "Sales"},
	{"legal", "Legal"}, {"hr", "People"}, {"finance", "Finance"},
	{"support", "Customer support"}, {"research", "Research"},
}

// guest is one [[guests]] entry.
type guest struct {
	email, name string
	groups      []string
	expires     string
}

var guests = []guest{
	{"guest1@partner1.example", "Partner 1 (guest)", []string{"support"}, ""},
	{"guest2@partner2.example", "Partner 2 (guest)", []string{"support"}, "2099-12-31"},
	{"guest3@partner3.example", "Partner 3 (guest)", []string{"research"}, ""},
	{"guest4@partner4.example", "Partner 4 (guest)", []string{"sales"}, ""},
	{"guest5@partner5.example", "Partner 5 (guest)", nil, "2099-06-30"},
	{"guest6@partner6.example", "Partner 6 (guest)", []string{"legal", "finance"}, ""},
}

// combinations are the [[audiences]] group sets built ahead of time.
var combinations = [][]string{{"eng", "ops"}, {"sales", "support"}}

// accessTOML is config/access.toml.
func accessTOML() string {
	var b strings.Builder
	b.WriteString("[members]\ndomains = [\"example.com\"]\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "\n[groups.%s]\ntitle = %s\n", g[0], quote(g[1]))
	}
	for _, g := range guests {
		fmt.Fprintf(&b, "\n[[guests]]\nemail = %s\nname = %s\ngroups = %s\n", quote(g.email), quote(g.name), list(g.groups))
		if g.expires != "" {
			fmt.Fprintf(&b, "expires = %s\n", g.expires)
		}
	}
	for _, c := range combinations {
		fmt.Fprintf(&b, "\n[[audiences]]\ngroups = %s\n", list(c))
	}
	return b.String()
}

// frontmatter is a TOML frontmatter block between +++ fences. Empty or zero
// values are left out.
type frontmatter struct {
	title   string
	date    string
	weight  int
	tags    []string
	summary string
	rules   *rules
}

func (f frontmatter) String() string {
	var b strings.Builder
	b.WriteString("+++\n")
	fmt.Fprintf(&b, "title = %s\n", quote(f.title))
	if f.date != "" {
		fmt.Fprintf(&b, "date = %s\n", f.date)
	}
	if f.weight != 0 {
		fmt.Fprintf(&b, "weight = %d\n", f.weight)
	}
	if len(f.tags) > 0 {
		fmt.Fprintf(&b, "tags = %s\n", list(f.tags))
	}
	if f.summary != "" {
		fmt.Fprintf(&b, "summary = %s\n", quote(f.summary))
	}
	if r := f.rules; r != nil {
		b.WriteString("\n[access]\n")
		if r.closed {
			fmt.Fprintf(&b, "allow = %s\n", list(r.allow))
		}
		if len(r.grant) > 0 {
			fmt.Fprintf(&b, "grant = %s\n", list(r.grant))
		}
		if len(r.deny) > 0 {
			fmt.Fprintf(&b, "deny = %s\n", list(r.deny))
		}
	}
	b.WriteString("+++\n\n")
	return b.String()
}

// quote is a TOML basic string of printable ASCII.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// list is a TOML array of strings.
func list(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// homePage is content/_index.md: an introduction and a list of the spaces,
// one link alone in each item (an audience that cannot see a space loses the
// whole item).
func homePage(w words) string {
	bd := &body{w: w}
	bd.write(frontmatter{title: "Welcome"}.String())
	bd.paragraph(false)
	for _, sp := range spaces {
		bd.write("- [" + sp.title + "](/" + sp.dir + "/)\n")
	}
	return bd.b.String()
}

// sectionPage is a section's _index.md: a paragraph or two about it.
func sectionPage(w words, sec *section) string {
	bd := &body{w: w}
	f := frontmatter{title: sec.title, weight: sec.weight, rules: sec.rules}
	if w.chance(0.5) {
		f.summary = strings.TrimSuffix(w.sentence(), ".")
	}
	bd.write(f.String())
	for range w.between(1, 2) {
		bd.paragraph(false)
	}
	return bd.b.String()
}

// pageFile is a page's whole markdown file.
func (s *site) pageFile(w words, p *page) string {
	f := frontmatter{title: p.title, date: p.date, weight: p.weight, tags: p.tags, summary: p.summary, rules: p.rules}
	return f.String() + s.pageBody(w, p)
}
