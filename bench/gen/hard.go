package main

import (
	"fmt"
	"strconv"
	"strings"
)

// The corpus modes of the -corpus flag.
const (
	modeDefault = "default"
	modeHard    = "hard"
)

// Shares of the hard corpus.
const (
	hardBundleShare  = 0.15 // pages made bundles holding attachments
	hardSectionShare = 0.35 // sections holding an attachment of their own
	hardCodeShare    = 0.50 // pages with code blocks naming page URLs
)

// hardTitles are the short titles real documentation repeats: several
// are nouns of the prose as well.
var hardTitles = []string{
	"Roadmap", "Meeting notes", "Overview", "FAQ", "Notes", "Status", "Budget",
	"Glossary", "Retro", "Onboarding", "Release notes", "Contacts", "Archive",
	"Summary", "Minutes", "Decisions", "Open questions", "Checklist", "Runbook",
	"Schedule",
}

// attachmentKinds are the kinds of file the hard corpus attaches.
var attachmentKinds = []string{"csv", "svg", "json", "png"}

// attachment is one non-markdown file of the hard corpus.
type attachment struct {
	path  string // relative to content/
	kind  string // csv, svg, json or png
	owner *page  // the bundle's page, nil for a section's own file
}

// hardTitle is a title of the hard corpus: a common short title, a date,
// a quarter, a number, or two words of the prose's vocabulary. Titles
// repeat across pages on purpose.
func (w words) hardTitle() string {
	switch x := w.r.IntN(100); {
	case x < 30:
		return w.pick(hardTitles)
	case x < 45:
		return fmt.Sprintf("%04d-%02d-%02d", 2022+w.r.IntN(4), 1+w.r.IntN(12), 1+w.r.IntN(28))
	case x < 55:
		q := fmt.Sprintf("Q%d", 1+w.r.IntN(4))
		if w.chance(0.5) {
			q += fmt.Sprintf(" %d", 2022+w.r.IntN(4))
		}
		return q
	case x < 62:
		return strconv.Itoa(w.between(1, 120))
	case x < 85:
		return capitalize(w.pick(adjectives)) + " " + w.pick(nouns)
	}
	return capitalize(w.pick(nouns)) + " " + w.pick(nouns)
}

// isDate reports whether s is a YYYY-MM-DD date.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// planAttachments makes a share of the pages bundles with one to three
// attachments each, and gives a share of the sections a file of their own
// that one to three pages of the section link to (hidden pages among
// them, so that only an attachment's users decide where it goes).
func (s *site) planAttachments(w words) {
	for _, p := range s.pages {
		if !p.bundle && !w.chance(hardBundleShare) {
			continue
		}
		p.bundle = true
		used := map[string]bool{"diagram": p.image, "index": true}
		for range w.between(1, 3) {
			kind := w.pick(attachmentKinds)
			name := uniqueName(used, w.pick(nouns))
			a := &attachment{path: p.sec.dir + "/" + p.name + "/" + name + "." + kind, kind: kind, owner: p}
			p.files = append(p.files, a)
			s.attachments = append(s.attachments, a)
		}
	}
	bySec := map[*section][]*page{}
	for _, p := range s.pages {
		bySec[p.sec] = append(bySec[p.sec], p)
	}
	for _, sec := range s.sections {
		users := bySec[sec]
		if len(users) == 0 || !w.chance(hardSectionShare) {
			continue
		}
		kind := w.pick(attachmentKinds[:3])
		name := uniqueName(sec.used, w.pick(nouns)+"-export."+kind)
		a := &attachment{path: sec.dir + "/" + name, kind: kind}
		s.attachments = append(s.attachments, a)
		for range w.between(1, min(3, len(users))) {
			p := users[w.r.IntN(len(users))]
			p.attach = append(p.attach, a)
		}
	}
}

// hardLink is one internal link of the hard corpus from page from: to a
// page (relative .md path, root-relative or relative URL, sometimes with a
// fragment), a section, or an attachment anywhere; its text is often the
// target's title.
func (s *site) hardLink(w words, from *page) string {
	x := w.r.IntN(100)
	switch {
	case x < 12:
		sec := s.sections[w.r.IntN(len(s.sections))]
		if sec.hasIndex && w.chance(0.5) {
			return titledLink(w, sec.title, relPath(from.fileDir(), sec.dir+"/_index.md"))
		}
		return titledLink(w, sec.title, sec.url())
	case x < 24 && len(s.attachments) > 0:
		a := s.attachments[w.r.IntN(len(s.attachments))]
		if w.chance(0.5) {
			return "[" + w.linkText() + "](/" + a.path + ")"
		}
		return "[" + w.linkText() + "](" + relPath(from.fileDir(), a.path) + ")"
	}
	pool := s.bySpace[from.sec.space]
	if len(pool) < 2 || w.chance(0.5) {
		pool = s.pages
	}
	t := pool[w.r.IntN(len(pool))]
	var u string
	switch y := w.r.IntN(10); {
	case y < 5:
		u = relPath(from.fileDir(), t.file())
	case y < 8:
		u = t.url()
	default:
		u = relPath(from.fileDir(), t.sec.dir+"/"+t.name) + "/"
	}
	if w.chance(0.2) {
		u += "#" + headingID(t.headings[w.r.IntN(len(t.headings))])
	}
	return titledLink(w, t.title, u)
}

// titledLink is a markdown link whose text is the title a third of the time.
func titledLink(w words, title, dest string) string {
	if w.chance(0.35) {
		return "[" + title + "](" + dest + ")"
	}
	return "[" + w.linkText() + "](" + dest + ")"
}

// ownFiles are the links and images a bundle page writes to its own
// attachments: images for svg and png, links for the rest.
func ownFiles(w words, p *page) (images, links []string) {
	for _, a := range p.files {
		name := a.path[strings.LastIndex(a.path, "/")+1:]
		switch a.kind {
		case "svg", "png":
			images = append(images, "!["+capitalize(w.pick(adjectives))+" "+w.pick(nouns)+" chart]("+name+")")
		default:
			links = append(links, "[the "+w.pick(nouns)+" data]("+name+")")
		}
	}
	for _, a := range p.attach {
		links = append(links, "[the "+w.pick(nouns)+" export]("+relPath(p.fileDir(), a.path)+")")
	}
	return images, links
}

// urlMention is inline code naming a page's URL the way API docs do
// ("POST /sales/q3"), the trailing slash dropped half the time.
func (s *site) urlMention(w words) string {
	u := s.pages[w.r.IntN(len(s.pages))].url()
	if w.chance(0.5) {
		u = strings.TrimSuffix(u, "/")
	}
	return w.pick([]string{"GET", "POST", "PUT", "DELETE"}) + " " + u
}

// apiBlock is a code block of requests to page URLs of the site.
func (s *site) apiBlock(w words) string {
	var b strings.Builder
	b.WriteString("```http\n")
	for range w.between(2, 5) {
		b.WriteString(s.urlMention(w) + "\n")
	}
	b.WriteString("```\n\n")
	return b.String()
}

// attachmentFiles renders every attachment of the hard corpus.
func (s *site) attachmentFiles(w words) ([]file, error) {
	var files []file
	for _, a := range s.attachments {
		var data []byte
		switch a.kind {
		case "csv":
			data = csvData(w)
		case "svg":
			data = svgData(w)
		case "json":
			data = jsonData(w)
		default:
			png, err := diagram(w)
			if err != nil {
				return nil, err
			}
			data = png
		}
		files = append(files, file{"content/" + a.path, data})
	}
	return files, nil
}

func csvData(w words) []byte {
	var b strings.Builder
	b.WriteString("id,metric,region,value\n")
	for i := range w.between(3, 12) {
		fmt.Fprintf(&b, "%d,%s,%s,%d\n", i+1, w.pick(nouns), w.pick(adjectives), w.between(0, 9999))
	}
	return []byte(b.String())
}

func svgData(w words) []byte {
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80" viewBox="0 0 200 80">
<rect x="4" y="4" width="%d" height="40" fill="#4a7"/>
<text x="8" y="70">%s %s</text>
</svg>
`, w.between(20, 190), w.pick(adjectives), w.pick(nouns))
}

func jsonData(w words) []byte {
	return fmt.Appendf(nil, "{\n  \"%s\": {\n    \"mode\": \"%s\",\n    \"count\": %d\n  }\n}\n",
		w.pick(nouns), w.pick(adjectives), w.between(0, 500))
}
