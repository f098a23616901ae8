package build

import (
	"bytes"
	"io/fs"
	"strings"
	"sync"

	"github.com/facet-docs/facet/internal/verify"
)

// mentions records where page titles legitimately occur as text: in the
// pages written by authors (bodies, summaries, tags, titles) and in text
// every build carries (site settings, group titles, the theme). A hidden
// page's title that occurs in the text of a page a build holds is the
// author's own words there, not a trace; the verifier looks for the others.
type mentions struct {
	// byTitle maps a title to the pages whose text holds it.
	byTitle map[string][]int
	// everywhere holds titles found in text every build carries.
	everywhere map[string]bool
}

// findMentions searches all page text once for every title.
func (s *site) findMentions() *mentions {
	m := &mentions{byTitle: map[string][]int{}, everywhere: map[string]bool{}}
	var titles []string
	seen := map[string]bool{}
	for _, p := range s.tree.Pages {
		if p.Title != "" && !seen[p.Title] {
			seen[p.Title] = true
			titles = append(titles, p.Title)
		}
	}
	finder := verify.NewFinder(titles)
	var buf bytes.Buffer
	for _, p := range s.tree.Pages {
		buf.Reset()
		buf.WriteString(p.Title) // "Plan" is legitimately inside "Plan 2"
		buf.WriteByte('\n')
		buf.Write(p.Body)
		buf.WriteByte('\n')
		buf.WriteString(p.Summary)
		buf.WriteByte('\n')
		buf.WriteString(strings.Join(p.Tags, "\n"))
		for _, t := range finder.Find(buf.Bytes()) {
			m.byTitle[t] = append(m.byTitle[t], p.Index)
		}
	}
	buf.Reset()
	buf.WriteString(s.cfg.Title + "\n" + s.cfg.Description + "\n")
	for _, t := range s.acc.GroupTitles {
		buf.WriteString(t + "\n")
	}
	for _, g := range s.acc.Directory.Guests {
		buf.WriteString(g.Name + "\n" + g.Email + "\n")
	}
	_ = fs.WalkDir(s.themeFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := fs.ReadFile(s.themeFS, path); err == nil {
				buf.Write(b)
				buf.WriteByte('\n')
			}
		}
		return nil
	})
	for _, t := range finder.Find(buf.Bytes()) {
		m.everywhere[t] = true
	}
	return m
}

// tracer verifies the files of every build: each distinct file is scanned
// once for the site's URLs and titles, and each build checks the
// references against what it may not see.
type tracer struct {
	s     *site
	ix    *verify.Index
	m     *mentions
	mu    sync.Mutex
	cache map[fileKey]verify.Refs
}

// newTracer indexes every page and attachment by its target id.
func (s *site) newTracer(m *mentions) *tracer {
	items := make([]verify.Item, 0, len(s.tree.Pages)+len(s.tree.Attachments))
	for _, p := range s.tree.Pages {
		it := verify.Item{URL: p.URL, Title: p.Title, File: p.File}
		if p.URL == "/" {
			it.URL = "" // every build has a home page
		}
		items = append(items, it)
	}
	for _, a := range s.tree.Attachments {
		items = append(items, verify.Item{URL: a.URL, File: a.File})
	}
	return &tracer{s: s, ix: verify.NewIndex(items, s.cfg.BaseURL), m: m, cache: map[fileKey]verify.Refs{}}
}

// check verifies one file of a build; key identifies its content.
func (tr *tracer) check(bp *buildPlan, bs *bodies, name string, data []byte, key fileKey) error {
	tr.mu.Lock()
	refs, ok := tr.cache[key]
	tr.mu.Unlock()
	if !ok {
		refs = tr.ix.Refs(name, data)
		tr.mu.Lock()
		tr.cache[key] = refs
		tr.mu.Unlock()
	}
	hiddenURL := func(id int) bool { return !bs.holds(bp, id) }
	hiddenTitle := func(id int) bool {
		if id >= bs.npages || bs.holds(bp, id) {
			return false
		}
		return !tr.s.titleLegit(tr.s.tree.Pages[id].Title, bp, tr.m)
	}
	if leak := tr.ix.Check(bp.r.Dir, name, refs, hiddenURL, hiddenTitle); leak != nil {
		return leak
	}
	return nil
}

// titleLegit reports whether a title may occur in a build although its
// page is hidden: another page the build holds has the same title or the
// title in its text, or the text every build carries holds it.
func (s *site) titleLegit(title string, bp *buildPlan, m *mentions) bool {
	if title == "" || m.everywhere[title] || strings.Contains(bp.r.Label, title) {
		return true
	}
	for _, i := range m.byTitle[title] {
		if bp.r.Present.Has(i) {
			return true
		}
	}
	return false
}
