package build

import (
	"context"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/facet-docs/facet/internal/manifest"
)

// TestPropertyNoTrace builds random sites (property_gen_test.go) and checks
// every build against an oracle that re-implements docs/ACCESS.md on its
// own: no byte of any file, raw or URL-, entity-, JSON- or backslash-
// decoded, holds a hidden page's URL slug, canary word or (when no visible
// page has it, it is not a date or number and no visible text names it)
// title; a legitimate site builds; a refused one names file:line.
//
// FACET_PROPERTY_SEEDS=N runs N seeds (default 60); FACET_PROPERTY_SEED=S
// runs seed S alone and prints its site.
func TestPropertyNoTrace(t *testing.T) {
	n := 60
	if v, err := strconv.Atoi(os.Getenv("FACET_PROPERTY_SEEDS")); err == nil && v > 0 {
		n = v
	}
	seeds := make([]uint64, 0, n)
	for i := range n {
		seeds = append(seeds, uint64(i+1))
	}
	one := os.Getenv("FACET_PROPERTY_SEED")
	if v, err := strconv.ParseUint(one, 10, 64); err == nil {
		seeds = []uint64{v}
	}
	classes := map[string][]uint64{}
	printed := 0
	for _, seed := range seeds {
		site := genPropSite(seed)
		problems := site.check(t)
		for _, p := range problems {
			classes[p.class] = append(classes[p.class], seed)
		}
		if len(problems) == 0 {
			continue
		}
		var b strings.Builder
		for _, p := range problems[:min(8, len(problems))] {
			b.WriteString("  " + p.detail + "\n")
		}
		t.Errorf("seed %d: %d problems, e.g.:\n%s", seed, len(problems), b.String())
		if printed < 2 || one != "" {
			t.Logf("site of seed %d (rerun: FACET_PROPERTY_SEED=%d):\n%s", seed, seed, site.archive())
			printed++
		}
	}
	for _, c := range slices.Sorted(func(yield func(string) bool) {
		for c := range classes {
			if !yield(c) {
				return
			}
		}
	}) {
		t.Logf("class %q: seeds %v", c, compact(classes[c]))
	}
}

func compact(s []uint64) []uint64 { return slices.Compact(s) }

// problem is one failed check; class groups the problems of one kind.
type problem struct{ class, detail string }

// check writes and builds the site and returns what went wrong.
func (s *propSite) check(t *testing.T) []problem {
	dir := t.TempDir()
	ts := newTestSite(t, s.archive())
	out := filepath.Join(dir, "public")
	_, err := New(Options{Site: ts.dir, Out: out}).Build(context.Background())
	if len(s.refuse) > 0 {
		return s.checkRefusal(err)
	}
	if err != nil {
		return []problem{{"build failed: " + s.failClass(err.Error()), "legitimate site failed: " + err.Error()}}
	}
	m, _, err := manifest.Read(out)
	if err != nil {
		return []problem{{"manifest", err.Error()}}
	}
	var probs []problem
	for _, g := range s.guests {
		if g.expires == "" {
			continue
		}
		for _, a := range m.Audiences {
			if strings.EqualFold(a.Email, g.email) {
				probs = append(probs, problem{"expired guest built", "expired guest " + g.email + " has a build"})
			}
		}
	}
	pages := map[string]int{}
	for _, b := range m.Builds {
		pages[b.Dir] = b.Pages
	}
	checked := map[string]bool{}
	for _, a := range m.Audiences {
		vis := s.visible(identityOf(a))
		if got := countPages(vis); got != pages[a.Dir] {
			probs = append(probs, problem{"oracle and build disagree on the visible set",
				fmt.Sprintf("audience %s: the oracle sees %d pages, build %s holds %d", a.ID, got, a.Dir, pages[a.Dir])})
		}
		if checked[a.Dir] {
			continue
		}
		checked[a.Dir] = true
		probs = append(probs, s.checkBuild(t, filepath.Join(out, a.Dir), a.ID, vis)...)
		probs = append(probs, s.checkSearch(t, filepath.Join(out, a.Dir), a.ID, vis)...)
	}
	return probs
}

// checkRefusal checks that a site holding input the rules refuse failed
// with file:line naming one of the files that hold it.
func (s *propSite) checkRefusal(err error) []problem {
	files := strings.Join(s.refuse, ", ")
	if err == nil {
		return []problem{{"refusal: built", "built a site that should be refused for " + files}}
	}
	for _, f := range s.refuse {
		if regexp.MustCompile(regexp.QuoteMeta(f) + `:\d+:`).MatchString(err.Error()) {
			return nil
		}
	}
	return []problem{{"refusal: no file:line", "refusal does not name " + files + " with a line: " + err.Error()}}
}

var (
	renderFileRE = regexp.MustCompile(`render: (\S+\.html): verify`)
	verifyURLRE  = regexp.MustCompile(`(?:contains the URL|contains a link to) \S*?([a-z]+-pq\d+[^/\s]*)/? \(?of`)
	classNumRE   = regexp.MustCompile(`\S*pq\d+\S*|\S*zqcanary\S*|\d+`)
)

// failClass names the kind of a failed build: for a verifier hit on a
// URL, the forms of the source lines that name it.
func (s *propSite) failClass(msg string) string {
	if m := verifyURLRE.FindStringSubmatch(msg); m != nil {
		page := ""
		if f := renderFileRE.FindStringSubmatch(msg); f != nil {
			page = f[1]
		}
		return "verifier found URL written as " + s.forms(m[1], page)
	}
	msg = classNumRE.ReplaceAllString(msg, "_")
	return msg[:min(len(msg), 90)]
}

// forms lists the forms of the body lines of the page at URL path page
// ("a/b/index.html") that hold slug: the form a verifier hit came from.
func (s *propSite) forms(slug, page string) string {
	set := map[string]bool{}
	for _, n := range s.nodes {
		if n.kind == "file" || strings.TrimPrefix(n.url, "/")+"index.html" != page {
			continue
		}
		for _, line := range strings.Split(n.body, "\n") {
			if strings.Contains(line, slug) || strings.Contains(percentDecode(html.UnescapeString(strings.ReplaceAll(line, `\`, ""))), slug) {
				set[lineForm(line)] = true
			}
		}
	}
	if len(set) == 0 {
		return "(no source line)"
	}
	return strings.Join(slices.Sorted(maps.Keys(set)), "+")
}

// contexts classify where in a file a leaked URL sits, by what precedes it.
var contexts = []struct{ name, marker string }{
	{"html comment", "<!--"}, {"meta refresh", "url="}, {"srcset", "srcset="}, {"style url()", "url("},
	{"href", "href="}, {"src", "src="}, {"json string", `":"`}, {"text", ""},
}

// leakContext names the construct holding v[at:] from the 60 bytes before it.
func leakContext(v string, at int) string {
	before := v[max(0, at-60):at]
	if i := strings.LastIndexAny(before, "<>"); i >= 0 && before[i] == '>' && !strings.Contains(before[i:], "url(") {
		before = before[i:] // text after a tag
	}
	for _, c := range contexts {
		if strings.Contains(before, c.marker) {
			return c.name
		}
	}
	return "text"
}

// lineForms classify a body line by the construct carrying a URL, most
// telling first.
var lineForms = []struct{ form, marker string }{
	{"code", "POST "}, {"meta refresh", "http-equiv"}, {"style url()", "url('"}, {"srcset", "srcset="},
	{"html comment", "<!--"}, {"raw href", "<a href"}, {"raw src", "<img src"},
	{"escaped \\-", `\-`}, {"escaped &#45;", "&#45;"}, {"escaped %2D", "%2D"},
	{"autolink", "- <"}, {"https://EXAMPLE.com:443", "EXAMPLE.com:443"}, {"//host", "(//example.com"},
	{"https://host/./", "example.com/docs/./"}, {"https://host/./", "example.com/./"},
	{"reference definition", "]: "}, {"/docs/ base path", "(/docs/"},
	{"image", "!["}, {"root-relative", "](/"}, {"relative", "]("},
}

func lineForm(line string) string {
	for _, f := range lineForms {
		if strings.Contains(line, f.marker) {
			return f.form
		}
	}
	return "other"
}

// countPages counts the pages a build of a visible set holds: the visible
// pages and sections (the home page included), and for each hidden section
// with a visible page or section beneath, the generated page that stands
// in for it (no generated page moves a page out of its folder's URL).
func countPages(vis map[*pNode]bool) int {
	n := 0
	standins := map[*pNode]bool{}
	for x := range vis {
		if x.kind == "file" {
			continue
		}
		n++
		for a := x.parent; a != nil; a = a.parent {
			if !vis[a] {
				standins[a] = true
			}
		}
	}
	return n + len(standins)
}

// needle is a string that must not occur in a build.
type needle struct {
	kind, text string
	node       *pNode
	words      bool // match at Unicode word boundaries only
}

// needles are the traces of the nodes hidden from a build.
func (s *propSite) needles(vis map[*pNode]bool) []needle {
	var mentions, titles []string
	for n := range vis {
		mentions = append(mentions, n.mentions...)
		titles = append(titles, strings.ToLower(n.title))
	}
	titles = append(titles, "property site", "home", "tags", "tag", "contents", "feed")
	var out []needle
	for _, n := range s.nodes {
		if vis[n] || n.url == "/" {
			continue
		}
		out = append(out, needle{"canary", n.canary, n, false})
		if !s.hasVisibleBelow(n, vis) && !mentioned(mentions, n.slug) {
			out = append(out, needle{"url", strings.ToLower(n.slug), n, false})
		}
		t := strings.ToLower(n.title)
		if t != "" && !lowInformation(t) && !mentioned(titles, t) {
			out = append(out, needle{"title", t, n, true})
		}
	}
	return out
}

// hasVisibleBelow reports whether a visible node's URL lies under n's,
// which then shows n's slug (a documented consequence of granting a page
// under a hidden section).
func (s *propSite) hasVisibleBelow(n *pNode, vis map[*pNode]bool) bool {
	for v := range vis {
		if v != n && strings.HasPrefix(v.url, n.url) {
			return true
		}
	}
	return false
}

func mentioned(texts []string, s string) bool {
	for _, t := range texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

var lowInfoRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}|q[1-4]|\d+|faq)$`)

// lowInformation reports whether a title is a date, number or similar that
// the verifier treats by URL only.
func lowInformation(t string) bool { return lowInfoRE.MatchString(t) }

// checkBuild scans every file of one build for the needles of its hidden
// nodes.
func (s *propSite) checkBuild(t *testing.T, root, id string, vis map[*pNode]bool) []problem {
	needles := s.needles(vis)
	var probs []problem
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if builtinVendor(rel, b) {
			return nil // the gate's rule too: shipped bytes, no site's words (TestGateVendorWords)
		}
		views := decodings(rel + "\n" + string(b))
		for _, nd := range needles {
			for _, v := range views {
				if at := find(v, nd); at >= 0 {
					class := "leak: " + nd.kind + " of hidden " + nd.node.kind + " in " + fileKind(rel)
					if nd.kind == "url" {
						class += " in " + leakContext(v, at)
					}
					if s.lead != "" {
						class = fmt.Sprintf("frontmatter after %q: %s", s.lead, class)
					}
					probs = append(probs, problem{
						class:  class,
						detail: fmt.Sprintf("build %s: %s holds %s %q of hidden %s: …%s…", id, rel, nd.kind, nd.text, nd.node.file, excerpt(v, at)),
					})
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return probs
}

// fileKind names the kind of a build file for grouping problems.
func fileKind(rel string) string {
	switch ext := filepath.Ext(rel); {
	case strings.HasPrefix(rel, "_facet/") || strings.Contains(rel, "search"):
		return "generated " + ext
	case ext == ".html":
		return "html"
	default:
		return "file " + ext
	}
}

func excerpt(s string, at int) string {
	lo, hi := max(0, at-40), min(len(s), at+60)
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo--
	}
	for hi < len(s) && !utf8.RuneStart(s[hi]) {
		hi++
	}
	return strings.ReplaceAll(s[lo:hi], "\n", " ")
}

// find returns where nd occurs in v (lower case), or -1.
func find(v string, nd needle) int {
	from := 0
	for {
		i := strings.Index(v[from:], nd.text)
		if i < 0 {
			return -1
		}
		i += from
		if !nd.words || boundary(v, i, i+len(nd.text)) {
			return i
		}
		from = i + 1
	}
}

// boundary reports whether v[i:j] starts and ends at word boundaries: no
// letter or digit right before or after it (CJK runs excepted, which have
// no spaces between words).
func boundary(v string, i, j int) bool {
	if r, _ := utf8.DecodeLastRuneInString(v[:i]); i > 0 && isWord(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(v[j:]); j < len(v) && isWord(r) {
		return false
	}
	return true
}

func isWord(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// decodings are the lower-cased views of a file's text a leak check must
// see through: raw, entity-decoded, percent-decoded, JSON-string-decoded,
// and with backslash escapes removed, in combination.
func decodings(s string) []string {
	s = strings.ToLower(s)
	j := jsonUnescape(s)
	e := html.UnescapeString(s)
	all := []string{s, e, percentDecode(s), percentDecode(e), j, html.UnescapeString(j), percentDecode(html.UnescapeString(j))}
	for _, v := range all[1:] {
		all = append(all, strings.ReplaceAll(v, `\`, ""))
	}
	return all
}

// percentDecode decodes every valid %XX, leaving the rest.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return strings.ToLower(b.String())
}

var jsonEscRE = regexp.MustCompile(`\\u[0-9a-f]{4}|\\/`)

// jsonUnescape decodes \uXXXX and \/ escapes of JSON strings.
func jsonUnescape(s string) string {
	return jsonEscRE.ReplaceAllStringFunc(s, func(m string) string {
		if m == `\/` {
			return "/"
		}
		v, _ := strconv.ParseUint(m[2:], 16, 32)
		return strings.ToLower(string(rune(v)))
	})
}
