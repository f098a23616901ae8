package main

import (
	"encoding/json"
	"encoding/xml"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/sitetest"
)

func TestHardDeterministic(t *testing.T) {
	t.Parallel()
	d1, d2, d3 := t.TempDir(), t.TempDir(), t.TempDir()
	gen(t, "-pages", "150", "-seed", "4", "-corpus", "hard", "-out", d1)
	gen(t, "-pages", "150", "-seed", "4", "-corpus", "hard", "-out", d2)
	gen(t, "-pages", "150", "-seed", "4", "-out", d3)
	hard := sitetest.ReadTree(t, d1)
	if diffs := sameTree(hard, sitetest.ReadTree(t, d2)); len(diffs) > 0 {
		t.Fatalf("two hard runs differ: %v", diffs[:min(5, len(diffs))])
	}
	if len(sameTree(hard, sitetest.ReadTree(t, d3))) == 0 {
		t.Fatal("the hard corpus is the default one")
	}
	if got := string(hard[markerName]); !strings.Contains(got, "-corpus hard") {
		t.Errorf("marker %q does not name the corpus", got)
	}
}

func TestHardBadCorpus(t *testing.T) {
	t.Parallel()
	err := run([]string{"-pages", "10", "-corpus", "easy", "-out", t.TempDir()}, nil, discard{})
	if err == nil || !strings.Contains(err.Error(), "easy") {
		t.Fatalf("-corpus easy: err = %v, want an error naming it", err)
	}
}

// discard is an io.Writer that drops everything.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

var (
	dateRE  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	shortRE = regexp.MustCompile(`^(Q[1-4]( \d{4})?|\d+)$`)
	// urlCodeRE is a method and a root-relative path in code.
	urlCodeRE = regexp.MustCompile("(?:GET|POST|PUT|DELETE) (/[a-z0-9/-]+)")
)

// TestHardTitles checks the titles a verifier finds hardest: many repeat,
// some are dates, quarters or numbers, and most are one or two words that
// the prose of other pages uses too.
func TestHardTitles(t *testing.T) {
	t.Parallel()
	c := loadHard(t, 300, 1)
	count := map[string]int{}
	for _, m := range c.md {
		count[m.front.Title]++
	}
	var repeated, dated, short, inProse, total int
	for f, m := range c.md {
		if !regular(f) {
			continue
		}
		total++
		title := m.front.Title
		if count[title] > 1 {
			repeated++
		}
		if dateRE.MatchString(title) {
			dated++
			if got := m.front.Date.Format("2006-01-02"); got != title {
				t.Errorf("%s: titled %s but dated %s", f, title, got)
			}
		}
		if shortRE.MatchString(title) {
			short++
		}
		if len(strings.Fields(title)) > 2 {
			t.Errorf("%s: title %q has more than two words", f, title)
		}
		if inOtherBody(c, f, title) {
			inProse++
		}
	}
	share := func(k int) float64 { return float64(k) / float64(total) }
	if share(repeated) < 0.3 || share(dated) < 0.08 || share(short) < 0.1 || share(inProse) < 0.5 {
		t.Errorf("of %d titles: %.2f repeated, %.2f dates, %.2f quarters or numbers, %.2f in some body;"+
			" want at least 0.3, 0.08, 0.1, 0.5", total, share(repeated), share(dated), share(short), share(inProse))
	}
}

// inOtherBody reports whether title, case aside, is in the body of a
// file other than self.
func inOtherBody(c *corpus, self, title string) bool {
	title = strings.ToLower(title)
	for f, m := range c.md {
		if f != self && strings.Contains(strings.ToLower(m.body), title) {
			return true
		}
	}
	return false
}

// TestHardLinks checks link density and reach: 10 to 25 internal links a
// page besides its own files, into restricted spaces too, often with the
// target's title as text, and all of them resolvable.
func TestHardLinks(t *testing.T) {
	t.Parallel()
	c := loadHard(t, 300, 2)
	checkLinks(t, c)
	titles := map[string]bool{}
	for _, m := range c.md {
		titles[m.front.Title] = true
	}
	restricted := regexp.MustCompile(`^/?(\.\./)*(engineering|operations|sales|legal|people|finance)/`)
	var intoRestricted, titled int
	for f, m := range c.md {
		if !regular(f) {
			continue
		}
		internal := 0
		for _, l := range linksWithText(m.body) {
			if external(l.dest) {
				continue
			}
			internal++
			if restricted.MatchString(l.dest) {
				intoRestricted++
			}
			if titles[l.text] {
				titled++
			}
		}
		if internal < 10 || internal > 32 {
			t.Errorf("%s: %d internal links, want 10 to 25 and up to 7 to its own or its section's files", f, internal)
		}
	}
	if intoRestricted < 300 || titled < 300 {
		t.Errorf("%d links into restricted spaces, %d with a title as text: want 300 or more each", intoRestricted, titled)
	}
}

// TestHardCodeURLs checks that code blocks and inline code name real page
// URLs, with and without the trailing slash.
func TestHardCodeURLs(t *testing.T) {
	t.Parallel()
	c := loadHard(t, 300, 3)
	var named, slashless int
	for f, m := range c.md {
		for _, g := range urlCodeRE.FindAllStringSubmatch(m.body, -1) {
			u := g[1]
			if u == "/v1/status" {
				continue // the vocabulary's own inline code
			}
			if !strings.HasSuffix(u, "/") {
				slashless++
				u += "/"
			}
			if c.byURL[u] == nil {
				t.Errorf("%s: code names %s, which is no page", f, g[1])
			}
			named++
		}
	}
	if named < 200 || slashless < 50 {
		t.Errorf("%d URLs in code, %d without a slash: want 200 and 50 or more", named, slashless)
	}
}

// TestHardAttachments checks the attachments: every kind, valid content,
// in bundles and in section folders, each linked or embedded from a page
// of its own folder.
func TestHardAttachments(t *testing.T) {
	t.Parallel()
	c := loadHard(t, 300, 4)
	kinds := map[string]int{}
	var inSections int
	for f, b := range c.files {
		ext := path.Ext(f)
		if !strings.HasPrefix(f, "content/") || ext == ".md" {
			continue
		}
		kinds[ext]++
		switch ext {
		case ".svg":
			if err := xml.Unmarshal(b, new(struct{ XMLName xml.Name })); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		case ".json":
			if !json.Valid(b) {
				t.Errorf("%s: invalid JSON", f)
			}
		}
		dir := path.Dir(f)
		bundle := c.md[dir+"/index.md"] != nil
		if !bundle {
			inSections++
		}
		if !usedFromFolder(c, f, dir, bundle) {
			t.Errorf("%s: no page of its folder links to it", f)
		}
	}
	for _, k := range []string{".csv", ".svg", ".json", ".png"} {
		if kinds[k] < 10 {
			t.Errorf("%d %s attachments, want 10 or more", kinds[k], k)
		}
	}
	if inSections < 10 {
		t.Errorf("%d attachments in section folders, want 10 or more", inSections)
	}
}

// usedFromFolder reports whether the bundle page (or a page of the section
// folder) next to attachment f links to or embeds it.
func usedFromFolder(c *corpus, f, dir string, bundle bool) bool {
	for file, m := range c.md {
		if bundle && file != dir+"/index.md" {
			continue
		}
		if !bundle && path.Dir(file) != dir && path.Dir(path.Dir(file)) != dir {
			continue
		}
		for _, l := range links(m.body) {
			if path.Join(path.Dir(file), l.dest) == f {
				return true
			}
		}
	}
	return false
}

// TestHardAudiences runs the hard corpus through the access engine: the
// same principals and audiences as the default corpus.
func TestHardAudiences(t *testing.T) {
	t.Parallel()
	c := loadHard(t, 300, 1)
	auds, builds := audiences(t, c)
	if auds != 20 || builds < 12 {
		t.Errorf("%d audiences in %d builds, want 20 in 12 or more", auds, builds)
	}
}

func loadHard(t *testing.T, n int, seed uint64) *corpus {
	t.Helper()
	return loadMode(t, n, seed, true)
}

var linkTextRE = regexp.MustCompile(`!?\[([^\]]*)\]\(([^)\s]+)\)`)

// titledLinkOf is a link with its text.
type titledLinkOf struct{ text, dest string }

func linksWithText(body string) []titledLinkOf {
	var out []titledLinkOf
	for _, m := range linkTextRE.FindAllStringSubmatch(body, -1) {
		out = append(out, titledLinkOf{m[1], m[2]})
	}
	return out
}
