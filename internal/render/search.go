package render

import (
	"encoding/json"
	"fmt"
	"strings"
)

// searchEntry is one page of search-index.js. Keys are short: the index
// of a large site is downloaded whole.
type searchEntry struct {
	Title    string   `json:"t"`
	URL      string   `json:"u"` // relative to the build root
	Section  string   `json:"s,omitempty"`
	Headings []string `json:"h,omitempty"`
	Text     string   `json:"x,omitempty"`
}

// emitSearch writes search-index.js: a script assigning the build's pages
// to window.FACET_SEARCH, so that it loads from file:// too. JSON escapes
// "<", ">", "&", U+2028 and U+2029, so the text is safe as script.
func (s *state) emitSearch() error {
	entries := make([]searchEntry, 0, len(s.tree.order))
	for _, nd := range s.tree.order {
		p := nd.page
		e := searchEntry{
			Title: p.Title,
			URL:   strings.TrimPrefix(p.URL, "/"),
			Text:  cut(s.texts[p.Index], excerptLen),
		}
		if nd.parent != nil && nd.parent.page != nil {
			e.Section = nd.parent.page.Title
		}
		for _, h := range s.bodies.Headings(p) {
			if h.Level >= 2 && h.Text != "" {
				e.Headings = append(e.Headings, h.Text)
			}
		}
		entries = append(entries, e)
	}
	js, err := json.Marshal(entries)
	if err != nil {
		return fmt.Errorf("render: search index: %w", err)
	}
	out := make([]byte, 0, len(js)+32)
	out = append(out, "window.FACET_SEARCH = "...)
	out = append(out, js...)
	out = append(out, ";\n"...)
	return s.write("search-index.js", out)
}
