package confluence

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/access"
)

// Options configure Import.
type Options struct {
	// Export is the export: a zip file or the folder it unzips to.
	Export string
	// Into is the site folder to create; it must be missing or empty.
	Into string
	// Domains are the member domains written to config/access.toml,
	// taken as written. Default: the email domains of the export's users
	// but public mail providers' (gmail.com, outlook.com, ...). A user
	// named by a permission whose email is outside them is declared a
	// guest.
	Domains []string
	// MembersGroup is the Confluence group every user is in; it maps to
	// facet's members. Default "confluence-users"; "-" for none.
	MembersGroup string
}

// Warning is one problem the import worked around.
type Warning struct {
	Kind string // "macro", "link", "user", "group", "body", "class", ...
	Page string // the page's file (content/...), or "" for the export
	Msg  string
}

func (w Warning) String() string {
	if w.Page == "" {
		return w.Kind + ": " + w.Msg
	}
	return w.Kind + ": " + w.Page + ": " + w.Msg
}

// Result summarises an import.
type Result struct {
	Spaces      int
	Pages       int
	Attachments int
	// Restricted is the number of pages with a view restriction of their
	// own or from an ancestor; Inexact those whose facet readers are fewer
	// than Confluence's.
	Restricted, Inexact int
	// Domains are the member domains written to config/access.toml.
	// DomainsByDefault is true when they were not given (Options.Domains)
	// but taken from the export's users' emails; PublicDomains are then
	// the public mail providers' domains among those, left out.
	Domains          []string
	DomainsByDefault bool
	PublicDomains    []string
	Warnings         []Warning
}

// ErrNotEmpty says the --into folder holds files.
var ErrNotEmpty = errors.New("folder is not empty")

// Import converts the export into a new site at opts.Into. It writes into
// a temporary folder beside it and renames that into place only when
// every step succeeded, so a failed import leaves nothing that looks like
// a site.
func Import(ctx context.Context, opts Options) (*Result, error) {
	if err := checkInto(opts.Into); err != nil {
		return nil, err
	}
	src, err := openSource(opts.Export)
	if err != nil {
		return nil, err
	}
	defer src.close()
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(opts.Into)), ".facet-import-*")
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	res, err := run(ctx, src, opts, tmp)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	os.Remove(opts.Into) // an empty folder; a non-empty one was refused above
	if err := os.Rename(tmp, opts.Into); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	done = true
	return res, nil
}

func checkInto(dir string) error {
	if dir == "" {
		return errors.New("import: no --into folder")
	}
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s: %w (facet import writes a new site only into an empty or missing folder)", dir, ErrNotEmpty)
	}
	return nil
}

// importer holds one import's state.
type importer struct {
	src    *source
	ex     *export
	pp     *people
	root   string
	access map[*page]*pageAccess
	spaceM map[*space]mapping
	byKey  map[string]map[string]*page
	names  *contentNames
	res    *Result
}

func run(ctx context.Context, src *source, opts Options, root string) (*Result, error) {
	im := &importer{src: src, root: root, res: &Result{}, access: map[*page]*pageAccess{}, spaceM: map[*space]mapping{}}
	if err := im.readModel(); err != nil {
		return nil, err
	}
	im.setup(opts)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := im.writeBodies(ctx); err != nil {
		return nil, err
	}
	if err := im.writeAttachments(); err != nil {
		return nil, err
	}
	if err := im.writeSite(); err != nil {
		return nil, err
	}
	return im.res, nil
}

// readModel is the first pass: every object but the page bodies.
func (im *importer) readModel() error {
	name := im.src.entitiesName()
	im.ex = newExport(name)
	r, err := im.src.open(name[len(im.src.prefix):])
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer r.Close()
	skipBody := func(class, prop string) bool { return class == "BodyContent" && prop == "body" }
	if err := readObjects(r, name, skipBody, im.ex.add); err != nil {
		return err
	}
	return im.ex.link()
}

func (im *importer) warn(kind, page, msg string) {
	im.res.Warnings = append(im.res.Warnings, Warning{Kind: kind, Page: page, Msg: msg})
}

// setup lays out the spaces and maps their permissions.
func (im *importer) setup(opts Options) {
	for _, w := range im.ex.warnings {
		im.res.Warnings = append(im.res.Warnings, w)
	}
	for _, class := range sortedKeys(im.ex.unknown) {
		im.warn("class", "", fmt.Sprintf("%s:%d: %d object(s) of the unknown class %s skipped", im.ex.file, im.ex.unknownL[class], im.ex.unknown[class], class))
	}
	for _, class := range sortedKeys(im.ex.skipped) {
		im.warn("skipped", "", fmt.Sprintf("%d current %s object(s) not imported (facet imports pages and their attachments)", im.ex.skipped[class], class))
	}
	if n := im.ex.ownLabelled; n > 0 {
		im.warn("skipped", "", fmt.Sprintf("%d personal or system label(s) of pages not imported as tags (Confluence shows them to their owner alone, or to no one)", n))
	}
	im.pp = &people{membersGroup: cmp.Or(opts.MembersGroup, "confluence-users"), domains: opts.Domains,
		groups: map[string]string{}, noEmail: map[string][]string{}, guests: map[string]bool{}, warn: im.warn}
	if im.pp.membersGroup == "-" {
		im.pp.membersGroup = ""
	}
	if len(im.pp.domains) == 0 {
		im.pp.domains, im.res.PublicDomains = im.userDomains()
		im.res.DomainsByDefault = true
	}
	im.res.Domains = im.pp.domains
	top := folder{}
	for k := range reservedTop {
		top[k] = true
	}
	im.byKey = map[string]map[string]*page{}
	for _, s := range im.ex.spaces {
		s.layout(top)
		titles := map[string]*page{}
		for _, p := range s.pages {
			if _, dup := titles[p.title]; !dup {
				titles[p.title] = p
			}
		}
		im.byKey[s.key] = titles
	}
	im.names = newContentNames(im.ex.contentNames())
	im.pp.nameGroups(im.ex.groupNames())
	for _, s := range im.ex.spaces {
		sm, pa := im.pp.spaceAccess(s)
		im.spaceM[s] = sm
		for p, a := range pa {
			im.access[p] = a
		}
		im.numberedNames(s)
	}
}

// nameIn returns the folder holding p's file or folder, and its name.
func (p *page) nameIn() (folder, name string) {
	return path.Split(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(p.file, "/_index.md"), "/index.md"), ".md"))
}

// numberedNames warns of each page whose file name took a number because
// a sibling with other readers took its name first ("plan-2.md" beside
// "plan.md"): its URL tells its readers that such a page exists.
func (im *importer) numberedNames(s *space) {
	first := map[string]*page{} // by containing folder and name
	for _, p := range s.pages {
		if p.file == "" || p.file == s.dir+"/_index.md" {
			continue
		}
		folder, stem := p.nameIn()
		base := slug(p.title, "page-"+p.id)
		if stem == base {
			first[folder+base] = p
		}
	}
	for _, p := range s.pages {
		if p.file == "" || p.file == s.dir+"/_index.md" {
			continue
		}
		folder, stem := p.nameIn()
		base := slug(p.title, "page-"+p.id)
		other, ok := first[folder+base]
		if stem == base || !ok {
			continue
		}
		a, b := im.access[p], im.access[other]
		if a != nil && b != nil && fmt.Sprint(a.readers) == fmt.Sprint(b.readers) && a.unknown == b.unknown {
			continue
		}
		im.warn("name", p.file, fmt.Sprintf("named %q because %s, which has other readers, takes %q: the number in its URL tells its readers that such a page exists; rename one of them", stem, other.file, base))
	}
}

// contentNames are the titles of every page of the export, current or
// not, imported or skipped, and the names of the attachments.
func (e *export) contentNames() []string {
	names := slices.Clone(e.titles)
	for _, a := range e.attach {
		names = append(names, a.name)
	}
	return names
}

// groupNames are the names of the groups the space permissions and the
// view restrictions of the imported pages name.
func (e *export) groupNames() []string {
	var names []string
	add := func(as []atom) {
		for _, a := range as {
			if a.Kind == "group" {
				names = append(names, a.Name)
			}
		}
	}
	for _, s := range e.spaces {
		add(s.view)
		for _, p := range s.pages {
			for _, v := range p.view {
				add(v)
			}
			for _, a := range p.above {
				add(a.atoms)
			}
		}
	}
	return names
}

// userDomains are the email domains of the export's users, sorted, but
// for the domains of public mail providers (publicMailDomains), which are
// left out: public.
func (im *importer) userDomains() (domains, public []string) {
	for k, u := range im.ex.users {
		if strings.HasPrefix(k, "name:") {
			continue
		}
		if e := access.NormEmail(strings.TrimSpace(u.email)); access.ValidEmail(e) {
			if d := access.EmailDomain(e); publicMailDomains[d] {
				public = append(public, d)
			} else {
				domains = append(domains, d)
			}
		}
	}
	slices.Sort(domains)
	slices.Sort(public)
	return slices.Compact(domains), slices.Compact(public)
}

// writeBodies is the second pass: each current page's body, converted and
// written with its frontmatter as soon as it is read.
func (im *importer) writeBodies(ctx context.Context) error {
	name := im.src.entitiesName()
	r, err := im.src.open(name[len(im.src.prefix):])
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer r.Close()
	n := 0
	err = readClass(r, name, "BodyContent", func(o *object) error {
		if n++; n%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		p := im.ex.pages[o.ref("content")]
		if p == nil || p.hasBody || p.space == nil {
			return nil
		}
		p.hasBody = true
		return im.writePage(p, o.text("body"))
	})
	if err != nil {
		return err
	}
	for _, p := range im.ex.sortedPages() {
		if !p.hasBody && p.space != nil {
			if err := im.writePage(p, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// writePage converts one page and writes its file.
func (im *importer) writePage(p *page, body string) error {
	c := &converter{page: p.file, links: pageLinks{from: p, byKey: im.byKey, names: im.names},
		warn: func(kind, msg string) { im.warn(kind, p.file, msg) }}
	md := ""
	if strings.TrimSpace(body) != "" {
		md = c.convert(body)
	}
	fm := frontmatter{title: p.title, date: p.modified, tags: validTags(p.labels), section: path.Base(p.file) == "_index.md"}
	if fm.date.IsZero() {
		fm.date = p.created
	}
	if p.parent != nil || p != p.space.homePage() {
		fm.weight = p.position + 1
	}
	pa := im.access[p]
	if p == p.space.homePage() {
		fm.title = cmp.Or(p.space.name, p.title)
		fm.access = nonNil(im.spaceM[p.space].Allow)
		if pa.write {
			fm.pageAccess = nonNil(pa.m.Allow)
		}
	} else if pa.write {
		fm.access = nonNil(pa.m.Allow)
	}
	if len(p.edit) > 0 {
		im.warn("edit", p.file, "an edit restriction ("+describe(slices.Concat(p.edit...))+") is not mapped: facet sites are read-only")
	}
	im.res.Pages++
	return writeFile(im.root, p.file, fm.String()+"\n"+md)
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// writeAttachments copies every attachment of a current page.
func (im *importer) writeAttachments() error {
	for _, a := range im.ex.attach {
		if a.page == nil || a.file == "" {
			continue
		}
		ok, err := copyAttachment(im.src, a, im.root)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("write %s: %w", a.file, err)
			}
			im.warn("attachment", a.page.file, fmt.Sprintf("%s not imported: %v", a.name, err))
			continue
		}
		if ok {
			im.res.Attachments++
		}
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
