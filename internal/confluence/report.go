package confluence

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// writeSite writes what is not a page: the config files, the section page
// of a space without a home page, .gitignore and import-report.md.
func (im *importer) writeSite() error {
	var names []string
	for _, s := range im.ex.spaces {
		if slices.Contains(im.spaceM[s].Allow, "anyone") {
			names = append(names, cmp.Or(s.name, s.key))
		}
		if s.homePage() == nil {
			fm := frontmatter{title: cmp.Or(s.name, s.key), access: nonNil(im.spaceM[s].Allow), section: true}
			if err := writeFile(im.root, s.dir+"/_index.md", fm.String()); err != nil {
				return err
			}
		}
	}
	// The title is in every build, the anonymous one included: it names
	// only the spaces anonymous users could view.
	site := "# Imported from Confluence by facet import confluence.\n" +
		"# The title is in every build, anonymous ones included: it names only the spaces\n" +
		"# anonymous users could view in Confluence.\n" +
		"title = " + tomlString(cmp.Or(strings.Join(names, ", "), "Documentation")) + `

[markdown]
unsafe = true   # raw HTML read through facet's allow-list: the expand macro became <details>

# The site default: a page no rule decides is for members only. Each
# space's _index.md sets its own access from the space permissions.
[access]
allow = ["members"]
`
	files := map[string]string{
		"config/site.toml":   site,
		"config/access.toml": im.accessToml(),
		".gitignore":         "public/\n.facet-cache/\n",
		"import-report.md":   im.report(),
	}
	for _, name := range []string{"config/site.toml", "config/access.toml", ".gitignore", "import-report.md"} {
		if err := writeFile(im.root, name, files[name]); err != nil {
			return err
		}
	}
	return nil
}

// accessToml is the config/access.toml draft: member domains, every group
// a permission names, guests, and TODOs for users without an email.
func (im *importer) accessToml() string {
	var b strings.Builder
	b.WriteString("# Drafted by facet import confluence: check every TODO before publishing.\n\n")
	b.WriteString("# A verified email in one of these domains signs in as a member.\n[members]\n")
	fmt.Fprintf(&b, "domains = %s\n", tomlList(nonNil(im.pp.domains)))
	if im.pp.membersGroup != "" {
		fmt.Fprintf(&b, "# The Confluence group %q (every user) is facet's \"members\".\n", im.pp.membersGroup)
	}
	var groups []string
	for conf, name := range im.pp.groups {
		groups = append(groups, name+"\x00"+conf)
	}
	slices.Sort(groups)
	for _, g := range groups {
		name, conf, _ := strings.Cut(g, "\x00")
		fmt.Fprintf(&b, "\n# TODO: the identity provider must send %q in the groups claim", name)
		if conf != name {
			fmt.Fprintf(&b, " (Confluence's group %q)", conf)
		}
		fmt.Fprintf(&b, ".\n[groups.%s]\ntitle = %s\n", tomlString(name), tomlString(conf))
	}
	var guests []string
	for e := range im.pp.guests {
		guests = append(guests, e)
	}
	slices.Sort(guests)
	for _, e := range guests {
		fmt.Fprintf(&b, "\n# TODO: %s is outside the member domains: a guest sees only what names them.\n[[guests]]\nemail = %s\nname = %s\ngroups = []\n", e, tomlString(e), tomlString(e))
	}
	var users []string
	for u := range im.pp.noEmail {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		fmt.Fprintf(&b, "\n# TODO: the Confluence user %q has no email in the export, so no rule names them.\n", u)
		fmt.Fprintf(&b, "# Confluence let them read: %s. Add user:EMAIL to those pages' allow lists.\n", strings.Join(im.pp.noEmail[u], ", "))
	}
	return b.String()
}

// report is import-report.md.
func (im *importer) report() string {
	var b strings.Builder
	b.WriteString("# Confluence import report\n\n")
	restricted := im.restrictedPages()
	inexact := 0
	for _, p := range restricted {
		if !im.access[p].m.Exact() {
			inexact++
		}
	}
	im.res.Spaces, im.res.Restricted, im.res.Inexact = len(im.ex.spaces), len(restricted), inexact
	fmt.Fprintf(&b, "| | |\n|---|---|\n| spaces | %d |\n| pages | %d |\n| attachments | %d |\n", len(im.ex.spaces), im.res.Pages, im.res.Attachments)
	fmt.Fprintf(&b, "| restricted pages | %d |\n| restricted pages facet shows to fewer people | %d |\n| warnings | %d |\n\n", len(restricted), inexact, len(im.res.Warnings))
	im.reportDomains(&b)
	b.WriteString("## Spaces\n\n")
	for _, s := range im.ex.spaces {
		fmt.Fprintf(&b, "- %s (`%s/`): in Confluence, View space: %s. In facet: `allow = %s` in `%s/_index.md`.\n",
			cmp.Or(s.name, s.key), s.dir, describe(s.view), tomlList(nonNil(im.spaceM[s].Allow)), s.dir)
	}
	b.WriteString("\n## Restricted pages\n\n")
	if len(restricted) == 0 {
		b.WriteString("No page has a view restriction.\n")
	}
	for _, p := range restricted {
		im.reportPage(&b, p)
	}
	im.reportWarnings(&b)
	return b.String()
}

// reportDomains says which member domains config/access.toml holds and,
// when they were chosen by default, which were left out and why.
func (im *importer) reportDomains(b *strings.Builder) {
	b.WriteString("## Member domains\n\n")
	if !im.res.DomainsByDefault {
		fmt.Fprintf(b, "Given with --domains: %s.\n\n", codeList(im.res.Domains))
		return
	}
	if len(im.res.Domains) == 0 {
		b.WriteString("None: no user of the export has an email outside the public mail providers, so no one signs in as a member.")
	} else {
		fmt.Fprintf(b, "Chosen by default, from the export's users' emails: %s.", codeList(im.res.Domains))
	}
	if len(im.res.PublicDomains) > 0 {
		fmt.Fprintf(b, " Left out: %s, public mail providers where anyone can get an address: "+
			"their users are guests, who see only the pages that name them.", codeList(im.res.PublicDomains))
	}
	b.WriteString(" Give --domains to choose the member domains.\n\n")
}

func codeList(ss []string) string {
	if len(ss) == 0 {
		return "none"
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}

// restrictedPages are the pages a view restriction applies to, in file order.
func (im *importer) restrictedPages() []*page {
	var out []*page
	for p, pa := range im.access {
		if len(pa.reasons) > 1 {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *page) int { return strings.Compare(a.file, b.file) })
	return out
}

func (im *importer) reportPage(b *strings.Builder, p *page) {
	pa := im.access[p]
	fmt.Fprintf(b, "### %s\n\n`%s`\n\n", p.title, p.file)
	fmt.Fprintf(b, "- Confluence: %s.\n", strings.Join(pa.reasons, "; "))
	var who []string
	for _, t := range pa.readers {
		who = append(who, t.String())
	}
	if len(who) == 0 {
		who = []string{"nobody"}
	}
	if pa.unknown {
		who = []string{"unknown (a restriction the import cannot read), so facet shows the page to no one"}
	}
	fmt.Fprintf(b, "- Readers in Confluence: %s.\n", strings.Join(who, "; "))
	rule := "in this file"
	if !pa.write {
		rule = "from `" + pa.inherited + "`"
	}
	key := "[access]"
	if p == p.space.homePage() {
		key = "[page_access]"
	}
	fmt.Fprintf(b, "- Readers in facet: `allow = %s` (%s %s).\n", tomlList(nonNil(pa.m.Allow)), key, rule)
	if !pa.m.Exact() {
		fmt.Fprintf(b, "- **Not exact**: facet hides the page from %s, whom Confluence may show it to "+
			"(the export does not say who is in which group). Add them by email if they should read it.\n",
			strings.Join(pa.m.Missing, "; "))
	}
	b.WriteString("\n")
}

func (im *importer) reportWarnings(b *strings.Builder) {
	b.WriteString("## Warnings\n\n")
	if len(im.res.Warnings) == 0 {
		b.WriteString("None.\n")
		return
	}
	byKind := map[string][]Warning{}
	var kinds []string
	for _, w := range im.res.Warnings {
		if byKind[w.Kind] == nil {
			kinds = append(kinds, w.Kind)
		}
		byKind[w.Kind] = append(byKind[w.Kind], w)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(b, "### %s (%d)\n\n", k, len(byKind[k]))
		for _, w := range byKind[k] {
			if w.Page != "" {
				fmt.Fprintf(b, "- `%s`: %s\n", w.Page, w.Msg)
			} else {
				fmt.Fprintf(b, "- %s\n", w.Msg)
			}
		}
		b.WriteString("\n")
	}
}
