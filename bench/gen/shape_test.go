package main

import (
	"bytes"
	"image/png"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// frontMatter is what the corpus may put in a page's frontmatter.
type frontMatter struct {
	Title   string
	Date    time.Time
	Weight  int
	Tags    []string
	Summary string
	Access  *struct{ Allow, Grant, Deny []string }
}

// mdFile is one markdown file of the corpus, parsed as the tests need it.
type mdFile struct {
	path   string // "content/a/b.md"
	front  frontMatter
	closed bool // the [access] table has an allow key
	body   string
}

// corpus is a generated site held in memory.
type corpus struct {
	files map[string][]byte
	md    map[string]*mdFile // every .md file under content/
	byURL map[string]*mdFile // page and section URLs to their file
	urls  map[string]bool    // every URL a page or folder has
}

func load(t *testing.T, n int, seed uint64) *corpus {
	t.Helper()
	return loadMode(t, n, seed, false)
}

// loadMode generates a corpus, the hard one when hard is set, into memory.
func loadMode(t *testing.T, n int, seed uint64, hard bool) *corpus {
	t.Helper()
	files, err := generate(n, seed, hard)
	if err != nil {
		t.Fatal(err)
	}
	c := &corpus{files: map[string][]byte{}, md: map[string]*mdFile{}, byURL: map[string]*mdFile{}, urls: map[string]bool{}}
	for _, f := range files {
		if _, dup := c.files[f.path]; dup {
			t.Fatalf("%s written twice", f.path)
		}
		c.files[f.path] = f.data
		if !strings.HasPrefix(f.path, "content/") || !strings.HasSuffix(f.path, ".md") {
			continue
		}
		m := parseMD(t, f.path, f.data)
		c.md[f.path] = m
		u := pageURL(f.path)
		if c.byURL[u] != nil {
			t.Fatalf("%s and %s share the URL %s", c.byURL[u].path, f.path, u)
		}
		c.byURL[u] = m
		for d := path.Dir(f.path); d != "."; d = path.Dir(d) {
			c.urls[strings.TrimPrefix(d, "content")+"/"] = true
		}
		c.urls[u] = true
	}
	return c
}

func parseMD(t *testing.T, file string, b []byte) *mdFile {
	t.Helper()
	s := string(b)
	if !strings.HasPrefix(s, "+++\n") {
		t.Fatalf("%s: no +++ frontmatter", file)
	}
	front, body, ok := strings.Cut(s[4:], "\n+++\n")
	if !ok {
		t.Fatalf("%s: unterminated frontmatter", file)
	}
	m := &mdFile{path: file, body: body}
	md, err := toml.Decode(front, &m.front)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Fatalf("%s: unknown frontmatter keys %v", file, und)
	}
	m.closed = md.IsDefined("access", "allow")
	return m
}

// pageURL applies CONTRACT.md's URL rules to a markdown file.
func pageURL(file string) string {
	p := strings.TrimPrefix(file, "content")
	switch path.Base(p) {
	case "_index.md", "index.md":
		return path.Dir(p) + "/"
	}
	return strings.TrimSuffix(p, ".md") + "/"
}

// regular reports whether the file is a page, not a section's _index.md.
func regular(file string) bool { return path.Base(file) != "_index.md" }

var linkRE = regexp.MustCompile(`(!?)\[([^\]]*)\]\(([^)\s]+)\)`)

// link is one markdown link or image of a body.
type link struct {
	image bool
	dest  string
}

func links(body string) []link {
	var out []link
	for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
		out = append(out, link{image: m[1] == "!", dest: m[3]})
	}
	return out
}

func external(dest string) bool { return strings.Contains(dest, "://") }

func TestShape(t *testing.T) {
	t.Parallel()
	const n = 200
	c := load(t, n, 1)
	var spaces, spacesRuled, pages, ruled, imaged, coded int
	for file, m := range c.md {
		dir := strings.Split(path.Dir(file), "/")
		if path.Base(file) == "index.md" {
			dir = dir[:len(dir)-1] // a bundle's folder is not a section
		}
		if depth := len(dir) - 1; depth > 3 {
			t.Errorf("%s: section depth %d > 3", file, depth)
		}
		if m.front.Title == "" {
			t.Errorf("%s: no title", file)
		}
		if path.Base(file) == "_index.md" && len(dir) == 2 {
			spaces++
			if m.front.Access != nil {
				spacesRuled++
			}
		}
		if !regular(file) {
			continue
		}
		pages++
		if m.front.Date.IsZero() {
			t.Errorf("%s: no date", file)
		}
		for _, tag := range m.front.Tags {
			if !slices.Contains(tags, tag) {
				t.Errorf("%s: tag %q not in the vocabulary", file, tag)
			}
		}
		if m.front.Access != nil {
			ruled++
		}
		if strings.Contains(m.body, "\n```") {
			coded++
		}
		if words := len(strings.Fields(m.body)); words < 300 || words > 1600 {
			t.Errorf("%s: %d words, want 300 to 1500 or a little over", file, words)
		}
		var internal, ext int
		for _, l := range links(m.body) {
			switch {
			case l.image:
				imaged++
				checkImage(t, c, file, l.dest)
			case external(l.dest):
				ext++
			default:
				internal++
			}
		}
		if internal < 5 || internal > 15 || ext < 1 || ext > 2 {
			t.Errorf("%s: %d internal and %d external links, want 5-15 and 1-2", file, internal, ext)
		}
	}
	if spaces != 10 || spacesRuled != 7 || pages != n {
		t.Errorf("spaces %d (%d with rules), pages %d; want 10 (7), %d", spaces, spacesRuled, pages, n)
	}
	share := func(k int) float64 { return float64(k) / n }
	if s := share(ruled); s < 0.18 || s > 0.22 {
		t.Errorf("share of pages with [access] = %.2f, want about 0.20", s)
	}
	if s := share(imaged); s < 0.08 || s > 0.12 {
		t.Errorf("share of pages with an image = %.2f, want about 0.10", s)
	}
	if s := share(coded); s < 0.2 || s > 0.4 {
		t.Errorf("share of pages with a code block = %.2f, want about 0.30", s)
	}
}

// checkImage asserts that an image is a bundle's own valid PNG.
func checkImage(t *testing.T, c *corpus, file, dest string) {
	t.Helper()
	if path.Base(file) != "index.md" || dest != "diagram.png" {
		t.Errorf("%s: image %q outside a bundle", file, dest)
		return
	}
	b, ok := c.files[path.Join(path.Dir(file), dest)]
	if !ok {
		t.Errorf("%s: image %s missing", file, dest)
		return
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("%s: %s: %v", file, dest, err)
	}
}

// TestLinksResolve checks that every internal link reaches a file or a URL
// of the site, and every fragment one of the target's heading ids as
// goldmark assigns them: the corpus has no broken links by accident.
func TestLinksResolve(t *testing.T) {
	t.Parallel()
	checkLinks(t, load(t, 200, 3))
}

// checkLinks asserts that every internal link of c resolves, fragments
// included.
func checkLinks(t *testing.T, c *corpus) {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	ids := map[string][]string{}
	headingIDs := func(m *mdFile) []string {
		if got, ok := ids[m.path]; ok {
			return got
		}
		var out []string
		doc := md.Parser().Parse(text.NewReader([]byte(m.body)))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := n.(*ast.Heading); ok && entering {
				if id, ok := h.AttributeString("id"); ok {
					out = append(out, string(id.([]byte)))
				}
			}
			return ast.WalkContinue, nil
		})
		ids[m.path] = out
		return out
	}
	checked, fragments := 0, 0
	for _, file := range slices.Sorted(maps.Keys(c.md)) {
		for _, l := range links(c.md[file].body) {
			if external(l.dest) {
				continue
			}
			checked++
			dest, frag, _ := strings.Cut(l.dest, "#")
			var target *mdFile
			if !strings.HasPrefix(dest, "/") && strings.HasSuffix(dest, "/") {
				// a relative page URL: from the page's URL folder
				dest = strings.TrimPrefix(path.Join(path.Dir(file), dest), "content") + "/"
			}
			if strings.HasPrefix(dest, "/") {
				_, isFile := c.files["content"+dest]
				if !c.urls[dest] && !isFile {
					t.Errorf("%s: link to unknown URL %s", file, l.dest)
				}
				target = c.byURL[dest]
			} else {
				p := path.Join(path.Dir(file), dest)
				if _, ok := c.files[p]; !ok || !strings.HasPrefix(p, "content/") {
					t.Errorf("%s: link %s: no file %s", file, l.dest, p)
				}
				target = c.md[p]
			}
			if frag == "" {
				continue
			}
			fragments++
			if target == nil || !slices.Contains(headingIDs(target), frag) {
				t.Errorf("%s: link %s: no heading #%s there", file, l.dest, frag)
			}
		}
	}
	if checked < 1000 || fragments < 100 {
		t.Errorf("checked %d links, %d fragments: the corpus is too thin", checked, fragments)
	}
}

// TestTitlesStayPut checks that no title of a page or section turns up in
// another file's text (body or summary), case aside: a build that hides a
// page can then look for its title in every other output, as facet's
// verify step does, without tripping over the vocabulary. The home page,
// whose list names every space, is the one exception.
func TestTitlesStayPut(t *testing.T) {
	t.Parallel()
	c := load(t, 200, 5)
	files := slices.Sorted(maps.Keys(c.md))
	texts := make([]string, len(files))
	for i, f := range files {
		texts[i] = strings.ToLower(c.md[f].body + "\n" + c.md[f].front.Summary)
	}
	for _, owner := range files {
		title := strings.ToLower(c.md[owner].front.Title)
		for i, f := range files {
			if f != owner && f != "content/_index.md" && strings.Contains(texts[i], title) {
				t.Errorf("the title of %s (%q) appears in %s", owner, title, f)
			}
		}
	}
}
