package build

import (
	"fmt"
	"math/rand/v2"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/sitetest"
)

// This file makes the random edits of TestPropertyRebuild: a site from
// the generator of TestPropertyNoTrace, held as files, and edits of every
// kind a writer makes, each reporting the paths it changed as
// internal/watch would.

// eSite is a generated site as editable files, by path under the site.
type eSite struct {
	r     *rand.Rand
	gen   *propSite
	files map[string]string
	n     int
	// broken, when set, is the file an edit broke and its good content.
	broken, good string
	// retitles, when set, makes most edits a page's new title.
	retitles bool
}

func newESite(seed uint64) *eSite {
	g := genPropSite(seed)
	g.extra, g.refuse = map[string]string{}, nil
	for _, n := range g.nodes {
		if strings.Contains(n.body, "\n+++\n[access]") {
			n.body = strings.Split(n.body, "\n+++\n[access]")[0] + "\n"
		}
	}
	e := &eSite{r: rand.New(rand.NewPCG(seed, 0xed17)), gen: g, files: map[string]string{}}
	for _, f := range sitetest.Files(g.archive()) {
		e.files[f[0]] = f[1]
		if strings.HasSuffix(f[0], ".md") && e.r.IntN(2) == 0 {
			// a long page: edits past its excerpt take the fast path
			e.files[f[0]] += "\n" + g.words(90) + ".\n"
		}
	}
	return e
}

// pages lists the markdown files, sorted.
func (e *eSite) pages(leaf bool) []string {
	var out []string
	for p := range e.files {
		if strings.HasSuffix(p, ".md") && (!leaf || !strings.HasSuffix(p, "_index.md") && !strings.HasSuffix(p, "/index.md")) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// dirs lists the folders under content/ that hold a file, sorted.
func (e *eSite) dirs() []string {
	set := map[string]bool{"content": true}
	for p := range e.files {
		if strings.HasPrefix(p, "content/") && !strings.HasSuffix(p, "/index.md") {
			set[path.Dir(p)] = true
		}
	}
	var out []string
	for d := range set {
		if !e.isBundle(d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

func (e *eSite) isBundle(dir string) bool {
	for p := range e.files {
		if strings.HasPrefix(p, dir+"/") && strings.HasSuffix(p, "/index.md") && path.Dir(p) != dir {
			continue
		}
		if p == dir+"/index.md" {
			return true
		}
	}
	for d := dir; d != "content" && d != "."; d = path.Dir(d) {
		if _, ok := e.files[d+"/index.md"]; ok {
			return true
		}
	}
	return false
}

func (e *eSite) pickOf(list []string) string { return list[e.r.IntN(len(list))] }

// urlOf is the URL of a markdown file.
func urlOf(file string) string {
	rel := strings.TrimPrefix(file, "content/")
	rel = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(rel, ".md"), "_index"), "index")
	rel = strings.TrimSuffix(rel, "/")
	if rel == "" {
		return "/"
	}
	return "/" + rel + "/"
}

// split cuts a page into what precedes its closing +++ and its body.
func split(src string) (front, body string) {
	i := strings.Index(src, "+++\n")
	j := strings.Index(src[i+4:], "+++\n")
	if i < 0 || j < 0 {
		return "", src
	}
	k := i + 4 + j + 4
	return src[:k], src[k:]
}

// setKey sets a frontmatter key line (before any [access] table).
func setKey(src, key, value string) string {
	front, body := split(src)
	lines := strings.Split(front, "\n")
	out := []string{}
	done := false
	for _, l := range lines {
		if strings.HasPrefix(l, key+" = ") {
			continue
		}
		out = append(out, l)
		if !done && strings.TrimPrefix(l, "\ufeff") == "+++" {
			out = append(out, key+" = "+value)
			done = true
		}
	}
	return strings.Join(out, "\n") + body
}

// titleOf finds a page's title as the generator and setKey write it.
var titleOf = regexp.MustCompile(`(?m)^title = "([^"\\]*)"$`)

// edit applies one random edit and returns what it did and the paths it
// changed.
func (e *eSite) edit() (string, []string) {
	e.n++
	if e.broken != "" {
		f := e.broken
		if e.r.IntN(3) == 0 {
			// another edit while the site is broken: the rebuild that
			// fixes it must publish this one too
			if e.r.IntN(2) == 0 {
				return e.config()
			}
			if g := e.pickOf(e.pages(false)); g != f {
				return e.editBodyOf(g)
			}
		}
		e.files[f], e.broken = e.good, ""
		return "fix " + f, []string{f}
	}
	k := e.r.IntN(20)
	if e.retitles && e.r.IntN(3) > 0 {
		k = 7
	}
	switch {
	case k < 7:
		return e.editBody()
	case k < 9:
		f := e.pickOf(e.pages(false))
		title := e.gen.title()
		if m := titleOf.FindStringSubmatch(e.files[f]); e.retitles && m != nil && e.r.IntN(4) > 0 {
			title = m[1] // a word added: most such edits keep the page's place
		}
		e.files[f] = setKey(e.files[f], "title", fmt.Sprintf("%q", title+" "+e.pickOf(propProse)))
		return "title " + f, []string{f}
	case k == 9:
		f := e.pickOf(e.pages(false))
		if e.r.IntN(2) == 0 {
			e.files[f] = setKey(e.files[f], "weight", fmt.Sprint(e.r.IntN(5)))
		} else {
			e.files[f] = setKey(e.files[f], "tags", fmt.Sprintf("[%q]", e.pickOf(propProse)))
		}
		return "weight or tags " + f, []string{f}
	case k == 10:
		return e.editRules()
	case k == 11:
		return e.move()
	case k == 12:
		return e.remove()
	case k == 13:
		return e.add()
	case k == 14:
		return e.attachment()
	case k == 15:
		return e.config()
	case k == 17:
		return e.alias()
	case k == 16:
		f := e.pickOf(e.pages(false))
		e.broken, e.good = f, e.files[f]
		if e.r.IntN(2) == 0 {
			e.files[f] = setKey(e.files[f], "nosuch", "1")
		} else {
			e.files[f] = strings.Replace(e.files[f], "[access]\n", "[access]\ndeny = [\"group:nosuch\"]\n", 1)
			if e.files[f] == e.good {
				e.files[f] += "\n+++\n"
			}
		}
		return "break " + f, []string{f}
	default:
		f := e.pickOf(e.pages(false))
		return "touch " + f, []string{f}
	}
}

// editBody changes a page's body: prose, a code block, a link added or
// removed, a heading or a word replaced.
func (e *eSite) editBody() (string, []string) {
	return e.editBodyOf(e.pickOf(e.pages(false)))
}

// editBodyOf is editBody for the page f.
func (e *eSite) editBodyOf(f string) (string, []string) {
	front, body := split(e.files[f])
	switch e.r.IntN(10) {
	case 9: // a link's line gone: the target loses a backlink
		lines := strings.Split(body, "\n")
		if k := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "](") }); k >= 0 {
			body = strings.Join(slices.Delete(lines, k, k+1), "\n")
		}
	case 6: // a word no page had
		body += fmt.Sprintf("\nNovel %s here.\n", e.novel())
	case 7: // a novel word's line gone, maybe its last occurrence
		lines := strings.Split(body, "\n")
		if k := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Novel ") }); k >= 0 {
			body = strings.Join(slices.Delete(lines, k, k+1), "\n")
		}
	case 8: // a novel word replaced by another
		lines := strings.Split(body, "\n")
		if k := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Novel ") }); k >= 0 {
			lines[k] = "Novel " + e.novel() + " here."
			body = strings.Join(lines, "\n")
		}
	case 0:
		body += "\n```go\nfunc " + e.pickOf(propProse) + "() {}\n```\n"
	case 1:
		body += fmt.Sprintf("\nSee [%s](%s).\n", e.pickOf(propProse), urlOf(e.pickOf(e.pages(false))))
	case 2:
		body += "\n## " + e.pickOf(propProse) + " " + e.pickOf(propProse) + "\n"
	case 3:
		if w := strings.Fields(body); len(w) > 0 {
			old := e.pickOf(w)
			body = strings.Replace(body, old, e.pickOf(propProse), 1)
		}
	default:
		body += "\n" + e.gen.words(3+e.r.IntN(80)) + ".\n"
	}
	e.files[f] = front + body
	return "body " + f, []string{f}
}

// novel returns a word made of letters, sometimes one used before.
func (e *eSite) novel() string {
	n := e.r.IntN(e.n + 1)
	w := "zq"
	for ; n > 0; n /= 26 {
		w += string(rune('a' + n%26))
	}
	return w
}

// alias sets a page's aliases: a new root-relative one, a name beside the
// page, or the URL of another page (an error the clean build reports too).
func (e *eSite) alias() (string, []string) {
	f := e.pickOf(e.pages(false))
	var v string
	switch e.r.IntN(4) {
	case 0:
		v = fmt.Sprintf(`["/was-%d/"]`, e.n)
	case 1:
		v = fmt.Sprintf(`["old-%d", "/gone-%d"]`, e.n, e.n)
	case 2:
		v = fmt.Sprintf("[%q]", urlOf(e.pickOf(e.pages(false))))
		e.broken, e.good = f, e.files[f]
	default:
		v = "[]"
	}
	e.files[f] = setKey(e.files[f], "aliases", v)
	return "aliases " + v + " " + f, []string{f}
}

func (e *eSite) editRules() (string, []string) {
	f := e.pickOf(e.pages(false))
	front, body := split(e.files[f])
	if i := strings.Index(front, "[access]"); i >= 0 {
		front = front[:i] + "+++\n"
	}
	rules := e.gen.rules()
	e.files[f] = strings.TrimSuffix(front, "+++\n") + rules.toml() + "+++\n" + body
	return "rules " + f, []string{f}
}

func (e *eSite) move() (string, []string) {
	leaves := e.pages(true)
	if len(leaves) == 0 {
		return e.add()
	}
	f := e.pickOf(leaves)
	to := e.pickOf(e.dirs()) + "/moved-" + fmt.Sprint(e.n) + ".md"
	e.files[to] = e.files[f]
	delete(e.files, f)
	return "move " + f + " to " + to, []string{f, to}
}

func (e *eSite) remove() (string, []string) {
	if e.r.IntN(4) == 0 {
		// a whole folder, reported as the folder
		dirs := e.dirs()[1:]
		if len(dirs) > 0 {
			d := e.pickOf(dirs)
			for p := range e.files {
				if strings.HasPrefix(p, d+"/") {
					delete(e.files, p)
				}
			}
			return "remove folder " + d, []string{d}
		}
	}
	leaves := e.pages(true)
	if len(leaves) < 2 {
		return e.add()
	}
	f := e.pickOf(leaves)
	delete(e.files, f)
	return "remove " + f, []string{f}
}

func (e *eSite) add() (string, []string) {
	dir := e.pickOf(e.dirs())
	if e.r.IntN(3) == 0 {
		dir += fmt.Sprintf("/sec-%d", e.n)
		if e.r.IntN(2) == 0 {
			idx := dir + "/_index.md"
			e.files[idx] = "+++\ntitle = \"Section " + fmt.Sprint(e.n) + "\"\n" + e.gen.rules().toml() + "+++\n" + e.gen.words(5) + "\n"
		}
	}
	f := fmt.Sprintf("%s/new-%d.md", dir, e.n)
	e.files[f] = "+++\ntitle = " + fmt.Sprintf("%q", e.gen.title()) + "\n" + e.gen.rules().toml() + "+++\n" +
		e.gen.words(8) + fmt.Sprintf(" [link](%s)\n", urlOf(e.pickOf(e.pages(false))))
	return "add " + f, []string{path.Dir(f), f}
}

func (e *eSite) attachment() (string, []string) {
	var atts []string
	for p := range e.files {
		if strings.HasPrefix(p, "content/") && !strings.HasSuffix(p, ".md") {
			atts = append(atts, p)
		}
	}
	slices.Sort(atts)
	switch {
	case len(atts) > 0 && e.r.IntN(3) == 0:
		f := e.pickOf(atts)
		delete(e.files, f)
		return "remove file " + f, []string{f}
	case len(atts) > 0 && e.r.IntN(2) == 0:
		f := e.pickOf(atts)
		e.files[f] += e.pickOf(propProse) + "\n"
		return "edit file " + f, []string{f}
	}
	f := fmt.Sprintf("%s/file-%d.txt", e.pickOf(e.dirs()), e.n)
	e.files[f] = e.gen.words(4) + "\n"
	if e.r.IntN(2) == 0 {
		p := e.pickOf(e.pages(false))
		e.files[p] += fmt.Sprintf("\n[data](/%s)\n", strings.TrimPrefix(f, "content/"))
		return "add file " + f + " used by " + p, []string{f, p}
	}
	return "add file " + f, []string{f}
}

var opsTitle = regexp.MustCompile(`\[groups\.ops\]\ntitle = ".*"`)

func (e *eSite) config() (string, []string) {
	switch e.r.IntN(3) {
	case 0:
		f := "config/site.toml"
		lines := strings.Split(e.files[f], "\n")
		lines[0] = fmt.Sprintf("title = %q", "Site "+e.pickOf(propProse))
		e.files[f] = strings.Join(lines, "\n")
		return "site title", []string{f}
	case 1:
		f := "config/access.toml"
		e.files[f] = opsTitle.ReplaceAllString(e.files[f], fmt.Sprintf("[groups.ops]\ntitle = %q", "Ops "+e.pickOf(propProse)))
		return "group title", []string{f}
	}
	f := "config/access.toml"
	g := fmt.Sprintf("guest%d@other.example", e.n)
	if strings.Contains(e.files[f], "@other.example") && e.r.IntN(2) == 0 {
		i := strings.Index(e.files[f], "[[guests]]\nemail = \"guest")
		j := strings.Index(e.files[f][i+1:], "[[")
		e.files[f] = e.files[f][:i] + e.files[f][i+1+j:]
		return "remove guest", []string{f}
	}
	e.files[f] = strings.Replace(e.files[f], "[[audiences]]", fmt.Sprintf("[[guests]]\nemail = %q\ngroups = [\"ops\"]\n[[audiences]]", g), 1)
	return "add guest " + g, []string{f}
}
