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
// concurrent use (os.DirFS, fstest.MapFS and embed.FS are). A symbolic
// link under content/ is an error (content/ itself may be one); fsys
// should report links in its directory entries, as os.DirFS and
// fstest.MapFS do. Hidden files and folders (".x") and "_x" files and
// folders other than section indexes (_index.md) are ignored.
func Load(fsys fs.FS) (*Tree, error) {
	l := &loader{fsys: fsys, tree: &Tree{}}
	if st, err := fs.Stat(fsys, Dir); err != nil || !st.IsDir() {
		return nil, diag.List{{File: Dir + "/", Msg: "missing folder"}}
	}
	l.section(nil, Dir, "", l.readDir(Dir))
	l.parse()
	l.relocate()
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
	pending []pending     // markdown files to read, in page order
	sniff   []*Attachment // attachments to look into for frontmatter
}

// pending is a markdown file the walk found, read and parsed after it.
type pending struct {
	page *Page
	file string
}

// entry is one file or folder of a folder.
type entry struct {
	name string
	file string // site-relative path ("content/a/b.md")
	dir  bool
	size int64
}

// stem is the name a page or folder sorts and is addressed by.
func (e entry) stem() string {
	if e.dir {
		return e.name
	}
	return pageStem(e.name)
}

// readDir lists folder dir, skipping ignored names and reporting links,
// sorted by stem.
func (l *loader) readDir(dir string) []entry {
	des, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		l.errs.Addf(dir+"/", 0, "%v", unwrapPath(err))
		return nil
	}
	var out []entry
	for _, de := range des {
		name := de.Name()
		if ignored(name) {
			continue
		}
		e := entry{name: name, file: dir + "/" + name}
		if strings.ContainsFunc(name, isControl) || strings.Contains(name, `\`) {
			l.errs.Addf(e.file, 0, "file name with a control character or backslash")
			continue
		}
		if !l.stat(&e, de) {
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b entry) int {
		return cmp.Or(strings.Compare(a.stem(), b.stem()), strings.Compare(a.name, b.name))
	})
	return out
}

// stat fills e's kind and size, reporting links and special files.
func (l *loader) stat(e *entry, de fs.DirEntry) bool {
	if de.Type()&fs.ModeSymlink != 0 {
		l.errs.Addf(e.file, 0, "%s", linkProblem(l.fsys, e.file))
		return false
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
func (l *loader) section(parent *Section, dir, rel string, entries []entry) {
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
	entries, index := l.indexFile(entries, isSectionIndex)
	if index != nil {
		standin := *p
		standin.Standin = true
		p.File, p.Generated = index.file, false
		l.read(p, *index)
		s.Standin = &standin
	}
	s.Page = p
	l.addPage(p)
	if s.Standin != nil {
		l.addPage(s.Standin)
	}
	for _, e := range entries {
		switch {
		case e.dir:
			l.folder(s, e, rel)
		case isBundleIndex(e.name):
			l.errs.Addf(e.file, 0, "%s makes a folder a page bundle, but %s is a section: name the home page content/_index.md", e.name, dir+"/")
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

// indexFile finds the index file of a folder's entries (the first for
// which is reports true), reports any second one, and returns the entries
// without them.
func (l *loader) indexFile(entries []entry, is func(string) bool) (rest []entry, index *entry) {
	for _, e := range entries {
		switch {
		case e.dir || !is(e.name):
			rest = append(rest, e)
		case index == nil:
			index = &e
		default:
			l.errs.Addf(e.file, 0, "a second index file beside %s: keep one", index.file)
		}
	}
	return rest, index
}

// folder adds a sub-folder of s: a page bundle when it holds index.md,
// else a section.
func (l *loader) folder(s *Section, e entry, parentRel string) {
	rel := path.Join(parentRel, e.name)
	entries, index := l.indexFile(l.readDir(e.file), isBundleIndex)
	if index == nil {
		l.section(s, e.file, rel, entries)
		return
	}
	u, out := pageURL(rel)
	p := &Page{File: index.file, URL: u, OutPath: out, FileTitle: fileTitle(e.name), Section: s, Bundle: true}
	l.read(p, *index)
	s.Pages = append(s.Pages, p)
	l.addPage(p)
	l.bundle(p, entries, rel)
}

// bundle adds the files of a bundle folder and its sub-folders as the
// bundle page's attachments; markdown there is an error.
func (l *loader) bundle(p *Page, entries []entry, rel string) {
	for _, e := range entries {
		switch {
		case e.dir:
			l.bundle(p, l.readDir(e.file), path.Join(rel, e.name))
		case isMarkdown(e.name):
			l.errs.Addf(e.file, 0, "markdown inside a page bundle (%s owns this folder): move it out, or make the bundle a section with _index.md", p.File)
		default:
			l.attach(p, e, rel)
		}
	}
}

// attach adds file e of folder rel as an attachment of owner, to be looked
// into for frontmatter.
func (l *loader) attach(owner *Page, e entry, rel string) {
	r := path.Join(rel, e.name)
	a := &Attachment{File: e.file, URL: "/" + escapePath(r), OutPath: r, Owner: owner, Size: e.size}
	owner.Attachments = append(owner.Attachments, a)
	l.tree.Attachments = append(l.tree.Attachments, a)
	l.sniff = append(l.sniff, a)
}

func (l *loader) addPage(p *Page) {
	p.Index = len(l.tree.Pages)
	l.tree.Pages = append(l.tree.Pages, p)
}

// read queues a markdown file for parse.
func (l *loader) read(p *Page, e entry) {
	l.pending = append(l.pending, pending{p, e.file})
}

// parse reads and parses the queued files, and looks into the queued
// attachments, on every CPU, and adds their problems in order.
func (l *loader) parse() {
	n := len(l.pending) + len(l.sniff)
	errs := make([]diag.List, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if i >= len(l.pending) {
					sniffAttachment(l.fsys, l.sniff[i-len(l.pending)], &errs[i])
					continue
				}
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
	l.pending, l.sniff = nil, nil
}

// unwrapPath drops an fs.PathError's path, which the position names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
