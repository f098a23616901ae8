package main

import (
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
)

// rules is one [access] table. closed writes an allow key, even when allow
// is empty.
type rules struct {
	closed bool
	allow  []string
	grant  []string
	deny   []string
}

// section is a folder under content/. A space is a section of depth 1.
type section struct {
	dir      string // relative to content/, "engineering/deploy-hub"
	title    string
	depth    int
	hasIndex bool // writes _index.md; otherwise facet generates the page
	weight   int
	rules    *rules
	space    int // index of the space the section belongs to
	used     map[string]bool
}

// url is the section's root-relative URL.
func (s *section) url() string { return "/" + s.dir + "/" }

// page is one generated markdown page.
type page struct {
	sec      *section
	name     string // file name without .md, or the bundle folder
	title    string
	bundle   bool // writes name/index.md
	image    bool // a bundle with diagram.png shown in the body
	code     bool
	words    int // the body's word target
	headings []string
	date     string
	weight   int
	tags     []string
	summary  string
	rules    *rules
	files    []*attachment // hard corpus: attachments in the bundle
	attach   []*attachment // hard corpus: attachments the body links to
}

// file is the page's source path relative to content/.
func (p *page) file() string {
	if p.bundle {
		return p.sec.dir + "/" + p.name + "/index.md"
	}
	return p.sec.dir + "/" + p.name + ".md"
}

// url is the page's root-relative URL.
func (p *page) url() string { return "/" + p.sec.dir + "/" + p.name + "/" }

// fileDir is the folder relative links in the page start from.
func (p *page) fileDir() string { return path.Dir(p.file()) }

// site is the whole planned corpus.
type site struct {
	sections []*section
	pages    []*page
	bySpace  [][]*page // pages by space index
	images   []*page   // pages with diagram.png, in page order

	hard        bool          // the hard corpus (hard.go)
	attachments []*attachment // hard corpus: every attachment, in order
}

// space is the fixed shape of one top-level folder.
type space struct {
	dir, title string
	rules      *rules
}

// The ten spaces: seven carry [access] rules, three follow the site default.
var spaces = []space{
	{"getting-started", "Getting started", &rules{closed: true, allow: []string{"anyone"}}},
	{"handbook", "Team handbook", nil},
	{"engineering", "Engineering docs", &rules{closed: true, allow: []string{"group:eng"}, grant: []string{"group:research"}}},
	{"operations", "Operations runbooks", &rules{closed: true, allow: []string{"group:ops", "group:eng"}, deny: []string{"user:lead2@example.com"}}},
	{"sales", "Sales playbook", &rules{closed: true, allow: []string{"group:sales", "group:support"}, grant: []string{"user:guest4@partner4.example"}}},
	{"legal", "Legal library", &rules{closed: true, allow: []string{"group:legal", "user:lead1@example.com"}}},
	{"people", "People and HR", &rules{closed: true, allow: []string{"group:hr"}, deny: []string{"guests"}}},
	{"finance", "Finance desk", &rules{closed: true, allow: []string{"group:finance"}, grant: []string{"user:guest6@partner6.example"}}},
	{"support", "Customer support", nil},
	{"research", "Research notes", nil},
}

// sectionRules are given, in turn, to about one sub-section in eight.
var sectionRules = []*rules{
	{closed: true, allow: []string{"group:eng"}},
	{deny: []string{"group:sales"}},
	{grant: []string{"user:guest5@partner5.example"}},
	{closed: true, allow: []string{"members"}, deny: []string{"guests"}},
	{grant: []string{"group:support"}},
}

// pageRules are given, in turn, to the pages that carry [access]: every
// group, guest and named member appears, so that each audience differs.
var pageRules = []*rules{
	{closed: true, allow: []string{"group:eng"}},
	{closed: true, allow: []string{"group:ops"}},
	{closed: true, allow: []string{"group:sales"}},
	{closed: true, allow: []string{"group:legal"}},
	{closed: true, allow: []string{"group:hr"}},
	{closed: true, allow: []string{"group:finance"}},
	{closed: true, allow: []string{"group:support"}},
	{closed: true, allow: []string{"group:research"}},
	{grant: []string{"user:guest1@partner1.example"}},
	{grant: []string{"user:guest2@partner2.example"}},
	{grant: []string{"user:guest3@partner3.example", "group:research"}},
	{grant: []string{"user:guest4@partner4.example"}},
	{grant: []string{"user:guest5@partner5.example"}},
	{grant: []string{"user:guest6@partner6.example"}},
	{grant: []string{"user:lead2@example.com"}},
	{closed: true, allow: []string{"user:lead1@example.com"}, deny: []string{"group:finance"}},
	{closed: true, allow: []string{"members"}, deny: []string{"group:sales"}},
	{closed: true, allow: []string{"group:eng"}, deny: []string{"user:lead1@example.com"}},
	{closed: true, allow: []string{"group:ops"}, deny: []string{"group:eng"}},
	{closed: true, allow: []string{"anyone"}},
	{grant: []string{"guests"}},
	{deny: []string{"group:support"}},
	{closed: true, allow: []string{"group:legal", "group:hr"}, grant: []string{"user:guest6@partner6.example"}},
}

// Shares of pages with a property.
const (
	ruledShare  = 0.20
	imageShare  = 0.10
	bundleShare = 0.05 // bundles without an image, on top of the image pages
	codeShare   = 0.30
)

// plan lays out sections and pages; bodies are written later, once every
// page's headings are known so that links can carry real fragments.
func plan(r *rand.Rand, n int, hard bool) *site {
	w := words{r}
	s := &site{bySpace: make([][]*page, len(spaces)), hard: hard}
	titles := map[string]bool{}
	for i, sp := range spaces {
		top := &section{dir: sp.dir, title: sp.title, depth: 1, hasIndex: true, rules: sp.rules, space: i, used: map[string]bool{}}
		titles[sp.title] = true
		s.sections = append(s.sections, top)
		for range 2 + r.IntN(3) + n/400 {
			sub := s.addSection(w, top, titles)
			for range r.IntN(3) {
				s.addSection(w, sub, titles)
			}
		}
	}
	ruleTurn := 0
	for _, sec := range s.sections {
		if sec.depth > 1 && sec.hasIndex && w.chance(0.12) {
			sec.rules = sectionRules[ruleTurn%len(sectionRules)]
			ruleTurn++
		}
	}
	for range n {
		s.addPage(w, s.sections[r.IntN(len(s.sections))], titles)
	}
	perm := r.Perm(n)
	images, bundles := share(n, imageShare), share(n, bundleShare)
	for k, i := range perm {
		p := s.pages[i]
		p.image = k < images
		p.bundle = k < images+bundles
	}
	for _, p := range s.pages {
		if p.image {
			s.images = append(s.images, p)
		}
	}
	for k, i := range r.Perm(n)[:share(n, ruledShare)] {
		s.pages[i].rules = pageRules[k%len(pageRules)]
	}
	if hard {
		s.planAttachments(w)
	}
	return s
}

// share is round(n * f).
func share(n int, f float64) int { return int(float64(n)*f + 0.5) }

func (s *site) addSection(w words, parent *section, titles map[string]bool) *section {
	var title string
	if s.hard {
		title = w.hardTitle()
	} else {
		title = unique(titles, func() string {
			return capitalize(w.pick(nouns)) + " " + w.pick(sectionKinds)
		})
	}
	name := uniqueName(parent.used, slug(title))
	sec := &section{
		dir:      parent.dir + "/" + name,
		title:    title,
		depth:    parent.depth + 1,
		hasIndex: !w.chance(0.15),
		space:    parent.space,
		used:     map[string]bool{},
	}
	if w.chance(0.4) {
		sec.weight = w.between(1, 9)
	}
	s.sections = append(s.sections, sec)
	return sec
}

func (s *site) addPage(w words, sec *section, titles map[string]bool) {
	p := &page{sec: sec}
	if s.hard {
		p.title = w.hardTitle()
	} else {
		p.title = unique(titles, w.title)
	}
	p.name = uniqueName(sec.used, slug(p.title))
	p.words = w.between(300, 1250)
	if s.hard {
		p.code = w.chance(hardCodeShare)
	} else {
		p.code = w.chance(codeShare)
	}
	seen := map[string]bool{"See also": true}
	for range 2 + p.words/300 {
		p.headings = append(p.headings, unique(seen, w.heading))
	}
	p.date = fmt.Sprintf("%04d-%02d-%02d", 2022+w.r.IntN(4), 1+w.r.IntN(12), 1+w.r.IntN(28))
	if s.hard && isDate(p.title) {
		p.date = p.title
	}
	if w.chance(0.3) {
		p.weight = w.between(1, 20)
	}
	for range w.r.IntN(5) {
		if t := w.pick(tags); !slices.Contains(p.tags, t) {
			p.tags = append(p.tags, t)
		}
	}
	if w.chance(0.4) {
		p.summary = strings.TrimSuffix(w.sentence(), ".")
	}
	s.pages = append(s.pages, p)
	s.bySpace[sec.space] = append(s.bySpace[sec.space], p)
}

// unique draws until it gets a string not in seen (numbering the last
// draw after a few tries) and records it.
func unique(seen map[string]bool, draw func() string) string {
	s := draw()
	for try := 0; seen[s] && try < 8; try++ {
		s = draw()
	}
	base := s
	for i := 2; seen[s]; i++ {
		s = fmt.Sprintf("%s %d", base, i)
	}
	seen[s] = true
	return s
}

// uniqueName returns name, or name-2, name-3..., not yet used in a folder.
func uniqueName(used map[string]bool, name string) string {
	n := name
	for i := 2; used[n]; i++ {
		n = fmt.Sprintf("%s-%d", name, i)
	}
	used[n] = true
	return n
}
