package confluence

import (
	"path"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// reservedTop are names facet generates at the top of a build; a space
// folder may not take them.
var reservedTop = map[string]bool{"tags": true, "assets": true, "_facet": true, "404.html": true,
	"index.xml": true, "sitemap.xml": true, "search-index.js": true}

// markdownExts are the extensions facet reads as pages.
var markdownExts = []string{".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"}

// folder hands out names in one folder, unique ignoring case.
type folder map[string]bool

func (f folder) take(name string) string {
	base, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		base, ext = name[:i], name[i:]
	}
	for n := 1; ; n++ {
		cand := name
		if n > 1 {
			cand = base + "-" + itoa(n) + ext
		}
		key := strings.ToLower(cand)
		if !f[key] {
			f[key] = true
			return cand
		}
	}
}

// takeStem reserves a page's stem: both "stem.md" and "stem/".
func (f folder) takeStem(stem string) string {
	for n := 1; ; n++ {
		cand := stem
		if n > 1 {
			cand = stem + "-" + itoa(n)
		}
		k := strings.ToLower(cand)
		if !f[k] && !f[k+".md"] {
			f[k], f[k+".md"] = true, true
			return cand
		}
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// slug makes a folder or file stem of a title: lower case, letters and
// digits, other runs as '-'.
func slug(title, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFC.String(strings.ToLower(title)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	s := b.String()
	if len(s) > 80 {
		s = strings.TrimRight(s[:80], "-")
		for !utf8Valid(s) {
			s = s[:len(s)-1]
		}
	}
	if s == "" {
		return fallback
	}
	return s
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\x00") == s }

// maxFileName is the longest attachment name written, in bytes: file
// systems take 255, and a name taken twice in a folder gets "-N".
const maxFileName = 200

// fileName makes an attachment's name safe for content/: no slashes, not
// hidden or underscored, never a markdown extension (it would be a page).
func fileName(name string) string {
	name = norm.NFC.String(strings.TrimSpace(name))
	name = strings.NewReplacer("/", "-", "\\", "-", "\x00", "").Replace(name)
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" {
		name = "file"
	}
	if name[0] == '.' || name[0] == '_' || name[0] == '+' || strings.EqualFold(name, "index.html") {
		// hidden, underscored, or the page's own output in its folder
		name = "file-" + name
	}
	if len(name) > maxFileName {
		base, ext := name, ""
		if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 16 {
			base, ext = name[:i], name[i:]
		}
		base = base[:maxFileName-len(ext)]
		for !utf8Valid(base) {
			base = base[:len(base)-1]
		}
		name = base + ext
	}
	low := strings.ToLower(name)
	for _, ext := range markdownExts {
		if strings.HasSuffix(low, ext) {
			name += ".txt"
			break
		}
	}
	return name
}

// layout gives every page of the space its file and every attachment its
// place: the space is content/KEY/ with the home page as its _index.md; a
// page with children is a section (_index.md), a page with attachments
// but no children a bundle (index.md), any other page a file.
func (s *space) layout(top folder) {
	s.dir = "content/" + top.takeStem(spaceStem(s.key))
	home := s.homePage()
	names := folder{"_index.md": true}
	if home != nil {
		home.file, home.dir, home.isSection = s.dir+"/_index.md", s.dir, true
		placeAttachments(home, names)
	}
	var roots []*page
	for _, p := range s.roots {
		if p == home {
			continue
		}
		roots = append(roots, p)
	}
	if home != nil {
		roots = append(home.children, roots...)
	}
	for _, p := range roots {
		p.place(s.dir, names)
	}
}

func spaceStem(key string) string {
	st := slug(key, "space")
	if reservedTop[st] {
		st += "-space"
	}
	return st
}

// homePage is the space's home page when it is a current page of the space.
func (s *space) homePage() *page {
	for _, p := range s.roots {
		if p.id == s.home {
			return p
		}
	}
	return nil
}

// place lays out p and its subtree in the folder dir.
func (p *page) place(dir string, names folder) {
	stem := names.takeStem(slug(p.title, "page-"+p.id))
	switch {
	case len(p.children) > 0:
		p.dir, p.file, p.isSection = dir+"/"+stem, dir+"/"+stem+"/_index.md", true
	case len(p.attachments) > 0:
		p.dir, p.file = dir+"/"+stem, dir+"/"+stem+"/index.md"
	default:
		p.dir, p.file = dir, dir+"/"+stem+".md"
		return
	}
	sub := folder{"_index.md": true, "index.md": true}
	for _, c := range p.children {
		c.place(p.dir, sub)
	}
	placeAttachments(p, sub)
}

func placeAttachments(p *page, names folder) {
	for _, a := range p.attachments {
		a.file = path.Join(p.dir, names.take(fileName(a.name)))
	}
}

// fileDir is the folder a page's relative links start from.
func (p *page) fileDir() string { return path.Dir(p.file) }

// relLink is the relative link from the folder from to the file to.
func relLink(from, to string) string {
	f := strings.Split(from, "/")
	t := strings.Split(to, "/")
	i := 0
	for i < len(f) && i < len(t)-1 && f[i] == t[i] {
		i++
	}
	var parts []string
	for range f[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, t[i:]...)
	return strings.Join(parts, "/")
}
