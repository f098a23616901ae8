package render

import (
	"strings"

	"github.com/facet-docs/facet/internal/content"
)

// LLMsPath is the build's llms.txt (llmstxt.org): the site's title and
// description, then the pages the build holds, each with its summary.
const LLMsPath = "llms.txt"

// emitLLMs writes llms.txt: "# " and the site title (the home page's when
// the site has none), "> " and the site description, a list of the home
// page and the top-level pages, then a "## " part for each top-level
// section listing it and every page below it, in sidebar order. Each item
// is "- [Title](URL): summary"; URLs are absolute with a base_url, else
// relative to the build root. It is made from the build's visible tree,
// like the sitemap: it lists exactly the pages the build holds.
func (s *pass) emitLLMs() error {
	var b strings.Builder
	title := s.r.site.Title
	if title == "" {
		title = s.homeTitle()
	}
	b.WriteString("# " + oneLine(title) + "\n\n")
	if d := oneLine(s.r.site.Description); d != "" {
		b.WriteString("> " + d + "\n\n")
	}
	item := func(nd *node) {
		b.WriteString(s.r.llmsItem(nd.page, nd.page.Title))
		if sum := oneLine(s.summary(nd)); sum != "" {
			b.WriteString(": " + sum)
		}
		b.WriteByte('\n')
	}
	root := &s.tree.root
	top := false
	if root.page != nil {
		item(root)
		top = true
	}
	for _, c := range root.children {
		if !c.page.IsSection {
			item(c)
			top = true
		}
	}
	if top {
		b.WriteByte('\n')
	}
	for _, c := range root.children {
		if !c.page.IsSection {
			continue
		}
		b.WriteString("## " + oneLine(c.page.Title) + "\n\n")
		for _, nd := range s.tree.order[c.order : c.order+subtreeSize(c)] {
			item(nd)
		}
		b.WriteByte('\n')
	}
	return s.write(LLMsPath, []byte(strings.TrimSuffix(b.String(), "\n")))
}

// llmsItem is the start of p's line in llms.txt, were its title title:
// "- [Title](URL)".
func (r *Renderer) llmsItem(p *content.Page, title string) string {
	u := linker{from: "/"}.link(p.URL)
	if r.baseURL != "" {
		u = r.baseURL + strings.TrimPrefix(p.URL, "/")
	}
	return "- [" + mdText(title) + "](" + strings.ReplaceAll(u, ")", "%29") + ")"
}

// subtreeSize is the number of pages in nd's subtree, nd included.
func subtreeSize(nd *node) int {
	n := 1
	for _, c := range nd.children {
		n += subtreeSize(c)
	}
	return n
}

// oneLine is s with every run of white space, line ends included, made
// one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdText is s as the text of a markdown link: on one line, with brackets
// and backslashes escaped.
func mdText(s string) string { return mdEscaper.Replace(oneLine(s)) }

var mdEscaper = strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`)
