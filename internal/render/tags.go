package render

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode"
)

// tagRef is one tag of a page.
type tagRef struct {
	name string // as written
	slug string // its folder under tags/
	url  string // "/tags/<slug>/", percent-encoded
}

// tagGroup is one tag of a build: the pages present in it that carry the
// tag. Tags are grouped by slug; the name shown is the smallest spelling
// among those pages, so a hidden page's spelling never shows.
type tagGroup struct {
	name  string
	slug  string
	url   string // "/tags/<slug>/", percent-encoded
	nodes []*node
}

// slugify makes a tag's folder name: lower case letters and digits, other
// runs of characters as one "-". A tag with neither letters nor digits
// gets a stable name from its hash.
func slugify(tag string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(tag) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			dash = false
			sb.WriteRune(r)
			continue
		}
		dash = true
	}
	if sb.Len() == 0 {
		h := fnv.New32a()
		h.Write([]byte(tag))
		return fmt.Sprintf("tag-%08x", h.Sum32())
	}
	return sb.String()
}

// groupTags collects the tags of the build's pages, sorted by slug, each
// with its pages in sidebar order.
func (s *pass) groupTags() []*tagGroup {
	bySlug := map[string]*tagGroup{}
	var out []*tagGroup
	for _, nd := range s.tree.order {
		for _, t := range s.r.info[nd.page.Index].tags {
			g := bySlug[t.slug]
			if g == nil {
				g = &tagGroup{name: t.name, slug: t.slug, url: t.url}
				bySlug[t.slug] = g
				out = append(out, g)
			}
			g.name = min(g.name, t.name)
			g.nodes = append(g.nodes, nd)
		}
	}
	slices.SortFunc(out, func(a, b *tagGroup) int { return strings.Compare(a.slug, b.slug) })
	return out
}

// renderTags writes tags/index.html, which every build has (pages link
// to it whatever their build holds), and one page per tag of the build.
func (s *pass) renderTags() error {
	lk := linker{from: "/tags/"}
	home := []Link{{Title: s.homeTitle(), URL: lk.root()}}
	crumbs, err := s.breadcrumbs(crumbKey{ctx: &s.tree.root, link: lk}, home)
	if err != nil {
		return err
	}
	s.reset("tags", TagsTitle, "/tags/", lk)
	counts := make([]TagCount, len(s.tags))
	for i, g := range s.tags {
		counts[i] = TagCount{Name: g.name, URL: lk.link(g.url), Count: len(g.nodes)}
	}
	s.data.TagCounts = counts
	if err := s.layout(crumbs, nil, "tags/index.html"); err != nil {
		return err
	}
	if len(s.tags) == 0 {
		return nil
	}
	return s.renderTagPages(s.tags)
}

// renderTagPages writes the page of each tag of groups.
func (s *pass) renderTagPages(groups []*tagGroup) error {
	lk := linker{from: siblingDir("/tags/")}
	home := []Link{{Title: s.homeTitle(), URL: lk.root()}, {Title: TagsTitle, URL: lk.link("/tags/")}}
	crumbs, err := s.breadcrumbs(crumbKey{ctx: &s.tree.root, link: lk}, home)
	if err != nil {
		return err
	}
	for _, g := range groups {
		s.reset("tag", g.name, g.url, lk)
		s.data.Children = s.entries(g.nodes, linker{from: g.url})
		if err := s.layout(crumbs, nil, "tags/"+g.slug+"/index.html"); err != nil {
			return err
		}
	}
	return nil
}
