package content

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/facet-docs/facet/internal/diag"
)

// Dir is the content folder in a site folder.
const Dir = "content"

// Load reads the content/ folder of the site folder fsys into a Tree, in
// one walk. Every problem is reported, as a diag.List of "file:line:
// message" errors; on error the tree is nil, so that a tree with a page
// whose rules could not be read never reaches a build.
//
// Files are read and parsed concurrently, so fsys must be safe for
// concurrent use (os.DirFS, fstest.MapFS and embed.FS are). It should also
// implement fs.ReadLinkFS (os.DirFS and fstest.MapFS do):
// then a symbolic link whose real path leaves content/ is an error, and
// links that stay inside are followed as the files or folders they name.
// Hidden files and folders (".x") and "_x" files and folders other than
// _index.md are ignored.
func Load(fsys fs.FS) (*Tree, error) {
	l := &loader{fsys: fsys, tree: &Tree{}}
	if st, err := fs.Stat(fsys, Dir); err != nil || !st.IsDir() {
		return nil, diag.List{{File: Dir + "/", Msg: "missing folder"}}
	}
	entries := l.readDir(Dir, []string{Dir})
	l.section(nil, Dir, "", entries, []string{Dir})
	l.parse()
	l.index()
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	return l.tree, nil
}

type loader struct {
	fsys    fs.FS
	tree    *Tree
	errs    diag.List
	pending []pending // markdown files to read, in page order
}

// pending is a markdown file the walk found, read and parsed after it.
type pending struct {
	page *Page
	file string
}

// entry is one file or folder of a folder, links resolved.
type entry struct {
	name string
	file string // site-relative path as reached ("content/a/b.md")
	real string // real path, links resolved
	dir  bool
	size int64
}

// isMarkdown reports whether a file name is a markdown page.
func isMarkdown(name string) bool { return strings.EqualFold(path.Ext(name), ".md") }

// stem is the name a page or folder sorts and is addressed by.
func (e entry) stem() string {
	if !e.dir && isMarkdown(e.name) {
		return e.name[:len(e.name)-3]
	}
	return e.name
}

// readDir lists folder dir (real path stack holds the real paths of dir and
// its ancestors), skipping ignored names, resolving links, sorted by stem.
func (l *loader) readDir(dir string, stack []string) []entry {
	des, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		l.errs.Addf(dir+"/", 0, "%v", unwrapPath(err))
		return nil
	}
	real := stack[len(stack)-1]
	var out []entry
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, ".") || (strings.HasPrefix(name, "_") && name != "_index.md") {
			continue
		}
		e := entry{name: name, file: dir + "/" + name, real: real + "/" + name}
		if strings.ContainsFunc(name, isControl) || strings.Contains(name, `\`) {
			l.errs.Addf(e.file, 0, "file name with a control character or backslash")
			continue
		}
		if !l.stat(&e, de) {
			continue
		}
		if e.dir && slices.Contains(stack, e.real) {
			l.errs.Addf(e.file, 0, "%v", errLinkLoop)
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b entry) int {
		return cmp.Or(strings.Compare(a.stem(), b.stem()), strings.Compare(a.name, b.name))
	})
	return out
}

// stat fills e's kind, size and real path, reporting links that leave
// content/, broken links and special files.
func (l *loader) stat(e *entry, de fs.DirEntry) bool {
	if de.Type()&fs.ModeSymlink != 0 {
		real, err := realPath(l.fsys, e.file)
		if err != nil {
			l.errs.Addf(e.file, 0, "%v", unwrapPath(err))
			return false
		}
		e.real = real
	}
	fi, err := fs.Stat(l.fsys, e.file)
	if err != nil {
		l.errs.Addf(e.file, 0, "%v", unwrapPath(err))
		return false
	}
	switch {
	case fi.IsDir():
		e.dir = true
	case fi.Mode().IsRegular():
		e.size = fi.Size()
	default:
		l.errs.Addf(e.file, 0, "not a regular file or folder")
		return false
	}
	return true
}

// section adds the section of folder dir (rel is dir relative to content/)
// with its pages, attachments and sub-folders.
func (l *loader) section(parent *Section, dir, rel string, entries []entry, stack []string) {
	u, out := pageURL(rel)
	s := &Section{Dir: dir, URL: u, Parent: parent}
	if parent != nil {
		s.Depth = parent.Depth + 1
		parent.Sections = append(parent.Sections, s)
	} else {
		l.tree.Root = s
	}
	l.tree.Sections = append(l.tree.Sections, s)
	name := path.Base(dir)
	p := &Page{File: dir + "/", URL: u, OutPath: out, FileTitle: fileTitle(name), Section: s, IsSection: true, Generated: true}
	if parent == nil {
		p.FileTitle = "Home"
	}
	if i := slices.IndexFunc(entries, func(e entry) bool { return !e.dir && e.name == "_index.md" }); i >= 0 {
		p.File, p.Generated = entries[i].file, false
		l.read(p, entries[i])
	}
	s.Page = p
	l.addPage(p)
	for _, e := range entries {
		switch {
		case e.name == "_index.md" && !e.dir:
		case e.dir:
			l.folder(s, e, rel, slices.Concat(stack, []string{e.real}))
		case e.name == "index.md":
			l.errs.Addf(e.file, 0, "index.md makes a folder a page bundle, but %s is a section: name the home page content/_index.md", dir+"/")
		case isMarkdown(e.name):
			pu, po := pageURL(path.Join(rel, e.stem()))
			leaf := &Page{File: e.file, URL: pu, OutPath: po, FileTitle: fileTitle(e.name), Section: s}
			l.read(leaf, e)
			s.Pages = append(s.Pages, leaf)
			l.addPage(leaf)
		default:
			l.attach(p, e, rel)
		}
	}
}

// folder adds a sub-folder of s: a page bundle when it holds index.md,
// else a section.
func (l *loader) folder(s *Section, e entry, parentRel string, stack []string) {
	rel := path.Join(parentRel, e.name)
	entries := l.readDir(e.file, stack)
	i := slices.IndexFunc(entries, func(x entry) bool { return !x.dir && x.name == "index.md" })
	if i < 0 {
		l.section(s, e.file, rel, entries, stack)
		return
	}
	u, out := pageURL(rel)
	p := &Page{File: entries[i].file, URL: u, OutPath: out, FileTitle: fileTitle(e.name), Section: s, Bundle: true}
	l.read(p, entries[i])
	s.Pages = append(s.Pages, p)
	l.addPage(p)
	l.bundle(p, entries, rel, stack)
}

// bundle adds the files of a bundle folder and its sub-folders as the
// bundle page's attachments; markdown there is an error.
func (l *loader) bundle(p *Page, entries []entry, rel string, stack []string) {
	for _, e := range entries {
		switch {
		case e.file == p.File:
		case e.dir:
			sub := slices.Concat(stack, []string{e.real})
			l.bundle(p, l.readDir(e.file, sub), path.Join(rel, e.name), sub)
		case isMarkdown(e.name):
			l.errs.Addf(e.file, 0, "markdown inside a page bundle (%s owns this folder): move it out, or make the bundle a section with _index.md", p.File)
		default:
			l.attach(p, e, rel)
		}
	}
}

func (l *loader) attach(owner *Page, e entry, rel string) {
	r := path.Join(rel, e.name)
	a := &Attachment{File: e.file, URL: "/" + escapePath(r), OutPath: r, Owner: owner, Size: e.size}
	owner.Attachments = append(owner.Attachments, a)
	l.tree.Attachments = append(l.tree.Attachments, a)
}

func (l *loader) addPage(p *Page) {
	p.Index = len(l.tree.Pages)
	l.tree.Pages = append(l.tree.Pages, p)
}

// read queues a markdown file for parse.
func (l *loader) read(p *Page, e entry) {
	l.pending = append(l.pending, pending{p, e.file})
}

// parse reads and parses the queued files on every CPU, and adds their
// problems in page order.
func (l *loader) parse() {
	errs := make([]diag.List, len(l.pending))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(l.pending)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(l.pending); i = int(next.Add(1) - 1) {
				job := l.pending[i]
				src, err := fs.ReadFile(l.fsys, job.file)
				if err != nil {
					errs[i].Addf(job.file, 0, "%v", unwrapPath(err))
					continue
				}
				parsePage(job.page, src, &errs[i])
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		l.errs = append(l.errs, e...)
	}
	l.pending = nil
}

// unwrapPath drops an fs.PathError's path, which the position names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
