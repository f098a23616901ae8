package content

import (
	"errors"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/diag"
)

// index sorts the attachments, fills the tree's lookup maps, and reports
// every output that two sources claim (see claims.claim).
func (l *loader) index() {
	t := l.tree
	slices.SortFunc(t.Attachments, func(a, b *Attachment) int { return strings.Compare(a.File, b.File) })
	t.byURL = make(map[string]*Page, len(t.Pages))
	t.bySource = make(map[string]*Page, len(t.Pages))
	t.files = make(map[string]*Attachment, len(t.Attachments))
	t.fileSrc = make(map[string]*Attachment, len(t.Attachments))
	c := claims{errs: &l.errs, files: map[string]source{}, dirs: map[string]source{}, fsys: l.fsys}
	for _, p := range t.Pages {
		if p.Standin {
			continue // its section page's URL and output
		}
		if c.claim(source{file: p.File, url: p.URL, out: p.OutPath, generated: p.Generated}) {
			t.byURL[p.URL] = p
		}
		if !p.Generated {
			t.bySource[p.File] = p
		}
	}
	for _, a := range t.Attachments {
		if c.claim(source{file: a.File, url: a.URL, out: a.OutPath, attachment: true}) {
			t.files[a.URL] = a
			t.fileSrc[a.File] = a
		}
	}
	l.aliases(&c)
	c.siblings(t.Attachments)
}

// Precompressed are the extensions of the precompressed siblings the
// gateway serves in place of a file to a client that accepts their
// encoding (x.css.br, x.css.gz for x.css).
var Precompressed = []string{".br", ".gz"}

// SiblingOf returns the output a precompressed sibling stands for
// ("a/x.css" for "a/x.css.gz"), compared as fold does, and whether out is
// one.
func SiblingOf(out string) (string, bool) {
	for _, ext := range Precompressed {
		if len(out) > len(ext) && strings.EqualFold(out[len(out)-len(ext):], ext) {
			return out[:len(out)-len(ext)], true
		}
	}
	return "", false
}

// siblings reports each attachment that is a precompressed sibling of a
// page or of a file facet generates (an alias's folder holds no file): the gateway would serve the
// author's bytes, which the release gate does not read, in place of what
// facet renders for each build (a hidden page's words, a stale copy).
func (c *claims) siblings(atts []*Attachment) {
	for _, a := range atts {
		base, ok := SiblingOf(a.OutPath)
		if !ok {
			continue
		}
		if slices.Contains(generatedFiles, fold(base)) {
			c.errs.Addf(a.File, 0, "%s is a precompressed copy of %s, which facet generates for each build: the gateway would serve it in its place; remove it", a.OutPath, base)
			continue
		}
		if prev, ok := c.files[fold(base)]; ok && !prev.attachment {
			what := "the page " + prev.file
			if prev.generated {
				what = "the section page facet generates for " + path.Dir(base)
			}
			c.errs.Addf(a.File, 0, "%s is a precompressed copy of %s, the output of %s: the gateway would serve it in place of the page facet renders and checks for each build; remove it", a.OutPath, prev.out, what)
		} else if ok && c.fsys != nil {
			// The gateway serves it in place of its file, whose bytes alone
			// the release gate reads: it must be exactly them.
			switch err := sameContent(c.fsys, a.File, prev.file); {
			case errors.Is(err, errNotCopy):
				c.errs.Addf(a.File, 0, "%s does not decompress to the bytes of %s: the gateway would serve it in its place to browsers that accept it, and the release gate reads only %s; compress %s again or remove it", a.File, prev.file, prev.file, prev.file)
			case err != nil:
				c.errs.Addf(a.File, 0, "cannot compare with %s: %v", prev.file, err)
			}
		}
	}
}

// generatedFiles are the files of Reserved, lower-cased.
var generatedFiles = func() []string {
	var out []string
	for _, r := range Reserved {
		if !strings.HasSuffix(r, "/") {
			out = append(out, r)
		}
	}
	return out
}()

// source is what claims an output: a page, an attachment or an alias.
type source struct {
	file, url, out string
	generated      bool
	alias          bool
	attachment     bool
}

// claims are the outputs of a build that sources have claimed, folded
// (see fold): the files, and the folders the files need.
type claims struct {
	errs  *diag.List
	files map[string]source // by lower-cased output
	dirs  map[string]source // by lower-cased folder: the first source inside
	fsys  fs.FS             // the site folder, to compare precompressed copies
}

// claim claims src's output, or reports why it cannot and returns false:
// an output facet reserves, or under one; the output or URL of another
// source; or a file where another source needs a folder ("data" beside
// "data/index.html"), either way round.
func (c *claims) claim(src source) bool {
	lower := fold(src.out)
	if isReserved(lower) {
		c.errs.Addf(src.file, 0, "%s is reserved for the files facet generates: rename it", src.out)
		return false
	}
	if prev, dup := c.files[lower]; dup {
		switch {
		case prev.url == src.url && prev.generated:
			c.errs.Addf(src.file, 0, "URL %s is also the URL of the section %s (move %s to %s_index.md)", src.url, prev.file, src.file, prev.file)
		case prev.url == src.url:
			c.errs.Addf(src.file, 0, "URL %s is also the URL of %s", src.url, prev.file)
		case prev.out == src.out:
			c.errs.Addf(src.file, 0, "output %s is also the output of %s", src.out, prev.file)
		case strings.EqualFold(prev.out, src.out):
			c.errs.Addf(src.file, 0, "output %s collides with %s of %s (names that differ only in case)", src.out, prev.out, prev.file)
		default:
			c.errs.Addf(src.file, 0, "output %s collides with %s of %s (names that differ only in Unicode normalization)", src.out, prev.out, prev.file)
		}
		return false
	}
	if prev, ok := c.dirs[lower]; ok {
		c.errs.Addf(src.file, 0, "output %s is a file, but %s needs a folder of that name (for %s): rename one", src.out, prev.file, prev.out)
		return false
	}
	for d := path.Dir(src.out); d != "."; d = path.Dir(d) {
		if prev, ok := c.files[fold(d)]; ok {
			c.errs.Addf(src.file, 0, "output %s needs a folder %s/, but %s is a file of that name: rename one", src.out, d, prev.file)
			return false
		}
	}
	c.add(src)
	return true
}

// add records src's output and the folders it needs.
func (c *claims) add(src source) {
	lower := fold(src.out)
	c.files[lower] = src
	for d := path.Dir(lower); d != "."; d = path.Dir(d) {
		if _, ok := c.dirs[d]; !ok {
			c.dirs[d] = src
		}
	}
}

// fold is the form in which two outputs are one file on a disk that
// ignores case or Unicode normalization (macOS, Windows): lower case, NFC.
func fold(out string) string { return strings.ToLower(norm.NFC.String(out)) }

// isReserved reports whether a lower-cased output is one of Reserved,
// under one, or a file where Reserved needs a folder.
func isReserved(lower string) bool {
	for _, r := range Reserved {
		if dir, isDir := strings.CutSuffix(r, "/"); isDir {
			if lower == dir || strings.HasPrefix(lower, r) {
				return true
			}
		} else if lower == r || strings.HasPrefix(lower, r+"/") {
			return true
		}
	}
	return false
}

// Page returns the page at the root-relative URL ("/a/b/"), nil if none.
// The URL may be written with or without percent-encoding.
func (t *Tree) Page(u string) *Page {
	if p := t.byURL[u]; p != nil {
		return p
	}
	return t.byURL[canonicalURL(u)]
}

// Attachment returns the attachment at the root-relative URL
// ("/a/x.pdf"), nil if none.
func (t *Tree) Attachment(u string) *Attachment {
	if a := t.files[u]; a != nil {
		return a
	}
	return t.files[canonicalURL(u)]
}

// Chain returns the access chain of a page, most specific first: its own
// level, then the levels of the index pages of its section and of every
// ancestor section up to Root, then site. For a section's index page the
// chain starts at that page's own level (the section's). Absent levels
// (nil) are left out.
func (t *Tree) Chain(p *Page, site *access.Level) access.Chain {
	var chain access.Chain
	add := func(l *access.Level) {
		if l != nil {
			chain = append(chain, l)
		}
	}
	add(p.PageAccess)
	add(p.Access)
	s := p.Section
	if p.IsSection && s != nil {
		s = s.Parent
	}
	for ; s != nil; s = s.Parent {
		add(s.Page.Access)
	}
	add(site)
	return chain
}

// Target is what an internal link points at: a page or an attachment.
type Target struct {
	Page       *Page
	Attachment *Attachment
	// Suffix is the "?query#fragment" part of the link, as written.
	Suffix string
}

// schemeRE matches a URL scheme ("https:", "mailto:").
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// Resolve resolves a link destination written in page from, per
// CONTRACT.md "Internal links". A destination with a scheme ("https:",
// "mailto:"), a protocol-relative "//host" one, an empty one and a pure
// "#fragment" are external: internal is false. Otherwise the path is
// root-relative ("/a/b/") or relative to from's file (the folder of
// content/a/b.md is content/a/; a bundle's index.md and a section's
// _index.md are in their own folder), percent-encoded or not, and names a
// markdown file ("b.md", "../a/_index.md", "b/index.md", "c.markdown"; a
// page published elsewhere by its url key included), an attachment (by
// its file or its URL), or a page URL with or without its trailing slash
// ("../b/", "/a/b"; also ".../index.html"). A "?query" or "#fragment" is
// returned in Target.Suffix. found is false for a broken internal link.
func (t *Tree) Resolve(from *Page, dest string) (tgt Target, internal, found bool) {
	if dest == "" || dest[0] == '#' || strings.HasPrefix(dest, "//") || schemeRE.MatchString(dest) {
		return Target{}, false, false
	}
	p := dest
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		p, tgt.Suffix = dest[:i], dest[i:]
	}
	if p == "" {
		tgt.Page = from
		return tgt, true, from != nil
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	full := path.Join(Dir, path.Clean(p)) // "/../x" is "/x", as a browser reads it
	if !strings.HasPrefix(p, "/") {
		if from == nil {
			return tgt, true, false
		}
		full = path.Join(baseDir(from), p)
	}
	if full != Dir && !strings.HasPrefix(full, Dir+"/") {
		return tgt, true, false
	}
	tgt.Page, tgt.Attachment = t.lookup(full, strings.HasSuffix(p, "/"))
	return tgt, true, tgt.Page != nil || tgt.Attachment != nil
}

// lookup finds what the cleaned site path full ("content/a/b.md",
// "content/a/b") names; dir is true when the link ended in "/".
func (t *Tree) lookup(full string, dir bool) (*Page, *Attachment) {
	rel := strings.TrimPrefix(strings.TrimPrefix(full, Dir), "/")
	if !dir {
		if isMarkdown(full) {
			return t.bySource[full], nil
		}
		if a := t.fileSrc[full]; a != nil {
			return nil, a
		}
		if a := t.files["/"+escapePath(rel)]; a != nil {
			return nil, a
		}
	}
	u, _ := pageURL(rel)
	if p := t.byURL[u]; p != nil {
		return p, nil
	}
	if !dir && path.Base(rel) == "index.html" {
		u, _ = pageURL(strings.TrimSuffix(strings.TrimSuffix(rel, "index.html"), "/"))
		return t.byURL[u], nil
	}
	return nil, nil
}

// baseDir is the folder a page's relative links start from.
func baseDir(p *Page) string {
	if p.Generated {
		return strings.TrimSuffix(p.File, "/")
	}
	return path.Dir(p.File)
}
