package build

import (
	"bytes"
	"io/fs"
	"strings"

	"github.com/facet-docs/facet/internal/access"
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
func (s *site) findMentions(siteDir string) *mentions {
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
	_ = fs.WalkDir(s.theme(siteDir), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := fs.ReadFile(s.theme(siteDir), path); err == nil {
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

// scanner returns the verifier for one build: every page it does not hold
// (with its title unless the title is legitimately in the build's text) and
// every attachment it may not see. It returns nil when m is nil.
func (s *site) scanner(bp *buildPlan, m *mentions) *verify.Scanner {
	if m == nil {
		return nil
	}
	present := bp.r.Present
	visibleTitles := map[string]bool{}
	for _, p := range s.tree.Pages {
		if present.Has(p.Index) {
			visibleTitles[p.Title] = true
		}
	}
	var hidden []verify.Hidden
	for _, p := range s.tree.Pages {
		if present.Has(p.Index) {
			continue
		}
		h := verify.Hidden{URL: p.URL, File: p.File}
		if p.Index == 0 && p.URL == "/" {
			h.URL = "" // the home URL exists in every build
		}
		if !s.titleLegit(p.Title, present, visibleTitles, bp, m) {
			h.Title = p.Title
		}
		if h.URL != "" || h.Title != "" {
			hidden = append(hidden, h)
		}
	}
	for _, a := range s.tree.Attachments {
		if !bp.visible.Has(a.Owner.Index) {
			hidden = append(hidden, verify.Hidden{URL: a.URL, File: a.File})
		}
	}
	return verify.New(bp.r.Dir, hidden, s.cfg.BaseURL)
}

func (s *site) titleLegit(title string, present access.Set, visibleTitles map[string]bool, bp *buildPlan, m *mentions) bool {
	if title == "" || visibleTitles[title] || m.everywhere[title] || strings.Contains(bp.r.Label, title) {
		return true
	}
	for _, i := range m.byTitle[title] {
		if present.Has(i) {
			return true
		}
	}
	return false
}
