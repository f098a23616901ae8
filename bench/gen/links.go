package main

import "strings"

// linkTarget picks the destination of one internal link from page from, in
// one of the forms facet resolves: a path to a .md file relative to the
// page's file, a root-relative page URL, a section's _index.md or URL, or
// another bundle's image; a page link sometimes carries a #fragment that
// names one of the target's headings. Half the targets are in the same
// space, as in real documentation.
func (s *site) linkTarget(w words, from *page) string {
	x := w.r.IntN(100)
	switch {
	case x < 12:
		sec := s.sections[w.r.IntN(len(s.sections))]
		if sec.hasIndex && w.chance(0.5) {
			return relPath(from.fileDir(), sec.dir+"/_index.md")
		}
		return sec.url()
	case x < 16 && len(s.images) > 0:
		t := s.images[w.r.IntN(len(s.images))]
		return relPath(from.fileDir(), t.sec.dir+"/"+t.name+"/diagram.png")
	}
	pool := s.bySpace[from.sec.space]
	if len(pool) < 2 || w.chance(0.5) {
		pool = s.pages
	}
	t := pool[w.r.IntN(len(pool))]
	if t == from {
		t = s.pages[w.r.IntN(len(s.pages))]
	}
	var u string
	if w.chance(0.55) {
		u = relPath(from.fileDir(), t.file())
	} else {
		u = t.url()
	}
	if w.chance(0.25) {
		u += "#" + headingID(t.headings[w.r.IntN(len(t.headings))])
	}
	return u
}

// relPath is the slash path from folder dir to file target, both relative
// to content/.
func relPath(dir, target string) string {
	from := strings.Split(dir, "/")
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	parts := make([]string, 0, len(from)-i+len(to)-i)
	for range len(from) - i {
		parts = append(parts, "..")
	}
	return strings.Join(append(parts, to[i:]...), "/")
}

// headingID is the id goldmark's parser.WithAutoHeadingID gives a heading
// made of letters, digits and spaces.
func headingID(h string) string {
	return strings.ToLower(strings.ReplaceAll(h, " ", "-"))
}
