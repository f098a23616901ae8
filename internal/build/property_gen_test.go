package build

import (
	"fmt"
	"math/rand/v2"
	"path"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// This file generates the random sites of TestPropertyNoTrace: sections
// nested up to three deep, [access] rules of every kind, links in every
// form the renderer resolves, raw HTML, attachments, short, repeated and
// unicode titles, and a canary word in every body.

// Principals the generated rules draw from; all are declared in the
// generated config/access.toml.
var propPrincipals = []string{
	"anyone", "members", "guests", "group:eng", "group:ops", "group:partners",
	"user:carol@partner.example", "user:dave@vendor.example", "user:bob@example.com",
}

// propTitles are page titles: common, repeated, low-information and
// unicode ones. propTitleWords make two-word titles that prose never uses.
var (
	propTitles = []string{
		"Roadmap", "Meeting notes", "Q3", "2024-03-01", "7", "Overview",
		"«Kestrel» plan", "会议记录", "Résumé — Falcon", "Ωmega ledger", "FAQ",
	}
	propTitleWords = []string{"Heron", "Lantern", "Basalt", "Marten", "Quarry", "Tundra", "Vireo", "Zephyr"}
	propTitleTails = []string{"ledger", "charter", "atlas", "compass", "harbor"}
	propProse      = []string{
		"the", "team", "keeps", "records", "of", "each", "change", "and", "reviews",
		"them", "weekly", "before", "release", "values", "stay", "small", "process",
	}
	propSlugWords = []string{"admin", "data", "report", "x", "item", "sub"}
)

// pRules is one [access] table.
type pRules struct {
	closed             bool
	allow, grant, deny []string
}

// pNode is a section, a page or an attachment of a generated site.
type pNode struct {
	kind     string // "section", "page" or "file"
	file     string // path under content/
	url      string // "/a/b/" for pages and sections, "/a/x.csv" for files
	slug     string // the unique last URL segment ("roadmap-pq0003")
	parent   *pNode // section of a page or section; owner of a file
	title    string
	canary   string
	rules    *pRules
	refs     []*pNode // pages referencing a file (links or embeds)
	mentions []string // URLs a page's text names (code), lower case
	body     string
	bundle   bool // a page written as folder/index.md
}

// pGuest is one [[guests]] entry.
type pGuest struct {
	email, groups, expires string
}

// propSite is one generated site.
type propSite struct {
	seed    uint64
	r       *rand.Rand
	baseURL string
	unsafe  bool
	def     []string // site default allow
	guests  []pGuest
	nodes   []*pNode
	extra   map[string]string // files added as is (refusal cases)
	refuse  []string          // files of which a refusal must name one
	lead    string            // what precedes a frontmatter's +++ (blank line, BOM)
	counter int
}

// genPropSite generates the site of one seed.
func genPropSite(seed uint64) *propSite {
	s := &propSite{seed: seed, r: rand.New(rand.NewPCG(seed, 0x5eed)), extra: map[string]string{}}
	s.baseURL = []string{"", "https://example.com/docs/", "https://example.com/"}[s.r.IntN(3)]
	s.unsafe = s.r.IntN(2) == 0
	s.def = [][]string{{"members"}, {"anyone"}}[s.r.IntN(2)]
	s.guests = []pGuest{{"carol@partner.example", `["partners"]`, ""}, {"dave@vendor.example", `[]`, ""}}
	if s.r.IntN(3) == 0 {
		s.guests = append(s.guests, pGuest{"old@gone.example", `["partners"]`, "2020-01-01"})
	}
	root := &pNode{kind: "section", file: "_index.md", url: "/", title: "Home"}
	s.nodes = append(s.nodes, root)
	s.addSections(root, 0)
	for range 4 + s.r.IntN(10) {
		s.addPage(s.sections()[s.r.IntN(len(s.sections()))])
	}
	for range s.r.IntN(5) {
		s.addFile()
	}
	for _, n := range s.nodes {
		if n.kind != "file" {
			n.body = s.body(n)
		}
	}
	s.addCases()
	return s
}

func (s *propSite) sections() []*pNode {
	var out []*pNode
	for _, n := range s.nodes {
		if n.kind == "section" {
			out = append(out, n)
		}
	}
	return out
}

func (s *propSite) pick(list []string) string { return list[s.r.IntN(len(list))] }

// slug is a unique URL segment: a common word and a counter.
func (s *propSite) slug() string {
	s.counter++
	return fmt.Sprintf("%s-pq%04d", s.pick(propSlugWords), s.counter)
}

func (s *propSite) title() string {
	if s.r.IntN(3) == 0 {
		return s.pick(propTitleWords) + " " + s.pick(propTitleTails)
	}
	return s.pick(propTitles)
}

func (s *propSite) canary() string {
	return fmt.Sprintf("zqcanary%dx%dq", s.seed, s.counter)
}

func (s *propSite) addSections(parent *pNode, depth int) {
	if depth == 3 {
		return
	}
	for range s.r.IntN(3 - depth/2) {
		slug := s.slug()
		dir := strings.TrimSuffix(path.Dir(parent.file), ".")
		if dir != "" {
			dir += "/"
		}
		n := &pNode{kind: "section", file: dir + slug + "/_index.md", url: parent.url + slug + "/", slug: slug,
			parent: parent, title: s.title(), canary: s.canary(), rules: s.rules()}
		s.nodes = append(s.nodes, n)
		s.addSections(n, depth+1)
	}
}

func (s *propSite) addPage(sec *pNode) {
	slug := s.slug()
	dir := strings.TrimSuffix(path.Dir(sec.file), ".")
	if dir != "" {
		dir += "/"
	}
	n := &pNode{kind: "page", file: dir + slug + ".md", url: sec.url + slug + "/", slug: slug, parent: sec,
		title: s.title(), canary: s.canary(), rules: s.rules()}
	if s.r.IntN(4) == 0 {
		n.bundle = true
		n.file = dir + slug + "/index.md"
	}
	s.nodes = append(s.nodes, n)
}

// addFile adds an attachment to a section folder or a bundle, referenced
// by up to two pages (often hidden ones alone).
func (s *propSite) addFile() {
	var owners []*pNode
	for _, n := range s.nodes {
		if n.kind == "section" || n.bundle {
			owners = append(owners, n)
		}
	}
	owner := owners[s.r.IntN(len(owners))]
	ext := s.pick([]string{"csv", "svg", "json", "txt"})
	slug := s.slug() + "." + ext
	f := &pNode{kind: "file", file: strings.TrimPrefix(path.Dir(owner.file)+"/"+slug, "./"),
		url: owner.url + slug, slug: slug, parent: owner, canary: s.canary()}
	var pages []*pNode
	for _, n := range s.nodes {
		if n.kind == "page" {
			pages = append(pages, n)
		}
	}
	for range s.r.IntN(3) {
		if len(pages) > 0 {
			f.refs = append(f.refs, pages[s.r.IntN(len(pages))])
		}
	}
	s.nodes = append(s.nodes, f)
}

// rules are a random [access] table, or nil.
func (s *propSite) rules() *pRules {
	if s.r.IntN(5) < 2 {
		return nil
	}
	r := &pRules{}
	some := func(max int) []string {
		var out []string
		for range s.r.IntN(max + 1) {
			out = append(out, s.pick(propPrincipals))
		}
		return out
	}
	if s.r.IntN(2) == 0 {
		r.closed, r.allow = true, some(2)
	}
	r.grant, r.deny = some(1), some(1)
	return r
}

func (r *pRules) toml() string {
	if r == nil {
		return ""
	}
	q := func(l []string) string {
		if len(l) == 0 {
			return "[]"
		}
		return `["` + strings.Join(l, `", "`) + `"]`
	}
	out := "[access]\n"
	if r.closed {
		out += "allow = " + q(r.allow) + "\n"
	}
	if len(r.grant) > 0 {
		out += "grant = " + q(r.grant) + "\n"
	}
	if len(r.deny) > 0 {
		out += "deny = " + q(r.deny) + "\n"
	}
	return out
}

// archive is the site as txtar, the form a failure prints.
func (s *propSite) archive() string {
	ar := &txtar.Archive{Comment: fmt.Appendf(nil, "property seed %d\n", s.seed)}
	add := func(name, data string) { ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)}) }
	site := fmt.Sprintf("title = \"Property site\"\nbase_url = %q\n[markdown]\nunsafe = %t\n[build]\nverify = true\n[access]\nallow = [\"%s\"]\n",
		s.baseURL, s.unsafe, strings.Join(s.def, `", "`))
	add("config/site.toml", site)
	acc := "[members]\ndomains = [\"example.com\"]\n[groups.eng]\ntitle = \"Engineering\"\n[groups.ops]\ntitle = \"Operations\"\n[groups.partners]\ntitle = \"Partners\"\n"
	for _, g := range s.guests {
		acc += fmt.Sprintf("[[guests]]\nemail = %q\ngroups = %s\n", g.email, g.groups)
		if g.expires != "" {
			acc += "expires = " + g.expires + "\n"
		}
	}
	acc += "[[audiences]]\ngroups = [\"eng\", \"ops\"]\n"
	add("config/access.toml", acc)
	for _, n := range s.nodes {
		if n.kind == "file" {
			add("content/"+n.file, s.fileData(n))
			continue
		}
		add("content/"+n.file, s.lead+"+++\ntitle = "+tomlString(n.title)+"\n"+n.rules.toml()+"+++\n"+n.body)
	}
	for name, data := range s.extra {
		add(name, data)
	}
	return string(txtar.Format(ar))
}

func tomlString(s string) string { return fmt.Sprintf("%q", s) }

// fileData is an attachment's content: its canary, and for an svg a link to
// its owner, which is visible wherever the svg is.
func (s *propSite) fileData(f *pNode) string {
	switch path.Ext(f.file) {
	case ".csv":
		return "id,value\n1," + f.canary + "\n"
	case ".svg":
		return `<svg xmlns="http://www.w3.org/2000/svg"><a href="` + f.parent.url + `"><text>` + f.canary + "</text></a></svg>\n"
	case ".json":
		return `{"note": "` + f.canary + `"}` + "\n"
	}
	return f.canary + "\n"
}

// addCases adds, now and then, input that tests a rule rather than a
// leak: frontmatter after a blank line or a BOM (accepted, rules kept),
// and an [access] table in a body (refused with file:line).
func (s *propSite) addCases() {
	switch s.r.IntN(10) {
	case 0:
		s.lead = "\n"
	case 1:
		s.lead = "\ufeff"
	case 2:
		var pages []*pNode
		for _, n := range s.nodes {
			if n.kind == "page" {
				pages = append(pages, n)
			}
		}
		if len(pages) > 0 {
			p := pages[s.r.IntN(len(pages))]
			p.body += "\n+++\n[access]\nallow = [\"group:eng\"]\n+++\n"
			s.refuse = append(s.refuse, "content/"+p.file)
		}
	}
}
